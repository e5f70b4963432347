/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "single-switch-topology.h"

namespace ns3
{
namespace wafer
{

std::vector<std::vector<uint32_t>>
SingleSwitchTopology::Build(const TopologyContext& context, NodeContainer& switches) const
{
    const Ptr<NetworkFabric> f = context.fabric;
    const uint32_t devices = context.endpoints.GetN();
    std::vector<std::vector<uint32_t>> up(devices);   // links leaving each endpoint, by port
    std::vector<std::vector<uint32_t>> down(devices); // links arriving at it, by port
    switches.Create(1);
    Ptr<Node> sw = switches.Get(0);
    f->SetTransitLatency(sw->GetId(), f->GetSwitchLatency());
    uint32_t switchPort = 0;
    for (uint32_t d = 0; d < devices; ++d)
    {
        for (uint32_t p = 0; p < context.ports[d]; ++p)
        {
            auto [u, dn] = context.cable({context.endpoints.Get(d), p, context.names[d]},
                                         {sw, switchPort++, "switch"},
                                         context.ports[d]);
            up[d].push_back(u);
            down[d].push_back(dn);
        }
    }
    for (uint32_t d = 0; d < devices; ++d)
    {
        f->AddRoute(sw->GetId(), context.endpoints.Get(d)->GetId(), down[d]);
    }
    return up;
}

} // namespace wafer
} // namespace ns3
