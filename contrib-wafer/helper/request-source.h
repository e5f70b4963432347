/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_REQUEST_SOURCE_H
#define WAFER_REQUEST_SOURCE_H

#include "ns3/llm-request.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A token-length distribution: fixed, uniform (integers in [min, max]) or lognormal (by median
 * and sigma, rounded, clamped to [min, max]).
 */
struct LengthDistribution
{
    std::string kind{"fixed"};
    double value{0};
    double min{1};
    double max{0};
    double median{0};
    double sigma{0};
};

/**
 * \ingroup wafer
 * Synthetic requests: Poisson arrivals (exponential gaps at RatePerS) or all at time zero
 * ("closed", for batch experiments), with input and output lengths from distributions.
 */
struct RequestGenerator
{
    std::string arrival{"poisson"}; ///< "poisson" or "burst" (all at t = 0)
    double ratePerS{1};
    uint32_t requests{1};
    LengthDistribution input;
    LengthDistribution output;

    /// Draw the requests; ns-3 random variables on streams derived from the run's seed.
    std::vector<LlmRequest> Generate() const;
};

/**
 * \ingroup wafer
 * Read a request trace: CSV with the header "arrival_s,input_tokens,output_tokens", one request a
 * line, arrival times non-decreasing; '#' starts a comment line.
 * \throws InputError "<path>:<line>: <field>: <reason>".
 */
std::vector<LlmRequest> ReadRequestTrace(const std::string& path);

} // namespace wafer
} // namespace ns3

#endif // WAFER_REQUEST_SOURCE_H
