/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_REQUEST_ROUTER_H
#define WAFER_REQUEST_ROUTER_H

#include "pipeline-serving-engine.h"
#include "routing-policy.h"

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The front door of a cluster of identical serving replicas (data parallelism): each request,
 * when it arrives, goes to the replica its RoutingPolicy (attribute Policy) picks from the
 * replicas' loads. The router counts a replica's load from what it sent there and the
 * replica's RequestDone trace (finished, rejected or failed), as a front end that sees only
 * its own traffic would; it records its choice and the load it saw in the request
 * (LlmRequest::replica, routerQueue). With one replica it only hands the requests over.
 */
class RequestRouter : public Object
{
  public:
    static TypeId GetTypeId();
    RequestRouter();

    /// Replica number Replicas() - 1 is \p engine.
    void AddReplica(Ptr<PipelineServingEngine> engine);
    uint32_t Replicas() const;
    /// Schedule the arrival of every request at the router (times from simulation start).
    void Submit(const std::vector<LlmRequest>& requests);

    typedef void (*RoutedTracedCallback)(const LlmRequest& request);

  protected:
    void DoDispose() override;

  private:
    void Route(uint32_t request);
    void Done(uint32_t replica, const LlmRequest& request);

    TypeId m_policyType;
    Ptr<RoutingPolicy> m_policy;
    std::vector<Ptr<PipelineServingEngine>> m_replicas;
    std::vector<ReplicaLoad> m_loads;
    std::vector<LlmRequest> m_requests;
    TracedCallback<const LlmRequest&> m_routedTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_REQUEST_ROUTER_H
