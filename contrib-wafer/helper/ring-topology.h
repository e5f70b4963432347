/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RING_TOPOLOGY_H
#define WAFER_RING_TOPOLOGY_H

#include "topology-builder.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Topology "ring": no switches; ports 0..P/2-1 of each endpoint face its right neighbour, the
 * other half its left one, and endpoints relay (transit latency = the fabric's
 * WaferTransitLatency). Messages take the shorter way round, both ways when equal. Needs at
 * least 2 endpoints with the same, even port count.
 */
class RingTopology : public TopologyBuilder
{
  public:
    std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                             NodeContainer& switches) const override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RING_TOPOLOGY_H
