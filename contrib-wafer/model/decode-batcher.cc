/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "decode-batcher.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferDecodeBatcher");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(DecodeBatcher);

TypeId
DecodeBatcher::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::DecodeBatcher")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<DecodeBatcher>()
              .AddAttribute("Microbatches",
                            "Decode microbatches cycling through the pipeline (0: one per stage, "
                            "the fewest that can keep every stage busy).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&DecodeBatcher::m_microbatches),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("MaxBatch",
                            "Most sequences in one decode microbatch (0: no limit); a sequence "
                            "whose prefill is done waits for a place when all are full.",
                            UintegerValue(0),
                            MakeUintegerAccessor(&DecodeBatcher::m_maxBatch),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("TokenBytes",
                            "Bytes per token id sent from the last stage back to the first.",
                            UintegerValue(4),
                            MakeUintegerAccessor(&DecodeBatcher::m_tokenBytes),
                            MakeUintegerChecker<uint32_t>(1))
              .AddTraceSource("Token",
                              "A decode step gave a sequence its next output token (the request "
                              "and its count of tokens so far, the first one from the prefill "
                              "included).",
                              MakeTraceSourceAccessor(&DecodeBatcher::m_tokenTrace),
                              "ns3::wafer::DecodeBatcher::TokenTracedCallback");
    return tid;
}

void
DecodeBatcher::Setup(const LlmCostModel& model,
                     SequenceTable* table,
                     Ptr<StagePipeline> pipeline,
                     Ptr<MessageTransport> transport)
{
    NS_LOG_FUNCTION(this);
    m_model = &model;
    m_table = table;
    m_pipeline = pipeline;
    m_transport = transport;
    m_batches.assign(m_microbatches == 0 ? pipeline->Size() : m_microbatches, Microbatch());
}

void
DecodeBatcher::SetCallbacks(SequenceCallback finished,
                            OfferCallback offer,
                            SequenceCallback reload,
                            VictimCallback victim,
                            SequenceCallback preempted)
{
    NS_LOG_FUNCTION(this);
    m_finished = finished;
    m_offer = offer;
    m_reload = reload;
    m_victim = victim;
    m_preempted = preempted;
}

uint32_t
DecodeBatcher::MicrobatchCount() const
{
    NS_LOG_FUNCTION(this);
    return m_batches.size();
}

const std::deque<uint32_t>&
DecodeBatcher::Waiting() const
{
    NS_LOG_FUNCTION(this);
    return m_waiting;
}

uint32_t
DecodeBatcher::Choose() const
{
    NS_LOG_FUNCTION(this);
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
    return best;
}

void
DecodeBatcher::Join(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    const uint32_t best = Choose();
    Microbatch& mb = m_batches[best];
    if (m_maxBatch > 0 && mb.members.size() + mb.joining.size() >= m_maxBatch)
    {
        m_waiting.push_back(sequence); // every microbatch is full
        return;
    }
    mb.joining.push_back(sequence);
    if (!mb.cycling)
    {
        StartCycle(best);
    }
}

void
DecodeBatcher::Wait(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    m_waiting.push_back(sequence);
}

void
DecodeBatcher::ServeWaiting()
{
    NS_LOG_FUNCTION(this);
    for (uint32_t b = 0; b < m_batches.size(); ++b)
    {
        Fill(b);
        if (!m_batches[b].cycling && !m_batches[b].joining.empty())
        {
            StartCycle(b);
        }
    }
}

void
DecodeBatcher::Fill(uint32_t microbatch)
{
    NS_LOG_FUNCTION(this);
    Microbatch& mb = m_batches[microbatch];
    // Places freed by finished sequences go to those waiting for one, in order.
    while (!m_waiting.empty()
           && (m_maxBatch == 0 || mb.members.size() + mb.joining.size() < m_maxBatch))
    {
        const uint32_t id = m_waiting.front();
        const Offer offer = m_offer.IsNull() ? Offer::Join : m_offer(id);
        if (offer == Offer::Wait)
        {
            return;
        }
        m_waiting.pop_front();
        if (offer == Offer::Reload)
        {
            m_reload(id);
            continue;
        }
        mb.joining.push_back(id);
    }
}

void
DecodeBatcher::StepDone(uint32_t microbatch)
{
    NS_LOG_FUNCTION(this);
    Microbatch& mb = m_batches[microbatch];
    const double now = Simulator::Now().GetSeconds();
    std::vector<uint32_t> next;
    for (uint32_t id : mb.members)
    {
        SequenceState& s = m_table->State(id);
        s.generated += 1;
        m_tokenTrace(m_table->Record(id), s.generated);
        if (s.generated >= m_table->Record(id).outputTokens)
        {
            m_table->Record(id).doneS = now;
            m_finished(id);
        }
        else
        {
            next.push_back(id);
        }
    }
    mb.members = next;
    const int64_t victim = mb.members.empty() || m_victim.IsNull() ? -1 : m_victim(mb.members);
    if (victim >= 0)
    {
        const uint32_t id = mb.members[victim];
        m_waiting.push_front(id);
        mb.members.erase(mb.members.begin() + victim);
        m_preempted(id);
    }
    Fill(microbatch);
    StartCycle(microbatch);
}

void
DecodeBatcher::Restart()
{
    NS_LOG_FUNCTION(this);
    ++m_epoch;
    for (Microbatch& mb : m_batches)
    {
        mb = Microbatch();
    }
    m_waiting.clear();
}

void
DecodeBatcher::StartCycle(uint32_t microbatch)
{
    NS_LOG_FUNCTION(this);
    Microbatch& mb = m_batches[microbatch];
    mb.members.insert(mb.members.end(), mb.joining.begin(), mb.joining.end());
    mb.joining.clear();
    if (mb.members.empty())
    {
        mb.cycling = false;
        return;
    }
    mb.cycling = true;
    const DecodeBatch batch = Shape(mb.members);
    if (m_pipeline->Size() == 1)
    {
        m_pipeline->EnqueueDecode(microbatch, batch);
        return;
    }
    // The new tokens travel from the last stage back to the first.
    const uint64_t bytes = uint64_t(m_tokenBytes) * mb.members.size();
    m_transport->Send(m_pipeline->Nodes().back(),
                      m_pipeline->Nodes().front(),
                      bytes,
                      TransferKind::Token,
                      [this, microbatch, batch, epoch = m_epoch](const TransferRecord&)
                      {
                          if (epoch == m_epoch) // else lost with a device
                          {
                              m_pipeline->EnqueueDecode(microbatch, batch);
                          }
                      });
}

DecodeBatch
DecodeBatcher::Shape(const std::vector<uint32_t>& members) const
{
    NS_LOG_FUNCTION(this);
    DecodeBatch b;
    b.sequences = members.size();
    for (uint32_t id : members)
    {
        // The step attends to the prompt, earlier outputs and the token it consumes.
        const double context = m_table->Context(id);
        b.sumContext += context;
        b.sumWindowedContext += m_model->WindowedContext(context);
    }
    return b;
}

void
DecodeBatcher::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_pipeline = nullptr;
    m_transport = nullptr;
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
