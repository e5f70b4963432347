/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-affinity-routing.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferSessionAffinityRouting");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(SessionAffinityRouting);

TypeId
SessionAffinityRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::SessionAffinityRouting")
                            .SetParent<RoutingPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<SessionAffinityRouting>();
    return tid;
}

uint32_t
SessionAffinityRouting::Pick(const LlmRequest& request, const std::vector<ReplicaLoad>& loads)
{
    NS_LOG_FUNCTION(this);
    if (request.session < 0)
    {
        return FewestTokens(loads);
    }
    auto [it, first] = m_home.emplace(request.session, 0);
    if (first)
    {
        it->second = FewestTokens(loads);
    }
    return it->second;
}

} // namespace wafer
} // namespace ns3
