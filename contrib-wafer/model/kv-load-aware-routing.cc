/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "kv-load-aware-routing.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferKvLoadAwareRouting");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(KvLoadAwareRouting);

TypeId
KvLoadAwareRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::KvLoadAwareRouting")
                            .SetParent<RoutingPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<KvLoadAwareRouting>();
    return tid;
}

uint32_t
KvLoadAwareRouting::Pick(const LlmRequest&, const std::vector<ReplicaLoad>& loads)
{
    NS_LOG_FUNCTION(this);
    uint32_t best = 0;
    for (uint32_t i = 1; i < loads.size(); ++i)
    {
        const ReplicaLoad& a = loads[i];
        const ReplicaLoad& b = loads[best];
        if (a.freeKvShare > b.freeKvShare
            || (a.freeKvShare == b.freeKvShare && a.requests < b.requests))
        {
            best = i;
        }
    }
    return best;
}

} // namespace wafer
} // namespace ns3
