/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "request-router.h"

#include "round-robin-routing.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/type-id.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferRequestRouter");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(RequestRouter);

TypeId
RequestRouter::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::RequestRouter")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<RequestRouter>()
              .AddAttribute("Policy",
                            "The routing policy: a subclass of ns3::wafer::RoutingPolicy.",
                            TypeIdValue(RoundRobinRouting::GetTypeId()),
                            MakeTypeIdAccessor(&RequestRouter::m_policyType),
                            MakeTypeIdChecker())
              .AddTraceSource("Routed",
                              "A request was sent to a replica (its replica and routerQueue "
                              "are set).",
                              MakeTraceSourceAccessor(&RequestRouter::m_routedTrace),
                              "ns3::wafer::RequestRouter::RoutedTracedCallback");
    return tid;
}

RequestRouter::RequestRouter()
{
    NS_LOG_FUNCTION(this);
}

void
RequestRouter::AddReplica(Ptr<PipelineServingEngine> engine)
{
    NS_LOG_FUNCTION(this);
    const auto replica = static_cast<uint32_t>(m_replicas.size());
    m_replicas.push_back(engine);
    m_loads.emplace_back();
    engine->TraceConnectWithoutContext("RequestDone",
                                       MakeCallback(&RequestRouter::Done, this).Bind(replica));
}

uint32_t
RequestRouter::Replicas() const
{
    return m_replicas.size();
}

void
RequestRouter::Submit(const std::vector<LlmRequest>& requests)
{
    NS_LOG_FUNCTION(this << requests.size());
    NS_ABORT_MSG_IF(m_replicas.empty(), "a router needs a replica");
    if (m_replicas.size() == 1)
    {
        m_replicas[0]->Submit(requests); // nothing to decide
        return;
    }
    if (!m_policy)
    {
        ObjectFactory f(m_policyType.GetName());
        m_policy = f.Create<RoutingPolicy>();
    }
    for (const LlmRequest& r : requests)
    {
        const auto i = static_cast<uint32_t>(m_requests.size());
        m_requests.push_back(r);
        Simulator::Schedule(Seconds(r.arrivalS) - Simulator::Now(), &RequestRouter::Route, this, i);
    }
}

void
RequestRouter::Route(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    LlmRequest& r = m_requests[request];
    for (size_t k = 0; k < m_replicas.size(); ++k)
    {
        m_loads[k].freeKvShare = m_replicas[k]->FreeKvShare();
    }
    const uint32_t replica = m_policy->Pick(r, m_loads);
    NS_ABORT_MSG_IF(replica >= m_replicas.size(), "routing policy picked no replica");
    ReplicaLoad& load = m_loads[replica];
    r.replica = replica;
    r.routerQueue = load.requests;
    load.requests += 1;
    load.tokens += uint64_t(r.inputTokens) + r.outputTokens;
    m_routedTrace(r);
    m_replicas[replica]->Accept(r);
}

void
RequestRouter::Done(uint32_t replica, const LlmRequest& request)
{
    ReplicaLoad& load = m_loads[replica];
    if (load.requests == 0)
    {
        return; // one replica: the router sent nothing itself
    }
    load.requests -= 1;
    load.tokens -= uint64_t(request.inputTokens) + request.outputTokens;
}

void
RequestRouter::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_replicas.clear();
    m_policy = nullptr;
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
