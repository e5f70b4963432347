/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PIPELINE_PLACEMENT_H
#define WAFER_PIPELINE_PLACEMENT_H

#include "llm-cost-model.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The layers one pipeline stage (one wafer) holds.
 */
struct StageAssignment
{
    uint32_t firstLayer{0};    ///< first transformer layer on this stage
    uint32_t layerCount{0};    ///< contiguous layers held
    bool embedding{false};     ///< holds the token embedding (first stage)
    bool lmHead{false};        ///< holds the LM head (last stage)
    double weightBytes{0};     ///< weights resident in main memory
    double capacityBytes{0};   ///< main memory of the device
    double kvBytesPerToken{0}; ///< KV bytes one token adds on this stage (no window)

    /// Main memory left after weights (room for KV cache and activations).
    double FreeBytes() const
    {
        return capacityBytes - weightBytes;
    }
};

/**
 * \ingroup wafer
 * Layer-wise pipeline placement: contiguous layers per stage, a layer never spans stages, the
 * embedding on the first stage and the LM head on the last. Among all splits into the requested
 * number of stages it picks the one with the smallest largest stage (balanced by weight bytes).
 */
class PipelinePlacement
{
  public:
    /**
     * Fewest stages that hold the weights, no KV space (as public deployment tables count).
     * \throws InputError if one layer alone exceeds \p capacityBytes.
     */
    static uint32_t MinStages(const LlmCostModel& model, double capacityBytes);

    /**
     * Place the model on \p stages devices of \p capacityBytes each, keeping \p kvReserveBytes
     * free on every stage. \throws InputError naming the shortfall if it does not fit.
     */
    static std::vector<StageAssignment> Place(const LlmCostModel& model,
                                              double capacityBytes,
                                              uint32_t stages,
                                              double kvReserveBytes);

  private:
    /// Smallest possible largest-stage load over splits into \p stages; fills \p cuts.
    static double Balance(const LlmCostModel& model, uint32_t stages, std::vector<uint32_t>& cuts);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PIPELINE_PLACEMENT_H
