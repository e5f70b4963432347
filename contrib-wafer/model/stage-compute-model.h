/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STAGE_COMPUTE_MODEL_H
#define WAFER_STAGE_COMPUTE_MODEL_H

#include "collective-model.h"
#include "decode-timing-memo.h"
#include "device-spec.h"
#include "llm-cost-model.h"
#include "pipeline-placement.h"
#include "roofline-engine.h"
#include "stage-compute.h"

#include "ns3/ptr.h"

#include <memory>
#include <optional>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The kernels of one stage (embedding, its layers, LM head) timed by the roofline engine.
 *
 * Spatial devices (wafers): every kernel runs on the share of the cores that holds its weights,
 * share = kernel weight bytes / stage weight bytes, since weights (and that layer's KV cache) sit
 * in the SRAM of the cores that use them. A batch crosses the kernels one after another, so the
 * latency is the sum of kernel times. With layer pipelining on, the stage accepts the next batch
 * once the slowest kernel is free (occupancy = max kernel time); otherwise it is occupied for the
 * whole latency. A prompt streams through the regions in token chunks (see Prefill), so all
 * regions work on it at once. Sequential devices (GPUs) run every kernel on the whole device.
 */
class StageComputeModel : public StageCompute
{
  public:
    StageComputeModel(const DeviceSpec& device,
                      const LlmCostModel& model,
                      const StageAssignment& stage,
                      Ptr<const RooflineEngine> engine,
                      bool layerPipelining);

    /// One decode step for every sequence in \p batch.
    StageTiming Decode(const DecodeBatch& batch) const override;

    /// Prefill of \p tokens prompt tokens after \p priorContext cached ones, for one sequence;
    /// \p sequences counts how many sequences' last tokens need logits (LM head; 0: none, for a
    /// chunk that does not end its prompt).
    StageTiming Prefill(double tokens, double priorContext, uint32_t sequences = 1) const override;

    const StageAssignment& Assignment() const override;

    /**
     * Run every kernel with tensor parallelism over \p ranks devices of a scale-up domain: work
     * and bytes split evenly, and two all-reduces of the layer's activations per transformer
     * layer (after attention and after the FFN), timed by \p collectives over the device's
     * scale-up bandwidth.
     *
     * With \p expertParallel, an MoE layer's routed experts are sharded over the ranks instead
     * (Megatron-style expert parallelism beside tensor-parallel attention): the layer's tokens are
     * split over the ranks after attention (reduce-scatter), sent to the ranks of their experts
     * and back (two all-to-alls of tokens / ranks x experts per token x activation bytes per
     * rank), and gathered again (all-gather): one all-reduce plus two all-to-alls per MoE layer.
     * Work is assumed balanced over the ranks, as with tensor parallelism.
     */
    void SetTensorParallel(uint32_t ranks,
                           Ptr<const CollectiveModel> collectives,
                           bool expertParallel = false);
    uint32_t GetTensorParallel() const;

    /**
     * Span the stage over \p group.nodes scale-up domains of the SetTensorParallel ranks each
     * (call after SetTensorParallel, with expert parallelism): work and routed-expert bytes split
     * over every device, attention data-parallel across the nodes, so that each node reads the
     * layers' other weights in full and all-reduces its own share of the tokens inside the
     * node; an MoE layer's dispatch and combine are the group's all-to-alls
     * (CollectiveModel::ExpertAllToAllS).
     */
    void SetExpertGroup(const ExpertGroup& group);

    /**
     * Share decode-step timings with the other stages of the pool through \p memo (call after
     * SetTensorParallel). Every stage given one memo must have the same device, model, roofline
     * engine, layer pipelining and parallelism: the memo tells stages apart only by
     * DecodeSignature.
     */
    void ShareDecodeTimings(std::shared_ptr<DecodeTimingMemo> memo);

    /// Everything a decode step's timing depends on besides the pool: the stage's embedding and
    /// LM head, its weight bytes (kernel shares) and, per layer, the figures of its costs.
    std::vector<double> DecodeSignature() const;

  private:
    StageTiming ComputeDecode(const DecodeBatch& batch) const;
    double Share(double kernelWeightBytes) const;
    /// Time one kernel on its share (split over the tensor-parallel ranks); \p repeat scales the
    /// work totals (chunks of a prompt).
    void Add(StageTiming& t, const KernelCost& cost, double weightBytes, double repeat = 1) const;
    void Finish(StageTiming& t) const;
    /// The collectives of transformer layer \p layer for \p tokens tokens.
    void AddLayerCollectives(StageTiming& t, uint32_t layer, double tokens) const;
    /// Layer \p layer's \p cost with the weights every node but the first reads again.
    KernelCost WithReplicas(KernelCost cost, uint32_t layer) const;

    DeviceSpec m_device;
    const LlmCostModel& m_model;
    StageAssignment m_stage;
    Ptr<const RooflineEngine> m_engine;
    bool m_layerPipelining;
    uint32_t m_tp{1};
    bool m_expertParallel{false};
    std::optional<ExpertGroup> m_group; ///< experts across nodes
    Ptr<const CollectiveModel> m_collectives;
    std::shared_ptr<DecodeTimingMemo> m_memo;
    uint32_t m_memoClass{0};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STAGE_COMPUTE_MODEL_H
