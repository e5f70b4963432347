/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "swarmx-tree-topology.h"

namespace ns3
{
namespace wafer
{

SwarmXTreeTopology::SwarmXTreeTopology(std::vector<int32_t> parent, std::vector<Time> transit) :
    m_parent(std::move(parent)),
    m_transit(std::move(transit))
{
}

std::vector<std::vector<uint32_t>>
SwarmXTreeTopology::Build(const TopologyContext& context, NodeContainer& /* switches */) const
{
    const Ptr<NetworkFabric> f = context.fabric;
    const NodeContainer& nodes = context.endpoints;
    const uint32_t n = m_parent.size();
    for (uint32_t i = 0; i < n && i < m_transit.size(); ++i)
    {
        f->SetTransitLatency(nodes.Get(i)->GetId(), m_transit[i]);
    }
    // Each child's ports face its parent, with a route to each neighbour over the ports that face
    // it; a parent numbers its ports in the order its children are cabled.
    std::vector<std::vector<uint32_t>> toParent(n);
    std::vector<std::vector<uint32_t>> portsOf(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (m_parent[i] < 0)
        {
            continue;
        }
        const uint32_t p = m_parent[i];
        std::vector<uint32_t> up;
        std::vector<uint32_t> down;
        for (uint32_t k = 0; k < context.ports[i]; ++k)
        {
            auto [u, d]
                = context.cable({nodes.Get(i), k, context.names[i]},
                                {nodes.Get(p), uint32_t(portsOf[p].size()) + k, context.names[p]},
                                context.ports[i]);
            up.push_back(u);
            down.push_back(d);
        }
        portsOf[p].insert(portsOf[p].end(), down.begin(), down.end());
        toParent[i] = up;
        f->AddRoute(nodes.Get(i)->GetId(), nodes.Get(p)->GetId(), up);
        f->AddRoute(nodes.Get(p)->GetId(), nodes.Get(i)->GetId(), down);
    }
    std::vector<std::vector<uint32_t>> own(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        own[i] = m_parent[i] < 0 ? std::vector<uint32_t>(portsOf[i].begin(),
                                                         portsOf[i].begin() + context.ports[i])
                                 : toParent[i];
    }
    return own;
}

} // namespace wafer
} // namespace ns3
