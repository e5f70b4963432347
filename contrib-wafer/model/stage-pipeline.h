/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STAGE_PIPELINE_H
#define WAFER_STAGE_PIPELINE_H

#include "kv-cache-transfer.h"
#include "message-transport.h"
#include "seconds-memo.h"
#include "stage-compute.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <deque>
#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What a stage did in one busy period (the StageWork trace).
 */
struct StageWorkRecord
{
    uint32_t stage{0};
    bool prefillPool{false}; ///< a stage of the prefill pipeline of a split
    bool prefill{false};     ///< prefill of one request, else a decode step of a microbatch
    uint32_t sequences{0};   ///< sequences in the batch
    double tokens{0};        ///< tokens processed
    Time start;              ///< batch entered the stage
    Time end;                ///< batch left the stage
    Time occupancy;          ///< stage closed to other batches for this long
};

/**
 * \ingroup wafer
 * Per-stage totals.
 */
struct StageStats
{
    double busyS{0};           ///< sum of occupancy
    double collectiveS{0};     ///< sum of the batches' time in collectives
    uint64_t prefills{0};      ///< prefill batches
    uint64_t decodeSteps{0};   ///< decode batches
    double prefillTokens{0};   ///< prompt tokens processed
    double decodeTokens{0};    ///< tokens generated (one per sequence per step)
    double peakKvBytes{0};     ///< largest KV reservation held
    double kvCapacityBytes{0}; ///< memory left after weights
};

/**
 * \ingroup wafer
 * One unit of work crossing a pipeline: a chunk of one request's prompt, or one decode step of a
 * microbatch.
 */
struct PipelineWork
{
    bool prefill{false};
    uint32_t request{0};      ///< prefill: the request
    uint32_t microbatch{0};   ///< decode: the microbatch
    DecodeBatch batch;        ///< decode: shape fixed when the step starts
    uint32_t chunkStart{0};   ///< prefill: prompt tokens before this chunk
    uint32_t chunkTokens{0};  ///< prefill: prompt tokens in this chunk
    uint32_t promptTokens{0}; ///< prefill: the whole prompt
    uint32_t epoch{0};        ///< the pipeline's epoch when it entered (see Restart)

    /// The chunk that ends the prompt.
    bool LastChunk() const
    {
        return chunkStart + chunkTokens >= promptTokens;
    }
};

/**
 * \ingroup wafer
 * A layer-wise pipeline of devices, one stage per device, each serving its queue first come,
 * first served. A stage takes a batch when it is open, stays closed for the batch's occupancy
 * and lets it leave after its latency (never before the batch ahead of it); activations (tokens
 * x hidden) then travel to the next stage through the MessageTransport.
 *
 * Chunked prefill: with PrefillChunkTokens, a prompt enters the first stage in chunks, the next
 * one when the previous has left that stage, each attending to the chunks before it, so that
 * other work queues behind one chunk rather than a whole prompt. Logits come with the last
 * chunk.
 *
 * The pipeline reports each batch's start (StageStarted), every exit from a stage (StageExited)
 * and the exit from the last stage (Done); what follows is the engine's business.
 */
class StagePipeline : public Object
{
  public:
    static TypeId GetTypeId();

    typedef Callback<void, const StageWorkRecord&> StartedCallback;
    typedef Callback<void, uint32_t, const PipelineWork&> ExitedCallback;
    typedef Callback<void, const PipelineWork&> DoneCallback;

    /**
     * \param stages one compute model per stage, in pipeline order
     * \param nodes ns-3 node id of each stage (transport endpoints)
     * \param prefillPool whether this is the prefill pipeline of a split (for the records)
     */
    void Setup(const LlmCostModel& model,
               std::vector<std::unique_ptr<StageCompute>> stages,
               const std::vector<uint32_t>& nodes,
               Ptr<MessageTransport> transport,
               bool prefillPool);
    void SetCallbacks(StartedCallback started, ExitedCallback exited, DoneCallback done);

    /// Queue \p request's prompt of \p promptTokens tokens at the first stage, from token
    /// \p start on (the tokens before it are cached).
    void EnqueuePrefill(uint32_t request, uint32_t promptTokens, uint32_t start);
    /// Queue a decode step of \p microbatch at the first stage.
    void EnqueueDecode(uint32_t microbatch, const DecodeBatch& batch);

    /**
     * A device was lost: every queued item is dropped and those in flight (in a stage or on
     * the network) are dropped when they next arrive; \p stage takes no work before \p until
     * (its replacement). Returns nothing: the engine re-queues what it still needs.
     */
    void Restart(uint32_t stage, Time until);

    uint32_t Size() const;
    const std::vector<uint32_t>& Nodes() const;
    const StageAssignment& Assignment(uint32_t stage) const;
    /// The KV holder stage \p stage is (its node and layers).
    KvHolder Holder(uint32_t stage) const;
    std::vector<KvHolder> Holders() const;
    /// Work totals of \p stage (its KV figures are the KV budget's).
    const StageStats& Stats(uint32_t stage) const;

  protected:
    void DoDispose() override;

  private:
    struct Stage
    {
        std::unique_ptr<StageCompute> compute;
        std::deque<PipelineWork> queue;
        bool open{true};
        Time downUntil;            ///< takes no work before (a lost device being replaced)
        bool wakeScheduled{false}; ///< a Reopen at downUntil is planned
        Time lastExit;
        StageStats stats;
    };

    /// The prefill item of \p request for the chunk starting at \p start.
    PipelineWork Chunk(uint32_t request, uint32_t promptTokens, uint32_t start) const;
    void Enqueue(uint32_t stage, const PipelineWork& item);
    void StartNext(uint32_t stage);
    void Reopen(uint32_t stage);
    void Exit(uint32_t stage, PipelineWork item);
    void ReopenAndExit(uint32_t stage, PipelineWork item);

    uint32_t m_prefillChunk;
    const LlmCostModel* m_model{nullptr};
    Ptr<MessageTransport> m_transport;
    bool m_prefillPool{false};
    std::vector<Stage> m_stages;
    std::vector<uint32_t> m_nodes;
    uint32_t m_epoch{0}; ///< advanced by Restart: older work is dropped
    /// Work on its way to the next stage, by slot (free slots are reused).
    struct InFlight
    {
        uint32_t stage{0}; ///< where it goes
        PipelineWork item;
    };
    std::vector<InFlight> m_inFlight;
    std::vector<uint32_t> m_freeSlots;
    /// Work that crossed to the next stage (the message's tag is its m_inFlight slot).
    void HandedOff(const TransferRecord& record);
    MessageTransport::DeliveredCallback m_handOff; ///< made once: HandedOff
    StartedCallback m_started;
    ExitedCallback m_exited;
    DoneCallback m_done;
    SecondsMemo m_seconds; ///< stage latencies and occupancies as Time
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STAGE_PIPELINE_H
