/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SAMPLE_STATS_H
#define WAFER_SAMPLE_STATS_H

#include <cstddef>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Mean and percentiles of a sample. Percentiles interpolate linearly between sorted values (as
 * the /summary percentiles do); all are NaN for an empty sample.
 */
struct SampleSummary
{
    size_t count{0};
    double mean{0};
    double p50{0};
    double p90{0};
    double p99{0};
};

SampleSummary Summarise(const std::vector<double>& values);

/**
 * \ingroup wafer
 * Two-sided 95 % confidence interval for the mean of independent replications (for example one
 * value per seed): mean +- t(0.975, n-1) s / sqrt(n) with s the sample standard deviation.
 * NaN bounds with fewer than two values.
 */
struct ConfidenceInterval
{
    double low{0};
    double high{0};
};

ConfidenceInterval MeanConfidence95(const std::vector<double>& replications);

/// Student's t quantile t(0.975, dof), dof >= 1.
double StudentT975(size_t dof);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SAMPLE_STATS_H
