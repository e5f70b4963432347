/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "group-statistics.h"

namespace ns3
{
namespace wafer
{

MetricStats
GroupMetric(const std::vector<RunRecord>& runs, const RunGroup& group, const MetricInfo& metric)
{
    MetricStats s;
    std::vector<double> pooled;
    std::vector<double> runMeans;
    for (size_t r : group.runs)
    {
        const std::vector<double> samples = runs[r].Samples(metric);
        if (samples.empty())
        {
            continue;
        }
        double sum = 0;
        for (double v : samples)
        {
            sum += v;
            pooled.push_back(v);
        }
        runMeans.push_back(sum / samples.size());
    }
    s.runs = group.runs.size();
    s.summary = Summarise(pooled);
    s.ci = MeanConfidence95(runMeans);
    return s;
}

AnalysisTable
BuildAnalysis(const std::vector<RunRecord>& runs,
              const std::vector<std::string>& keys,
              const std::vector<MetricInfo>& metrics,
              bool keepOrder)
{
    AnalysisTable t;
    t.keys = keys;
    t.metrics = metrics;
    t.groups = GroupRuns(runs, keys, keepOrder);
    for (const auto& g : t.groups)
    {
        std::vector<MetricStats> row;
        for (const auto& m : metrics)
        {
            row.push_back(GroupMetric(runs, g, m));
        }
        t.stats.push_back(row);
    }
    return t;
}

} // namespace wafer
} // namespace ns3
