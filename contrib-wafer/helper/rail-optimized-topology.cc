/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rail-optimized-topology.h"

#include "ns3/input-error.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace wafer
{

std::vector<std::vector<uint32_t>>
RailOptimizedTopology::Build(const TopologyContext& context, NodeContainer& switches) const
{
    const Ptr<NetworkFabric> f = context.fabric;
    const NodeContainer& nodes = context.endpoints;
    const uint32_t devices = nodes.GetN();
    const uint32_t rails = *std::max_element(context.ports.begin(), context.ports.end());
    const bool uneven = *std::min_element(context.ports.begin(), context.ports.end()) < rails;
    const uint32_t perLeaf = f->GetDevicesPerLeaf();
    const uint32_t groups = (devices + perLeaf - 1) / perLeaf;
    const uint32_t leaves = groups * rails; // leaf g * rails + r: rail r of group g
    const auto uplinks
        = static_cast<uint32_t>(std::max(1.0, std::ceil(perLeaf / f->GetOversubscription())));
    const uint32_t spines
        = CreateLeavesAndSpines(context, switches, leaves, uplinks, groups > 1 || uneven);
    auto leafName = [rails](uint32_t leaf)
    {
        return "rail" + std::to_string(leaf % rails) + "-leaf" + std::to_string(leaf / rails);
    };
    std::vector<std::vector<uint32_t>> up(devices);   // links leaving each endpoint, by port
    std::vector<std::vector<uint32_t>> down(devices); // links arriving at it, by port
    for (uint32_t d = 0; d < devices; ++d)
    {
        const uint32_t group = d / perLeaf;
        for (uint32_t r = 0; r < context.ports[d]; ++r)
        {
            const uint32_t leaf = group * rails + r;
            auto [u, dn] = context.cable({nodes.Get(d), r, context.names[d]},
                                         {switches.Get(leaf), d % perLeaf, leafName(leaf)},
                                         context.ports[d]);
            up[d].push_back(u);
            down[d].push_back(dn);
        }
    }
    const auto [leafUp, spineDown]
        = CableSpines(context, switches, leaves, spines, uplinks, perLeaf, rails, leafName);
    std::vector<uint32_t> candidates;
    for (uint32_t d = 0; d < devices; ++d)
    {
        const uint32_t dst = nodes.Get(d)->GetId();
        const uint32_t home = d / perLeaf;
        for (uint32_t l = 0; l < leaves; ++l)
        {
            const uint32_t rail = l % rails;
            if (l / rails == home && rail < context.ports[d])
            {
                f->AddRoute(switches.Get(l)->GetId(), dst, {down[d][rail]});
            }
            else if (spines > 0)
            {
                // Lane r (the only one on rail r) picks candidate r mod U: rotated by the
                // destination, so that a rail's destinations spread over every uplink.
                candidates.clear();
                for (uint32_t i = 0; i < uplinks; ++i)
                {
                    candidates.push_back(leafUp[l][(i + d) % uplinks]);
                }
                f->AddRoute(switches.Get(l)->GetId(), dst, candidates);
            }
        }
        for (uint32_t s = 0; s < spines; ++s)
        {
            // Down to the destination's leaf of the lane's rail: lane i picks candidate
            // i mod (k P_d), whose rail is i mod P_d (rails vary fastest), k being this spine's
            // links to each leaf.
            const size_t k = spineDown[s][0].size();
            candidates.clear();
            for (size_t j = 0; j < k; ++j)
            {
                for (uint32_t r = 0; r < context.ports[d]; ++r)
                {
                    candidates.push_back(spineDown[s][home * rails + r][j]);
                }
            }
            f->AddRoute(switches.Get(leaves + s)->GetId(), dst, candidates);
        }
    }
    return up;
}

} // namespace wafer
} // namespace ns3
