/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PIPELINE_SERVING_ENGINE_H
#define WAFER_PIPELINE_SERVING_ENGINE_H

#include "admission-policy.h"
#include "decode-batcher.h"
#include "kv-budget.h"
#include "kv-store-client.h"
#include "llm-request.h"
#include "preemption-policy.h"
#include "prefill-pool.h"
#include "sequence-table.h"
#include "stage-pipeline.h"

#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/type-id.h"

#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Serves requests on a layer-wise pipeline of devices (one stage per device), optionally with a
 * separate prefill pipeline (prefill/decode split). The engine keeps each request's lifecycle
 * and delegates the rest to small collaborators, chosen by TypeId where they are policies:
 *
 * - arrival: a request longer than the model's context, or whose KV can never fit, is rejected
 *   with a reason; the others wait in the AdmissionPolicy (attribute Admission);
 * - admission: the policy's head is admitted when its KV fits on every stage (KvBudget) and a
 *   sequence slot is free; otherwise it waits, and an idle sequence's KV may move to a KV store
 *   (KvStoreClient) to make room;
 * - prefill: the prompt crosses the (prefill) StagePipeline, whole or in chunks; its end at the
 *   last stage is the first token;
 * - split: prompts run on a PrefillPool, whose KV then moves to the decode stages, whole or per
 *   layer; decode starts when all of it has arrived;
 * - decode: the DecodeBatcher (attribute Batcher) cycles running sequences through the decode
 *   pipeline in microbatches; the PreemptionPolicy (attribute Preemption) may make one give way
 *   to a request waiting for KV space;
 * - finish: the KV is released (or kept in the store for the session's next turn).
 *
 * Collaborators never call each other: they report to the engine through callbacks, and the
 * engine decides what follows.
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
                   std::vector<std::unique_ptr<StageCompute>> stages,
                   const std::vector<uint32_t>& stageNodes,
                   Ptr<MessageTransport> transport);

    /// Run prefills on a pipeline of their own and move each KV cache to the decode stages.
    void ConfigurePrefillPool(std::vector<std::unique_ptr<StageCompute>> stages,
                              const std::vector<uint32_t>& stageNodes,
                              KvCacheTransfer::Granularity granularity);

    typedef Callback<void, ObjectFactory&> FactoryCallback;
    /**
     * Called on the factory of every collaborator the engine creates (pipelines, KV budget,
     * policies, KV store client) before it creates it, so that a helper can set their
     * attributes; without it they take ns-3's attribute defaults. Call before Configure.
     */
    void SetCollaboratorFactoryCallback(FactoryCallback configure);

    /// Offload to a KV store node (see KvStoreClient) of \p capacityBytes at node \p node.
    void ConfigureKvStore(uint32_t node, double capacityBytes);

    /// Schedule the arrival of every request (times relative to simulation start).
    void Submit(const std::vector<LlmRequest>& requests);
    /// \p request arrives now (sent by a RequestRouter).
    void Accept(const LlmRequest& request);

    /**
     * The device of stage \p stage of the decode pipeline (of the prefill pool if
     * \p prefillPool) is lost; a spare takes its place after \p replace (detecting the loss and
     * loading the stage's weights). The KV of a request is spread over all stages of a pipeline:
     * every request whose KV that pipeline held is gone, with the work in flight. On the decode
     * side that is every admitted request (a split's prefills in progress are bound for the lost
     * stage and start over too); on a prefill pool, the requests being prefilled or whose KV is
     * still moving (decoding ones keep theirs). Each returns to the admission queue (one more
     * preemption) and, admitted again, recomputes its KV by a prefill of its prompt and the
     * tokens it has generated (on the prefill pool of a split, whose KV then moves again), then
     * decodes the rest. Tokens already delivered stay delivered. Without a KV store only.
     * \return the requests re-queued
     */
    uint32_t LoseDevice(bool prefillPool, uint32_t stage, Time replace);
    /**
     * The device of stage \p stage (decode pipeline, or prefill pool if \p prefillPool) is lost
     * and no spare takes its place: the replica is drained. Every request in service or queued
     * fails ("device_lost"), and every later arrival fails on arrival ("replica_drained").
     * Tokens already delivered stay delivered.
     * \return the requests that failed at the loss
     */
    uint32_t Drain(bool prefillPool, uint32_t stage);

    /// Every submitted request's record, in submission order.
    const std::vector<LlmRequest>& Requests() const;
    /// Stage totals: decode (or only) pipeline first, then the prefill pipeline if any.
    std::vector<StageStats> Stages() const;
    uint32_t MicrobatchCount() const;
    /// The decode stages' KV space not reserved now, as a share of capacity: the least of any
    /// stage (the one that admits the next request last).
    double FreeKvShare() const;
    /// Whether stages built for this engine should pipeline layers (attribute LayerPipelining).
    bool GetLayerPipelining() const;

    typedef void (*RequestTracedCallback)(const LlmRequest& request);
    typedef void (*StageWorkTracedCallback)(const StageWorkRecord& record);

  protected:
    void DoDispose() override;

  private:
    void Arrive(uint32_t request);
    void TryAdmit();
    void PrefillDone(uint32_t request);
    void KvStarted(uint32_t request);
    void KvArrived(uint32_t request, Time first, Time last, uint64_t bytes);
    void Finish(uint32_t request);
    /// \p request is lost to a fault (see Drain).
    void Fail(uint32_t request, const std::string& reason);
    /// Drop the pipelines' work after a device loss (see LoseDevice); \p stage takes no work
    /// before \p until.
    void RestartPipelines(bool prefillPool, uint32_t stage, Time until);
    /// Whether losing a device of the decode (prefill) pipeline loses \p request's KV.
    bool LosesKv(bool prefillPool, uint32_t request) const;
    /// Give back what admitted \p request holds: its KV space, slot and any KV move.
    void Release(uint32_t request);

    // Pipelines' reports.
    void StageStarted(const StageWorkRecord& record);
    void ServingDone(const PipelineWork& item);

    // The batcher's questions and reports.
    DecodeBatcher::Offer PlaceOffered(uint32_t request);
    void ReloadForDecode(uint32_t request);
    int64_t ChooseVictim(const std::vector<uint32_t>& members);
    void Preempted(uint32_t request);

    // The KV store's reports.
    void RoomMade(uint32_t request);
    void SessionReloaded(uint32_t request);

    /// The head of the admission queue, or nullptr.
    const LlmRequest* Head() const;
    /// Whether finished session turns keep their KV in the store.
    bool KeepsSessions() const;
    /// A new collaborator of type \p type, configured by m_configure.
    template<typename T>
    Ptr<T> Create(TypeId type) const;

    bool m_layerPipelining;
    TypeId m_admissionType;
    TypeId m_batcherType;
    TypeId m_preemptionType;
    FactoryCallback m_configure;

    const LlmCostModel* m_model{nullptr};
    SequenceTable m_table;
    Ptr<StagePipeline> m_serving;
    std::unique_ptr<PrefillPool> m_prefill; ///< the prefill side of a split, if any
    Ptr<KvBudget> m_budget;
    Ptr<AdmissionPolicy> m_admission;
    Ptr<DecodeBatcher> m_batcher;
    Ptr<PreemptionPolicy> m_preemption;
    Ptr<KvStoreClient> m_store; ///< with a KV store node
    Ptr<MessageTransport> m_transport;
    uint32_t m_running{0};
    bool m_drained{false}; ///< lost a device without a spare: serves nothing more

    TracedCallback<const LlmRequest&> m_requestDoneTrace;
    TracedCallback<const LlmRequest&> m_arrivedTrace;
    TracedCallback<const LlmRequest&> m_admittedTrace;
    TracedCallback<const LlmRequest&> m_firstTokenTrace;
    TracedCallback<const LlmRequest&> m_preemptedTrace;
    TracedCallback<const LlmRequest&> m_kvTrace;
    typedef TracedCallback<const LlmRequest&, uint32_t> TokenTrace;
    TokenTrace m_tokenTrace; ///< the batcher's Token, passed on
    TracedCallback<const StageWorkRecord&> m_stageWorkTrace;
    TracedCallback<const LlmRequest&> m_rejectedTrace;
    TracedCallback<const LlmRequest&> m_kvStartTrace;
    typedef TracedCallback<const LlmRequest&, Time, Time, uint64_t> KvMoveTrace;
    KvMoveTrace m_offloadTrace; ///< the KV store client's Offloaded, passed on
    KvMoveTrace m_fetchTrace;   ///< the KV store client's Fetched, passed on
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PIPELINE_SERVING_ENGINE_H
