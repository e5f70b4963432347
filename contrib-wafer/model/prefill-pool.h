/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PREFILL_POOL_H
#define WAFER_PREFILL_POOL_H

#include "kv-cache-transfer.h"
#include "sequence-table.h"
#include "stage-pipeline.h"

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
 * The prefill side of a prefill/decode split: a pipeline of its own that runs every prompt, and
 * the move of each prompt's KV cache to the decode stages holding the same layers (every
 * prefill stage sends its layers' share to them, in parallel over its ports): whole, after the
 * prefill, or per layer, each prefill stage sending its layers as soon as it has computed them,
 * while later stages still compute.
 */
class PrefillPool
{
  public:
    /// A request's prompt left the last prefill stage: its first token.
    typedef Callback<void, uint32_t> FirstTokenCallback;
    /// A request's KV has fully arrived: first and last byte times and the bytes.
    typedef Callback<void, uint32_t, Time, Time, uint64_t> ArrivedCallback;

    /**
     * \param pipeline the prefill pipeline, set up on its stages and nodes
     * \param decode the decode stages' KV holders (the destinations)
     */
    PrefillPool(const LlmCostModel& model,
                const SequenceTable* table,
                Ptr<StagePipeline> pipeline,
                Ptr<MessageTransport> transport,
                std::vector<KvHolder> decode,
                KvCacheTransfer::Granularity granularity,
                StagePipeline::StartedCallback started,
                FirstTokenCallback firstToken,
                ArrivedCallback arrived);

    Ptr<StagePipeline> Pipeline() const;
    /// Called with a request when the first message of its KV cache is sent.
    void SetKvStartedCallback(Callback<void, uint32_t> started);
    /// Prefill \p request's first \p tokens tokens (its prompt, or after a device loss its
    /// prompt and the tokens it has generated); its KV follows unless its first token is its
    /// last.
    void Start(uint32_t request, uint32_t tokens);
    /// A device loss voided \p request's prefill and KV move: nothing of it calls back again.
    /// (The prefill pipeline's work is dropped by its Restart.)
    void Abandon(uint32_t request);
    /// The first token of \p request is out: send its KV whole, or forget the move if nothing
    /// is left to decode.
    void FirstTokenDone(uint32_t request);

  private:
    void Exited(uint32_t stage, const PipelineWork& item);
    void Done(const PipelineWork& item);

    /// Whether \p request has tokens to decode after its first (then its KV moves).
    bool Decodes(uint32_t request) const;

    const LlmCostModel& m_model;
    const SequenceTable* m_table;
    Ptr<StagePipeline> m_pipeline;
    Ptr<MessageTransport> m_transport;
    std::vector<KvHolder> m_decode;
    KvCacheTransfer::Granularity m_granularity;
    FirstTokenCallback m_firstToken;
    ArrivedCallback m_arrived;
    std::map<uint32_t, std::unique_ptr<KvCacheTransfer>> m_moves; ///< by request
    /// Moves voided by a device loss, kept while their messages may still arrive.
    std::vector<std::unique_ptr<KvCacheTransfer>> m_abandoned;
    std::map<uint32_t, uint32_t> m_starts; ///< Start calls by request (a move's generation)
    Callback<void, uint32_t> m_kvStarted;
    /// Send \p request's KV held by \p holder, telling m_kvStarted of the first message.
    void SendKv(uint32_t request, const KvHolder& holder);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PREFILL_POOL_H
