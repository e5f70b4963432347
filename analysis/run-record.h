/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_RECORD_H
#define WAFER_RUN_RECORD_H

#include "metric-catalog.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What the analysis keeps of one result file: where it came from, what it ran (scenario,
 * overrides, seed, sweep parameters) and its metrics.
 */
struct RunRecord
{
    std::string path;
    nlohmann::json parameters = nlohmann::json::object();       ///< from a sweep index, if any
    nlohmann::json scenario;                                    ///< the stored scenario
    std::vector<std::pair<std::string, std::string>> overrides; ///< "--Name=value" parsed
    int64_t seed{0};
    /// Samples of each per-request metric asked for: completed requests only, values >= 0
    /// (-1 marks "not reached"); tpot_s only for requests with more than one output token.
    std::map<std::string, std::vector<double>> requests;
    /// Every /summary field.
    std::map<std::string, double> summary;

    /// One sample list for \p m: the request samples, or the one summary value.
    std::vector<double> Samples(const MetricInfo& m) const;
};

/**
 * \ingroup wafer
 * Read one result file.
 * \param requestFields the per-request columns to keep
 * \param summaryFields per-run fields that must be in /summary
 * \throws ResultFileError "<file>: <reason>" for another schema version, a missing dataset or
 *         field, or a file that is not HDF5.
 */
RunRecord LoadRun(const std::string& path,
                  const std::vector<std::string>& requestFields,
                  const std::vector<std::string>& summaryFields);

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_RECORD_H
