/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pipeline-serving-engine.h"

#include "fcfs-admission.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"

namespace ns3
{
namespace wafer
{

NS_LOG_COMPONENT_DEFINE("WaferPipelineServingEngine");
NS_OBJECT_ENSURE_REGISTERED(PipelineServingEngine);

TypeId
PipelineServingEngine::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::PipelineServingEngine")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<PipelineServingEngine>()
              .AddAttribute("LayerPipelining",
                            "A wafer stage takes the next batch once its slowest layer region is "
                            "free, instead of once the batch has left the stage.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&PipelineServingEngine::m_layerPipelining),
                            MakeBooleanChecker())
              .AddAttribute("Admission",
                            "The admission policy: a subclass of ns3::wafer::AdmissionPolicy.",
                            TypeIdValue(FcfsAdmission::GetTypeId()),
                            MakeTypeIdAccessor(&PipelineServingEngine::m_admissionType),
                            MakeTypeIdChecker())
              .AddAttribute("Batcher",
                            "The decode batcher: ns3::wafer::DecodeBatcher or a subclass.",
                            TypeIdValue(DecodeBatcher::GetTypeId()),
                            MakeTypeIdAccessor(&PipelineServingEngine::m_batcherType),
                            MakeTypeIdChecker())
              .AddAttribute("Preemption",
                            "The preemption policy: ns3::wafer::PreemptionPolicy or a subclass.",
                            TypeIdValue(PreemptionPolicy::GetTypeId()),
                            MakeTypeIdAccessor(&PipelineServingEngine::m_preemptionType),
                            MakeTypeIdChecker())
              .AddTraceSource("RequestDone",
                              "A request finished, was rejected or failed.",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_requestDoneTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("RequestArrived",
                              "A request arrived (before it is admitted or rejected).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_arrivedTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("RequestAdmitted",
                              "A request was admitted: its KV space is reserved and its prefill "
                              "queued (again after a device loss).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_admittedTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("FirstToken",
                              "A request's prefill is done: its first output token.",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_firstTokenTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("Preempted",
                              "A running request gave way (to the admission queue's head, or "
                              "lost with a device).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_preemptedTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("Token",
                              "A decode step gave a request its next output token (the request "
                              "and its output tokens so far, the prefill's first one included).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_tokenTrace),
                              "ns3::wafer::DecodeBatcher::TokenTracedCallback")
              .AddTraceSource("KvTransferDone",
                              "Prefill/decode split: a request's KV cache has reached the decode "
                              "stages (the record holds kvTransferS, kvDoneS and kvBytes).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_kvTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource(
                  "StageWork",
                  "A stage took one batch; the record holds its start, exit and occupancy.",
                  MakeTraceSourceAccessor(&PipelineServingEngine::m_stageWorkTrace),
                  "ns3::wafer::PipelineServingEngine::StageWorkTracedCallback")
              .AddTraceSource("RequestRejected",
                              "A request was rejected on arrival (the record holds the reason: "
                              "context_limit or kv_capacity); RequestDone follows.",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_rejectedTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("KvTransferStarted",
                              "Prefill/decode split: the first message of a request's KV cache "
                              "left a prefill stage.",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_kvStartTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource("KvOffloaded",
                              "With a KV store: a request's KV cache reached the store (the "
                              "KvStoreClient's Offloaded).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_offloadTrace),
                              "ns3::wafer::KvStoreClient::KvMoveTracedCallback")
              .AddTraceSource("KvFetched",
                              "With a KV store: a request's KV cache came back from the store "
                              "(the KvStoreClient's Fetched).",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_fetchTrace),
                              "ns3::wafer::KvStoreClient::KvMoveTracedCallback");
    return tid;
}

PipelineServingEngine::PipelineServingEngine() :
    m_layerPipelining(false)
{
}

bool
PipelineServingEngine::GetLayerPipelining() const
{
    return m_layerPipelining;
}

namespace
{
std::vector<StageAssignment>
AssignmentsOf(const StagePipeline& pipeline)
{
    std::vector<StageAssignment> out;
    for (uint32_t s = 0; s < pipeline.Size(); ++s)
    {
        out.push_back(pipeline.Assignment(s));
    }
    return out;
}
} // namespace

void
PipelineServingEngine::SetCollaboratorFactoryCallback(FactoryCallback configure)
{
    m_configure = configure;
}

template<typename T>
Ptr<T>
PipelineServingEngine::Create(TypeId type) const
{
    ObjectFactory factory;
    factory.SetTypeId(type);
    if (!m_configure.IsNull())
    {
        m_configure(factory);
    }
    Ptr<T> object = factory.Create<T>();
    NS_ABORT_MSG_IF(!object, type.GetName() << " is not a " << T::GetTypeId().GetName());
    return object;
}

void
PipelineServingEngine::Configure(const LlmCostModel& model,
                                 std::vector<std::unique_ptr<StageCompute>> stages,
                                 const std::vector<uint32_t>& stageNodes,
                                 Ptr<MessageTransport> transport)
{
    NS_LOG_FUNCTION(this << stages.size());
    m_model = &model;
    m_transport = transport;
    m_serving = Create<StagePipeline>(StagePipeline::GetTypeId());
    m_serving->Setup(model, std::move(stages), stageNodes, transport, false);
    m_serving->SetCallbacks(MakeCallback(&PipelineServingEngine::StageStarted, this),
                            StagePipeline::ExitedCallback(),
                            MakeCallback(&PipelineServingEngine::ServingDone, this));
    m_budget = Create<KvBudget>(KvBudget::GetTypeId());
    m_budget->Setup(model, KvBudget::Serving, AssignmentsOf(*m_serving));
    m_admission = Create<AdmissionPolicy>(m_admissionType);
    m_preemption = Create<PreemptionPolicy>(m_preemptionType);
    m_batcher = Create<DecodeBatcher>(m_batcherType);
    m_batcher->Setup(model, &m_table, m_serving, transport);
    m_batcher->TraceConnectWithoutContext("Token",
                                          MakeCallback(&TokenTrace::operator(), &m_tokenTrace));
    // Reachable by Config paths from the first stage's node (one engine per node):
    // /NodeList/N/$ns3::wafer::PipelineServingEngine/RequestDone, ...
    if (!stageNodes.empty() && stageNodes.front() < NodeList::GetNNodes())
    {
        Ptr<Node> node = NodeList::GetNode(stageNodes.front());
        if (!node->GetObject<PipelineServingEngine>())
        {
            node->AggregateObject(this);
        }
    }
    m_batcher->SetCallbacks(MakeCallback(&PipelineServingEngine::Finish, this),
                            MakeCallback(&PipelineServingEngine::PlaceOffered, this),
                            MakeCallback(&PipelineServingEngine::ReloadForDecode, this),
                            MakeCallback(&PipelineServingEngine::ChooseVictim, this),
                            MakeCallback(&PipelineServingEngine::Preempted, this));
}

void
PipelineServingEngine::ConfigurePrefillPool(std::vector<std::unique_ptr<StageCompute>> stages,
                                            const std::vector<uint32_t>& stageNodes,
                                            KvCacheTransfer::Granularity granularity)
{
    NS_LOG_FUNCTION(this << stages.size());
    Ptr<StagePipeline> pipeline = Create<StagePipeline>(StagePipeline::GetTypeId());
    pipeline->Setup(*m_model, std::move(stages), stageNodes, m_transport, true);
    m_budget->Setup(*m_model, KvBudget::Prefill, AssignmentsOf(*pipeline));
    m_prefill
        = std::make_unique<PrefillPool>(*m_model,
                                        &m_table,
                                        pipeline,
                                        m_transport,
                                        m_serving->Holders(),
                                        granularity,
                                        MakeCallback(&PipelineServingEngine::StageStarted, this),
                                        MakeCallback(&PipelineServingEngine::PrefillDone, this),
                                        MakeCallback(&PipelineServingEngine::KvArrived, this));
    m_prefill->SetKvStartedCallback(MakeCallback(&PipelineServingEngine::KvStarted, this));
}

void
PipelineServingEngine::ConfigureKvStore(uint32_t node, double capacityBytes)
{
    NS_LOG_FUNCTION(this << node << capacityBytes);
    m_store = Create<KvStoreClient>(KvStoreClient::GetTypeId());
    m_store->Setup(
        *m_model, m_transport, &m_table, m_budget, m_serving->Holders(), node, capacityBytes);
    m_store->SetCallbacks(MakeCallback(&PipelineServingEngine::RoomMade, this),
                          MakeCallback(&DecodeBatcher::Join, m_batcher),
                          MakeCallback(&PipelineServingEngine::RoomMade, this),
                          MakeCallback(&PipelineServingEngine::SessionReloaded, this));
    m_store->TraceConnectWithoutContext("Offloaded",
                                        MakeCallback(&KvMoveTrace::operator(), &m_offloadTrace));
    m_store->TraceConnectWithoutContext("Fetched",
                                        MakeCallback(&KvMoveTrace::operator(), &m_fetchTrace));
}

uint32_t
PipelineServingEngine::MicrobatchCount() const
{
    return m_batcher->MicrobatchCount();
}

const std::vector<LlmRequest>&
PipelineServingEngine::Requests() const
{
    return m_table.Records();
}

std::vector<StageStats>
PipelineServingEngine::Stages() const
{
    std::vector<StageStats> out;
    for (auto pool : {KvBudget::Serving, KvBudget::Prefill})
    {
        const Ptr<StagePipeline> p = pool == KvBudget::Serving ? m_serving
                                     : m_prefill               ? m_prefill->Pipeline()
                                                               : nullptr;
        for (uint32_t s = 0; p && s < p->Size(); ++s)
        {
            StageStats stats = p->Stats(s);
            stats.peakKvBytes = m_budget->PeakBytes(pool, s);
            stats.kvCapacityBytes = m_budget->CapacityBytes(pool, s);
            out.push_back(stats);
        }
    }
    return out;
}

double
PipelineServingEngine::FreeKvShare() const
{
    double share = 1;
    for (uint32_t s = 0; s < m_budget->Stages(KvBudget::Serving); ++s)
    {
        const double capacity = m_budget->CapacityBytes(KvBudget::Serving, s);
        share = std::min(
            share, capacity > 0 ? 1 - m_budget->UsedBytes(KvBudget::Serving, s) / capacity : 0.0);
    }
    return share;
}

void
PipelineServingEngine::Submit(const std::vector<LlmRequest>& requests)
{
    NS_LOG_FUNCTION(this << requests.size());
    std::vector<uint32_t> added;
    for (const auto& r : requests)
    {
        added.push_back(m_table.Add(r));
    }
    for (uint32_t i : added)
    {
        const Time at = Seconds(m_table.Record(i).arrivalS);
        Simulator::Schedule(at - Simulator::Now(), &PipelineServingEngine::Arrive, this, i);
    }
}

void
PipelineServingEngine::Accept(const LlmRequest& request)
{
    NS_LOG_FUNCTION(this);
    Arrive(m_table.Add(request));
}

void
PipelineServingEngine::Arrive(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    LlmRequest& r = m_table.Record(request);
    m_arrivedTrace(r);
    if (m_drained)
    {
        Fail(request, "replica_drained");
        return;
    }
    std::string reason;
    if (double(r.inputTokens) + r.outputTokens > m_model->Config().maxContext)
    {
        reason = "context_limit";
    }
    else if (!m_budget->EverFits(r))
    {
        reason = "kv_capacity";
    }
    if (!reason.empty())
    {
        NS_LOG_INFO("request " << r.id << " rejected: " << reason);
        r.rejected = true;
        r.rejectReason = reason;
        m_rejectedTrace(r);
        m_requestDoneTrace(r);
        return;
    }
    m_admission->Add(request, m_table);
    TryAdmit();
}

bool
PipelineServingEngine::KeepsSessions() const
{
    return m_store && m_store->KeepsSessions() && !m_prefill;
}

void
PipelineServingEngine::TryAdmit()
{
    NS_LOG_FUNCTION(this);
    while (!m_admission->Empty())
    {
        if (!m_admission->SlotFree(m_running))
        {
            return;
        }
        const uint32_t id = m_admission->Head();
        LlmRequest& r = m_table.Record(id);
        if (!m_budget->Fits(r))
        {
            if (m_store)
            {
                m_store->MaybeOffload(m_batcher->Waiting());
            }
            NS_LOG_LOGIC("request " << r.id << " waits for KV space");
            return; // the head waits for KV space
        }
        m_budget->Reserve(r, +1);
        m_admission->PopHead();
        ++m_running;
        NS_LOG_LOGIC("admit request " << r.id << " (" << m_running << " running)");
        m_admittedTrace(r);
        SequenceState& state = m_table.State(id);
        state.admitted = true;
        if (state.generated > 0)
        {
            // Admitted again after a device loss: its KV (prompt and outputs) is recomputed, on
            // the prefill pool of a split (and moved to the decode stages again).
            if (m_prefill)
            {
                state.prefillHeld = true;
                m_prefill->Start(id, r.inputTokens + state.generated);
            }
            else
            {
                m_serving->EnqueuePrefill(id, r.inputTokens + state.generated, 0);
            }
            continue;
        }
        r.admittedS = Simulator::Now().GetSeconds();
        if (KeepsSessions() && r.session >= 0 && m_store->ReloadSession(id))
        {
            continue; // the prefill starts after the cached prefix once it is back
        }
        if (m_prefill)
        {
            state.prefillHeld = true;
            m_prefill->Start(id, r.inputTokens);
        }
        else
        {
            m_serving->EnqueuePrefill(id, r.inputTokens, 0);
        }
    }
}

void
PipelineServingEngine::StageStarted(const StageWorkRecord& record)
{
    m_stageWorkTrace(record);
}

void
PipelineServingEngine::ServingDone(const PipelineWork& item)
{
    if (!item.prefill)
    {
        m_batcher->StepDone(item.microbatch);
    }
    else if (item.LastChunk())
    {
        PrefillDone(item.request);
    }
}

void
PipelineServingEngine::PrefillDone(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    LlmRequest& r = m_table.Record(request);
    SequenceState& s = m_table.State(request);
    if (s.generated > 0)
    {
        // KV recomputed after a device loss: decoding goes on (after a split's KV move).
        if (m_prefill)
        {
            m_prefill->FirstTokenDone(request);
        }
        else
        {
            m_batcher->Join(request);
        }
        return;
    }
    r.firstTokenS = Simulator::Now().GetSeconds();
    NS_LOG_INFO("request " << r.id << " first token after " << r.TtftS() << " s");
    m_firstTokenTrace(r);
    s.generated = 1;
    if (m_prefill)
    {
        m_prefill->FirstTokenDone(request);
    }
    if (s.generated >= r.outputTokens)
    {
        if (m_prefill)
        {
            // No decode follows: the prompt's KV is simply dropped from the prefill stages.
            m_budget->ReleasePrefill(r);
            s.prefillHeld = false;
        }
        Finish(request);
        // Outside a decode step, nothing else offers the freed space to sequences waiting for
        // a decode place (a preempted one may wait for exactly this).
        m_batcher->ServeWaiting();
    }
    else if (!m_prefill)
    {
        m_batcher->Join(request);
    }
}

void
PipelineServingEngine::KvStarted(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    m_kvStartTrace(m_table.Record(request));
}

void
PipelineServingEngine::KvArrived(uint32_t request, Time first, Time last, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << request << first << last << bytes);
    LlmRequest& r = m_table.Record(request);
    r.kvTransferS = (last - first).GetSeconds();
    r.kvDoneS = last.GetSeconds();
    r.kvBytes = bytes;
    m_kvTrace(r);
    m_budget->ReleasePrefill(r);
    m_table.State(request).prefillHeld = false;
    m_batcher->Join(request);
    TryAdmit();
}

DecodeBatcher::Offer
PipelineServingEngine::PlaceOffered(uint32_t request)
{
    // Without a store, no sequence waits with its KV elsewhere.
    return m_store ? m_store->OfferPlace(request, Head()) : DecodeBatcher::Offer::Join;
}

void
PipelineServingEngine::ReloadForDecode(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    m_table.State(request).preempted = false;
    m_budget->ReserveServing(m_table.Record(request), +1);
    m_store->Reload(request);
}

int64_t
PipelineServingEngine::ChooseVictim(const std::vector<uint32_t>& members)
{
    const LlmRequest* head = Head();
    return m_store && head ? m_store->Victim(members, m_batcher->Waiting(), *head, *m_preemption)
                           : -1;
}

const LlmRequest*
PipelineServingEngine::Head() const
{
    return m_admission->Empty() ? nullptr : &m_table.Record(m_admission->Head());
}

void
PipelineServingEngine::Preempted(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    m_table.State(request).preempted = true;
    m_table.Record(request).preemptions += 1;
    m_preemptedTrace(m_table.Record(request));
    m_store->MaybeOffload(m_batcher->Waiting());
}

void
PipelineServingEngine::RoomMade(uint32_t)
{
    // Space was freed for the head of the admission queue: it goes first.
    TryAdmit();
    m_batcher->ServeWaiting();
}

void
PipelineServingEngine::SessionReloaded(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    const LlmRequest& r = m_table.Record(request);
    m_serving->EnqueuePrefill(request, r.inputTokens, r.cachedPrefix);
}

void
PipelineServingEngine::Finish(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    LlmRequest& r = m_table.Record(request);
    if (r.doneS < 0)
    {
        r.doneS = Simulator::Now().GetSeconds();
    }
    --m_running;
    m_table.State(request).admitted = false;
    NS_LOG_INFO("request " << r.id << " done, e2e " << r.E2eS() << " s");
    m_requestDoneTrace(r);
    if (KeepsSessions() && r.session >= 0)
    {
        m_store->SaveSession(request); // its KV stays reserved until it has left for the store
    }
    else
    {
        m_budget->Reserve(r, -1);
    }
    TryAdmit();
}

void
PipelineServingEngine::RestartPipelines(bool prefillPool, uint32_t stage, Time until)
{
    NS_LOG_FUNCTION(this << prefillPool << stage << until);
    // A split replica's prefills are bound for its decode stages: when those lose a device,
    // the prefill pipeline's work is dropped too (and started over once re-admitted).
    if (!prefillPool)
    {
        m_serving->Restart(stage, until);
        m_batcher->Restart();
    }
    if (m_prefill)
    {
        m_prefill->Pipeline()->Restart(prefillPool ? stage : 0,
                                       prefillPool ? until : Simulator::Now());
    }
}

bool
PipelineServingEngine::LosesKv(bool prefillPool, uint32_t request) const
{
    const SequenceState& state = m_table.State(request);
    // A prefill device holds the KV of the prompts being prefilled or moved; decoding ones
    // have theirs on the decode stages.
    return state.admitted && (!prefillPool || state.prefillHeld);
}

void
PipelineServingEngine::Release(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    SequenceState& state = m_table.State(request);
    LlmRequest& r = m_table.Record(request);
    if (state.prefillHeld)
    {
        m_prefill->Abandon(request);
        m_budget->ReleasePrefill(r);
        state.prefillHeld = false;
    }
    state.admitted = false;
    m_budget->Reserve(r, -1);
    --m_running;
}

uint32_t
PipelineServingEngine::LoseDevice(bool prefillPool, uint32_t stage, Time replace)
{
    NS_LOG_FUNCTION(this << prefillPool << stage << replace);
    NS_ABORT_MSG_IF(prefillPool && !m_prefill, "no prefill pool to lose a device of");
    RestartPipelines(prefillPool, stage, Simulator::Now() + replace);
    // KV caches whole in a KV store survive a decode stage's loss: fetched again, not
    // recomputed.
    const std::vector<uint32_t> inStore
        = m_store && !prefillPool ? m_store->StagesLost() : std::vector<uint32_t>();
    std::vector<uint32_t> lost;
    for (uint32_t i = 0; i < m_table.Size(); ++i)
    {
        if (!LosesKv(prefillPool, i) || std::binary_search(inStore.begin(), inStore.end(), i))
        {
            continue;
        }
        Release(i);
        LlmRequest& r = m_table.Record(i);
        r.preemptions += 1;
        m_preemptedTrace(r);
        lost.push_back(i);
    }
    NS_LOG_INFO("device of stage " << stage << " lost: " << lost.size() << " requests re-queued");
    for (auto i = lost.rbegin(); i != lost.rend(); ++i)
    {
        m_admission->Return(*i, m_table); // the first admitted ends up first
    }
    for (uint32_t i : inStore)
    {
        m_batcher->Wait(i); // reloaded when offered a place
    }
    TryAdmit();
    m_batcher->ServeWaiting();
    return lost.size();
}

uint32_t
PipelineServingEngine::Drain(bool prefillPool, uint32_t stage)
{
    NS_LOG_FUNCTION(this << prefillPool << stage);
    NS_ABORT_MSG_IF(prefillPool && !m_prefill, "no prefill pool to lose a device of");
    // Nothing will be sent to the stage again: its queues and the work in flight are dropped.
    RestartPipelines(prefillPool, stage, Simulator::Now());
    if (m_store)
    {
        m_store->StagesLost(); // nothing more moves; the requests fail below
    }
    if (prefillPool)
    {
        m_serving->Restart(0, Simulator::Now()); // the replica serves nothing more
        m_batcher->Restart();
    }
    m_drained = true;
    uint32_t failed = 0;
    for (uint32_t i = 0; i < m_table.Size(); ++i)
    {
        if (m_table.State(i).admitted)
        {
            Release(i);
            Fail(i, "device_lost");
            ++failed;
        }
    }
    while (!m_admission->Empty())
    {
        const uint32_t id = m_admission->Head();
        m_admission->PopHead();
        Fail(id, "device_lost");
        ++failed;
    }
    return failed;
}

void
PipelineServingEngine::Fail(uint32_t request, const std::string& reason)
{
    NS_LOG_FUNCTION(this << request << reason);
    LlmRequest& r = m_table.Record(request);
    r.failed = true;
    r.failReason = reason;
    r.failedS = Simulator::Now().GetSeconds();
    NS_LOG_INFO("request " << r.id << " failed: " << reason);
    m_requestDoneTrace(r);
}

void
PipelineServingEngine::DoDispose()
{
    // The collaborators hold callbacks into the engine: they go first.
    const std::vector<Ptr<Object>> owned = {m_serving,
                                            m_prefill ? m_prefill->Pipeline() : nullptr,
                                            m_batcher,
                                            m_store,
                                            m_budget,
                                            m_admission,
                                            m_preemption};
    m_prefill.reset();
    for (const Ptr<Object>& o : owned)
    {
        if (o)
        {
            o->Dispose();
        }
    }
    m_serving = nullptr;
    m_batcher = nullptr;
    m_store = nullptr;
    m_budget = nullptr;
    m_admission = nullptr;
    m_preemption = nullptr;
    m_transport = nullptr;
    // Sinks may hold what holds this engine (a run's fault bookkeeping holds the fabric, which is
    // aggregated to the same node): let them go, or the aggregate would keep itself alive.
    m_requestDoneTrace = TracedCallback<const LlmRequest&>();
    m_arrivedTrace = TracedCallback<const LlmRequest&>();
    m_admittedTrace = TracedCallback<const LlmRequest&>();
    m_firstTokenTrace = TracedCallback<const LlmRequest&>();
    m_preemptedTrace = TracedCallback<const LlmRequest&>();
    m_kvTrace = TracedCallback<const LlmRequest&>();
    m_tokenTrace = TokenTrace();
    m_stageWorkTrace = TracedCallback<const StageWorkRecord&>();
    m_rejectedTrace = TracedCallback<const LlmRequest&>();
    m_kvStartTrace = TracedCallback<const LlmRequest&>();
    m_offloadTrace = KvMoveTrace();
    m_fetchTrace = KvMoveTrace();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
