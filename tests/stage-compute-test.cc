/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Stage timing against hand-computed sums: the spatial share of each kernel on a wafer, prompt
// streaming in token chunks, layer pipelining, and whole-device kernels on a GPU.

#include "ns3/collective-model.h"
#include "ns3/device-catalog.h"
#include "ns3/llm-catalog.h"
#include "ns3/roofline-engine.h"
#include "ns3/stage-compute-model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
const double kCe = 0.5;
const double kMe = 0.8;
const double kOverhead = 11.3e-6;

/// Roofline of one kernel on share s, by hand.
double
KernelTime(const DeviceSpec& d, const KernelCost& k, double s)
{
    const double compute = k.flops / (d.PeakFlops(k.precision) * s * kCe);
    const double memory = k.TotalBytes() / (d.memory[0].bandwidthBytesPerS * s * kMe);
    return std::max(compute, memory) + kOverhead;
}

struct Fixture
{
    DeviceSpec wafer = DeviceCatalog::Load().Get("wse-3");
    DeviceSpec gpu = DeviceCatalog::Load().Get("h100");
    LlmCostModel model{LlmCatalog::Load().Get("llama-3.1-8b"), Precision::BF16, Precision::BF16};
    Ptr<RooflineEngine> engine = CreateObject<RooflineEngine>();
    std::vector<StageAssignment> one
        = PipelinePlacement::Place(model, wafer.MainMemoryBytes(), 1, 0);
};
} // namespace

TEST(StageCompute, SpatialDecodeSumsKernelsOnTheirShares)
{
    Fixture f;
    const StageAssignment& a = f.one[0];
    const double w = a.weightBytes;
    DecodeBatch b{2, 2000, 2000};
    double expected = KernelTime(f.wafer, f.model.Embedding(2), f.model.EmbeddingBytes() / w);
    double slowest = expected;
    for (uint32_t i = 0; i < 32; ++i)
    {
        const double t
            = KernelTime(f.wafer, f.model.LayerDecode(i, b), f.model.LayerWeightBytes(i) / w);
        expected += t;
        slowest = std::max(slowest, t);
    }
    const double head = KernelTime(f.wafer, f.model.LmHead(2), f.model.LmHeadBytes() / w);
    expected += head;
    slowest = std::max(slowest, head);

    StageComputeModel plain(f.wafer, f.model, a, f.engine, false);
    const StageTiming t = plain.Decode(b);
    EXPECT_NEAR(t.latencyS, expected, 1e-12);
    EXPECT_NEAR(t.occupancyS, expected, 1e-12);
    EXPECT_EQ(t.kernels, 34u);
    StageComputeModel piped(f.wafer, f.model, a, f.engine, true);
    EXPECT_NEAR(piped.Decode(b).occupancyS, slowest, 1e-12);
}

TEST(StageCompute, PromptStreamsThroughLayerRegions)
{
    Fixture f;
    const StageAssignment& a = f.one[0];
    const double w = a.weightBytes;
    const double n = 2048;
    const double m = 34; // min(tokens, kernels): one chunk per region
    auto chunk = [m](KernelCost c)
    {
        c.flops /= m;
        c.kvReadBytes /= m;
        c.kvWriteBytes /= m;
        c.activationBytes /= m;
        return c;
    };
    KernelCost emb = f.model.Embedding(n);
    emb.weightBytes /= m;
    double sum = KernelTime(f.wafer, chunk(emb), f.model.EmbeddingBytes() / w);
    double slowest = sum;
    for (uint32_t i = 0; i < 32; ++i)
    {
        const double t = KernelTime(
            f.wafer, chunk(f.model.LayerPrefill(i, n, 0)), f.model.LayerWeightBytes(i) / w);
        sum += t;
        slowest = std::max(slowest, t);
    }
    sum += KernelTime(f.wafer, f.model.LmHead(1), f.model.LmHeadBytes() / w);
    StageComputeModel stage(f.wafer, f.model, a, f.engine, true);
    const StageTiming t = stage.Prefill(n, 0);
    EXPECT_NEAR(t.latencyS, sum + (m - 1) * slowest, 1e-12);
    EXPECT_NEAR(t.occupancyS, m * slowest, 1e-12);
    // Work totals count the whole prompt once.
    double flops = f.model.LmHead(1).flops;
    for (uint32_t i = 0; i < 32; ++i)
    {
        flops += f.model.LayerPrefill(i, n, 0).flops;
    }
    EXPECT_NEAR(t.flops / flops, 1.0, 1e-12);
    // Streaming approaches the whole wafer's compute roof: within 2.2x of it for 2,048 tokens.
    const double wholeWafer = flops / (f.wafer.PeakFlops(Precision::BF16) * kCe);
    EXPECT_LT(t.latencyS, 2.2 * wholeWafer + 34 * kOverhead * 2);
}

TEST(StageCompute, SequentialDeviceUsesWholeDevice)
{
    Fixture f;
    // Llama 3.1 8B fits one H100 (16 GB of 80 GB): every kernel on the whole GPU, prompt in one
    // pass, HBM-bound decode at batch 1.
    const auto placement = PipelinePlacement::Place(f.model, f.gpu.MainMemoryBytes(), 1, 0);
    StageComputeModel gpu(f.gpu, f.model, placement[0], f.engine, false);
    DecodeBatch b{1, 1000, 1000};
    double expected
        = KernelTime(f.gpu, f.model.Embedding(1), 1.0) + KernelTime(f.gpu, f.model.LmHead(1), 1.0);
    for (uint32_t i = 0; i < 32; ++i)
    {
        expected += KernelTime(f.gpu, f.model.LayerDecode(i, b), 1.0);
    }
    EXPECT_NEAR(gpu.Decode(b).latencyS, expected, 1e-12);
    // Memory-bound: every weight except the embedding table (one row is read) plus 1,000 tokens
    // of KV, over 3.35 TB/s x 0.8, plus 34 overheads: about 6 ms.
    const double bytes
        = f.model.TotalWeightBytes() - f.model.EmbeddingBytes() + 1000 * f.model.KvBytesPerToken();
    EXPECT_NEAR(gpu.Decode(b).latencyS, bytes / (3.35e12 * 0.8) + 34 * kOverhead, 1e-5);
    EXPECT_EQ(gpu.Decode(b).computeBoundKernels, 0u);
}

TEST(StageCompute, AllReduceClosedForms)
{
    Ptr<CollectiveModel> c = CreateObject<CollectiveModel>();
    // 1 us steps; 16 MB over 8 ranks at 450 GB/s.
    const double s = 16e6;
    const double b = 450e9;
    EXPECT_NEAR(c->RingAllReduceS(s, 8, b), 14e-6 + 2.0 * 7 / 8 * s / b, 1e-15);
    EXPECT_NEAR(c->TreeAllReduceS(s, 8, b), 6e-6 + 2 * s / b, 1e-15);
    EXPECT_NEAR(c->AllReduceS(s, 8, b), c->RingAllReduceS(s, 8, b), 1e-15);       // big: ring wins
    EXPECT_NEAR(c->AllReduceS(8192, 8, b), c->TreeAllReduceS(8192, 8, b), 1e-15); // small: tree
    EXPECT_EQ(c->AllReduceS(s, 1, b), 0.0);
}

TEST(StageCompute, TensorParallelDecodeOnAnNvlinkDomain)
{
    // Llama 3.1 70B on 8 H100 (one stage, TP 8): every kernel's work and bytes / 8, plus two
    // all-reduces of the batch's activations per layer over 450 GB/s NVLink.
    Fixture f;
    const LlmCostModel m(LlmCatalog::Load().Get("llama-3.1-70b"), Precision::BF16, Precision::BF16);
    const auto placement = PipelinePlacement::Place(m, 8 * f.gpu.MainMemoryBytes(), 1, 0);
    Ptr<CollectiveModel> coll = CreateObject<CollectiveModel>();
    StageComputeModel stage(f.gpu, m, placement[0], f.engine, false);
    stage.SetTensorParallel(8, coll);
    DecodeBatch b{4, 4000, 4000};
    auto split = [](KernelCost k)
    {
        k.flops /= 8;
        k.weightBytes /= 8;
        k.kvReadBytes /= 8;
        k.kvWriteBytes /= 8;
        return k;
    };
    double expected = KernelTime(f.gpu, split(m.Embedding(4)), 1.0)
                      + KernelTime(f.gpu, split(m.LmHead(4)), 1.0);
    for (uint32_t i = 0; i < 80; ++i)
    {
        expected += KernelTime(f.gpu, split(m.LayerDecode(i, b)), 1.0);
        expected += 2 * coll->AllReduceS(4 * 8192 * 2, 8, 450e9);
    }
    EXPECT_NEAR(stage.Decode(b).latencyS, expected, 1e-12);
}

TEST(StageCompute, ExpertParallelTradesTheMoeAllReduceForTwoAllToAlls)
{
    // DeepSeek V3 on 8 GB300 (one stage): the 58 MoE layers swap one of their two all-reduces
    // for two all-to-alls of tokens / 8 x 8 experts x 7,168 x 2 bytes per rank; the 3 dense
    // layers keep both all-reduces; compute is the same.
    Fixture f;
    const DeviceSpec gb300 = DeviceCatalog::Load().Get("gb300");
    const LlmCostModel m(LlmCatalog::Load().Get("deepseek-v3"), std::nullopt, Precision::BF16);
    const auto placement = PipelinePlacement::Place(m, 8 * gb300.MainMemoryBytes(), 1, 0);
    Ptr<CollectiveModel> coll = CreateObject<CollectiveModel>();
    StageComputeModel tp(gb300, m, placement[0], f.engine, false);
    StageComputeModel ep(gb300, m, placement[0], f.engine, false);
    tp.SetTensorParallel(8, coll);
    ep.SetTensorParallel(8, coll, true);
    const DecodeBatch b{32, 32 * 3000, 32 * 3000};
    const double bw = gb300.scaleUpBytesPerS;
    const double act = 32 * 7168 * 2.0;
    uint32_t moeLayers = 0;
    for (uint32_t i = 0; i < 61; ++i)
    {
        moeLayers += m.Config().IsMoeLayer(i) ? 1 : 0;
    }
    ASSERT_EQ(moeLayers, 58u);
    const double swap
        = moeLayers * (2 * coll->AllToAllS(act / 8 * 8, 8, bw) - coll->AllReduceS(act, 8, bw));
    EXPECT_NEAR(ep.Decode(b).latencyS - tp.Decode(b).latencyS, swap, 1e-12);
    EXPECT_DOUBLE_EQ(ep.Decode(b).flops, tp.Decode(b).flops);
}
