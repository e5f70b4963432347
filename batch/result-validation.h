/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_VALIDATION_H
#define WAFER_RESULT_VALIDATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/// The datasets every wafer-sim result file holds (contrib-wafer/doc/hdf5-schema.md).
const std::vector<std::string>& ResultDatasets();

/**
 * \ingroup wafer
 * What a run's result file must record to count as that run's result: the scenario text, the
 * attribute overrides (wafer-sim's "--Name=value ..." form) and the seed.
 */
struct ExpectedRun
{
    std::string scenarioText;
    std::string attributeOverrides;
    uint64_t seed{1};
};

/**
 * \ingroup wafer
 * Whether a result file is complete and valid for \p expected: it opens, has schema_version
 * wafer-results/1 and every dataset, and its stored scenario, overrides and seed match.
 * \return empty if so, else the reason in a few words ("missing", "schema_version is ...",
 *         "missing dataset /summary", "scenario differs", ...).
 */
std::string CheckResultFile(const std::string& path, const ExpectedRun& expected);

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_VALIDATION_H
