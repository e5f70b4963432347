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
PipelineServingEngine::Configure(const LlmCostModel& model,
                                 std::vector<std::unique_ptr<StageComputeModel>> stages,
                                 const std::vector<uint32_t>& stageNodes,
                                 Ptr<MessageTransport> transport)
{
    NS_ABORT_MSG_IF(stages.empty() || stages.size() != stageNodes.size(),
                    "one node per stage is needed");
    m_model = &model;
    m_nodes = stageNodes;
    m_transport = transport;
    m_stages.clear();
    m_stages.resize(stages.size());
    for (size_t s = 0; s < stages.size(); ++s)
    {
        m_stages[s].stats.kvCapacityBytes = stages[s]->Assignment().FreeBytes();
        m_stages[s].compute = std::move(stages[s]);
    }
    m_batches.assign(m_microbatches == 0 ? m_stages.size() : m_microbatches, Microbatch());
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
    for (const auto& s : m_stages)
    {
        out.push_back(s.stats);
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
PipelineServingEngine::StageKvBytes(uint32_t stage, double context) const
{
    const auto& a = m_stages[stage].compute->Assignment();
    double bytes = 0;
    for (uint32_t i = a.firstLayer; i < a.firstLayer + a.layerCount; ++i)
    {
        bytes += m_model->LayerKvBytes(i, context);
    }
    return bytes;
}

void
PipelineServingEngine::Arrive(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    const double context = double(r.inputTokens) + r.outputTokens;
    std::string reason;
    if (context > m_model->Config().maxContext)
    {
        reason = "context_limit";
    }
    for (uint32_t s = 0; reason.empty() && s < m_stages.size(); ++s)
    {
        if (StageKvBytes(s, context) > m_stages[s].stats.kvCapacityBytes)
        {
            reason = "kv_capacity";
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
PipelineServingEngine::TryAdmit()
{
    while (!m_waiting.empty())
    {
        if (m_maxSequences > 0 && m_running >= m_maxSequences)
        {
            return;
        }
        LlmRequest& r = m_requests[m_waiting.front()];
        const double context = double(r.inputTokens) + r.outputTokens;
        for (uint32_t s = 0; s < m_stages.size(); ++s)
        {
            const auto& st = m_stages[s];
            if (st.kvUsedBytes + StageKvBytes(s, context) > st.stats.kvCapacityBytes)
            {
                return; // head of line waits for KV space
            }
        }
        for (uint32_t s = 0; s < m_stages.size(); ++s)
        {
            auto& st = m_stages[s];
            st.kvUsedBytes += StageKvBytes(s, context);
            st.stats.peakKvBytes = std::max(st.stats.peakKvBytes, st.kvUsedBytes);
        }
        const uint32_t id = m_waiting.front();
        m_waiting.pop_front();
        ++m_running;
        r.admittedS = Simulator::Now().GetSeconds();
        WorkItem item;
        item.prefill = true;
        item.request = id;
        Enqueue(0, item);
    }
}

void
PipelineServingEngine::Enqueue(uint32_t stage, WorkItem item)
{
    item.enteredStage = Simulator::Now();
    m_stages[stage].queue.push_back(item);
    if (m_stages[stage].open)
    {
        StartNext(stage);
    }
}

void
PipelineServingEngine::StartNext(uint32_t stage)
{
    Stage& st = m_stages[stage];
    if (st.queue.empty())
    {
        return;
    }
    WorkItem item = st.queue.front();
    st.queue.pop_front();
    StageTiming t;
    StageWorkRecord rec;
    rec.stage = stage;
    rec.prefill = item.prefill;
    if (item.prefill)
    {
        const LlmRequest& r = m_requests[item.request];
        t = st.compute->Prefill(r.inputTokens, 0.0, 1);
        rec.sequences = 1;
        rec.tokens = r.inputTokens;
        st.stats.prefills += 1;
        st.stats.prefillTokens += r.inputTokens;
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
    Simulator::Schedule(occupancy, &PipelineServingEngine::Reopen, this, stage);
    Simulator::Schedule(exit - Simulator::Now(), &PipelineServingEngine::Exit, this, stage, item);
}

void
PipelineServingEngine::Reopen(uint32_t stage)
{
    m_stages[stage].open = true;
    StartNext(stage);
}

void
PipelineServingEngine::Exit(uint32_t stage, WorkItem item)
{
    const uint32_t last = m_stages.size() - 1;
    if (stage == last)
    {
        if (item.prefill)
        {
            PrefillDone(item.request);
        }
        else
        {
            CycleDone(item.microbatch);
        }
        return;
    }
    const double tokens
        = item.prefill ? m_requests[item.request].inputTokens : item.batch.sequences;
    const auto bytes = static_cast<uint64_t>(tokens * m_model->ActivationBytesPerToken());
    m_transport->Send(m_nodes[stage],
                      m_nodes[stage + 1],
                      std::max<uint64_t>(bytes, 1),
                      TransferKind::Activation,
                      [this, stage, item](const TransferRecord&)
                      {
                          Enqueue(stage + 1, item);
                      });
}

void
PipelineServingEngine::PrefillDone(uint32_t request)
{
    LlmRequest& r = m_requests[request];
    r.firstTokenS = Simulator::Now().GetSeconds();
    r.generated = 1;
    if (r.generated >= r.outputTokens)
    {
        Finish(request);
        return;
    }
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
    StartCycle(microbatch);
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
    if (m_stages.size() == 1)
    {
        Enqueue(0, item);
        return;
    }
    // The new tokens travel from the last stage back to the first.
    const uint64_t bytes = uint64_t(m_tokenBytes) * mb.members.size();
    m_transport->Send(m_nodes.back(),
                      m_nodes.front(),
                      bytes,
                      TransferKind::Token,
                      [this, item](const TransferRecord&)
                      {
                          Enqueue(0, item);
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
    const double context = double(r.inputTokens) + r.outputTokens;
    for (uint32_t s = 0; s < m_stages.size(); ++s)
    {
        m_stages[s].kvUsedBytes -= StageKvBytes(s, context);
    }
    --m_running;
    m_requestDoneTrace(r);
    TryAdmit();
}

void
PipelineServingEngine::DoDispose()
{
    m_transport = nullptr;
    m_stages.clear();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
