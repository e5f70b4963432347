/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "kv-handoff.h"

#include "ns3/simulator.h"

namespace ns3
{
namespace wafer
{

KvHandoff::KvHandoff(const LlmCostModel& model,
                     Ptr<MessageTransport> transport,
                     std::vector<KvHolder> decode,
                     uint32_t sources,
                     KvCacheTransfer::Granularity granularity,
                     ArrivedCallback arrived) :
    m_model(model),
    m_transport(transport),
    m_decode(std::move(decode)),
    m_sources(sources),
    m_granularity(granularity),
    m_arrived(arrived)
{
}

KvCacheTransfer::Granularity
KvHandoff::Granularity() const
{
    return m_granularity;
}

void
KvHandoff::Begin(uint32_t request, double promptTokens)
{
    m_moves[request]
        = std::make_unique<KvCacheTransfer>(m_model,
                                            m_transport,
                                            m_decode,
                                            promptTokens,
                                            m_granularity,
                                            m_sources,
                                            [this, request](Time first, Time last, uint64_t bytes)
                                            {
                                                // Destroy the finished transfer after this callback
                                                // has returned.
                                                Simulator::ScheduleNow(
                                                    [this, request]()
                                                    {
                                                        m_moves.erase(request);
                                                    });
                                                m_arrived(request, first, last, bytes);
                                            });
}

void
KvHandoff::Send(uint32_t request, const KvHolder& from)
{
    m_moves[request]->Send(from);
}

void
KvHandoff::Drop(uint32_t request)
{
    m_moves.erase(request);
}

} // namespace wafer
} // namespace ns3
