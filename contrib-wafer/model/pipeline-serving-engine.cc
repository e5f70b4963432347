/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pipeline-serving-engine.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

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
              .AddAttribute("MaxSequences",
                            "Most sequences admitted at once (0: limited by KV space only).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&PipelineServingEngine::m_maxSequences),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("Microbatches",
                            "Decode microbatches cycling through the pipeline (0: one per stage, "
                            "the fewest that can keep every stage busy).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&PipelineServingEngine::m_microbatches),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("MaxBatch",
                            "Most sequences in one decode microbatch (0: no limit); a sequence "
                            "whose prefill is done waits for a place when all are full.",
                            UintegerValue(0),
                            MakeUintegerAccessor(&PipelineServingEngine::m_maxBatch),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("PrefillChunkTokens",
                            "Chunked prefill: a prompt enters the pipeline in chunks of this many "
                            "tokens, each attending to the chunks before it, so that decode steps "
                            "queue behind one chunk rather than a whole prompt (0: whole prompts).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&PipelineServingEngine::m_prefillChunk),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("TokenBytes",
                            "Bytes per token id sent from the last stage back to the first.",
                            UintegerValue(4),
                            MakeUintegerAccessor(&PipelineServingEngine::m_tokenBytes),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("LayerPipelining",
                            "A wafer stage takes the next batch once its slowest layer region is "
                            "free, instead of once the batch has left the stage.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&PipelineServingEngine::m_layerPipelining),
                            MakeBooleanChecker())
              .AddAttribute("PreemptAfter",
                            "With a KV store: once the head of the admission queue has waited "
                            "this long for KV space and no idle sequence is left to offload, "
                            "preempt the running sequence with the most tokens left at its next "
                            "decode step and offload its KV (0: never preempt).",
                            TimeValue(Seconds(0)),
                            MakeTimeAccessor(&PipelineServingEngine::m_preemptAfter),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("KeepSessions",
                            "With a KV store: when a request of a session (multi-turn "
                            "conversation) finishes, its KV cache moves to the store; the "
                            "session's next turn reloads it and prefills only the new tokens "
                            "(prefix reuse). The oldest sessions are evicted when the store is "
                            "full.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&PipelineServingEngine::m_keepSessions),
                            MakeBooleanChecker())
              .AddTraceSource("RequestDone",
                              "A request finished or was rejected.",
                              MakeTraceSourceAccessor(&PipelineServingEngine::m_requestDoneTrace),
                              "ns3::wafer::PipelineServingEngine::RequestTracedCallback")
              .AddTraceSource(
                  "StageWork",
                  "A stage took one batch; the record holds its start, exit and occupancy.",
                  MakeTraceSourceAccessor(&PipelineServingEngine::m_stageWorkTrace),
                  "ns3::wafer::PipelineServingEngine::StageWorkTracedCallback");
    return tid;
}

PipelineServingEngine::PipelineServingEngine() :
    m_maxSequences(0),
    m_microbatches(0),
    m_maxBatch(0),
    m_prefillChunk(0),
    m_tokenBytes(4),
    m_layerPipelining(false)
{
}

bool
PipelineServingEngine::GetLayerPipelining() const
{
    return m_layerPipelining;
}

void
PipelineServingEngine::Fill(Pipeline& pipeline,
                            std::vector<std::unique_ptr<StageComputeModel>> stages,
                            const std::vector<uint32_t>& stageNodes)
{
    NS_ABORT_MSG_IF(stages.empty() || stages.size() != stageNodes.size(),
                    "one node per stage is needed");
    pipeline.nodes = stageNodes;
    pipeline.stages.clear();
    pipeline.stages.resize(stages.size());
    for (size_t s = 0; s < stages.size(); ++s)
    {
        pipeline.stages[s].stats.kvCapacityBytes = stages[s]->Assignment().FreeBytes();
        pipeline.stages[s].compute = std::move(stages[s]);
    }
}

void
PipelineServingEngine::Configure(const LlmCostModel& model,
                                 std::vector<std::unique_ptr<StageComputeModel>> stages,
                                 const std::vector<uint32_t>& stageNodes,
                                 Ptr<MessageTransport> transport)
{
    m_model = &model;
    m_transport = transport;
    Fill(m_pools[Serving], std::move(stages), stageNodes);
    m_batches.assign(m_microbatches == 0 ? m_pools[Serving].stages.size() : m_microbatches,
                     Microbatch());
}

void
PipelineServingEngine::ConfigurePrefillPool(std::vector<std::unique_ptr<StageComputeModel>> stages,
                                            const std::vector<uint32_t>& stageNodes,
                                            KvCacheTransfer::Granularity granularity)
{
    Fill(m_pools[Prefill], std::move(stages), stageNodes);
    m_split = true;
    m_granularity = granularity;
}

uint32_t
PipelineServingEngine::MicrobatchCount() const
{
    return m_batches.size();
}

const std::vector<LlmRequest>&
PipelineServingEngine::Requests() const
{
    return m_requests;
}

std::vector<StageStats>
PipelineServingEngine::Stages() const
{
    std::vector<StageStats> out;
    for (const Pipeline& p : m_pools)
    {
        for (const auto& s : p.stages)
        {
            out.push_back(s.stats);
        }
    }
    return out;
}

void
PipelineServingEngine::Submit(const std::vector<LlmRequest>& requests)
{
    const uint32_t base = m_requests.size();
    m_requests.insert(m_requests.end(), requests.begin(), requests.end());
    for (uint32_t i = 0; i < requests.size(); ++i)
    {
        const Time at = Seconds(requests[i].arrivalS);
        Simulator::Schedule(at - Simulator::Now(), &PipelineServingEngine::Arrive, this, base + i);
    }
}

double
PipelineServingEngine::StageKvBytes(const Stage& stage, double context) const
{
    const auto& a = stage.compute->Assignment();
    double bytes = 0;
    for (uint32_t i = a.firstLayer; i < a.firstLayer + a.layerCount; ++i)
    {
        bytes += m_model->LayerKvBytes(i, context);
    }
    return bytes;
}

double
PipelineServingEngine::NeedKv(uint32_t pool, const Stage& stage, const LlmRequest& r) const
{
    // Decode stages hold the whole sequence; prefill stages only the prompt, until it has moved.
    const double context
        = pool == Serving ? double(r.inputTokens) + r.outputTokens : double(r.inputTokens);
    return StageKvBytes(stage, context);
}

void
PipelineServingEngine::Arrive(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    std::string reason;
    if (double(r.inputTokens) + r.outputTokens > m_model->Config().maxContext)
    {
        reason = "context_limit";
    }
    for (uint32_t pool : {Serving, Prefill})
    {
        for (const Stage& st : m_pools[pool].stages)
        {
            if (reason.empty() && NeedKv(pool, st, r) > st.stats.kvCapacityBytes)
            {
                reason = "kv_capacity";
            }
        }
    }
    if (!reason.empty())
    {
        r.rejected = true;
        r.rejectReason = reason;
        m_requestDoneTrace(r);
        return;
    }
    m_waiting.push_back(request);
    TryAdmit();
}

void
PipelineServingEngine::ReserveServing(uint32_t request, double sign)
{
    const LlmRequest& r = m_requests[request];
    for (Stage& st : m_pools[Serving].stages)
    {
        st.kvUsedBytes += sign * NeedKv(Serving, st, r);
        st.stats.peakKvBytes = std::max(st.stats.peakKvBytes, st.kvUsedBytes);
    }
}

void
PipelineServingEngine::Reserve(uint32_t request, double sign)
{
    ReserveServing(request, sign);
    if (sign < 0)
    {
        return; // a prefill stage's share is released when its KV has moved (KvArrived)
    }
    const LlmRequest& r = m_requests[request];
    for (Stage& st : m_pools[Prefill].stages)
    {
        st.kvUsedBytes += NeedKv(Prefill, st, r);
        st.stats.peakKvBytes = std::max(st.stats.peakKvBytes, st.kvUsedBytes);
    }
}

void
PipelineServingEngine::ConfigureKvStore(uint32_t node, double capacityBytes)
{
    m_kvStore = true;
    m_kvStoreNode = node;
    m_kvStoreCapacity = capacityBytes;
}

void
PipelineServingEngine::MaybeOffload()
{
    if (!m_kvStore || m_offloading)
    {
        return;
    }
    // The most recently queued idle sequence whose KV is still in SRAM.
    for (auto it = m_decodeWaiting.rbegin(); it != m_decodeWaiting.rend(); ++it)
    {
        LlmRequest& r = m_requests[*it];
        if (r.offloaded)
        {
            continue;
        }
        if (m_kvStoreUsed + m_model->KvBytes(double(r.inputTokens) + r.generated)
            > m_kvStoreCapacity)
        {
            return;
        }
        r.offloaded = true;
        m_offloading = true;
        MoveKv(*it, true);
        return;
    }
}

void
PipelineServingEngine::MoveKv(uint32_t request, bool toStore)
{
    const LlmRequest& r = m_requests[request];
    StoreTransfer(request,
                  toStore,
                  double(r.inputTokens) + r.generated,
                  [this, request, toStore](Time first, Time last, uint64_t bytes)
                  {
                      LlmRequest& q = m_requests[request];
                      if (toStore)
                      {
                          // The sequence's SRAM is free once its KV has left every stage.
                          ReserveServing(request, -1);
                          m_kvStoreUsed += bytes;
                          q.offloads += 1;
                          m_offloading = false;
                          // The space was freed for the head of the admission queue: it goes
                          // first.
                          TryAdmit();
                          ServeDecodeWaiting();
                      }
                      else
                      {
                          m_kvStoreUsed -= bytes;
                          q.offloaded = false;
                          q.reloadS += (last - first).GetSeconds();
                          JoinDecode(request);
                      }
                  });
}

void
PipelineServingEngine::StoreTransfer(uint32_t request,
                                     bool toStore,
                                     double context,
                                     std::function<void(Time, Time, uint64_t)> then)
{
    const KvHolder store{m_kvStoreNode, 0, m_model->Layers()};
    std::vector<KvHolder> stages;
    for (uint32_t s = 0; s < m_pools[Serving].stages.size(); ++s)
    {
        stages.push_back(Holder(Serving, s));
    }
    const uint64_t moveId = ++m_kvStoreMoveIds;
    auto done = [this, request, moveId, then](Time first, Time last, uint64_t bytes)
    {
        // Destroy the finished transfer after this callback, unless a newer one replaced it.
        Simulator::ScheduleNow(
            [this, request, moveId]()
            {
                auto it = m_kvStoreMoves.find(request);
                if (it != m_kvStoreMoves.end() && it->second.first == moveId)
                {
                    m_kvStoreMoves.erase(it);
                }
            });
        then(first, last, bytes);
    };
    auto move = std::make_unique<KvCacheTransfer>(*m_model,
                                                  m_transport,
                                                  toStore ? std::vector<KvHolder>{store} : stages,
                                                  context,
                                                  KvCacheTransfer::Granularity::Whole,
                                                  toStore ? stages.size() : 1,
                                                  done);
    KvCacheTransfer* raw = move.get();
    m_kvStoreMoves[request] = {moveId, std::move(move)};
    if (toStore)
    {
        for (const KvHolder& h : stages)
        {
            raw->Send(h);
        }
    }
    else
    {
        raw->Send(store);
    }
}

void
PipelineServingEngine::SaveSession(uint32_t request)
{
    const LlmRequest& r = m_requests[request];
    const double tokens = double(r.inputTokens) + r.outputTokens;
    const double bytes = m_model->KvBytes(tokens);
    // A newer turn replaces the session's older copy; the oldest sessions make room.
    DropSession(r.session);
    while (m_kvStoreUsed + bytes > m_kvStoreCapacity && !m_sessionOrder.empty())
    {
        DropSession(m_sessionOrder.front());
    }
    if (m_kvStoreUsed + bytes > m_kvStoreCapacity)
    {
        ReserveServing(request, -1); // too large for the store: dropped
        return;
    }
    m_kvStoreUsed += bytes;
    const int64_t session = r.session;
    StoreTransfer(request,
                  true,
                  tokens,
                  [this, request, session, tokens, bytes](Time, Time, uint64_t)
                  {
                      ReserveServing(request, -1);
                      DropSession(session); // a copy saved meanwhile is older than this one
                      m_sessions[session] = {tokens, bytes}; // its space was reserved above
                      m_sessionOrder.push_back(session);
                      TryAdmit();
                      ServeDecodeWaiting();
                  });
}

void
PipelineServingEngine::DropSession(int64_t session)
{
    auto it = m_sessions.find(session);
    if (it == m_sessions.end())
    {
        return;
    }
    m_kvStoreUsed -= it->second.bytes;
    m_sessions.erase(it);
    m_sessionOrder.erase(std::find(m_sessionOrder.begin(), m_sessionOrder.end(), session));
}

bool
PipelineServingEngine::ReloadSession(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    auto it = m_sessions.find(r.session);
    if (it == m_sessions.end())
    {
        return false;
    }
    const SessionKv cached = it->second;
    if (cached.tokens >= r.inputTokens)
    {
        DropSession(r.session); // the prompt does not extend that context: stale
        return false;
    }
    // The store's copy moves back to the stages; its space is free once it has left.
    m_sessions.erase(it);
    m_sessionOrder.erase(std::find(m_sessionOrder.begin(), m_sessionOrder.end(), r.session));
    StoreTransfer(request,
                  false,
                  cached.tokens,
                  [this, request, cached](Time first, Time last, uint64_t)
                  {
                      LlmRequest& q = m_requests[request];
                      m_kvStoreUsed -= cached.bytes;
                      q.cachedPrefix = static_cast<uint32_t>(cached.tokens);
                      q.reloadS += (last - first).GetSeconds();
                      Enqueue(Serving, 0, PrefillChunk(request, q.cachedPrefix));
                  });
    return true;
}

void
PipelineServingEngine::ServeDecodeWaiting()
{
    for (uint32_t b = 0; b < m_batches.size(); ++b)
    {
        FillMicrobatch(b);
        if (!m_batches[b].cycling && !m_batches[b].joining.empty())
        {
            StartCycle(b);
        }
    }
}

void
PipelineServingEngine::FillMicrobatch(uint32_t microbatch)
{
    Microbatch& mb = m_batches[microbatch];
    // Places freed by finished sequences go to those waiting for one, in order; an offloaded
    // sequence first reloads its KV (when the decode stages have room for it) and joins after.
    while (!m_decodeWaiting.empty()
           && (m_maxBatch == 0 || mb.members.size() + mb.joining.size() < m_maxBatch))
    {
        const uint32_t id = m_decodeWaiting.front();
        LlmRequest& r = m_requests[id];
        if (r.preempted && (!r.offloaded || !HeadFits(id)))
        {
            // Preempted: its KV must leave first, and it comes back only when that no longer
            // keeps the head of the admission queue out.
            return;
        }
        if (r.offloaded)
        {
            if (m_kvStoreMoves.count(id) && m_offloading)
            {
                return; // still on its way to the store
            }
            for (const Stage& st : m_pools[Serving].stages)
            {
                if (st.kvUsedBytes + NeedKv(Serving, st, r) > st.stats.kvCapacityBytes)
                {
                    return;
                }
            }
            m_decodeWaiting.pop_front();
            r.preempted = false;
            ReserveServing(id, +1);
            MoveKv(id, false);
            continue;
        }
        mb.joining.push_back(id);
        m_decodeWaiting.pop_front();
    }
}

void
PipelineServingEngine::TryAdmit()
{
    while (!m_waiting.empty())
    {
        if (m_maxSequences > 0 && m_running >= m_maxSequences)
        {
            return;
        }
        const uint32_t id = m_waiting.front();
        LlmRequest& r = m_requests[id];
        for (uint32_t pool : {Serving, Prefill})
        {
            for (const Stage& st : m_pools[pool].stages)
            {
                if (st.kvUsedBytes + NeedKv(pool, st, r) > st.stats.kvCapacityBytes)
                {
                    MaybeOffload();
                    return; // head of line waits for KV space
                }
            }
        }
        Reserve(id, +1);
        m_waiting.pop_front();
        ++m_running;
        r.admittedS = Simulator::Now().GetSeconds();
        if (m_keepSessions && m_kvStore && !m_split && r.session >= 0 && ReloadSession(id))
        {
            continue; // the prefill starts after the cached prefix once it is back
        }
        const WorkItem item = PrefillChunk(id, 0);
        if (m_split)
        {
            // Whole or per layer, the KV leaves every prefill stage for the decode stages.
            std::vector<KvHolder> to;
            for (uint32_t s = 0; s < m_pools[Serving].stages.size(); ++s)
            {
                to.push_back(Holder(Serving, s));
            }
            m_kvMoves[id] = std::make_unique<KvCacheTransfer>(
                *m_model,
                m_transport,
                to,
                double(r.inputTokens),
                m_granularity,
                m_pools[Prefill].stages.size(),
                [this, id](Time first, Time last, uint64_t bytes)
                {
                    KvArrived(id, first, last, bytes);
                });
        }
        Enqueue(m_split ? Prefill : Serving, 0, item);
    }
}

KvHolder
PipelineServingEngine::Holder(uint32_t pool, uint32_t stage) const
{
    const auto& a = m_pools[pool].stages[stage].compute->Assignment();
    return KvHolder{m_pools[pool].nodes[stage], a.firstLayer, a.layerCount};
}

void
PipelineServingEngine::Enqueue(uint32_t pool, uint32_t stage, WorkItem item)
{
    Stage& st = m_pools[pool].stages[stage];
    st.queue.push_back(item);
    if (st.open)
    {
        StartNext(pool, stage);
    }
}

void
PipelineServingEngine::StartNext(uint32_t pool, uint32_t stage)
{
    Stage& st = m_pools[pool].stages[stage];
    if (st.queue.empty())
    {
        return;
    }
    WorkItem item = st.queue.front();
    st.queue.pop_front();
    StageTiming t;
    StageWorkRecord rec;
    rec.stage = stage;
    rec.prefillPool = (pool == Prefill);
    rec.prefill = item.prefill;
    if (item.prefill)
    {
        const LlmRequest& r = m_requests[item.request];
        // Logits only with the prompt's last chunk.
        t = st.compute->Prefill(item.chunkTokens, item.chunkStart, item.LastChunk(r) ? 1 : 0);
        rec.sequences = 1;
        rec.tokens = item.chunkTokens;
        st.stats.prefills += item.LastChunk(r) ? 1 : 0;
        st.stats.prefillTokens += item.chunkTokens;
    }
    else
    {
        t = st.compute->Decode(item.batch);
        rec.sequences = item.batch.sequences;
        rec.tokens = item.batch.sequences;
        st.stats.decodeSteps += 1;
        st.stats.decodeTokens += item.batch.sequences;
    }
    // A batch cannot overtake the one ahead of it inside the stage.
    const Time exit = std::max(Simulator::Now() + Seconds(t.latencyS), st.lastExit);
    const Time occupancy = Seconds(t.occupancyS);
    st.lastExit = exit;
    st.open = false;
    st.stats.busyS += t.occupancyS;
    rec.start = Simulator::Now();
    rec.end = exit;
    rec.occupancy = occupancy;
    m_stageWorkTrace(rec);
    Simulator::Schedule(occupancy, &PipelineServingEngine::Reopen, this, pool, stage);
    Simulator::Schedule(
        exit - Simulator::Now(), &PipelineServingEngine::Exit, this, pool, stage, item);
}

void
PipelineServingEngine::Reopen(uint32_t pool, uint32_t stage)
{
    m_pools[pool].stages[stage].open = true;
    StartNext(pool, stage);
}

void
PipelineServingEngine::Exit(uint32_t pool, uint32_t stage, WorkItem item)
{
    const Pipeline& p = m_pools[pool];
    const uint32_t last = p.stages.size() - 1;
    const LlmRequest& r = m_requests[item.request];
    const bool lastChunk = item.prefill && item.LastChunk(r);
    if (item.prefill && stage == 0 && !lastChunk)
    {
        // The next chunk of the prompt follows this one into the first stage.
        Enqueue(pool, 0, PrefillChunk(item.request, item.chunkStart + item.chunkTokens));
    }
    if (pool == Prefill && lastChunk && m_granularity == KvCacheTransfer::Granularity::PerLayer
        && r.outputTokens > 1)
    {
        // This stage's layers are done: their KV leaves now, while later stages compute.
        m_kvMoves[item.request]->Send(Holder(Prefill, stage));
    }
    if (stage == last)
    {
        if (lastChunk)
        {
            PrefillDone(item.request);
        }
        else if (!item.prefill)
        {
            CycleDone(item.microbatch);
        }
        return;
    }
    const double tokens = item.prefill ? item.chunkTokens : item.batch.sequences;
    const auto bytes = static_cast<uint64_t>(tokens * m_model->ActivationBytesPerToken());
    m_transport->Send(p.nodes[stage],
                      p.nodes[stage + 1],
                      std::max<uint64_t>(bytes, 1),
                      TransferKind::Activation,
                      [this, pool, stage, item](const TransferRecord&)
                      {
                          Enqueue(pool, stage + 1, item);
                      });
}

PipelineServingEngine::WorkItem
PipelineServingEngine::PrefillChunk(uint32_t request, uint32_t start) const
{
    const uint32_t prompt = m_requests[request].inputTokens;
    WorkItem item;
    item.prefill = true;
    item.request = request;
    item.chunkStart = start;
    item.chunkTokens
        = m_prefillChunk == 0 ? prompt - start : std::min(m_prefillChunk, prompt - start);
    return item;
}

void
PipelineServingEngine::PrefillDone(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    r.firstTokenS = Simulator::Now().GetSeconds();
    r.generated = 1;
    if (r.generated >= r.outputTokens)
    {
        if (m_split)
        {
            // No decode follows: the prompt's KV is simply dropped from the prefill stages.
            for (Stage& st : m_pools[Prefill].stages)
            {
                st.kvUsedBytes -= NeedKv(Prefill, st, r);
            }
            m_kvMoves.erase(request);
        }
        Finish(request);
        return;
    }
    if (!m_split)
    {
        JoinDecode(request);
        return;
    }
    if (m_granularity == KvCacheTransfer::Granularity::Whole)
    {
        for (uint32_t s = 0; s < m_pools[Prefill].stages.size(); ++s)
        {
            m_kvMoves[request]->Send(Holder(Prefill, s));
        }
    }
}

void
PipelineServingEngine::KvArrived(uint32_t request, Time first, Time last, uint64_t bytes)
{
    LlmRequest& r = m_requests[request];
    r.kvTransferS = (last - first).GetSeconds();
    r.kvDoneS = last.GetSeconds();
    r.kvBytes = bytes;
    for (Stage& st : m_pools[Prefill].stages)
    {
        st.kvUsedBytes -= NeedKv(Prefill, st, r);
    }
    // Destroy the finished transfer after this callback has returned.
    Simulator::ScheduleNow(
        [this, request]()
        {
            m_kvMoves.erase(request);
        });
    JoinDecode(request);
    TryAdmit();
}

void
PipelineServingEngine::JoinDecode(uint32_t request)
{
    // Join the microbatch with the fewest sequences (lowest index on ties).
    uint32_t best = 0;
    size_t bestSize = SIZE_MAX;
    for (uint32_t b = 0; b < m_batches.size(); ++b)
    {
        const size_t size = m_batches[b].members.size() + m_batches[b].joining.size();
        if (size < bestSize)
        {
            best = b;
            bestSize = size;
        }
    }
    if (m_maxBatch > 0 && bestSize >= m_maxBatch)
    {
        m_decodeWaiting.push_back(request); // every microbatch is full
        return;
    }
    m_batches[best].joining.push_back(request);
    if (!m_batches[best].cycling)
    {
        StartCycle(best);
    }
}

void
PipelineServingEngine::CycleDone(uint32_t microbatch)
{
    Microbatch& mb = m_batches[microbatch];
    const double now = Simulator::Now().GetSeconds();
    std::vector<uint32_t> next;
    for (uint32_t id : mb.members)
    {
        LlmRequest& r = m_requests[id];
        r.generated += 1;
        if (r.generated >= r.outputTokens)
        {
            r.doneS = now;
            Finish(id);
        }
        else
        {
            next.push_back(id);
        }
    }
    mb.members = next;
    MaybePreempt(microbatch);
    FillMicrobatch(microbatch);
    StartCycle(microbatch);
}

bool
PipelineServingEngine::HeadFits(std::optional<uint32_t> with) const
{
    if (m_waiting.empty())
    {
        return true;
    }
    const LlmRequest& head = m_requests[m_waiting.front()];
    for (uint32_t pool : {Serving, Prefill})
    {
        for (const Stage& st : m_pools[pool].stages)
        {
            const double extra
                = (with && pool == Serving) ? NeedKv(pool, st, m_requests[*with]) : 0;
            if (st.kvUsedBytes + extra + NeedKv(pool, st, head) > st.stats.kvCapacityBytes)
            {
                return false;
            }
        }
    }
    return true;
}

void
PipelineServingEngine::MaybePreempt(uint32_t microbatch)
{
    Microbatch& mb = m_batches[microbatch];
    if (!m_kvStore || m_preemptAfter.IsZero() || m_offloading || m_waiting.empty()
        || mb.members.empty())
    {
        return;
    }
    const LlmRequest& head = m_requests[m_waiting.front()];
    if (Simulator::Now().GetSeconds() - head.arrivalS < m_preemptAfter.GetSeconds())
    {
        return;
    }
    for (uint32_t id : m_decodeWaiting)
    {
        if (!m_requests[id].offloaded)
        {
            return; // an idle sequence can make room without stopping a running one
        }
    }
    if (HeadFits(std::nullopt))
    {
        return; // the head waits for a sequence slot, not for KV space
    }
    // The member with the most tokens left (the lowest id on ties) gives way.
    auto victim
        = std::max_element(mb.members.begin(),
                           mb.members.end(),
                           [this](uint32_t a, uint32_t b)
                           {
                               const LlmRequest& x = m_requests[a];
                               const LlmRequest& y = m_requests[b];
                               return x.outputTokens - x.generated < y.outputTokens - y.generated;
                           });
    LlmRequest& r = m_requests[*victim];
    if (m_kvStoreUsed + m_model->KvBytes(double(r.inputTokens) + r.generated) > m_kvStoreCapacity)
    {
        return;
    }
    r.preempted = true;
    r.preemptions += 1;
    m_decodeWaiting.push_front(*victim);
    mb.members.erase(victim);
    MaybeOffload();
}

void
PipelineServingEngine::StartCycle(uint32_t microbatch)
{
    Microbatch& mb = m_batches[microbatch];
    mb.members.insert(mb.members.end(), mb.joining.begin(), mb.joining.end());
    mb.joining.clear();
    if (mb.members.empty())
    {
        mb.cycling = false;
        return;
    }
    mb.cycling = true;
    WorkItem item;
    item.prefill = false;
    item.microbatch = microbatch;
    item.batch = Shape(mb.members);
    const Pipeline& p = m_pools[Serving];
    if (p.stages.size() == 1)
    {
        Enqueue(Serving, 0, item);
        return;
    }
    // The new tokens travel from the last stage back to the first.
    const uint64_t bytes = uint64_t(m_tokenBytes) * mb.members.size();
    m_transport->Send(p.nodes.back(),
                      p.nodes.front(),
                      bytes,
                      TransferKind::Token,
                      [this, item](const TransferRecord&)
                      {
                          Enqueue(Serving, 0, item);
                      });
}

DecodeBatch
PipelineServingEngine::Shape(const std::vector<uint32_t>& members) const
{
    DecodeBatch b;
    b.sequences = members.size();
    for (uint32_t id : members)
    {
        const LlmRequest& r = m_requests[id];
        // The step attends to the prompt, earlier outputs and the token it consumes.
        const double context = double(r.inputTokens) + r.generated;
        b.sumContext += context;
        b.sumWindowedContext += m_model->WindowedContext(context);
    }
    return b;
}

void
PipelineServingEngine::Finish(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    if (r.doneS < 0)
    {
        r.doneS = Simulator::Now().GetSeconds();
    }
    --m_running;
    m_requestDoneTrace(r);
    if (m_keepSessions && m_kvStore && !m_split && r.session >= 0)
    {
        SaveSession(request); // its KV stays reserved until it has left for the store
    }
    else
    {
        Reserve(request, -1);
    }
    TryAdmit();
}

void
PipelineServingEngine::DoDispose()
{
    m_transport = nullptr;
    m_kvMoves.clear();
    m_kvStoreMoves.clear();
    for (Pipeline& p : m_pools)
    {
        p.stages.clear();
    }
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
