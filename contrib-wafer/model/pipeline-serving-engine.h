/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PIPELINE_SERVING_ENGINE_H
#define WAFER_PIPELINE_SERVING_ENGINE_H

#include "llm-request.h"
#include "message-transport.h"
#include "stage-compute-model.h"

#include "ns3/event-id.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

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
    bool prefill{false};   ///< prefill of one request, else a decode step of a microbatch
    uint32_t sequences{0}; ///< sequences in the batch
    double tokens{0};      ///< tokens processed
    Time start;            ///< batch entered the stage
    Time end;              ///< batch left the stage
    Time occupancy;        ///< stage closed to other batches for this long
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
 * Serves requests on a layer-wise pipeline of devices (one stage per device).
 *
 * - Admission (FIFO): a request reserves KV space for input + output tokens on every stage and a
 *   sequence slot; it waits while either is short. A request longer than the model's context or
 *   whose KV can never fit is rejected with a reason.
 * - Prefill: the prompt crosses the stages as one batch; activations (tokens x hidden) move
 *   between stages through the MessageTransport. Its end at the last stage is the first token.
 * - Decode: running sequences belong to Microbatches microbatches that cycle through the
 *   stages; one cycle adds one token per member and ends by sending the new token ids from the
 *   last stage back to the first. A finished prefill joins the smallest microbatch at its next
 *   cycle. With fewer busy microbatches than stages, stages idle: the pipeline bubble.
 * - Every stage serves its queue first come, first served.
 */
class PipelineServingEngine : public Object
{
  public:
    static TypeId GetTypeId();
    PipelineServingEngine();

    /**
     * \param stages one compute model per stage, in pipeline order
     * \param stageNodes ns-3 node id of each stage (transport endpoints)
     * \param transport moves activations and tokens between stages
     */
    void Configure(const LlmCostModel& model,
                   std::vector<std::unique_ptr<StageComputeModel>> stages,
                   const std::vector<uint32_t>& stageNodes,
                   Ptr<MessageTransport> transport);

    /// Schedule the arrival of every request (times relative to simulation start).
    void Submit(const std::vector<LlmRequest>& requests);

    const std::vector<LlmRequest>& Requests() const;
    std::vector<StageStats> Stages() const;
    uint32_t MicrobatchCount() const;
    /// Whether stages built for this engine should pipeline layers (attribute LayerPipelining).
    bool GetLayerPipelining() const;

    typedef void (*RequestTracedCallback)(const LlmRequest& request);
    typedef void (*StageWorkTracedCallback)(const StageWorkRecord& record);

  protected:
    void DoDispose() override;

  private:
    struct WorkItem
    {
        bool prefill{false};
        uint32_t request{0};    ///< prefill: the request
        uint32_t microbatch{0}; ///< decode: the microbatch
        DecodeBatch batch;      ///< decode: shape fixed when the cycle starts
        Time enteredStage;
    };

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

    void Arrive(uint32_t request);
    void TryAdmit();
    double StageKvBytes(uint32_t stage, double context) const;
    void Enqueue(uint32_t stage, WorkItem item);
    void StartNext(uint32_t stage);
    void Reopen(uint32_t stage);
    void Exit(uint32_t stage, WorkItem item);
    void PrefillDone(uint32_t request);
    void CycleDone(uint32_t microbatch);
    void StartCycle(uint32_t microbatch);
    void Finish(uint32_t request);
    DecodeBatch Shape(const std::vector<uint32_t>& members) const;

    uint32_t m_maxSequences;
    uint32_t m_microbatches;
    uint32_t m_tokenBytes;
    bool m_layerPipelining;

    const LlmCostModel* m_model{nullptr};
    std::vector<Stage> m_stages;
    std::vector<uint32_t> m_nodes;
    Ptr<MessageTransport> m_transport;
    std::vector<LlmRequest> m_requests;
    std::deque<uint32_t> m_waiting;
    std::vector<Microbatch> m_batches;
    uint32_t m_running{0};

    TracedCallback<const LlmRequest&> m_requestDoneTrace;
    TracedCallback<const StageWorkRecord&> m_stageWorkTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PIPELINE_SERVING_ENGINE_H
