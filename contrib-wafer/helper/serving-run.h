/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SERVING_RUN_H
#define WAFER_SERVING_RUN_H

#include "resolved-scenario.h"
#include "result-table.h"
#include "run-metrics.h"
#include "scenario.h"

#include "ns3/pipeline-placement.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Everything a serving run produced.
 */
struct ServingRunResult
{
    std::vector<ResultTable> tables; ///< requests, stages, links, transfers, summary (collectives)
    RunMetrics::Summary summary;     ///< the /summary row, for printing
    std::vector<StageAssignment> placement; ///< the decode (or only) pipeline's stages
    uint32_t wafers{0};
    uint64_t seed{0};
    uint64_t run{1}; ///< ns-3's run number
    std::string fidelity;
    uint64_t events{0};
    double simTimeS{0};
};

/**
 * \ingroup wafer
 * One serving simulation of a resolved scenario, in steps: the user's attribute overrides become
 * the ns-3 defaults; the requests are drawn; the collectives of tensor-parallel pipelines are
 * measured (MeasureCollectives); the cluster's nodes, links and switches are built
 * (FabricHelper); the engine is built on them (ServingEngineHelper); the trace collectors
 * record the run (ResultCollector); RunMetrics computes the summary.
 */
class ServingRun
{
  public:
    /// \throws InputError for bad input found while building (e.g. a link longer than its
    /// reach), before any simulation starts.
    /// \param schedulerType the ns-3 event scheduler (a TypeId name, e.g. ns3::HeapScheduler);
    /// empty keeps ns-3's default (the map scheduler). It changes speed, never results.
    static ServingRunResult Run(const ResolvedScenario& scenario,
                                const std::string& pcapPrefix = "",
                                const std::string& schedulerType = "");

    /// Resolve \p scenario (with the built-in catalogs and its own) and run it.
    static ServingRunResult Run(const Scenario& scenario,
                                const AttributeTexts& overrides,
                                std::optional<uint64_t> seed,
                                std::optional<std::string> fidelity = std::nullopt,
                                const std::string& pcapPrefix = "");
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SERVING_RUN_H
