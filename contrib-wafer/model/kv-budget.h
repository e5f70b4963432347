/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_KV_BUDGET_H
#define WAFER_KV_BUDGET_H

#include "llm-cost-model.h"
#include "llm-request.h"
#include "pipeline-placement.h"

#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * KV-cache space on every stage of a serving engine's pipelines: what each stage has left after
 * its weights, what the admitted requests hold, and the peak. A request's reservation covers
 * its whole sequence (input + output tokens) on the decode (or only) pipeline and its prompt on
 * the prefill pipeline of a split, for the layers each stage holds.
 */
class KvBudget : public Object
{
  public:
    static TypeId GetTypeId();

    /// Which pipeline a stage belongs to.
    enum Pool : uint32_t
    {
        Serving = 0, ///< decode (and prefill without a split)
        Prefill = 1, ///< the prefill pipeline of a split
    };

    /// Account for the stages of \p pool (in order), given what each holds.
    void Setup(const LlmCostModel& model, Pool pool, const std::vector<StageAssignment>& stages);

    /// KV bytes \p request needs on stage \p stage of \p pool.
    double Need(Pool pool, uint32_t stage, const LlmRequest& request) const;
    /// Whether \p request could ever fit: its need is within every stage's capacity.
    bool EverFits(const LlmRequest& request) const;
    /// Whether \p request fits now on every stage of both pools.
    bool Fits(const LlmRequest& request) const;
    /// Whether \p request fits now on the decode stages (its KV coming back from a store).
    bool ServingFits(const LlmRequest& request) const;
    /// Whether \p head fits now with \p with's KV back on the decode stages too (nullptr: none).
    bool FitsWith(const LlmRequest& head, const LlmRequest* with) const;

    /// Reserve (\p sign +1) \p request's KV on every stage, or release (-1) it from the decode
    /// stages (a prefill stage's share is released by ReleasePrefill, once it has moved).
    void Reserve(const LlmRequest& request, double sign);
    /// Reserve (+1) or release (-1) \p request's KV on the decode stages only.
    void ReserveServing(const LlmRequest& request, double sign);
    /// Release \p request's prompt KV from the prefill stages.
    void ReleasePrefill(const LlmRequest& request);

    uint32_t Stages(Pool pool) const;
    double CapacityBytes(Pool pool, uint32_t stage) const;
    double PeakBytes(Pool pool, uint32_t stage) const;
    /// KV bytes reserved on a stage now.
    double UsedBytes(Pool pool, uint32_t stage) const;

  private:
    struct Stage
    {
        uint32_t firstLayer{0};
        uint32_t layers{0};
        double capacity{0};
        double used{0};
        double peak{0};
    };

    /// KV bytes stage \p st holds for \p context tokens.
    double StageBytes(const Stage& st, double context) const;
    double Need(Pool pool, const Stage& st, const LlmRequest& request) const;

    const LlmCostModel* m_model{nullptr};
    std::vector<Stage> m_pools[2];
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_KV_BUDGET_H
