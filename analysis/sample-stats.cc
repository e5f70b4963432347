/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sample-stats.h"

#include "ns3/result-collector.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{
namespace wafer
{

SampleSummary
Summarise(const std::vector<double>& values)
{
    SampleSummary s;
    s.count = values.size();
    if (values.empty())
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.mean = s.p50 = s.p90 = s.p99 = nan;
        return s;
    }
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    double sum = 0;
    for (double v : sorted)
    {
        sum += v;
    }
    s.mean = sum / sorted.size();
    // Percentile sorts its copy again; sorted input makes that cheap.
    s.p50 = Percentile(sorted, 0.50);
    s.p90 = Percentile(sorted, 0.90);
    s.p99 = Percentile(sorted, 0.99);
    return s;
}

double
StudentT975(size_t dof)
{
    boost::math::students_t dist(static_cast<double>(std::max<size_t>(dof, 1)));
    return boost::math::quantile(dist, 0.975);
}

ConfidenceInterval
MeanConfidence95(const std::vector<double>& replications)
{
    const size_t n = replications.size();
    if (n < 2)
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan};
    }
    double mean = 0;
    for (double v : replications)
    {
        mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : replications)
    {
        ss += (v - mean) * (v - mean);
    }
    const double half = StudentT975(n - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(double(n));
    return {mean - half, mean + half};
}

} // namespace wafer
} // namespace ns3
