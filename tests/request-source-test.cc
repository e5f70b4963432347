/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Request generators against their defining statistics: Poisson and gamma (bursty) gaps, the
// agentic long-context length mix (after published agentic-coding traces), and determinism.

#include "test-util.h"

#include "ns3/input-error.h"
#include "ns3/request-source.h"
#include "ns3/rng-seed-manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ns3::wafer;

namespace
{
std::vector<LlmRequest>
Draw(RequestGenerator g, uint32_t seed = 1)
{
    ns3::RngSeedManager::SetSeed(seed);
    ns3::RngSeedManager::SetRun(1);
    return g.Generate();
}

/// Mean and coefficient of variation of the gaps between arrivals.
std::pair<double, double>
GapStats(const std::vector<LlmRequest>& r)
{
    std::vector<double> gaps;
    double prev = 0;
    for (const auto& x : r)
    {
        gaps.push_back(x.arrivalS - prev);
        prev = x.arrivalS;
    }
    double mean = 0;
    for (double g : gaps)
    {
        mean += g / gaps.size();
    }
    double var = 0;
    for (double g : gaps)
    {
        var += (g - mean) * (g - mean) / gaps.size();
    }
    return {mean, std::sqrt(var) / mean};
}

RequestGenerator
Base()
{
    RequestGenerator g;
    g.requests = 40000;
    g.ratePerS = 4;
    g.input = LengthDistribution{"fixed", 100, 1, 0, 0, 0, {}};
    g.output = g.input;
    return g;
}
} // namespace

TEST(RequestSource, PoissonGaps)
{
    const auto [mean, cv] = GapStats(Draw(Base()));
    EXPECT_NEAR(mean, 0.25, 0.25 * 0.03);
    EXPECT_NEAR(cv, 1.0, 0.03);
}

TEST(RequestSource, GammaGapsAreBurstier)
{
    RequestGenerator g = Base();
    g.arrival = "gamma";
    g.burstiness = 3;
    const auto [mean, cv] = GapStats(Draw(g));
    EXPECT_NEAR(mean, 0.25, 0.25 * 0.05);
    EXPECT_NEAR(cv, 3.0, 0.3);
}

TEST(RequestSource, AgenticLengthsMatchTheReference)
{
    RequestGenerator g = Base();
    g.input = LengthDistribution::Agentic();
    std::vector<double> in;
    for (const auto& r : Draw(g))
    {
        in.push_back(r.inputTokens);
    }
    std::sort(in.begin(), in.end());
    const double median = in[in.size() / 2];
    const double above
        = double(in.end() - std::upper_bound(in.begin(), in.end(), 128000.0)) / in.size();
    // Agentic-coding traces (SemiAnalysis, https://tokenomics.info/cerebras): median ~96.3k
    // tokens, almost half above 128k.
    EXPECT_NEAR(median, 96300, 96300 * 0.05);
    EXPECT_GT(above, 0.40);
    EXPECT_LT(above, 0.50);
    EXPECT_GE(in.front(), 1000);
    EXPECT_LE(in.back(), 1000000);
}

TEST(RequestSource, SameSeedSameRequests)
{
    RequestGenerator g = Base();
    g.requests = 100;
    g.input = LengthDistribution{"uniform", 0, 10, 5000, 0, 0, {}};
    const auto a = Draw(g, 3);
    const auto b = Draw(g, 3);
    const auto c = Draw(g, 4);
    bool differs = false;
    for (size_t i = 0; i < a.size(); ++i)
    {
        EXPECT_EQ(a[i].arrivalS, b[i].arrivalS);
        EXPECT_EQ(a[i].inputTokens, b[i].inputTokens);
        differs = differs || a[i].inputTokens != c[i].inputTokens;
    }
    EXPECT_TRUE(differs);
}

TEST(RequestSource, TraceSessionColumn)
{
    const std::string dir = wafertest::TempDir("trace-sessions");
    wafertest::WriteFile(dir + "/t.csv",
                         "arrival_s,input_tokens,output_tokens,session\n0,10,2,7\n1,20,3,\n");
    const auto reqs = ReadRequestTrace(dir + "/t.csv");
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].session, 7);
    EXPECT_EQ(reqs[1].session, -1); // empty cell: no session
    wafertest::WriteFile(dir + "/bad.csv",
                         "arrival_s,input_tokens,output_tokens,session\n0,10,2,x\n");
    try
    {
        ReadRequestTrace(dir + "/bad.csv");
        FAIL() << "a bad session id was accepted";
    }
    catch (const InputError& e)
    {
        EXPECT_NE(std::string(e.what()).find(":2: session: must be a whole number"),
                  std::string::npos)
            << e.what();
    }
    wafertest::WriteFile(dir + "/short.csv",
                         "arrival_s,input_tokens,output_tokens,session\n0,10,2\n");
    EXPECT_THROW(ReadRequestTrace(dir + "/short.csv"), InputError);
}
