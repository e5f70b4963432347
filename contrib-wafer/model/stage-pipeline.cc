/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stage-pipeline.h"

#include "slot-pool.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferStagePipeline");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(StagePipeline);

TypeId
StagePipeline::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::StagePipeline")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<StagePipeline>()
              .AddAttribute("PrefillChunkTokens",
                            "Chunked prefill: a prompt enters the pipeline in chunks of this many "
                            "tokens, each attending to the chunks before it, so that decode steps "
                            "queue behind one chunk rather than a whole prompt (0: whole prompts).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&StagePipeline::m_prefillChunk),
                            MakeUintegerChecker<uint32_t>());
    return tid;
}

void
StagePipeline::Setup(const LlmCostModel& model,
                     std::vector<std::unique_ptr<StageCompute>> stages,
                     const std::vector<uint32_t>& nodes,
                     Ptr<MessageTransport> transport,
                     bool prefillPool)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(stages.empty() || stages.size() != nodes.size(),
                    "one node per stage is needed");
    m_model = &model;
    m_transport = transport;
    m_prefillPool = prefillPool;
    m_nodes = nodes;
    m_stages.clear();
    m_stages.resize(stages.size());
    for (size_t s = 0; s < stages.size(); ++s)
    {
        m_stages[s].compute = std::move(stages[s]);
    }
}

void
StagePipeline::SetCallbacks(StartedCallback started, ExitedCallback exited, DoneCallback done)
{
    NS_LOG_FUNCTION(this);
    m_started = started;
    m_exited = exited;
    m_done = done;
}

uint32_t
StagePipeline::Size() const
{
    NS_LOG_FUNCTION(this);
    return m_stages.size();
}

const std::vector<uint32_t>&
StagePipeline::Nodes() const
{
    NS_LOG_FUNCTION(this);
    return m_nodes;
}

const StageAssignment&
StagePipeline::Assignment(uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    return m_stages[stage].compute->Assignment();
}

KvHolder
StagePipeline::Holder(uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    const auto& a = Assignment(stage);
    return KvHolder{m_nodes[stage], a.firstLayer, a.layerCount};
}

std::vector<KvHolder>
StagePipeline::Holders() const
{
    NS_LOG_FUNCTION(this);
    std::vector<KvHolder> out;
    for (uint32_t s = 0; s < m_stages.size(); ++s)
    {
        out.push_back(Holder(s));
    }
    return out;
}

const StageStats&
StagePipeline::Stats(uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    return m_stages[stage].stats;
}

PipelineWork
StagePipeline::Chunk(uint32_t request, uint32_t promptTokens, uint32_t start) const
{
    NS_LOG_FUNCTION(this);
    PipelineWork item;
    item.prefill = true;
    item.epoch = m_epoch;
    item.request = request;
    item.promptTokens = promptTokens;
    item.chunkStart = start;
    item.chunkTokens = m_prefillChunk == 0 ? promptTokens - start
                                           : std::min(m_prefillChunk, promptTokens - start);
    return item;
}

void
StagePipeline::EnqueuePrefill(uint32_t request, uint32_t promptTokens, uint32_t start)
{
    NS_LOG_FUNCTION(this << request << promptTokens << start);
    Enqueue(0, Chunk(request, promptTokens, start));
}

void
StagePipeline::EnqueueDecode(uint32_t microbatch, const DecodeBatch& batch)
{
    NS_LOG_FUNCTION(this << microbatch << batch.sequences);
    PipelineWork item;
    item.prefill = false;
    item.epoch = m_epoch;
    item.microbatch = microbatch;
    item.batch = batch;
    Enqueue(0, item);
}

void
StagePipeline::Restart(uint32_t stage, Time until)
{
    NS_LOG_FUNCTION(this << stage << until);
    ++m_epoch;
    for (Stage& st : m_stages)
    {
        st.queue.clear();
    }
    m_stages[stage].downUntil = until;
}

void
StagePipeline::Enqueue(uint32_t stage, const PipelineWork& item)
{
    NS_LOG_FUNCTION(this);
    if (item.epoch != m_epoch)
    {
        return; // lost with a device
    }
    Stage& st = m_stages[stage];
    st.queue.push_back(item);
    if (st.open)
    {
        StartNext(stage);
    }
}

void
StagePipeline::StartNext(uint32_t stage)
{
    NS_LOG_FUNCTION(this);
    Stage& st = m_stages[stage];
    if (st.queue.empty())
    {
        return;
    }
    if (Simulator::Now() < st.downUntil)
    {
        // Its device is being replaced: the queue waits for the spare.
        if (!st.wakeScheduled)
        {
            st.wakeScheduled = true;
            Simulator::Schedule(
                st.downUntil - Simulator::Now(), &StagePipeline::Reopen, this, stage);
        }
        return;
    }
    PipelineWork item = st.queue.front();
    st.queue.pop_front();
    StageTiming t;
    StageWorkRecord rec;
    rec.stage = stage;
    rec.prefillPool = m_prefillPool;
    rec.prefill = item.prefill;
    if (item.prefill)
    {
        // Logits only with the prompt's last chunk.
        t = st.compute->Prefill(item.chunkTokens, item.chunkStart, item.LastChunk() ? 1 : 0);
        rec.sequences = 1;
        rec.tokens = item.chunkTokens;
        st.stats.prefills += item.LastChunk() ? 1 : 0;
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
    const Time exit = std::max(Simulator::Now() + m_seconds(t.latencyS), st.lastExit);
    const Time occupancy = m_seconds(t.occupancyS);
    st.lastExit = exit;
    st.open = false;
    st.stats.busyS += t.occupancyS;
    st.stats.collectiveS += t.collectiveS;
    rec.start = Simulator::Now();
    rec.end = exit;
    rec.occupancy = occupancy;
    if (!m_started.IsNull())
    {
        m_started(rec);
    }
    if (occupancy == exit - Simulator::Now())
    {
        // The stage reopens as the batch leaves: one event does both, in the order two would
        // (nothing else could run between two events scheduled one after the other).
        Simulator::Schedule(occupancy, &StagePipeline::ReopenAndExit, this, stage, item);
        return;
    }
    Simulator::Schedule(occupancy, &StagePipeline::Reopen, this, stage);
    Simulator::Schedule(exit - Simulator::Now(), &StagePipeline::Exit, this, stage, item);
}

void
StagePipeline::ReopenAndExit(uint32_t stage, PipelineWork item)
{
    NS_LOG_FUNCTION(this);
    Reopen(stage);
    Exit(stage, item);
}

void
StagePipeline::Reopen(uint32_t stage)
{
    NS_LOG_FUNCTION(this);
    m_stages[stage].open = true;
    if (Simulator::Now() >= m_stages[stage].downUntil)
    {
        m_stages[stage].wakeScheduled = false; // the replacement is in: no wake-up pending
    }
    StartNext(stage);
}

void
StagePipeline::Exit(uint32_t stage, PipelineWork item)
{
    NS_LOG_FUNCTION(this << stage << item.request << item.prefill);
    if (item.epoch != m_epoch)
    {
        return; // lost with a device
    }
    const uint32_t last = m_stages.size() - 1;
    if (item.prefill && stage == 0 && !item.LastChunk())
    {
        // The next chunk of the prompt follows this one into the first stage.
        Enqueue(0, Chunk(item.request, item.promptTokens, item.chunkStart + item.chunkTokens));
    }
    if (!m_exited.IsNull())
    {
        m_exited(stage, item);
    }
    if (stage == last)
    {
        if (!m_done.IsNull())
        {
            m_done(item);
        }
        return;
    }
    const double tokens = item.prefill ? item.chunkTokens : item.batch.sequences;
    const auto bytes = static_cast<uint64_t>(tokens * m_model->ActivationBytesPerToken());
    // The item waits in a pooled slot named by the message's tag: one callback, made once,
    // serves every message (messages cross every boundary at every step).
    const uint32_t slot = TakeSlot(m_inFlight, m_freeSlots);
    m_inFlight[slot] = {stage + 1, item};
    if (m_handOff.IsNull())
    {
        m_handOff = MakeCallback(&StagePipeline::HandedOff, this);
    }
    m_transport->Send(m_nodes[stage],
                      m_nodes[stage + 1],
                      std::max<uint64_t>(bytes, 1),
                      TransferKind::Activation,
                      m_handOff,
                      slot);
}

void
StagePipeline::HandedOff(const TransferRecord& record)
{
    const auto slot = static_cast<uint32_t>(record.tag);
    const InFlight arrived = m_inFlight[slot];
    m_freeSlots.push_back(slot);
    Enqueue(arrived.stage, arrived.item);
}

void
StagePipeline::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_transport = nullptr;
    m_handOff = MessageTransport::DeliveredCallback(); // it holds this pipeline
    m_stages.clear();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
