/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ROUTING_POLICY_H
#define WAFER_ROUTING_POLICY_H

#include "llm-request.h"

#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What a router knows of one replica when a request arrives: the requests it sent there that
 * have not finished (nor been rejected or failed), their tokens (prompt and output), and the
 * share of the replica's KV space left (as a KV-cache-aware router reads it from the replica).
 */
struct ReplicaLoad
{
    uint32_t requests{0};
    uint64_t tokens{0};
    double freeKvShare{1}; ///< its decode stages' free KV space (PipelineServingEngine)
};

/**
 * \ingroup wafer
 * Picks the replica that serves an arriving request (RequestRouter's Policy attribute). The
 * router keeps the loads; a policy only reads them (and may remember its own choices).
 */
class RoutingPolicy : public Object
{
  public:
    static TypeId GetTypeId();
    /// The replica (index into \p loads, never empty) that serves \p request.
    virtual uint32_t Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads) = 0;

  protected:
    /// The replica with the fewest outstanding tokens; the lowest index on a tie.
    static uint32_t FewestTokens(const std::vector<ReplicaLoad>& loads);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_ROUTING_POLICY_H
