/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SINGLE_SWITCH_TOPOLOGY_H
#define WAFER_SINGLE_SWITCH_TOPOLOGY_H

#include "topology-builder.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Topology "single-switch": every port of every endpoint cabled to one switch (named "switch",
 * transit latency = the fabric's SwitchLatency), whose ports are numbered in cabling order.
 */
class SingleSwitchTopology : public TopologyBuilder
{
  public:
    std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                             NodeContainer& switches) const override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SINGLE_SWITCH_TOPOLOGY_H
