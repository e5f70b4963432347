/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_METRIC_CATALOG_H
#define WAFER_METRIC_CATALOG_H

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A metric the analysis reads: a per-request column of /requests (one sample per completed
 * request) or a per-run field of /summary (one sample per run), with how to show it.
 */
struct MetricInfo
{
    std::string name; ///< field name, e.g. ttft_s
    bool perRequest{false};
    std::string label;  ///< "TTFT"
    std::string unit;   ///< display unit, "ms"
    double scale{1};    ///< display value = value x scale
    std::string siUnit; ///< unit of the stored value, "s"

    /// "TTFT (ms)"
    std::string AxisLabel() const;
};

/**
 * \ingroup wafer
 * Describe "ttft_s", "requests.ttft_s" or "summary.tokens_per_s". A bare name is a /requests
 * column when /requests has it, else a /summary field.
 */
MetricInfo DescribeMetric(const std::string& spec);

/// The /requests columns that are per-request metrics.
const std::vector<std::string>& RequestColumns();

/// A readable label for a group parameter ("network.link" -> "link technology").
std::string ParameterLabel(const std::string& key);

} // namespace wafer
} // namespace ns3

#endif // WAFER_METRIC_CATALOG_H
