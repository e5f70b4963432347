/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Layer-boundary placement against an independent greedy packing and hand-computed cases.

#include "ns3/device-catalog.h"
#include "ns3/input-error.h"
#include "ns3/llm-catalog.h"
#include "ns3/pipeline-placement.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3::wafer;

namespace
{
/// Fewest contiguous bins by first-fit in layer order: optimal for contiguous splits.
uint32_t
GreedyStages(const LlmCostModel& m, double capacity)
{
    uint32_t stages = 1;
    double load = m.EmbeddingBytes();
    for (uint32_t i = 0; i < m.Layers(); ++i)
    {
        const double w = m.LayerWeightBytes(i);
        if (load + w > capacity)
        {
            ++stages;
            load = 0;
        }
        load += w;
    }
    const double head = m.LmHeadBytes();
    if (load + head > capacity)
    {
        ++stages; // the head cannot join: move the last layers (possible when one layer + head fit)
    }
    return stages;
}
} // namespace

TEST(Placement, MinimumWafersMatchGreedyPacking)
{
    const LlmCatalog models = LlmCatalog::Load();
    const double sram = 44e9;
    for (const auto& name : models.Names())
    {
        const LlmCostModel m(models.Get(name), Precision::BF16, Precision::BF16);
        const uint32_t n = PipelinePlacement::MinStages(m, sram);
        EXPECT_GE(n, uint32_t(std::ceil(m.TotalWeightBytes() / sram))) << name;
        EXPECT_LE(n, GreedyStages(m, sram)) << name;
        EXPECT_GE(n + 1, GreedyStages(m, sram)) << name;
        // n stages fit, n - 1 do not.
        EXPECT_NO_THROW(PipelinePlacement::Place(m, sram, n, 0)) << name;
        if (n > 1)
        {
            EXPECT_THROW(PipelinePlacement::Place(m, sram, n - 1, 0), InputError) << name;
        }
    }
}

TEST(Placement, KnownCounts)
{
    const LlmCatalog models = LlmCatalog::Load();
    auto minWafers = [&](const std::string& name)
    {
        return PipelinePlacement::MinStages(
            LlmCostModel(models.Get(name), Precision::BF16, Precision::BF16), 44e9);
    };
    EXPECT_EQ(minWafers("llama-3.1-8b"), 1u);  // 16 GB
    EXPECT_EQ(minWafers("llama-3.1-70b"), 4u); // 141 GB: 4 wafers, as deployed publicly
    // 405B: 126 layers of 6.44 GB; six fit in 44 GB with the embedding or head beside them, so
    // 126 / 6 = 21 wafers.
    EXPECT_EQ(minWafers("llama-3.1-405b"), 21u);
}

TEST(Placement, LayersAreContiguousAndComplete)
{
    const LlmCatalog models = LlmCatalog::Load();
    const LlmCostModel m(models.Get("llama-3.1-70b"), Precision::BF16, Precision::BF16);
    const auto stages = PipelinePlacement::Place(m, 44e9, 4, 2e9);
    ASSERT_EQ(stages.size(), 4u);
    uint32_t next = 0;
    double total = 0;
    for (const auto& s : stages)
    {
        EXPECT_EQ(s.firstLayer, next);
        EXPECT_GT(s.layerCount, 0u);
        EXPECT_LE(s.weightBytes, 44e9 - 2e9);
        next += s.layerCount;
        total += s.weightBytes;
    }
    EXPECT_EQ(next, 80u);
    EXPECT_NEAR(total, m.TotalWeightBytes(), 1.0);
    EXPECT_TRUE(stages.front().embedding);
    EXPECT_TRUE(stages.back().lmHead);
    // Balanced: no stage more than one layer heavier than the lightest.
    double lo = 1e300, hi = 0;
    for (const auto& s : stages)
    {
        lo = std::min(lo, s.weightBytes);
        hi = std::max(hi, s.weightBytes);
    }
    EXPECT_LE(hi - lo, m.LayerWeightBytes(0) + m.EmbeddingBytes());
}

TEST(Placement, DoesNotFitNamesTheShortfall)
{
    const LlmCatalog models = LlmCatalog::Load();
    const LlmCostModel m(models.Get("llama-3.1-405b"), Precision::BF16, Precision::BF16);
    try
    {
        PipelinePlacement::Place(m, 44e9, 4, 0);
        FAIL() << "405B cannot fit 4 wafers";
    }
    catch (const InputError& e)
    {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("does not fit"), std::string::npos) << msg;
        EXPECT_NE(msg.find("at least 21"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos);
    }
    EXPECT_THROW(PipelinePlacement::Place(m, 44e9, 127, 0), InputError); // > layers
    EXPECT_THROW(PipelinePlacement::Place(m, 44e9, 0, 0), InputError);
}
