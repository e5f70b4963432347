/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DECODE_BATCHER_H
#define WAFER_DECODE_BATCHER_H

#include "message-transport.h"
#include "sequence-table.h"
#include "stage-pipeline.h"

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Continuous batching of decode in pipelined microbatches. Running sequences belong to
 * Microbatches microbatches that cycle through the decode pipeline; one cycle adds one token per
 * member and ends by sending the new token ids from the last stage back to the first. A sequence
 * whose prefill is done joins the smallest microbatch at its next cycle, or, when every
 * microbatch holds MaxBatch sequences, waits in order for a place freed by a finished one. With
 * fewer busy microbatches than stages, stages idle: the pipeline bubble.
 *
 * The batcher asks the engine, through callbacks, whether a waiting sequence may take a place
 * (its KV may be in a store), which member gives way after a step (preemption), and tells it
 * when a sequence has finished.
 */
class DecodeBatcher : public Object
{
  public:
    static TypeId GetTypeId();

    /// What a waiting sequence does with a free place.
    enum class Offer
    {
        Join,   ///< take it: the sequence joins the microbatch
        Reload, ///< leave the queue: its KV comes back from the store first, then it joins
        Wait,   ///< not yet: it and every sequence behind it keep waiting
    };

    typedef Callback<void, uint32_t> SequenceCallback;
    /// TracedCallback signature of Token: the request and its output tokens so far.
    typedef void (*TokenTracedCallback)(const LlmRequest& request, uint32_t tokens);
    typedef Callback<Offer, uint32_t> OfferCallback;
    /// The position of the member that gives way, or -1 for none.
    typedef Callback<int64_t, const std::vector<uint32_t>&> VictimCallback;

    /// Cycle microbatches through \p pipeline, the decode (or only) pipeline.
    void Setup(const LlmCostModel& model,
               SequenceTable* table,
               Ptr<StagePipeline> pipeline,
               Ptr<MessageTransport> transport);
    /**
     * \param finished a sequence generated its last token
     * \param offer a place is free for a waiting sequence
     * \param reload a waiting sequence left the queue to have its KV reloaded (Offer::Reload)
     * \param victim after a step, which member gives way (if any)
     * \param preempted a member gave way: it waits at the head of the queue
     */
    void SetCallbacks(SequenceCallback finished,
                      OfferCallback offer,
                      SequenceCallback reload,
                      VictimCallback victim,
                      SequenceCallback preempted);

    uint32_t MicrobatchCount() const;
    /// A sequence is ready to decode (prefill done, or KV back): it joins a microbatch or waits.
    void Join(uint32_t sequence);
    /// A sequence whose KV is away (in a KV store) waits for a place, which it is offered in
    /// turn (ServeWaiting).
    void Wait(uint32_t sequence);
    /// Give waiting sequences the free places of every microbatch; start idle microbatches.
    void ServeWaiting();
    /// The decode step of \p microbatch left the last stage.
    void StepDone(uint32_t microbatch);
    /// Sequences waiting for a place, first in line first.
    const std::deque<uint32_t>& Waiting() const;
    /// A device was lost (StagePipeline::Restart): every sequence leaves its microbatch or the
    /// queue, and token ids on their way back to the first stage are dropped on arrival.
    void Restart();

  protected:
    void DoDispose() override;
    /// The microbatch a ready sequence joins: the one with the fewest sequences (lowest index on
    /// ties).
    virtual uint32_t Choose() const;

    struct Microbatch
    {
        std::vector<uint32_t> members; ///< sequences in the current cycle
        std::vector<uint32_t> joining; ///< waiting for the next cycle
        bool cycling{false};
    };

    std::vector<Microbatch> m_batches;

  private:
    void Fill(uint32_t microbatch);
    void StartCycle(uint32_t microbatch);
    DecodeBatch Shape(const std::vector<uint32_t>& members) const;

    uint32_t m_microbatches;
    uint32_t m_maxBatch;
    uint32_t m_tokenBytes;
    const LlmCostModel* m_model{nullptr};
    SequenceTable* m_table{nullptr};
    Ptr<StagePipeline> m_pipeline;
    Ptr<MessageTransport> m_transport;
    std::deque<uint32_t> m_waiting; ///< ready, every microbatch full
    uint32_t m_epoch{0};            ///< advanced by Restart
    SequenceCallback m_finished;
    TracedCallback<const LlmRequest&, uint32_t> m_tokenTrace;
    OfferCallback m_offer;
    SequenceCallback m_reload;
    VictimCallback m_victim;
    SequenceCallback m_preempted;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DECODE_BATCHER_H
