/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STATS_REPORT_H
#define WAFER_STATS_REPORT_H

#include "group-statistics.h"

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The statistics as text for a terminal: one block per metric (in display units), one line per
 * group: its parameter values, runs, samples, mean, p50, p90, p99 and the 95 % interval.
 */
std::string FormatStatsTable(const AnalysisTable& table);

/**
 * \ingroup wafer
 * The statistics as CSV in stored (SI) units, one row per group and metric: the group keys,
 * then metric, unit, kind (request or run), runs, samples, mean, p50, p90, p99, ci95_low,
 * ci95_high. Undefined values (an interval from one run) are empty cells.
 */
std::string FormatStatsCsv(const AnalysisTable& table);

} // namespace wafer
} // namespace ns3

#endif // WAFER_STATS_REPORT_H
