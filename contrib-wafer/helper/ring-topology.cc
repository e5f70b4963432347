/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ring-topology.h"

#include "ns3/input-error.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

std::vector<std::vector<uint32_t>>
RingTopology::Build(const TopologyContext& context, NodeContainer& /* switches */) const
{
    const Ptr<NetworkFabric> f = context.fabric;
    const NodeContainer& nodes = context.endpoints;
    const uint32_t devices = nodes.GetN();
    const uint32_t ports = *std::max_element(context.ports.begin(), context.ports.end());
    const bool equal = std::all_of(context.ports.begin(),
                                   context.ports.end(),
                                   [ports](uint32_t p)
                                   {
                                       return p == ports;
                                   });
    if (!equal || ports < 2 || ports % 2 != 0 || devices < 2)
    {
        throw InputError("network.topology: a ring needs at least 2 devices with the same, "
                         "even number of ports (half to each neighbour)");
    }
    const uint32_t half = ports / 2;
    std::vector<std::vector<uint32_t>> up(devices); // links leaving each endpoint, by port
    for (uint32_t d = 0; d < devices; ++d)
    {
        f->SetTransitLatency(nodes.Get(d)->GetId(), f->GetWaferTransitLatency());
        up[d].resize(ports);
    }
    for (uint32_t d = 0; d < devices; ++d)
    {
        const uint32_t right = (d + 1) % devices;
        for (uint32_t j = 0; j < half; ++j)
        {
            // Port j of d faces its right neighbour, whose port half + j faces back.
            auto [dr, rd] = context.cable({nodes.Get(d), j, context.names[d]},
                                          {nodes.Get(right), half + j, context.names[right]},
                                          ports);
            up[d][j] = dr;
            up[right][half + j] = rd;
        }
    }
    for (uint32_t n = 0; n < devices; ++n)
    {
        const std::vector<uint32_t> cw(up[n].begin(), up[n].begin() + half);
        const std::vector<uint32_t> ccw(up[n].begin() + half, up[n].end());
        std::vector<uint32_t> both;
        for (uint32_t j = 0; j < half; ++j)
        {
            both.push_back(cw[j]);
            both.push_back(ccw[j]);
        }
        for (uint32_t d = 0; d < devices; ++d)
        {
            if (d == n)
            {
                continue;
            }
            const uint32_t ahead = (d + devices - n) % devices;
            const uint32_t behind = devices - ahead;
            f->AddRoute(nodes.Get(n)->GetId(),
                        nodes.Get(d)->GetId(),
                        ahead < behind ? cw : (behind < ahead ? ccw : both));
        }
    }
    return up;
}

} // namespace wafer
} // namespace ns3
