/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// MemoryX, SwarmX and weight streaming against closed forms.

#include "test-util.h"

#include "ns3/simulator.h"
#include "ns3/swarmx-helper.h"
#include "ns3/weight-streaming-engine.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;
using namespace ns3::wafer;

namespace
{

const double kB = 150e9; // 12 x 100 GbE per tree edge
const uint64_t kChunk = 4 << 20;

/// Time of one broadcast or reduction of \p bytes on a fresh cluster of \p wafers.
double
TimeOne(uint32_t wafers, TreeStream::Mode mode, uint64_t bytes, bool inNetwork = true)
{
    SwarmXHelper helper;
    helper.SetInNetworkReduction(inNetwork);
    SwarmXCluster s = helper.Install(wafers, "flow");
    double seconds = 0;
    if (mode == TreeStream::Mode::Broadcast)
    {
        s.down->SetSource(
            [&s](uint32_t, uint64_t b, Callback<void> ready)
            {
                s.memoryx->Read(b, ready);
            });
    }
    TreeStream* t = mode == TreeStream::Mode::Broadcast ? s.down.get() : s.up.get();
    t->Start(mode,
             bytes,
             [&seconds](Time d)
             {
                 seconds = d.GetSeconds();
             });
    Simulator::Run();
    Simulator::Destroy();
    return seconds;
}

/// Link delay of one tree edge and the transit shares (what a chunk waits besides its bytes).
double
HopS(uint32_t depth)
{
    // ethernet-100g-dac preset: endpoint latency + 1 m of cable, plus 5 us per SwarmX node.
    SwarmXHelper helper;
    SwarmXCluster s = helper.Install(1, "flow");
    double sum = 0;
    // MemoryX -> SwarmX -> wafer0: the two links down.
    for (const auto& l : s.cluster.fabric->Links())
    {
        if (l.from == s.cluster.NodeIds()[0] || l.to == s.cluster.NodeIds()[2])
        {
            if (l.port == 0)
            {
                sum += l.delay.GetSeconds();
            }
        }
    }
    Simulator::Destroy();
    return sum / 2 * depth;
}

} // namespace

TEST(Streaming, SwarmXTreeShape)
{
    uint32_t nodes = 0;
    auto p = SwarmXHelper::Tree(16, 4, &nodes);
    EXPECT_EQ(nodes, 5u); // 4 under one
    EXPECT_EQ(p.size(), 1u + 5 + 16);
    EXPECT_EQ(p[0], -1);
    EXPECT_EQ(p[1], 0);
    for (uint32_t w = 0; w < 16; ++w)
    {
        EXPECT_EQ(p[6 + w], int32_t(2 + w / 4));
    }
    p = SwarmXHelper::Tree(1, 4, &nodes);
    EXPECT_EQ(nodes, 1u);
    EXPECT_EQ(p, (std::vector<int32_t>{-1, 0, 1}));
    p = SwarmXHelper::Tree(64, 4, &nodes);
    EXPECT_EQ(nodes, 16u + 4 + 1);
}

TEST(Streaming, BroadcastIsBandwidthPlusPipelineFill)
{
    // 1 GB of weights to 16 wafers (depth 3): bytes / B once, plus a chunk per extra hop, the
    // hop latencies and the first chunk's read from MemoryX DRAM (600 GB/s).
    const uint64_t w = 1'000'000'000;
    const double t = TimeOne(16, TreeStream::Mode::Broadcast, w);
    const double wire = 1.0 + 30.0 / 9000; // frame headers
    const double expected = kChunk / 600e9 + w * wire / kB + 2 * kChunk * wire / kB + HopS(3);
    EXPECT_NEAR(t / expected, 1.0, 0.02) << t << " against " << expected;
}

TEST(Streaming, InNetworkReductionDoesNotGrowWithSystems)
{
    const uint64_t g = 500'000'000;
    const double one = TimeOne(1, TreeStream::Mode::Reduce, g);
    const double sixteen = TimeOne(16, TreeStream::Mode::Reduce, g);
    const double flat = TimeOne(16, TreeStream::Mode::Reduce, g, false);
    EXPECT_NEAR(sixteen / one, 1.0, 0.1); // one more level of pipeline fill (measured 1.06)
    // Unreduced, MemoryX's link carries all 16 copies.
    EXPECT_GT(flat, 0.9 * 16 * g / kB);
}

TEST(Streaming, StreamedPassIsFillPlusTheSlowerOfTransferAndCompute)
{
    const uint64_t w = 200'000'000;
    const double t = TimeOne(1, TreeStream::Mode::Broadcast, w);
    for (double c : {0.3 * t, 2.5 * t})
    {
        SwarmXHelper helper;
        SwarmXCluster s = helper.Install(1, "flow");
        Ptr<WeightStreamingEngine> e = CreateObject<WeightStreamingEngine>();
        e->Setup(s.memoryx, s.down.get(), s.up.get());
        std::vector<StreamItem> items(10);
        for (auto& it : items)
        {
            it.weightBytes = w;
            it.computeS = c;
        }
        double end = -1;
        e->Run(items,
               [&end]()
               {
                   end = Simulator::Now().GetSeconds();
               });
        Simulator::Run();
        EXPECT_NEAR(end, std::min(t, c) + 10 * std::max(t, c), 1e-9) << c / t;
        e->Dispose();
        Simulator::Destroy();
    }
}

TEST(Streaming, TrainingStepEndsWithTheLastReductionAndUpdate)
{
    // Compute-bound items: broadcasts hide behind compute except the first; the step ends with
    // the last item's gradient reduction and its optimizer update on MemoryX.
    const uint64_t w = 100'000'000;
    const double t = TimeOne(4, TreeStream::Mode::Broadcast, w);
    const double r = TimeOne(4, TreeStream::Mode::Reduce, w);
    SwarmXHelper helper;
    SwarmXCluster s = helper.Install(4, "flow");
    Ptr<WeightStreamingEngine> e = CreateObject<WeightStreamingEngine>();
    e->Setup(s.memoryx, s.down.get(), s.up.get());
    std::vector<StreamItem> items(8);
    double computeSum = 0;
    for (size_t i = 0; i < items.size(); ++i)
    {
        items[i].weightBytes = w;
        items[i].computeS = 4 * (t + r);
        computeSum += items[i].computeS;
        if (i >= 4) // backward
        {
            items[i].gradBytes = w;
            items[i].params = w / 2.0;
        }
    }
    double end = -1;
    e->Run(items,
           [&end]()
           {
               end = Simulator::Now().GetSeconds();
           });
    Simulator::Run();
    const double u = s.memoryx->UpdateS(w / 2.0);
    EXPECT_NEAR(end, t + computeSum + r + u, 1e-9);
    e->Dispose();
    Simulator::Destroy();
}

namespace
{

/// Run wafer-stream on a study given as JSON text; returns the exit and the result path.
std::pair<wafertest::RunOutput, std::string>
Study(const std::string& name, const std::string& body)
{
    const std::string dir = wafertest::TempDir("stream-" + name);
    wafertest::WriteFile(dir + "/s.json",
                         "{\"schema\": \"wafer-streaming/1\", \"name\": \"" + name + "\", " + body
                             + "}");
    const std::string out = dir + "/r.h5";
    return {
        wafertest::RunProgram("wafer-stream", "--quiet --scenario=" + dir + "/s.json --out=" + out),
        out};
}

} // namespace

TEST(Streaming, InferenceStudyFindsTheBreakEvenBatch)
{
    using wafertest::ReadField;
    const auto [r, out] = Study("prefill",
                                "\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", \"mode\": "
                                "\"inference\", \"inference\": {\"phase\": \"prefill\", "
                                "\"batches\": [1, 16, 64, 256], \"prompt_tokens\": 1024}");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(wafertest::StringAttribute(out, "schema_version"), "wafer-results/1");
    const auto batch = ReadField(out, "/points", "batch");
    const auto streamed = ReadField(out, "/points", "tokens_per_s_per_system");
    const auto resident = ReadField(out, "/points", "resident_tokens_per_s_per_wafer");
    const auto fits = ReadField(out, "/points", "memory_fits");
    const auto pass = ReadField(out, "/points", "pass_s");
    const auto compute = ReadField(out, "/points", "compute_s");
    const auto exposed = ReadField(out, "/points", "exposed_stream_s");
    const auto tail = ReadField(out, "/points", "tail_s");
    double expected = -1;
    for (size_t i = 0; i < batch.size(); ++i)
    {
        // A pass is compute, waiting for weights, and the tail after the last compute.
        EXPECT_NEAR(pass[i], compute[i] + exposed[i] + tail[i], 1e-9);
        // Streaming the layers and the LM head (all but the embedding table) at 150 GB/s bounds
        // a pass from below.
        EXPECT_GT(pass[i], (16.06e9 - 128256 * 4096 * 2.0) / 150e9);
        if (expected < 0 && fits[i] > 0 && streamed[i] >= 0.9 * resident[i])
        {
            expected = batch[i];
        }
    }
    EXPECT_GT(streamed.back(), streamed.front());
    EXPECT_EQ(ReadField(out, "/summary", "break_even_batch").at(0), expected);
    EXPECT_GT(expected, 1); // batch 1 is far from break-even
    EXPECT_EQ(ReadField(out, "/layers", "weight_bytes").size(), 33u); // 32 layers + LM head
}

TEST(Streaming, ResidentDecodeAtBatchOneIsTheCalibrationPoint)
{
    // The resident side of the comparison is the serving model itself: Llama 3.1 8B on one
    // WSE-3 at a 1,024-token context decodes 2,199.9 tokens/s (the roofline calibration).
    const auto [r, out] = Study("calibration",
                                "\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", \"mode\": "
                                "\"inference\", \"inference\": {\"batches\": [1], "
                                "\"context_tokens\": 1024}");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NEAR(
        wafertest::ReadField(out, "/points", "resident_tokens_per_s_per_wafer").at(0), 2199.9, 1.0);
    EXPECT_EQ(wafertest::ReadField(out, "/points", "resident_wafers").at(0), 1.0);
}

TEST(Streaming, TrainingScalesWithInNetworkReductionOnly)
{
    using wafertest::ReadField;
    const std::string body = "\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", \"mode\": "
                             "\"training\", \"training\": {\"systems\": [1, 16], "
                             "\"sequences_per_system\": 1, \"sequence_tokens\": 512}, ";
    const auto [on, outOn] = Study("train-on", body + "\"swarmx\": {\"chunk_bytes\": 33554432}");
    const auto [off, outOff]
        = Study("train-off",
                body + "\"swarmx\": {\"chunk_bytes\": 33554432, \"in_network_reduction\": false}");
    ASSERT_EQ(on.exitCode, 0) << on.err;
    ASSERT_EQ(off.exitCode, 0) << off.err;
    const auto effOn = ReadField(outOn, "/points", "scaling_efficiency");
    const auto effOff = ReadField(outOff, "/points", "scaling_efficiency");
    EXPECT_EQ(effOn.at(0), 1.0);
    EXPECT_GT(effOn.at(1), 0.95);
    EXPECT_LT(effOff.at(1), 0.7 * effOn.at(1)); // 16 unreduced gradient copies into MemoryX
    const auto tps = ReadField(outOn, "/points", "tokens_per_s");
    const auto perSystem = ReadField(outOn, "/points", "tokens_per_s_per_system");
    EXPECT_NEAR(tps.at(1), 16 * perSystem.at(1), 1e-6 * tps.at(1));
}

TEST(Streaming, BadStudiesAreRejectedWithOneLine)
{
    const std::string base = "\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", ";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {base + "\"mode\": \"serve\"", "streaming.mode: must be inference or training"},
        {base + "\"mode\": \"inference\", \"inference\": {\"batches\": []}",
         "streaming.inference.batches: must be a non-empty array"},
        {base
             + "\"mode\": \"training\", \"training\": {\"systems\": [1], "
               "\"sequences_per_system\": 512, \"sequence_tokens\": 8192}",
         "streaming.training.sequences_per_system"},
        {base
             + "\"mode\": \"inference\", \"fidelity\": \"packet\", \"inference\": {\"batches\": "
               "[1]}",
         "streaming.fidelity: must be flow or chunk"},
        {base
             + "\"mode\": \"inference\", \"inference\": {\"batches\": [1]}, \"swarmx\": "
               "{\"fanout\": 1}",
         "streaming.swarmx.fanout"},
    };
    int i = 0;
    for (const auto& [body, needle] : cases)
    {
        const auto [r, out] = Study("bad" + std::to_string(i++), body);
        EXPECT_EQ(r.exitCode, 2) << body << ": " << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(wafertest::Exists(out));
    }
}

TEST(Streaming, SameStudySameBytes)
{
    const std::string body = "\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", \"mode\": "
                             "\"inference\", \"inference\": {\"batches\": [1, 64]}";
    const auto [a, outA] = Study("same-a", body);
    const auto [b, outB] = Study("same-b", body);
    ASSERT_EQ(a.exitCode, 0) << a.err;
    ASSERT_EQ(b.exitCode, 0) << b.err;
    for (const char* d : {"/points", "/layers", "/summary"})
    {
        EXPECT_EQ(wafertest::DatasetBytes(outA, d), wafertest::DatasetBytes(outB, d)) << d;
    }
}
