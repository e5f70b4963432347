/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STRAGGLER_COMPUTE_H
#define WAFER_STRAGGLER_COMPUTE_H

#include "stage-compute.h"

#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A straggler: one pipeline stage's device runs `slowdown` times slower from `startS` for
 * `durationS` (thermal throttling, a failing memory or power part, a noisy neighbour on a
 * shared host), and what it cost.
 */
struct StragglerFault
{
    bool prefillPool{false}; ///< a stage of the prefill pipeline of a split
    uint32_t replica{0};     ///< the serving replica whose stage it is
    uint32_t stage{0};
    double startS{0};
    double durationS{0};
    double slowdown{1};
    // Effect, filled in by the run:
    uint64_t stepsSlowed{0}; ///< batches (decode steps, prefill chunks) started in the window
    double extraBusyS{0};    ///< occupancy added to the stage by the slowdown
};

/**
 * \ingroup wafer
 * A stage's compute, slowed by the straggler faults on it: a batch that starts while a fault
 * lasts takes `slowdown` times its latency and occupancy (the product of the slowdowns of
 * faults that overlap). Outside them the stage's own timing is returned unchanged.
 */
class StragglerCompute : public StageCompute
{
  public:
    /// \p faults (on this stage) must outlive this object.
    StragglerCompute(std::unique_ptr<StageCompute> inner, std::vector<StragglerFault*> faults);

    StageTiming Decode(const DecodeBatch& batch) const override;
    StageTiming Prefill(double tokens, double priorContext, uint32_t sequences) const override;
    const StageAssignment& Assignment() const override;

  private:
    StageTiming Slowed(StageTiming t) const;

    std::unique_ptr<StageCompute> m_inner;
    std::vector<StragglerFault*> m_faults;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STRAGGLER_COMPUTE_H
