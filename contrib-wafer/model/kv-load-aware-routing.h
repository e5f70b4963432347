/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_KV_LOAD_AWARE_ROUTING_H
#define WAFER_KV_LOAD_AWARE_ROUTING_H

#include "routing-policy.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * KV-load aware: the replica with the largest share of its KV space free (the least of its
 * decode stages), so that requests go where they can be admitted soonest; on a tie the one with
 * the fewest outstanding requests, then the lowest index. Unlike counting tokens, it sees what
 * the replica actually holds: reserved KV, not requests that wait or were rejected.
 */
class KvLoadAwareRouting : public RoutingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads) override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_KV_LOAD_AWARE_ROUTING_H
