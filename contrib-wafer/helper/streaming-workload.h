/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STREAMING_WORKLOAD_H
#define WAFER_STREAMING_WORKLOAD_H

#include "streaming-scenario.h"

#include "ns3/device-spec.h"
#include "ns3/llm-cost-model.h"
#include "ns3/pipeline-placement.h"
#include "ns3/roofline-engine.h"
#include "ns3/weight-streaming-engine.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What a weight-streaming study streams, and what it is compared with: the items of one pass of
 * the model (a layer's weights and the compute they allow, timed by the roofline engine on one
 * CS system) for inference and training, and resident serving of the same model.
 */
class StreamingWorkload
{
  public:
    StreamingWorkload(const LlmCostModel& model,
                      const DeviceSpec& device,
                      Ptr<const RooflineEngine> roofline);

    /// The largest item's weights (a layer or the LM head): two buffers of it stay on the wafer.
    double LargestItemBytes() const;
    /// One forward pass for \p batch sequences: decode steps at the study's context, or prefills
    /// of its prompts.
    std::vector<StreamItem> InferencePass(const StreamingScenario& study, uint32_t batch) const;
    /// One training step: forward through the layers and the LM head, then backward in reverse,
    /// each backward item with its gradients and the parameters MemoryX then updates.
    std::vector<StreamItem> TrainingStep(const StreamingScenario& study) const;

    /// The fewest wafers that hold the model's weights in SRAM.
    uint32_t ResidentWafers() const;
    /**
     * Tokens/s per wafer of resident serving of the same \p batch sequences on ResidentWafers()
     * wafers with layer pipelining: the sequences split into k microbatches (at most one per
     * kernel region) that cycle through the pipeline; a cycle lasts the longer of a microbatch's
     * way through every stage and k times the busiest region's occupancy.
     */
    double ResidentTokensPerSPerWafer(const StreamingScenario& study, uint32_t batch) const;

  private:
    double ComputeS(const KernelCost& cost) const;
    /// The resident placement, placed when first asked for (a training study needs none).
    const std::vector<StageAssignment>& Resident() const;

    const LlmCostModel& m_model;
    DeviceSpec m_device;
    Ptr<const RooflineEngine> m_roofline;
    mutable std::vector<StageAssignment> m_resident; ///< the resident placement
    mutable uint32_t m_kernels{0};                   ///< its kernel regions
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STREAMING_WORKLOAD_H
