/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWARMX_TREE_TOPOLOGY_H
#define WAFER_SWARMX_TREE_TOPOLOGY_H

#include "topology-builder.h"

#include "ns3/nstime.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A tree of relaying endpoints (SwarmX: a weight store at the root, broadcast/reduce nodes,
 * wafers at the leaves), no switches: endpoint i is cabled to endpoint parent[i] (-1: the root)
 * with all its ports, and each node routes only to its neighbours. An endpoint's ports face its
 * parent (the root's: its first child). Not a NetworkFabric Topology value: FabricHelper's
 * InstallTree builds it from the tree's shape.
 */
class SwarmXTreeTopology : public TopologyBuilder
{
  public:
    /**
     * \param parent each endpoint's parent (-1: the root)
     * \param transit each endpoint's transit latency (split over its links); missing ones: none
     */
    SwarmXTreeTopology(std::vector<int32_t> parent, std::vector<Time> transit);

    std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                             NodeContainer& switches) const override;

  private:
    std::vector<int32_t> m_parent;
    std::vector<Time> m_transit;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWARMX_TREE_TOPOLOGY_H
