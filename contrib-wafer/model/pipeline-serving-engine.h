/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PIPELINE_SERVING_ENGINE_H
#define WAFER_PIPELINE_SERVING_ENGINE_H

#include "kv-cache-transfer.h"
#include "llm-request.h"
#include "message-transport.h"
#include "stage-compute-model.h"

#include "ns3/event-id.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
    uint64_t prefills{0};      ///< prefill batches
    uint64_t decodeSteps{0};   ///< decode batches
    double prefillTokens{0};   ///< prompt tokens processed
    double decodeTokens{0};    ///< tokens generated (one per sequence per step)
    double peakKvBytes{0};     ///< largest KV reservation held
    double kvCapacityBytes{0}; ///< memory left after weights
};

/**
 * \ingroup wafer
 * Serves requests on a layer-wise pipeline of devices (one stage per device), optionally with a
 * separate prefill pipeline (prefill/decode split).
 *
 * - Admission (FIFO): a request reserves KV space for input + output tokens on every decode stage
 *   (and for its input on every prefill stage, with a split) and a sequence slot; it waits while
 *   either is short. A request longer than the model's context or whose KV can never fit is
 *   rejected with a reason.
 * - Prefill: the prompt crosses the (prefill) stages as one batch; activations (tokens x hidden)
 *   move between stages through the MessageTransport. Its end at the last stage is the first
 *   token.
 * - Split: the KV cache then moves from the prefill stages to the decode stages holding the same
 *   layers (KvCacheTransfer): whole, after the prefill, or per layer, each prefill stage sending
 *   its layers as soon as it has computed them. Decode starts when all of it has arrived.
 * - Decode: running sequences belong to Microbatches microbatches that cycle through the
 *   stages; one cycle adds one token per member and ends by sending the new token ids from the
 *   last stage back to the first. A sequence joins the smallest microbatch at its next cycle.
 *   With fewer busy microbatches than stages, stages idle: the pipeline bubble.
 * - Every stage serves its queue first come, first served.
 */
class PipelineServingEngine : public Object
{
  public:
    static TypeId GetTypeId();
    PipelineServingEngine();

    /**
     * \param stages one compute model per stage, in pipeline order (decode, and prefill too
     *        unless ConfigurePrefillPool is called)
     * \param stageNodes ns-3 node id of each stage (transport endpoints)
     * \param transport moves activations, tokens and KV caches
     */
    void Configure(const LlmCostModel& model,
                   std::vector<std::unique_ptr<StageComputeModel>> stages,
                   const std::vector<uint32_t>& stageNodes,
                   Ptr<MessageTransport> transport);

    /// Run prefills on a pipeline of their own and move each KV cache to the decode stages.
    void ConfigurePrefillPool(std::vector<std::unique_ptr<StageComputeModel>> stages,
                              const std::vector<uint32_t>& stageNodes,
                              KvCacheTransfer::Granularity granularity);

    /**
     * Offload to a KV store node (the CS-3's KVSS: a CPU server with DDR5): when a request waits
     * for KV space, the KV cache of a sequence that is idle (done with prefill, waiting for a
     * place in a full microbatch, see MaxBatch) moves to \p node over the network and frees its
     * SRAM; it is reloaded, again over the network, when a place frees up. With PreemptAfter,
     * running sequences are preempted and offloaded the same way when no idle one is left.
     */
    void ConfigureKvStore(uint32_t node, double capacityBytes);

    /// Schedule the arrival of every request (times relative to simulation start).
    void Submit(const std::vector<LlmRequest>& requests);

    const std::vector<LlmRequest>& Requests() const;
    /// Stage totals: decode (or only) pipeline first, then the prefill pipeline if any.
    std::vector<StageStats> Stages() const;
    uint32_t MicrobatchCount() const;
    /// Whether stages built for this engine should pipeline layers (attribute LayerPipelining).
    bool GetLayerPipelining() const;

    typedef void (*RequestTracedCallback)(const LlmRequest& request);
    typedef void (*StageWorkTracedCallback)(const StageWorkRecord& record);

  protected:
    void DoDispose() override;

  private:
    /// Which pipeline a stage belongs to.
    enum Pool : uint32_t
    {
        Serving = 0, ///< decode (and prefill without a split)
        Prefill = 1, ///< the prefill pipeline of a split
    };

    struct WorkItem
    {
        bool prefill{false};
        uint32_t request{0};     ///< prefill: the request
        uint32_t microbatch{0};  ///< decode: the microbatch
        DecodeBatch batch;       ///< decode: shape fixed when the cycle starts
        uint32_t chunkStart{0};  ///< prefill: prompt tokens before this chunk
        uint32_t chunkTokens{0}; ///< prefill: prompt tokens in this chunk

        /// The chunk that ends the prompt.
        bool LastChunk(const LlmRequest& r) const
        {
            return chunkStart + chunkTokens >= r.inputTokens;
        }
    };

    /// The prefill item of \p request for the chunk starting at \p start.
    WorkItem PrefillChunk(uint32_t request, uint32_t start) const;

    struct Microbatch
    {
        std::vector<uint32_t> members; ///< requests in the current cycle
        std::vector<uint32_t> joining; ///< waiting for the next cycle
        bool cycling{false};
    };

    struct Stage
    {
        std::unique_ptr<StageComputeModel> compute;
        std::deque<WorkItem> queue;
        bool open{true};
        Time lastExit;
        double kvUsedBytes{0};
        StageStats stats;
    };

    struct Pipeline
    {
        std::vector<Stage> stages;
        std::vector<uint32_t> nodes;
    };

    static void Fill(Pipeline& pipeline,
                     std::vector<std::unique_ptr<StageComputeModel>> stages,
                     const std::vector<uint32_t>& stageNodes);
    void Arrive(uint32_t request);
    void TryAdmit();
    /// KV bytes a stage holds for \p context tokens.
    double StageKvBytes(const Stage& stage, double context) const;
    /// KV one request needs on a stage of \p pool.
    double NeedKv(uint32_t pool, const Stage& stage, const LlmRequest& r) const;
    void Reserve(uint32_t request, double sign);
    /// Reserve (+1) or release (-1) a request's KV on the decode (or only) pipeline only.
    void ReserveServing(uint32_t request, double sign);
    /// Offload one idle sequence's KV if that may let the head of the admission queue in.
    void MaybeOffload();
    /// Take a sequence out of \p microbatch and offload it, if PreemptAfter says so.
    void MaybePreempt(uint32_t microbatch);
    /// Whether the head of the admission queue (if any) fits in KV, with request \p with's KV
    /// back on the decode stages as well.
    bool HeadFits(std::optional<uint32_t> with) const;
    /// Move \p request's KV between the decode stages and the store (\p toStore) and call back.
    void MoveKv(uint32_t request, bool toStore);
    /// Move \p context tokens of \p request's KV to (\p toStore) or from the store; \p then
    /// gets the first and last byte times and the bytes.
    void StoreTransfer(uint32_t request,
                       bool toStore,
                       double context,
                       std::function<void(Time, Time, uint64_t)> then);
    /// Keep a finished session turn's KV in the store (KeepSessions).
    void SaveSession(uint32_t request);
    /// Forget a session's copy in the store.
    void DropSession(int64_t session);
    /// Start reloading the cached prefix of \p request's session; false if there is none.
    bool ReloadSession(uint32_t request);
    /// Give waiting sequences the free places of every microbatch; start idle ones.
    void ServeDecodeWaiting();
    void FillMicrobatch(uint32_t microbatch);
    void Enqueue(uint32_t pool, uint32_t stage, WorkItem item);
    void StartNext(uint32_t pool, uint32_t stage);
    void Reopen(uint32_t pool, uint32_t stage);
    void Exit(uint32_t pool, uint32_t stage, WorkItem item);
    void PrefillDone(uint32_t request);
    void KvArrived(uint32_t request, Time first, Time last, uint64_t bytes);
    void JoinDecode(uint32_t request);
    void CycleDone(uint32_t microbatch);
    void StartCycle(uint32_t microbatch);
    void Finish(uint32_t request);
    DecodeBatch Shape(const std::vector<uint32_t>& members) const;
    KvHolder Holder(uint32_t pool, uint32_t stage) const;

    uint32_t m_maxSequences;
    uint32_t m_microbatches;
    uint32_t m_maxBatch;
    uint32_t m_prefillChunk;
    uint32_t m_tokenBytes;
    bool m_layerPipelining;
    Time m_preemptAfter;
    bool m_keepSessions{false};

    const LlmCostModel* m_model{nullptr};
    Pipeline m_pools[2];
    bool m_split{false};
    KvCacheTransfer::Granularity m_granularity{KvCacheTransfer::Granularity::Whole};
    std::map<uint32_t, std::unique_ptr<KvCacheTransfer>> m_kvMoves; ///< by request
    Ptr<MessageTransport> m_transport;
    std::vector<LlmRequest> m_requests;
    std::deque<uint32_t> m_waiting;
    std::deque<uint32_t> m_decodeWaiting; ///< prefill done, every microbatch full
    bool m_kvStore{false};
    uint32_t m_kvStoreNode{0};
    double m_kvStoreCapacity{0};
    double m_kvStoreUsed{0};
    bool m_offloading{false}; ///< one offload at a time
    /// Transfers to or from the store, by request: (move id, transfer).
    std::map<uint32_t, std::pair<uint64_t, std::unique_ptr<KvCacheTransfer>>> m_kvStoreMoves;
    uint64_t m_kvStoreMoveIds{0};
    /// A session's KV in the store: the tokens it covers and its bytes.
    struct SessionKv
    {
        double tokens{0};
        double bytes{0};
    };
    std::map<int64_t, SessionKv> m_sessions;
    std::deque<int64_t> m_sessionOrder; ///< oldest first
    std::vector<Microbatch> m_batches;
    uint32_t m_running{0};

    TracedCallback<const LlmRequest&> m_requestDoneTrace;
    TracedCallback<const StageWorkRecord&> m_stageWorkTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PIPELINE_SERVING_ENGINE_H
