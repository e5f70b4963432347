/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "prefill-pool.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferPrefillPool");
namespace wafer
{

PrefillPool::PrefillPool(const LlmCostModel& model,
                         const SequenceTable* table,
                         Ptr<StagePipeline> pipeline,
                         Ptr<MessageTransport> transport,
                         std::vector<KvHolder> decode,
                         KvCacheTransfer::Granularity granularity,
                         StagePipeline::StartedCallback started,
                         FirstTokenCallback firstToken,
                         ArrivedCallback arrived) :
    m_model(model),
    m_table(table),
    m_pipeline(pipeline),
    m_transport(transport),
    m_decode(std::move(decode)),
    m_granularity(granularity),
    m_firstToken(firstToken),
    m_arrived(arrived)
{
    NS_LOG_FUNCTION(this);
    m_pipeline->SetCallbacks(
        started, MakeCallback(&PrefillPool::Exited, this), MakeCallback(&PrefillPool::Done, this));
}

Ptr<StagePipeline>
PrefillPool::Pipeline() const
{
    NS_LOG_FUNCTION(this);
    return m_pipeline;
}

bool
PrefillPool::Decodes(uint32_t request) const
{
    NS_LOG_FUNCTION(this);
    return m_table->Record(request).outputTokens > 1;
}

void
PrefillPool::Start(uint32_t request, uint32_t tokens)
{
    NS_LOG_FUNCTION(this);
    const uint32_t generation = ++m_starts[request];
    m_moves[request] = std::make_unique<KvCacheTransfer>(
        m_model,
        m_transport,
        m_decode,
        double(tokens),
        m_granularity,
        m_pipeline->Size(),
        [this, request, generation](Time first, Time last, uint64_t bytes)
        {
            // Destroy the finished transfer after this callback has returned (unless a device
            // loss has started the request over by then: the new move is not this one).
            Simulator::ScheduleNow(
                [this, request, generation]()
                {
                    if (m_starts[request] == generation)
                    {
                        m_moves.erase(request);
                    }
                });
            m_arrived(request, first, last, bytes);
        });
    m_pipeline->EnqueuePrefill(request, tokens, 0);
}

void
PrefillPool::Abandon(uint32_t request)
{
    NS_LOG_FUNCTION(this << request);
    auto it = m_moves.find(request);
    if (it == m_moves.end())
    {
        return;
    }
    it->second->Cancel();
    m_abandoned.push_back(std::move(it->second));
    m_moves.erase(it);
}

void
PrefillPool::SetKvStartedCallback(Callback<void, uint32_t> started)
{
    m_kvStarted = started;
}

void
PrefillPool::SendKv(uint32_t request, const KvHolder& holder)
{
    KvCacheTransfer& move = *m_moves.at(request);
    if (!move.Started() && !m_kvStarted.IsNull())
    {
        m_kvStarted(request);
    }
    move.Send(holder);
}

void
PrefillPool::Exited(uint32_t stage, const PipelineWork& item)
{
    NS_LOG_FUNCTION(this);
    if (item.prefill && item.LastChunk() && m_granularity == KvCacheTransfer::Granularity::PerLayer
        && Decodes(item.request))
    {
        // This stage's layers are done: their KV leaves now, while later stages compute.
        SendKv(item.request, m_pipeline->Holder(stage));
    }
}

void
PrefillPool::Done(const PipelineWork& item)
{
    NS_LOG_FUNCTION(this);
    if (item.prefill && item.LastChunk())
    {
        m_firstToken(item.request);
    }
}

void
PrefillPool::FirstTokenDone(uint32_t request)
{
    NS_LOG_FUNCTION(this);
    if (!Decodes(request))
    {
        m_moves.erase(request); // no decode follows: nothing moves
        return;
    }
    if (m_granularity == KvCacheTransfer::Granularity::Whole)
    {
        for (const KvHolder& h : m_pipeline->Holders())
        {
            SendKv(request, h);
        }
    }
}

} // namespace wafer
} // namespace ns3
