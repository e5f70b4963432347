/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SESSION_AFFINITY_ROUTING_H
#define WAFER_SESSION_AFFINITY_ROUTING_H

#include "routing-policy.h"

#include <unordered_map>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Session affinity: every turn of a conversation goes where its first turn went, so that its
 * context (and any KV kept for it) is there; a first turn, or a request without a session,
 * goes to the replica with the fewest outstanding tokens.
 */
class SessionAffinityRouting : public RoutingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads) override;

  private:
    std::unordered_map<int64_t, uint32_t> m_home; ///< session -> replica
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SESSION_AFFINITY_ROUTING_H
