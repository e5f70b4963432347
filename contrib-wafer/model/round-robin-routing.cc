/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-robin-routing.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferRoundRobinRouting");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(RoundRobinRouting);

TypeId
RoundRobinRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::RoundRobinRouting")
                            .SetParent<RoutingPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<RoundRobinRouting>();
    return tid;
}

uint32_t
RoundRobinRouting::Pick(const LlmRequest&, const std::vector<ReplicaLoad>& loads)
{
    NS_LOG_FUNCTION(this);
    const uint32_t pick = m_next % loads.size();
    m_next = pick + 1;
    return pick;
}

} // namespace wafer
} // namespace ns3
