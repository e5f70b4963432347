/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Speed-ups that must not change a result: decode-step timings shared by the stages of a pool
// (DecodeTimingMemo) against each stage computing its own, for every model of the catalog (dense,
// MoE with dense first layers, sliding-window layers, MLA) on a wafer and on GPUs with tensor and
// expert parallelism; and SecondsMemo against ns-3's Seconds().

#include "ns3/collective-model.h"
#include "ns3/device-catalog.h"
#include "ns3/llm-catalog.h"
#include "ns3/pipeline-placement.h"
#include "ns3/roofline-engine.h"
#include "ns3/seconds-memo.h"
#include "ns3/stage-compute-model.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
void
ExpectSame(const StageTiming& a, const StageTiming& b, const std::string& where)
{
    EXPECT_EQ(a.latencyS, b.latencyS) << where;
    EXPECT_EQ(a.occupancyS, b.occupancyS) << where;
    EXPECT_EQ(a.flops, b.flops) << where;
    EXPECT_EQ(a.bytes, b.bytes) << where;
    EXPECT_EQ(a.computeBoundKernels, b.computeBoundKernels) << where;
    EXPECT_EQ(a.kernels, b.kernels) << where;
    EXPECT_EQ(a.maxKernelS, b.maxKernelS) << where;
}

struct Pool
{
    std::vector<std::unique_ptr<StageComputeModel>> own;
    std::vector<std::unique_ptr<StageComputeModel>> shared;
};

Pool
MakePool(const DeviceSpec& device,
         const LlmCostModel& model,
         uint32_t stages,
         uint32_t tp,
         bool expertParallel)
{
    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    Ptr<CollectiveModel> collectives = CreateObject<CollectiveModel>();
    auto memo = std::make_shared<DecodeTimingMemo>();
    Pool p;
    // Memory is no constraint here: the split is the balanced one of the layers.
    for (const auto& a : PipelinePlacement::Place(model, 1e18, stages, 0))
    {
        for (bool share : {false, true})
        {
            auto s = std::make_unique<StageComputeModel>(device, model, a, roofline, true);
            s->SetTensorParallel(tp, collectives, expertParallel);
            if (share)
            {
                s->ShareDecodeTimings(memo);
                p.shared.push_back(std::move(s));
            }
            else
            {
                p.own.push_back(std::move(s));
            }
        }
    }
    return p;
}
} // namespace

TEST(DecodeTimingMemo, SharedTimingsEqualEachStagesOwn)
{
    const LlmCatalog catalog = LlmCatalog::Load();
    const DeviceCatalog devices = DeviceCatalog::Load();
    std::mt19937_64 rng(7);
    for (const std::string& name : catalog.Names())
    {
        const LlmCostModel model(catalog.Get(name), Precision::BF16, Precision::BF16);
        const uint32_t layers = model.Config().layers;
        struct Setup
        {
            std::string device;
            uint32_t tp;
            bool expertParallel;
        };
        for (const Setup& setup : {Setup{"wse-3", 1, false},
                                   Setup{"h100", 8, false},
                                   Setup{"h100", 8, model.Config().moe.has_value()}})
        {
            Pool pool = MakePool(devices.Get(setup.device),
                                 model,
                                 std::min<uint32_t>(layers, 7),
                                 setup.tp,
                                 setup.expertParallel);
            // The same batches twice: the second time every stage finds them in the memo.
            std::vector<DecodeBatch> batches;
            for (int i = 0; i < 20; ++i)
            {
                DecodeBatch b;
                b.sequences = 1 + rng() % 64;
                b.sumContext = double(b.sequences) * double(1 + rng() % 8000);
                b.sumWindowedContext = std::min(b.sumContext, double(b.sequences) * 4096.0);
                batches.push_back(b);
            }
            for (int round = 0; round < 2; ++round)
            {
                for (const DecodeBatch& b : batches)
                {
                    for (size_t s = 0; s < pool.own.size(); ++s)
                    {
                        ExpectSame(pool.own[s]->Decode(b),
                                   pool.shared[s]->Decode(b),
                                   name + " on " + setup.device + " stage " + std::to_string(s)
                                       + " batch of " + std::to_string(b.sequences));
                    }
                }
            }
        }
    }
}

TEST(DecodeTimingMemo, StagesOfOneKindShareAClass)
{
    // A uniform dense model: stages holding as many layers, without the embedding or the LM
    // head, are of one class; any other difference makes another class.
    const LlmCostModel model(
        LlmCatalog::Load().Get("llama-3.1-70b"), Precision::BF16, Precision::BF16);
    DecodeTimingMemo memo;
    const DeviceSpec wafer = DeviceCatalog::Load().Get("wse-3");
    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    const auto placement = PipelinePlacement::Place(model, 1e18, 8, 0);
    std::vector<uint32_t> classes;
    for (const auto& a : placement)
    {
        StageComputeModel s(wafer, model, a, roofline, true);
        classes.push_back(memo.ClassOf(s.DecodeSignature()));
    }
    uint32_t sharing = 0;
    for (size_t i = 0; i < placement.size(); ++i)
    {
        for (size_t j = i + 1; j < placement.size(); ++j)
        {
            const auto& a = placement[i];
            const auto& b = placement[j];
            const bool alike = a.layerCount == b.layerCount && a.embedding == b.embedding
                               && a.lmHead == b.lmHead;
            EXPECT_EQ(classes[i] == classes[j], alike) << "stages " << i << " and " << j;
            sharing += alike ? 1 : 0;
        }
    }
    EXPECT_GE(sharing, 6u); // 80 layers on 8 stages: at least four middle stages alike
}

TEST(SecondsMemo, EqualsSeconds)
{
    SecondsMemo memo;
    std::mt19937_64 rng(11);
    std::vector<double> values{0.0, 1e-12, 0.4999e-12, 0.5e-12, 1.5e-12, 1e-9, 3.5e-6, 1.0, 3600.0};
    for (int i = 0; i < 2000; ++i)
    {
        // Durations from picoseconds to hours, many of them repeated.
        const double x = std::ldexp(double(rng() % 1000000) + 0.5, -int(rng() % 60));
        values.push_back(x);
        values.push_back(values[rng() % values.size()]);
    }
    for (double x : values)
    {
        EXPECT_EQ(memo(x), Seconds(x)) << x;
    }
}
