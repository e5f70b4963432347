/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_KV_HANDOFF_H
#define WAFER_KV_HANDOFF_H

#include "kv-cache-transfer.h"

#include "ns3/callback.h"

#include <map>
#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The KV moves of a prefill/decode split: each request's prompt KV leaves every prefill stage
 * for the decode stages holding the same layers, whole (after the prefill) or per layer (each
 * prefill stage sending its layers as soon as it has computed them).
 */
class KvHandoff
{
  public:
    /// Called once a request's KV has fully arrived: first and last byte times and the bytes.
    typedef Callback<void, uint32_t, Time, Time, uint64_t> ArrivedCallback;

    /**
     * \param decode the decode stages' holders (the destinations)
     * \param sources how many prefill stages send (one Send each)
     */
    KvHandoff(const LlmCostModel& model,
              Ptr<MessageTransport> transport,
              std::vector<KvHolder> decode,
              uint32_t sources,
              KvCacheTransfer::Granularity granularity,
              ArrivedCallback arrived);

    KvCacheTransfer::Granularity Granularity() const;
    /// Get ready to move \p request's KV for \p promptTokens tokens (nothing is sent yet).
    void Begin(uint32_t request, double promptTokens);
    /// Send the KV of \p from's layers.
    void Send(uint32_t request, const KvHolder& from);
    /// Forget \p request's move: nothing follows its prefill.
    void Drop(uint32_t request);

  private:
    const LlmCostModel& m_model;
    Ptr<MessageTransport> m_transport;
    std::vector<KvHolder> m_decode;
    uint32_t m_sources;
    KvCacheTransfer::Granularity m_granularity;
    ArrivedCallback m_arrived;
    std::map<uint32_t, std::unique_ptr<KvCacheTransfer>> m_moves; ///< by request
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_KV_HANDOFF_H
