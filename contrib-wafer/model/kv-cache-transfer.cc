/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "kv-cache-transfer.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferKvCacheTransfer");
namespace wafer
{

KvCacheTransfer::KvCacheTransfer(const LlmCostModel& model,
                                 Ptr<MessageTransport> transport,
                                 std::vector<KvHolder> to,
                                 double context,
                                 Granularity granularity,
                                 uint32_t sources,
                                 DoneCallback done) :
    m_model(model),
    m_transport(transport),
    m_to(std::move(to)),
    m_context(context),
    m_granularity(granularity),
    m_sourcesLeft(sources),
    m_done(done)
{
    NS_LOG_FUNCTION(this);
}

double
KvCacheTransfer::Bytes(uint32_t first, uint32_t count) const
{
    NS_LOG_FUNCTION(this);
    double bytes = 0;
    for (uint32_t i = first; i < first + count; ++i)
    {
        bytes += m_model.LayerKvBytes(i, m_context);
    }
    return bytes;
}

bool
KvCacheTransfer::Started() const
{
    return !m_first.IsNegative();
}

void
KvCacheTransfer::Cancel()
{
    NS_LOG_FUNCTION(this);
    m_done = DoneCallback();
}

void
KvCacheTransfer::Send(const KvHolder& from)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_sourcesLeft == 0, "more KV sources than announced");
    --m_sourcesLeft;
    if (m_first.IsNegative())
    {
        m_first = Simulator::Now();
    }
    std::vector<std::pair<uint32_t, uint64_t>> messages; // destination node, bytes
    for (const KvHolder& to : m_to)
    {
        if (to.node == from.node)
        {
            continue; // already where it is needed
        }
        const uint32_t lo = std::max(from.firstLayer, to.firstLayer);
        const uint32_t hi = std::min(from.firstLayer + from.layers, to.firstLayer + to.layers);
        if (lo >= hi)
        {
            continue;
        }
        if (m_granularity == Granularity::Whole)
        {
            messages.emplace_back(to.node, static_cast<uint64_t>(Bytes(lo, hi - lo)));
            continue;
        }
        for (uint32_t layer = lo; layer < hi; ++layer)
        {
            messages.emplace_back(to.node, static_cast<uint64_t>(Bytes(layer, 1)));
        }
    }
    for (const auto& [node, bytes] : messages)
    {
        if (bytes == 0)
        {
            continue;
        }
        m_bytes += bytes;
        ++m_messagesLeft;
        m_transport->Send(from.node,
                          node,
                          bytes,
                          TransferKind::KvCache,
                          MakeCallback(&KvCacheTransfer::Arrived, this));
    }
    if (m_sourcesLeft == 0 && m_messagesLeft == 0)
    {
        // Nothing crossed the network (the KV already sits where it is needed).
        Simulator::ScheduleNow(
            [this]()
            {
                if (!m_done.IsNull())
                {
                    m_done(m_first, Simulator::Now(), m_bytes);
                }
            });
    }
}

void
KvCacheTransfer::Arrived(const TransferRecord& /* record */)
{
    NS_LOG_FUNCTION(this);
    --m_messagesLeft;
    if (m_messagesLeft == 0 && m_sourcesLeft == 0 && !m_done.IsNull())
    {
        m_done(m_first, Simulator::Now(), m_bytes);
    }
}

} // namespace wafer
} // namespace ns3
