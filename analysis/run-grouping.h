/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_GROUPING_H
#define WAFER_RUN_GROUPING_H

#include "run-record.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Runs that share the values of the grouping parameters: the replications (seeds) of one
 * configuration.
 */
struct RunGroup
{
    std::vector<std::string> values; ///< one per grouping key
    std::vector<size_t> runs;        ///< indexes into the run list

    /// "k1=v1, k2=v2" (or "all runs" without keys).
    std::string Label(const std::vector<std::string>& keys) const;
};

/**
 * \ingroup wafer
 * A run's value of a grouping key: its sweep parameter of that name, else the stored scenario's
 * field at that dotted path, else its ns-3 override of that name (with or without ns3::wafer::),
 * else "-". "seed" is the seed.
 */
std::string ParameterValue(const RunRecord& run, const std::string& key);

/**
 * \ingroup wafer
 * The parameters that differ between runs: scenario fields (leaves, by dotted path; not name,
 * description or seed) and ns-3 overrides, sorted.
 */
std::vector<std::string> VaryingParameters(const std::vector<RunRecord>& runs);

/**
 * \ingroup wafer
 * Group runs by the values of \p keys. Groups come in order of first appearance when
 * \p keepOrder (a sweep's order), else sorted by their values (numbers numerically).
 */
std::vector<RunGroup> GroupRuns(const std::vector<RunRecord>& runs,
                                const std::vector<std::string>& keys,
                                bool keepOrder);

/// Parse a whole value as a number; false if it is not one.
bool ParseNumber(const std::string& text, double& value);

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_GROUPING_H
