/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Tensor parallelism across wafers, whose collectives cross the wafers' own I/O: a large
// all-reduce on 2 WSE-3 runs at their 12 x 100 GbE (150 GB/s, the published I/O) and at a
// photonic face's 15 TB/s, and wafer-plan plans such stages.

#include "test-util.h"

#include <gtest/gtest.h>

using namespace wafertest;

namespace
{
std::string
Tp2(const std::string& network)
{
    return R"({"schema": "wafer-scenario/1", "name": "tp2", "model": "llama-3.1-405b",
  "device": "wse-3", "weights": "bf16", "tensor_parallel": 2, "fidelity": "flow", )"
           + network + R"("workload": {"generator": {"rate_per_s": 1, "requests": 2,
    "input_tokens": {"dist": "fixed", "value": 2000}, "output_tokens": {"dist": "fixed", "value": 20}}}})";
}
} // namespace

TEST(WaferTensorParallel, AllReducesCrossTheWafersOwnIo)
{
    const std::string dir = TempDir("wafer-tp");
    const std::string electrical = Simulate(dir, "electrical", Tp2(""));
    const std::string photonic
        = Simulate(dir, "photonic", Tp2(R"("network": {"link": "photonic-face-15t"}, )"));
    // The largest size measured: a whole prompt's activations. A ring all-reduce on 2 ranks
    // sends half of it each way twice: bytes / bandwidth, plus framing (0.3 %) and two steps'
    // latency.
    const double bytes = ReadField(electrical, "/collectives", "bytes").back();
    ASSERT_GT(bytes, 6.5e7);
    const double ring = ReadField(electrical, "/collectives", "ring_s").back();
    EXPECT_GT(ring, bytes / 150e9);
    EXPECT_LT(ring, bytes / 150e9 * 1.05);
    const double ringPhotonic = ReadField(photonic, "/collectives", "ring_s").back();
    EXPECT_GT(ringPhotonic, bytes / 15e12);
    EXPECT_LT(ringPhotonic * 20, ring);
    // Stages of two wafers: 10 of them hold the 810 GB of weights (21 wafers alone).
    EXPECT_EQ(ReadField(electrical, "/summary", "tensor_parallel").at(0), 2);
    EXPECT_EQ(ReadField(electrical, "/summary", "wafers").at(0), 10);
    EXPECT_EQ(ReadField(electrical, "/summary", "accelerators").at(0), 20);
    EXPECT_LT(ReadField(photonic, "/summary", "tpot_p50_s").at(0),
              ReadField(electrical, "/summary", "tpot_p50_s").at(0));
    // On the serving fabric a stage's node has both wafers' ports, each wafer its own face:
    // 2 x 15 TB/s out of the stage, not one face split over 24 ports.
    const auto names = ReadStringField(photonic, "/links", "name");
    const auto rates = ReadField(photonic, "/links", "rate_bps");
    double stageBps = 0;
    for (size_t i = 0; i < names.size(); ++i)
    {
        stageBps += names[i].rfind("wafer0.p", 0) == 0 ? rates[i] : 0.0;
    }
    EXPECT_NEAR(stageBps / (2 * 15e12 * 8), 1.0, 1e-9);
    // The stages' time in all-reduces (/stages) shrinks with the faster I/O.
    for (size_t s = 0; s < 10; ++s)
    {
        EXPECT_GT(ReadField(photonic, "/stages", "collective_s").at(s), 0) << s;
        EXPECT_LT(ReadField(photonic, "/stages", "collective_s").at(s),
                  ReadField(electrical, "/stages", "collective_s").at(s))
            << s;
    }
}

TEST(WaferTensorParallel, WaferPlanPlansStagesOfSeveralWafers)
{
    const RunOutput r = RunProgram("wafer-plan", "--model=llama-3.1-405b --device=wse-3 --tp=2");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("min wafers (weights only)      10"), std::string::npos) << r.out;
}
