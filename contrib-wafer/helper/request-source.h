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
    std::string kind{"fixed"}; ///< fixed, uniform, lognormal or mixture
    double value{0};
    double min{1};
    double max{0};
    double median{0};
    double sigma{0};
    /// mixture: (weight, component); weights need not sum to 1.
    std::vector<std::pair<double, LengthDistribution>> components;

    /**
     * Long-context agentic prompts (a sample of ~432k agentic-coding requests had a median of
     * ~96.3k tokens, almost half above 128k: SemiAnalysis, "Cerebras - Faster Tokens Please", 2026,
     * https://newsletter.semianalysis.com/p/cerebras-faster-tokens-please, and
     * https://tokenomics.info/cerebras): 47 % lognormal(median 200k, sigma 0.35) and 53 %
     * lognormal(median 42k, sigma 0.6), within [1k, 1M] tokens. Its median is about 97k and about
     * 44 % of prompts exceed 128k.
     */
    static LengthDistribution Agentic();
};

/// The most requests a run takes, from a trace or a generator. Every request keeps its record
/// (about 1 kB with its results) until the results are written: 1,000,000 requests peak at about
/// 1 GB (docs/performance.md).
constexpr uint32_t kMaxRequests = 1000000;

/**
 * \ingroup wafer
 * Synthetic requests: Poisson arrivals (exponential gaps at RatePerS), bursty arrivals (gamma
 * gaps of the same mean with coefficient of variation Burstiness) or all at time zero, with input
 * and output lengths from distributions.
 */
struct RequestGenerator
{
    std::string arrival{"poisson"}; ///< "poisson", "gamma" (bursty) or "burst" (all at t = 0)
    double ratePerS{1};
    double burstiness{1}; ///< gamma: coefficient of variation of the gaps (1 = Poisson)
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
