/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ROUND_ROBIN_ROUTING_H
#define WAFER_ROUND_ROBIN_ROUTING_H

#include "routing-policy.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Replicas in turn, whatever their load.
 */
class RoundRobinRouting : public RoutingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads) override;

  private:
    uint32_t m_next{0};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_ROUND_ROBIN_ROUTING_H
