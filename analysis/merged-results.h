/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_MERGED_RESULTS_H
#define WAFER_MERGED_RESULTS_H

#include "group-statistics.h"
#include "run-record.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Schema of the merged analysis file.
extern const char* const kAnalysisSchemaVersion;

/**
 * \ingroup wafer
 * Write one HDF5 file (atomically) holding the analysis: /stats (one row per group and metric,
 * as the CSV), /runs (one row per input file: path, group, seed, group values and every
 * /summary field) and /request_samples (run, metric, value: every per-request sample
 * used). Root attributes: schema_version (wafer-analysis/1), program, program_version, inputs,
 * group_keys and metrics. \throws std::runtime_error if it cannot be written.
 */
void WriteMergedResults(const std::string& path,
                        const std::vector<RunRecord>& runs,
                        const AnalysisTable& table);

} // namespace wafer
} // namespace ns3

#endif // WAFER_MERGED_RESULTS_H
