/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_KV_CACHE_TRANSFER_H
#define WAFER_KV_CACHE_TRANSFER_H

#include "llm-cost-model.h"
#include "message-transport.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A device that holds a contiguous range of a model's layers (and so their KV cache).
 */
struct KvHolder
{
    uint32_t node{0}; ///< ns-3 node id (a transport endpoint)
    uint32_t firstLayer{0};
    uint32_t layers{0};
};

/**
 * \ingroup wafer
 * Moves one sequence's KV cache (bytes from the model, the context and the KV precision) between
 * the devices that hold the layers on each side, through any MessageTransport: every source
 * device sends its layers' share to the destination devices holding the same layers, in parallel
 * over its own ports. Whole: one message per (source, destination) pair. Per layer: one message
 * per layer, in layer order, so that a layer's KV can travel while later layers still compute
 * (call Send for each source as soon as its layers are done).
 */
class KvCacheTransfer
{
  public:
    enum class Granularity
    {
        Whole,
        PerLayer,
    };

    /// Called once when every byte has arrived; \p first is when the first message left.
    typedef Callback<void, Time /* first */, Time /* last */, uint64_t /* bytes */> DoneCallback;

    /**
     * \param to the destination holders
     * \param context tokens of KV to move
     * \param sources how many Send calls will come (one per source holder)
     */
    KvCacheTransfer(const LlmCostModel& model,
                    Ptr<MessageTransport> transport,
                    std::vector<KvHolder> to,
                    double context,
                    Granularity granularity,
                    uint32_t sources,
                    DoneCallback done);

    /// Send the KV of \p from's layers to their holders on the destination side.
    void Send(const KvHolder& from);

    /// Whether Send was called yet.
    bool Started() const;

    /// Never call back (a device loss voided the move); messages in flight still arrive here,
    /// so the object must outlive them.
    void Cancel();

    /// KV bytes of layers [first, first + count) at the context.
    double Bytes(uint32_t first, uint32_t count) const;

  private:
    void Arrived(const TransferRecord& record);

    const LlmCostModel& m_model;
    Ptr<MessageTransport> m_transport;
    std::vector<KvHolder> m_to;
    double m_context;
    Granularity m_granularity;
    uint32_t m_sourcesLeft;
    uint64_t m_messagesLeft{0};
    uint64_t m_bytes{0};
    Time m_first{-1};
    DoneCallback m_done;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_KV_CACHE_TRANSFER_H
