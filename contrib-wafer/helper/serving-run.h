/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SERVING_RUN_H
#define WAFER_SERVING_RUN_H

#include "result-collector.h"
#include "result-table.h"
#include "scenario.h"

#include "ns3/pipeline-placement.h"

#include <optional>
#include <string>
#include <utility>
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
    std::vector<ResultTable> tables;  ///< requests, stages, links, summary
    ResultCollector::Summary summary; ///< the /summary row, for printing
    std::vector<StageAssignment> placement;
    uint32_t wafers{0};
    uint64_t seed{0};
    std::string fidelity;
    uint64_t events{0};
    double simTimeS{0};
};

/**
 * \ingroup wafer
 * One serving simulation from a scenario: catalogs -> placement -> ns-3 nodes, links and switch
 * -> serving engine -> trace collectors -> tables. Attribute defaults are applied in the order
 * device preset, scenario, \p overrides (so the command line wins); Config is reset first, so
 * runs in one process do not leak settings into each other.
 */
class ServingRun
{
  public:
    /// \throws InputError for bad input (unknown names, impossible values, a model that does
    /// not fit), before any simulation starts.
    static ServingRunResult Run(const Scenario& scenario,
                                const std::vector<std::pair<std::string, std::string>>& overrides,
                                std::optional<uint64_t> seed,
                                std::optional<std::string> fidelity = std::nullopt,
                                const std::string& pcapPrefix = "");
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SERVING_RUN_H
