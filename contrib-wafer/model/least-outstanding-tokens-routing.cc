/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "least-outstanding-tokens-routing.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferLeastOutstandingTokensRouting");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(LeastOutstandingTokensRouting);

TypeId
LeastOutstandingTokensRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::LeastOutstandingTokensRouting")
                            .SetParent<RoutingPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<LeastOutstandingTokensRouting>();
    return tid;
}

uint32_t
LeastOutstandingTokensRouting::Pick(const LlmRequest&, const std::vector<ReplicaLoad>& loads)
{
    NS_LOG_FUNCTION(this);
    return FewestTokens(loads);
}

} // namespace wafer
} // namespace ns3
