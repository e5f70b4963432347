/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_GROUP_STATISTICS_H
#define WAFER_GROUP_STATISTICS_H

#include "metric-catalog.h"
#include "run-grouping.h"
#include "run-record.h"
#include "sample-stats.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Statistics of one metric over one group of runs. mean and the percentiles are over all samples
 * pooled across the group's runs (requests for a per-request metric, runs for a per-run one);
 * ci is the 95 % Student-t interval of the expected per-run mean, from the runs' own means (one
 * per seed), NaN with fewer than two runs.
 */
struct MetricStats
{
    size_t runs{0};
    SampleSummary summary;
    ConfidenceInterval ci;
};

MetricStats GroupMetric(const std::vector<RunRecord>& runs,
                        const RunGroup& group,
                        const MetricInfo& metric);

/**
 * \ingroup wafer
 * The whole analysis: groups by their keys, and the statistics of every metric in every group
 * (stats[group][metric]).
 */
struct AnalysisTable
{
    std::vector<std::string> keys;
    std::vector<RunGroup> groups;
    std::vector<MetricInfo> metrics;
    std::vector<std::vector<MetricStats>> stats;
};

AnalysisTable BuildAnalysis(const std::vector<RunRecord>& runs,
                            const std::vector<std::string>& keys,
                            const std::vector<MetricInfo>& metrics,
                            bool keepOrder);

} // namespace wafer
} // namespace ns3

#endif // WAFER_GROUP_STATISTICS_H
