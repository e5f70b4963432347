/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ANALYSIS_PLOTS_H
#define WAFER_ANALYSIS_PLOTS_H

#include "gnuplot-figure.h"
#include "group-statistics.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Which plots to draw from an analysis.
 */
struct PlotOptions
{
    /// x axis: a group key (numeric values give a numeric axis, others categories in group
    /// order) or a per-run metric (its group mean). Default: the first group key.
    std::string x;
    /// One line per combination of these keys' values. Default: the group keys but x (or, when
    /// x is a metric, but the first key).
    std::vector<std::string> series;
    /// One figure per metric against x.
    std::vector<std::string> metrics{"ttft_s", "tpot_s", "energy_per_token_j"};
    /// mean (with 95 % interval bars), p50, p90 or p99.
    std::string stat{"mean"};
    /// Logarithmic y axes (for metrics that span orders of magnitude).
    bool logY{false};
    /// Put before every title (for example the study's name).
    std::string titlePrefix;
    /// Also the throughput-interactivity frontier (tokens/s per accelerator against tokens/s
    /// per user, one point per group).
    bool frontier{true};
};

/**
 * \ingroup wafer
 * The figures (file stem, figure) for \p table's groups of \p runs.
 * \throws InputError for an unknown x, series key or stat.
 */
std::vector<std::pair<std::string, GnuplotFigure>> BuildFigures(const std::vector<RunRecord>& runs,
                                                                const AnalysisTable& table,
                                                                const PlotOptions& options);

} // namespace wafer
} // namespace ns3

#endif // WAFER_ANALYSIS_PLOTS_H
