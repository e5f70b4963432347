/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// LLM cost model against closed forms and published figures.

#include "ns3/llm-catalog.h"
#include "ns3/llm-cost-model.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3::wafer;

namespace
{
const LlmCatalog&
Catalog()
{
    static const LlmCatalog c = LlmCatalog::Load();
    return c;
}

LlmCostModel
Model(const std::string& name, Precision w = Precision::BF16, Precision kv = Precision::BF16)
{
    return LlmCostModel(Catalog().Get(name), w, kv);
}
} // namespace

TEST(LlmCost, KvBytesPerTokenGqa)
{
    // layers x kv heads x head dim x 2 (K and V) x bytes.
    EXPECT_DOUBLE_EQ(Model("llama-3.1-8b").KvBytesPerToken(), 32.0 * 8 * 128 * 2 * 2);
    EXPECT_DOUBLE_EQ(Model("llama-3.1-70b").KvBytesPerToken(), 80.0 * 8 * 128 * 2 * 2);
    EXPECT_DOUBLE_EQ(Model("llama-3.1-405b").KvBytesPerToken(), 126.0 * 8 * 128 * 2 * 2);
    EXPECT_DOUBLE_EQ(Model("gpt-3-175b").KvBytesPerToken(), 96.0 * 96 * 128 * 2 * 2);
    EXPECT_DOUBLE_EQ(Model("llama-3.1-70b", Precision::BF16, Precision::FP8).KvBytesPerToken(),
                     80.0 * 8 * 128 * 2 * 1);
}

TEST(LlmCost, KvBytesPerTokenMla)
{
    // layers x (latent + rope) x bytes: 61 x (512 + 64) x 2.
    EXPECT_DOUBLE_EQ(Model("deepseek-v3").KvBytesPerToken(), 61.0 * (512 + 64) * 2);
}

TEST(LlmCost, SlidingWindowCapsKv)
{
    const LlmCostModel m = Model("gpt-oss-120b");
    // 36 layers, 18 windowed at 128 tokens, 18 full; 8 kv heads x 64 dim x 2 x 2 B = 2048 B.
    EXPECT_DOUBLE_EQ(m.KvBytes(100000), 18 * 2048.0 * 100000 + 18 * 2048.0 * 128);
    EXPECT_DOUBLE_EQ(m.KvBytes(100), 36 * 2048.0 * 100);
}

TEST(LlmCost, WeightBytesLlama8b)
{
    const LlmCostModel m = Model("llama-3.1-8b");
    const double h = 4096, v = 128256;
    const double attn = h * (32 + 2 * 8) * 128 + 32 * 128 * h;
    const double ffn = 3 * h * 14336;
    const double layer = attn + ffn + 2 * h;
    EXPECT_DOUBLE_EQ(m.LayerParams(0), layer);
    EXPECT_DOUBLE_EQ(m.TotalParams(), 32 * layer + 2 * v * h);
    EXPECT_DOUBLE_EQ(m.TotalWeightBytes(), 2 * (32 * layer + 2 * v * h));
    EXPECT_DOUBLE_EQ(Model("llama-3.1-8b", Precision::FP8).TotalWeightBytes(),
                     32 * layer + 2 * v * h);
    EXPECT_DOUBLE_EQ(Model("llama-3.1-8b", Precision::FP4).LayerWeightBytes(3), layer / 2);
}

TEST(LlmCost, ParameterCountsMatchPublishedFigures)
{
    // Published totals count the whole release; the text-only Llama 4 and GLM figures differ by a
    // few percent (vision encoder, next-token-prediction layer).
    for (const auto& name : Catalog().Names())
    {
        const LlmConfig& c = Catalog().Get(name);
        const LlmCostModel m(c, std::nullopt, Precision::BF16);
        if (c.publishedTotalParamsB > 0)
        {
            EXPECT_NEAR(m.TotalParams() / 1e9 / c.publishedTotalParamsB, 1.0, 0.05) << name;
        }
        if (c.publishedActiveParamsB > 0)
        {
            EXPECT_NEAR(m.ActiveParams() / 1e9 / c.publishedActiveParamsB, 1.0, 0.10) << name;
        }
    }
}

TEST(LlmCost, NativePrecisionPerTensor)
{
    // gpt-oss-120b: MXFP4 experts (4.25 bits), bf16 elsewhere: about 61-66 GB in all.
    const LlmCostModel m(Catalog().Get("gpt-oss-120b"), std::nullopt, Precision::BF16);
    EXPECT_GT(m.TotalWeightBytes(), 58e9);
    EXPECT_LT(m.TotalWeightBytes(), 70e9);
    // DeepSeek V3 is natively fp8: about one byte per parameter.
    const LlmCostModel d(Catalog().Get("deepseek-v3"), std::nullopt, Precision::BF16);
    EXPECT_NEAR(d.TotalWeightBytes() / d.TotalParams(), 1.0, 1e-12);
}

TEST(LlmCost, DecodeAndPrefillFlops)
{
    const LlmCostModel m = Model("llama-3.1-70b");
    const double attnPerPos = 4.0 * 64 * 128;
    DecodeBatch b{3, 3000.0, 3000.0};
    const KernelCost d = m.LayerDecode(5, b);
    EXPECT_DOUBLE_EQ(d.flops, 2 * m.LayerActiveParams(5) * 3 + attnPerPos * 3000);
    EXPECT_DOUBLE_EQ(d.weightBytes, m.LayerWeightBytes(5)); // read once per step, not per sequence
    EXPECT_DOUBLE_EQ(d.kvReadBytes, 3000 * m.LayerKvBytesPerToken(5));
    // Causal prefill of n tokens attends to n(n+1)/2 positions.
    const KernelCost p = m.LayerPrefill(5, 1000, 0);
    EXPECT_DOUBLE_EQ(p.flops, 2 * m.LayerActiveParams(5) * 1000 + attnPerPos * 1000 * 1001 / 2);
    EXPECT_DOUBLE_EQ(p.kvWriteBytes, 1000 * m.LayerKvBytesPerToken(5));
}

TEST(LlmCost, MoeExpertsTouched)
{
    const LlmCostModel m(Catalog().Get("qwen3-235b-a22b"), Precision::BF16, Precision::BF16);
    // One token reads its 8 of 128 experts; many tokens read them all.
    DecodeBatch one{1, 100, 100};
    const double expert = 3.0 * 4096 * 1536 * 2;
    const double fixed = m.LayerWeightBytes(0) - 128 * expert;
    EXPECT_NEAR(m.LayerDecode(0, one).weightBytes, fixed + 8 * expert, 1.0);
    const KernelCost p = m.LayerPrefill(0, 10000, 0);
    EXPECT_NEAR(p.weightBytes, m.LayerWeightBytes(0), 1.0);
}

TEST(LlmCost, MaverickInterleavesMoeLayers)
{
    const LlmConfig& c = Catalog().Get("llama-4-maverick");
    int moe = 0;
    for (uint32_t i = 0; i < c.layers; ++i)
    {
        moe += c.IsMoeLayer(i) ? 1 : 0;
    }
    EXPECT_EQ(moe, 24);
    EXPECT_FALSE(c.IsMoeLayer(0));
    EXPECT_TRUE(c.IsMoeLayer(1));
}
