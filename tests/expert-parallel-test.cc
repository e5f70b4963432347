/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Expert parallelism across nodes: which share of its tokens a rank sends where, the two-phase
// (DeepEP-style) all-to-all simulated on NICs and NVLink against hand-computed times, and
// serving stages that span several nodes.

#include "test-util.h"

#include "ns3/attribute-settings.h"
#include "ns3/collective-model.h"
#include "ns3/expert-group.h"
#include "ns3/link-catalog.h"
#include "ns3/measured-collective-model.h"
#include "ns3/scale-up-domain-helper.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace ns3;
using namespace ns3::wafer;
using namespace wafertest;

namespace
{
/// ln C(n, k)
double
LogChoose(double n, double k)
{
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

/// A token picks k of E experts: the probability that it misses all s held ones is the
/// hypergeometric C(E - s, k) / C(E, k).
double
Hypergeometric(double experts, double active, double held)
{
    if (experts - held < active)
    {
        return 1.0;
    }
    return 1.0 - std::exp(LogChoose(experts - held, active) - LogChoose(experts, active));
}

/// The expert all-to-all of \p group simulated at each of \p sizes (bytes per rank), with
/// 400 GbE NICs (one port per GPU) and, inside a node, H200-class NVLink (450 GB/s each way).
std::vector<double>
Simulated(ExpertGroup group, const std::vector<double>& sizes, const std::string& fidelity)
{
    const LinkCatalog& links = LinkCatalog::Load();
    const AttributeSettings settings
        = LayerSettings(links.Get("ethernet-400g-dac"), nullptr, {}, {}, "test", {});
    const LinkPreset nvlink = links.Get("nvlink5");
    group.scaleUpBytesPerS = 450e9;
    ScaleUpDomainHelper helper;
    return helper.MeasureExpertAllToAll(group, 1, settings, &nvlink, sizes, fidelity);
}

double
Measured(const ExpertGroup& group, double bytes, const std::string& fidelity)
{
    return Simulated(group, {bytes}, fidelity).at(0);
}
} // namespace

TEST(ExpertGroup, ATokenNeedsANodeOrRankByTheHypergeometricLaw)
{
    // DeepSeek V3: 256 routed experts, 8 per token.
    for (uint32_t held : {1u, 8u, 32u, 64u, 128u, 250u})
    {
        EXPECT_NEAR(ExpertGroup::NeedShare(256, 8, held), Hypergeometric(256, 8, held), 1e-12)
            << held;
    }
    EXPECT_DOUBLE_EQ(ExpertGroup::NeedShare(4, 1, 1), 0.25);
    EXPECT_DOUBLE_EQ(ExpertGroup::NeedShare(8, 2, 4), 1.0 - 6.0 / 28.0); // 1 - C(4,2) / C(8,2)
    EXPECT_DOUBLE_EQ(ExpertGroup::NeedShare(256, 8, 249), 1.0);          // cannot miss them all
    // EP 32 over 4 nodes of 8: a node holds 64 experts, a rank 8.
    const ExpertGroup g = ExpertGroup::For(256, 8, 4, 8);
    EXPECT_EQ(g.Ranks(), 32u);
    EXPECT_NEAR(g.nodeShare, Hypergeometric(256, 8, 64), 1e-12);
    EXPECT_NEAR(g.rankShare, Hypergeometric(256, 8, 8), 1e-12);
}

TEST(ExpertAllToAll, EqualsItsHandComputedTimeOnAnIdleFabric)
{
    // A grid size (2^26) large enough that bandwidth, not the fabric's latency, sets the time.
    const double bytes = 64 * 1048576.0;
    for (const std::string fidelity : {"flow", "chunk"})
    {
        // 4 nodes of one GPU, 4 experts, 1 per token: a quarter of a rank's 64 MiB to each
        // other node, 3 x 16 MiB out of one 400 Gb/s NIC.
        const ExpertGroup flat = ExpertGroup::For(4, 1, 4, 1);
        const double flatS = 3 * 16 * 1048576.0 / 50e9;
        EXPECT_NEAR(Measured(flat, bytes, fidelity) / flatS, 1.0, 0.02) << fidelity;
        // 2 nodes of 4 GPUs, 8 experts, 1 per token: half of the 64 MiB goes to the other node
        // (32 MiB over the NIC); each rank then holds 64 MiB for its node, an eighth of it per
        // expert, two experts per rank: 16 MiB to each of 3 peers over 450 GB/s NVLink.
        const ExpertGroup twoTier = ExpertGroup::For(8, 1, 2, 4);
        const double twoTierS = 32 * 1048576.0 / 50e9 + 3 * 16 * 1048576.0 / 450e9;
        EXPECT_NEAR(Measured(twoTier, bytes, fidelity) / twoTierS, 1.0, 0.02) << fidelity;
        // The closed form agrees.
        ExpertGroup closed = twoTier;
        closed.scaleOutBytesPerS = 50e9;
        closed.scaleUpBytesPerS = 450e9;
        EXPECT_NEAR(
            CreateObject<CollectiveModel>()->ExpertAllToAllS(bytes, closed) / twoTierS, 1.0, 0.02);
    }
}

TEST(ExpertAllToAll, InterpolatedTimesMatchADirectSimulation)
{
    // A run reads the all-to-all of any size off the grid measured at setup (4 sizes per
    // octave); off the grid it must agree with simulating that size, here on DeepSeek V3's
    // EP 32 over 4 nodes of 8.
    const ExpertGroup group = ExpertGroup::For(256, 8, 4, 8);
    const std::vector<double> grid = ScaleUpDomainHelper::SizeGrid(64e6);
    Ptr<MeasuredCollectiveModel> m = CreateObject<MeasuredCollectiveModel>();
    std::vector<CollectiveSample> samples;
    for (double b : grid)
    {
        samples.push_back({b, 0, 0, 0, 0});
    }
    m->SetSamples(8, 450e9, samples);
    m->SetExpertAllToAll(group, Simulated(group, grid, "flow"));
    for (double s : {5000.0, 3e6, 5e7})
    {
        EXPECT_NEAR(m->ExpertAllToAllS(s, group) / Measured(group, s, "flow"), 1.0, 0.02) << s;
    }
}

namespace
{
std::string
DeepSeekOverNodes(uint32_t nodes, const std::string& link)
{
    return R"({"schema": "wafer-scenario/1", "name": "ep", "model": "deepseek-v3",
  "device": "h200", "wafers": 1, "tensor_parallel": 8, "expert_parallel": true,
  "expert_parallel_nodes": )"
           + std::to_string(nodes) + R"(, "network": {"link": ")" + link + R"("},
  "scale_up": {"collectives": "closed-form"}, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 1, "requests": 1,
    "input_tokens": {"dist": "fixed", "value": 2048}, "output_tokens": {"dist": "fixed", "value": 8}}}})";
}
} // namespace

TEST(ExpertParallelAcrossNodes, AStageSpansItsNodesAndPaysTwoAllToAllsPerMoeLayer)
{
    const std::string dir = TempDir("wafer-ep");
    const std::string slow = Simulate(dir, "slow", DeepSeekOverNodes(2, "ethernet-400g-dac"));
    const std::string fast = Simulate(dir, "fast", DeepSeekOverNodes(2, "ethernet-800g-dac"));
    const std::string one = Simulate(dir, "one", DeepSeekOverNodes(1, "ethernet-400g-dac"));
    EXPECT_EQ(ReadField(slow, "/summary", "accelerators").at(0), 16);
    EXPECT_EQ(ReadField(one, "/summary", "accelerators").at(0), 8);
    // One stage, so the scale-out link changes nothing but the all-to-alls: two per MoE layer
    // (58 of DeepSeek V3's 61), each rank holding 1/16 of the tokens' activations (hidden size
    // 7,168 in bf16, DeepSeek V3's config.json).
    auto group = [](double bytesPerS)
    {
        ExpertGroup g = ExpertGroup::For(256, 8, 2, 8);
        g.scaleOutBytesPerS = bytesPerS;
        g.scaleUpBytesPerS = 450e9;
        return g;
    };
    Ptr<CollectiveModel> closed = CreateObject<CollectiveModel>();
    auto saved = [&](double tokens)
    {
        const double perRank = tokens * 7168 * 2 / 16;
        return 58 * 2
               * (closed->ExpertAllToAllS(perRank, group(50e9))
                  - closed->ExpertAllToAllS(perRank, group(100e9)));
    };
    const double ttftSaved = ReadField(slow, "/requests", "ttft_s").at(0)
                             - ReadField(fast, "/requests", "ttft_s").at(0);
    EXPECT_GT(ttftSaved, 1e-4);
    EXPECT_NEAR(ttftSaved / saved(2048), 1.0, 1e-6);
    const double tpotSaved = ReadField(slow, "/requests", "tpot_s").at(0)
                             - ReadField(fast, "/requests", "tpot_s").at(0);
    EXPECT_NEAR(tpotSaved / saved(1), 1.0, 1e-6);
    // The stage's collective time (/stages) changes by exactly the requests' latency saved: the
    // prefill and the 7 decode steps after the first token.
    const double collectiveSaved = ReadField(slow, "/stages", "collective_s").at(0)
                                   - ReadField(fast, "/stages", "collective_s").at(0);
    EXPECT_NEAR(collectiveSaved / (ttftSaved + 7 * tpotSaved), 1.0, 1e-6);
    EXPECT_GT(ReadField(slow, "/stages", "collective_s").at(0), collectiveSaved);
    EXPECT_LT(ReadField(slow, "/stages", "collective_s").at(0),
              ReadField(slow, "/stages", "busy_s").at(0));
    // Twice the GPUs read each expert's weights half as often: a decode step is faster, but
    // less than twice, as every node reads attention and the dense layers in full.
    const double tpotOne = ReadField(one, "/requests", "tpot_s").at(0);
    const double tpotTwo = ReadField(slow, "/requests", "tpot_s").at(0);
    EXPECT_LT(tpotTwo, tpotOne);
    EXPECT_GT(tpotTwo, tpotOne / 2);
}

TEST(ExpertParallelAcrossNodes, WaferPlanAgreesWithTheSimulatedDecodeStep)
{
    // The analytical plan of the same 2-node stage (closed-form collectives, as the scenario
    // asks) against the simulated request's time per output token, at its mean decode context.
    const std::string dir = TempDir("wafer-ep-plan");
    const std::string sim = Simulate(dir, "sim", DeepSeekOverNodes(2, "ethernet-400g-dac"));
    const RunOutput r = RunProgram("wafer-plan",
                                   "--model=deepseek-v3 --device=h200 --tp=8 --ep-nodes=2 "
                                   "--link=ethernet-400g-dac --context=2052 --format=json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto plan = nlohmann::json::parse(r.out);
    EXPECT_EQ(plan.at("ep_nodes"), 2);
    EXPECT_NEAR(plan.at("decode_compute_s").get<double>()
                    / ReadField(sim, "/requests", "tpot_s").at(0),
                1.0,
                0.005);
    const RunOutput bad
        = RunProgram("wafer-plan", "--model=deepseek-v3 --device=h200 --tp=8 --ep-nodes=3");
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--ep-nodes: 256 routed experts do not divide evenly"),
              std::string::npos)
        << bad.err;
}
