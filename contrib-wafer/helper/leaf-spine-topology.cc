/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "leaf-spine-topology.h"

#include "ns3/input-error.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace wafer
{

std::vector<std::vector<uint32_t>>
LeafSpineTopology::Build(const TopologyContext& context, NodeContainer& switches) const
{
    const Ptr<NetworkFabric> f = context.fabric;
    const NodeContainer& nodes = context.endpoints;
    const uint32_t devices = nodes.GetN();
    const uint32_t ports = *std::max_element(context.ports.begin(), context.ports.end());
    const uint32_t perLeaf = f->GetDevicesPerLeaf();
    const uint32_t leaves = (devices + perLeaf - 1) / perLeaf;
    const auto uplinks = static_cast<uint32_t>(
        std::max(1.0, std::ceil(perLeaf * ports / f->GetOversubscription())));
    const uint32_t spines = CreateLeavesAndSpines(context, switches, leaves, uplinks, leaves > 1);
    std::vector<std::vector<uint32_t>> up(devices);   // links leaving each endpoint, by port
    std::vector<std::vector<uint32_t>> down(devices); // links arriving at it, by port
    for (uint32_t d = 0; d < devices; ++d)
    {
        Ptr<Node> leaf = switches.Get(d / perLeaf);
        for (uint32_t p = 0; p < context.ports[d]; ++p)
        {
            auto [u, dn] = context.cable(
                {nodes.Get(d), p, context.names[d]},
                {leaf, (d % perLeaf) * ports + p, "leaf" + std::to_string(d / perLeaf)},
                context.ports[d]);
            up[d].push_back(u);
            down[d].push_back(dn);
        }
    }
    const auto [leafUp, spineDown] = CableSpines(context,
                                                 switches,
                                                 leaves,
                                                 spines,
                                                 uplinks,
                                                 perLeaf * ports,
                                                 ports,
                                                 [](uint32_t l)
                                                 {
                                                     return "leaf" + std::to_string(l);
                                                 });
    for (uint32_t d = 0; d < devices; ++d)
    {
        const uint32_t dst = nodes.Get(d)->GetId();
        const uint32_t home = d / perLeaf;
        for (uint32_t l = 0; l < leaves; ++l)
        {
            f->AddRoute(switches.Get(l)->GetId(), dst, l == home ? down[d] : leafUp[l]);
        }
        for (uint32_t s = 0; s < spines; ++s)
        {
            f->AddRoute(switches.Get(leaves + s)->GetId(), dst, spineDown[s][home]);
        }
    }
    return up;
}

} // namespace wafer
} // namespace ns3
