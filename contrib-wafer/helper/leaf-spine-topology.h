/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LEAF_SPINE_TOPOLOGY_H
#define WAFER_LEAF_SPINE_TOPOLOGY_H

#include "topology-builder.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Topology "leaf-spine": DevicesPerLeaf endpoints under each leaf switch; each leaf has
 * ceil(DevicesPerLeaf x P / Oversubscription) uplinks spread round-robin over the spines (Spines,
 * or as many as a leaf has uplinks, at most 16; none with a single leaf), P being the largest
 * port count. Switch transit latency = the fabric's SwitchLatency.
 */
class LeafSpineTopology : public TopologyBuilder
{
  public:
    std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                             NodeContainer& switches) const override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LEAF_SPINE_TOPOLOGY_H
