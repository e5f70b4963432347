/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LEAST_OUTSTANDING_TOKENS_ROUTING_H
#define WAFER_LEAST_OUTSTANDING_TOKENS_ROUTING_H

#include "routing-policy.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The replica with the fewest outstanding tokens (prompt and output of its unfinished
 * requests); the lowest index on a tie.
 */
class LeastOutstandingTokensRouting : public RoutingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads) override;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LEAST_OUTSTANDING_TOKENS_ROUTING_H
