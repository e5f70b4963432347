/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_METRICS_H
#define WAFER_RUN_METRICS_H

#include "ns3/llm-request.h"
#include "ns3/network-fabric.h"
#include "ns3/stage-pipeline.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Linear-interpolated percentile (q in [0, 1]) of \p values; 0 for an empty set.
double Percentile(std::vector<double> values, double q);

/**
 * \ingroup wafer
 * Totals over the messages a transport delivered.
 */
struct TransferTotals
{
    uint64_t count{0};
    double bytes{0};
    double seconds{0}; ///< sum of message durations
    double energyJ{0};
    uint64_t kvCount{0};
    double kvSeconds{0};
};

/**
 * \ingroup wafer
 * What a serving run left behind, for its metrics.
 */
struct RunRecords
{
    std::vector<LlmRequest> requests; ///< by id
    std::vector<StageStats> stages;   ///< decode (or only) pipeline, then the prefill pipeline
    std::vector<FabricLink> links;    ///< every link direction of the cluster's fabric
    TransferTotals transfers;
    double simTimeS{0};
    uint32_t firstStageNode{0}; ///< ns-3 node of the decode pipeline's first stage
    /// Spans (start, end) in which the deployment could not serve: a lost device until its
    /// spare served, or to the end of the run without one. They may overlap.
    std::vector<std::pair<double, double>> downtime;
};

/**
 * \ingroup wafer
 * The deployment's side of the run-level figures: what its devices draw and cost, and the facts
 * /summary reports after the metrics (wafers, parallelism, model sizes, events, seed, ...).
 */
struct DeploymentFacts
{
    uint32_t accelerators{0};   ///< devices of both pipelines
    double devicePowerW{0};     ///< all-in power of every device, drawn for the whole run
    double deviceUsdPerHour{0}; ///< cost of every device per hour, paid for the whole run
    std::vector<std::pair<std::string, double>> facts;
};

/**
 * \ingroup wafer
 * The one definition of a serving run's metrics: every /summary figure, and the per-stage and
 * per-link figures the result tables show. Programs and analysis tools read them from the
 * result file rather than computing them again.
 */
class RunMetrics
{
  public:
    /// Named run-level figures, in output order (units in the names).
    typedef std::vector<std::pair<std::string, double>> Summary;

    /// Share of the run a stage was busy.
    static double StageUtilisation(const StageStats& stage, double simTimeS);
    /// Time a link spent sending its wire bytes.
    static double LinkBusyS(const FabricLink& link);
    /// Share of the run a link was busy.
    static double LinkUtilisation(const FabricLink& link, double simTimeS);
    /// Energy of a link: its bits at its energy per bit, and its port's static power.
    static double LinkEnergyJ(const FabricLink& link, double simTimeS);
    /// Off-device I/O of the node \p node: the line rates of the links leaving it, in bytes/s.
    static double IoBytesPerS(const std::vector<FabricLink>& links, uint32_t node);

    /// The /summary row: request latencies, throughput, utilisation, traffic, energy and cost,
    /// then the deployment's facts.
    static Summary Compute(const RunRecords& run, const DeploymentFacts& deployment);

    /// Whether the /summary field \p name counts something (requests, tokens, bytes moved,
    /// devices, events): written as an integer.
    static bool IsCount(const std::string& name);

    /// The value of \p name in \p summary, or 0 if it is not there.
    static double Value(const Summary& summary, const std::string& name);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_METRICS_H
