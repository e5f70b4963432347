/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STAGE_COMPUTE_H
#define WAFER_STAGE_COMPUTE_H

#include "llm-cost-model.h"
#include "pipeline-placement.h"

#include <cstdint>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Time one pipeline stage spends on one batch.
 */
struct StageTiming
{
    double latencyS{0};              ///< from the batch entering the stage to leaving it
    double occupancyS{0};            ///< how long the stage is closed to the next batch
    double flops{0};                 ///< work done
    double bytes{0};                 ///< memory traffic
    uint32_t computeBoundKernels{0}; ///< kernels limited by FLOPs
    uint32_t kernels{0};             ///< kernels evaluated
    double maxKernelS{0};            ///< longest time one kernel's region is busy with the batch
    double collectiveS{0};           ///< of latencyS: tensor- and expert-parallel collectives
};

/**
 * \ingroup wafer
 * What a serving engine asks of a pipeline stage's compute: how long a batch takes and which
 * layers the stage holds. StageComputeModel answers with the roofline engine; tests answer with
 * fixed times.
 */
class StageCompute
{
  public:
    virtual ~StageCompute() = default;

    /// One decode step for every sequence in \p batch.
    virtual StageTiming Decode(const DecodeBatch& batch) const = 0;

    /// Prefill of \p tokens prompt tokens after \p priorContext cached ones, for one sequence;
    /// \p sequences counts how many sequences' last tokens need logits (LM head; 0: none, for a
    /// chunk that does not end its prompt).
    virtual StageTiming Prefill(double tokens, double priorContext, uint32_t sequences) const = 0;

    /// The layers (and memory) the stage holds.
    virtual const StageAssignment& Assignment() const = 0;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STAGE_COMPUTE_H
