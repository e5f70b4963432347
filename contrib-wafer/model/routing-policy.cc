/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "routing-policy.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferRoutingPolicy");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(RoutingPolicy);

TypeId
RoutingPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::RoutingPolicy").SetParent<Object>().SetGroupName("Wafer");
    return tid;
}

uint32_t
RoutingPolicy::FewestTokens(const std::vector<ReplicaLoad>& loads)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < loads.size(); ++i)
    {
        best = loads[i].tokens < loads[best].tokens ? i : best;
    }
    return best;
}

} // namespace wafer
} // namespace ns3
