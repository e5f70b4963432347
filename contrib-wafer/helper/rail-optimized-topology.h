/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RAIL_OPTIMIZED_TOPOLOGY_H
#define WAFER_RAIL_OPTIMIZED_TOPOLOGY_H

#include "topology-builder.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Topology "rail-optimized": the leaf-spine of GPU clusters in which port (rail) r of every
 * endpoint goes to a leaf of rail r (NVIDIA DGX SuperPOD reference architecture). Endpoints come
 * in groups of DevicesPerLeaf (scalable units); each group has one leaf per rail, P rails being
 * the largest port count. Each leaf has max(1, ceil(DevicesPerLeaf / Oversubscription))
 * uplinks spread round-robin over the spines (Spines, or as many as a leaf has uplinks, at most
 * 16). Spines exist only when some lane must leave its rail leaf: several groups, or an endpoint
 * with fewer ports than P. A lane stays on its rail: between endpoints of one group it crosses
 * one leaf; otherwise leaf, spine, leaf. A leaf spreads its destinations over its uplinks
 * (lane r to destination d leaves on uplink (r + d) mod U), so that one rail's traffic uses them
 * all, as per-flow ECMP hashing would.
 */
class RailOptimizedTopology : public TopologyBuilder
{
  public:
    std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                             NodeContainer& switches) const override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RAIL_OPTIMIZED_TOPOLOGY_H
