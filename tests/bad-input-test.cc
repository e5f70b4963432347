/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Bad input: one clear line naming the field, exit code 2, no output file.

#include "test-util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace wafertest;

namespace
{
const char* kGood = R"({"schema": "wafer-scenario/1", "name": "t", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1,
  "workload": {"generator": {"rate_per_s": 5, "requests": 3,
    "input_tokens": {"dist": "fixed", "value": 100}, "output_tokens": {"dist": "fixed", "value": 4}}}})";

std::string
Replace(std::string text, const std::string& from, const std::string& to)
{
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return text.replace(pos, from.size(), to);
}

/// Run wafer-sim on \p scenario text; expect exit 2, one line mentioning \p needle, no output.
void
ExpectRejected(const std::string& name,
               const std::string& scenario,
               const std::string& needle,
               const std::string& extra = "")
{
    const std::string dir = TempDir("bad-" + name);
    WriteFile(dir + "/s.json", scenario);
    const std::string out = dir + "/out/r.h5";
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + out + " " + extra);
    EXPECT_EQ(r.exitCode, 2) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("wafer-sim: error: ", 0), 0u) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << name << ": " << r.err;
    EXPECT_FALSE(Exists(out)) << name;
    if (Exists(dir + "/out"))
    {
        EXPECT_TRUE(ListDir(dir + "/out").empty()) << name;
    }
}
} // namespace

TEST(BadInput, GoodBaselineRuns)
{
    const std::string dir = TempDir("bad-baseline");
    WriteFile(dir + "/s.json", kGood);
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + dir + "/r.h5 --quiet");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(Exists(dir + "/r.h5"));
}

TEST(BadInput, MalformedJson)
{
    ExpectRejected("json", std::string(kGood).substr(0, 60), "malformed JSON");
    // Found by fuzzing: text after a NUL byte was ignored and the scenario accepted.
    ExpectRejected(
        "nul", std::string(kGood) + std::string(1, '\0') + "{\"garbage\"", "a NUL byte at offset");
}

TEST(BadInput, UnknownModelAndDevice)
{
    ExpectRejected("model", Replace(kGood, "llama-3.1-8b", "llama-9"), "model: unknown 'llama-9'");
    ExpectRejected("device", Replace(kGood, "\"wse-3\"", "\"wse-9\""), "device: unknown 'wse-9'");
}

TEST(BadInput, ZeroOrNegativeRates)
{
    ExpectRejected("rate0",
                   Replace(kGood, "\"rate_per_s\": 5", "\"rate_per_s\": 0"),
                   "rate_per_s: must be > 0");
    ExpectRejected("rateneg",
                   Replace(kGood, "\"rate_per_s\": 5", "\"rate_per_s\": -3"),
                   "rate_per_s: must be > 0");
    ExpectRejected("port",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"network\": "
                           "{\"port_rate_bps\": 0},"),
                   "port_rate_bps: must be > 0");
    ExpectRejected(
        "attr", kGood, "LaneRate: invalid value", "--ns3::wafer::LinkTechnology::LaneRate=-5");
}

TEST(BadInput, ModelDoesNotFit)
{
    ExpectRejected(
        "fit",
        Replace(Replace(kGood, "llama-3.1-8b", "llama-3.1-405b"), "\"wafers\": 1", "\"wafers\": 4"),
        "does not fit on 4 x 44.0 GB");
}

TEST(BadInput, FieldsAndOptions)
{
    ExpectRejected("typo", Replace(kGood, "\"wafers\"", "\"wafrs\""), "wafrs: unknown field");
    ExpectRejected("wafers0", Replace(kGood, "\"wafers\": 1", "\"wafers\": 0"), "wafers: must be");
    ExpectRejected("prec",
                   Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"kv\": \"fp7\","),
                   "kv: unknown precision 'fp7'");
    ExpectRejected("option", kGood, "--bogus: unknown option", "--bogus=1");
    ExpectRejected("unknown-attr", kGood, "unknown attribute", "--ns3::NoSuchThing::X=1");
    // On the command line an attribute is named as the option the user typed, with the nearest
    // names when it is a typo; a time needs its unit (ns-3 would read a bare 8 as 8 s).
    ExpectRejected("attr-typo",
                   kGood,
                   "wafer-sim: error: --ns3::wafer::RooflineEngine::KernelOverhed: unknown "
                   "attribute (did you mean ns3::wafer::RooflineEngine::KernelOverhead?)",
                   "--ns3::wafer::RooflineEngine::KernelOverhed=8us");
    ExpectRejected("attr-typo-ns3",
                   kGood,
                   "(did you mean ns3::PointToPointNetDevice::Mtu?)",
                   "--ns3::PointToPointNetDevice::Mut=1500");
    ExpectRejected("attr-value",
                   kGood,
                   "wafer-sim: error: --ns3::wafer::RooflineEngine::KernelOverhead: invalid "
                   "value 'fast'",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=fast");
    ExpectRejected("attr-time-unit",
                   kGood,
                   "--ns3::wafer::RooflineEngine::KernelOverhead: '8' has no unit",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=8");
    ExpectRejected("attr-time-unit-file",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"attributes\": "
                           "{\"ns3::wafer::NetworkFabric::SwitchLatency\": 5e-7},"),
                   "scenario.attributes.ns3::wafer::NetworkFabric::SwitchLatency: '5e-07' has no "
                   "unit");
    ExpectRejected("seed", kGood, "--seed: must be", "--seed=abc");
}

TEST(BadInput, SeedsBeyondNs3sGenerator)
{
    // ns-3's MRG32k3a takes the seed as every state word, each below 4294944443: a larger seed
    // aborted inside RngStream. Now one line, before anything runs.
    ExpectRejected("seed-cli", kGood, "--seed: must be", "--seed=4294944443");
    ExpectRejected("seed-file",
                   Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"seed\": 4294967295,"),
                   "seed: must be");
    // The largest seed runs.
    const std::string dir = TempDir("bad-seed-max");
    WriteFile(dir + "/s.json", kGood);
    const RunOutput r = RunProgram("wafer-sim",
                                   "--scenario=" + dir + "/s.json --out=" + dir
                                       + "/r.h5 --quiet --seed=4294944442");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(Exists(dir + "/r.h5"));
}

TEST(BadInput, NetworkFields)
{
    ExpectRejected("fidelity",
                   Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"fidelity\": \"atom\","),
                   "fidelity: must be flow, chunk or packet");
    ExpectRejected("fidelity-flag", kGood, "--fidelity: must be", "--fidelity=atom");
    ExpectRejected("link",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"network\": {\"link\": \"string-and-cans\"},"),
                   "link: unknown 'string-and-cans'");
    ExpectRejected(
        "topology",
        Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"network\": {\"topology\": \"torus\"},"),
        "topology: must be");
    ExpectRejected(
        "ring-ports",
        Replace(kGood,
                "\"wafers\": 1,",
                "\"wafers\": 2, \"network\": {\"topology\": \"ring\", \"ports_per_device\": 3},"),
        "ring needs");
    ExpectRejected("spines",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 2, \"network\": {\"topology\": \"leaf-spine\", "
                           "\"spines\": 99},"),
                   "spines: 99 spines need");
    ExpectRejected("frame",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"network\": {\"frame_bytes\": 64}, "
                           "\"attributes\": {\"MessageTransport::HeaderBytes\": 100},"),
                   "frame_bytes: must exceed");
    ExpectRejected("oversub",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"network\": {\"oversubscription\": 0.5},"),
                   "oversubscription: must be >= 1");
    ExpectRejected(
        "split",
        Replace(kGood,
                "\"wafers\": 1,",
                "\"wafers\": 1, \"prefill_pool\": {\"wafers\": 1, \"kv_transfer\": \"teleport\"},"),
        "kv_transfer: must be whole or per-layer");
}

TEST(BadInput, CableLongerThanItsReach)
{
    ExpectRejected("reach",
                   Replace(kGood,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"network\": {\"link\": \"ethernet-100g-dac\", "
                           "\"length_m\": 50},"),
                   "exceeds the reach of ethernet-100g-dac");
}

TEST(BadInput, Faults)
{
    const auto with = [](const std::string& faults)
    {
        return Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"faults\": " + faults + ",");
    };
    const std::string straggler
        = R"("kind": "straggler", "stage": 0, "start_s": 0, "duration_s": 1, "slowdown": 2)";
    ExpectRejected("faults-object", with("{}"), "scenario.faults: must be a list");
    ExpectRejected("faults-kind",
                   with(R"([{"kind": "meteor"}])"),
                   "scenario.faults[0].kind: unknown fault kind \"meteor\"");
    ExpectRejected("faults-stage",
                   with("[{" + Replace(straggler, "\"stage\": 0", "\"stage\": 1") + "}]"),
                   "scenario.faults[0].stage: 1 is past the last stage of the decode pipeline");
    ExpectRejected("faults-pool",
                   with("[{" + straggler + ", \"pool\": \"prefill\"}]"),
                   "scenario.faults[0].stage: 0 is past the last stage of the prefill pipeline");
    ExpectRejected("faults-slowdown",
                   with("[{" + Replace(straggler, "\"slowdown\": 2", "\"slowdown\": 0.5") + "}]"),
                   "scenario.faults[0].slowdown: must be from 1");
    ExpectRejected("faults-duration",
                   with("[{" + Replace(straggler, "\"duration_s\": 1", "\"duration_s\": 0") + "}]"),
                   "scenario.faults[0].duration_s");
    ExpectRejected("faults-far",
                   with("[{" + Replace(straggler, "\"start_s\": 0", "\"start_s\": 1e7") + "}]"),
                   "scenario.faults[0].start_s: more than the 1e6 s");
    ExpectRejected(
        "faults-key", with("[{" + straggler + ", \"stagee\": 1}]"), "scenario.faults[0]");

    // Device losses: a stage of the decode pipeline, in a deployment without a split or store.
    ExpectRejected("faults-device-stage",
                   with(R"([{"kind": "device", "stage": 1}])"),
                   "scenario.faults[0].stage: 1 is past the last stage of the decode pipeline");
    ExpectRejected("faults-device-pool",
                   with(R"([{"kind": "device", "stage": 0, "pool": "prefill"}])"),
                   "scenario.faults[0].pool: \"prefill\" needs a prefill_pool in the scenario");
    ExpectRejected("faults-device-pool-name",
                   with(R"([{"kind": "device", "stage": 0, "pool": "both"}])"),
                   "scenario.faults[0].pool: must be decode or prefill");
    ExpectRejected("faults-device-prefill-stage",
                   Replace(with(R"([{"kind": "device", "stage": 1, "pool": "prefill"}])"),
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"prefill_pool\": {\"wafers\": 1},"),
                   "scenario.faults[0].stage: 1 is past the last stage of the prefill pipeline");
    ExpectRejected("faults-device-spare",
                   with(R"([{"kind": "device", "stage": 0, "spare": 1}])"),
                   "scenario.faults[0].spare: must be true or false");

    // Link faults: found when the fabric exists, before anything runs.
    const std::string cable = R"("kind": "link", "link": "wafer0.p3->switch", "duration_s": 1)";
    const auto flow = [&](const std::string& faults)
    {
        return Replace(with(faults), "\"wafers\": 1,", "\"wafers\": 1, \"fidelity\": \"flow\",");
    };
    ExpectRejected("faults-link-packet",
                   Replace(with("[{" + cable + "}]"),
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"fidelity\": \"packet\","),
                   "scenario.faults[0].kind: link faults are simulated at flow and chunk "
                   "fidelity (this run is at packet)");
    ExpectRejected("faults-link-name",
                   flow("[{" + Replace(cable, "wafer0.p3", "wafer7.p3") + "}]"),
                   "scenario.faults[0].link: no cable named 'wafer7.p3->switch'");
    ExpectRejected("faults-link-lanes",
                   flow("[{" + cable + R"(, "lanes_lost": 2}])"),
                   "scenario.faults[0].lanes_lost: 2 is more than the cable's 1 lanes");
    ExpectRejected("faults-switch-device",
                   flow(R"([{"kind": "switch", "switch": "wafer0", "duration_s": 1}])"),
                   "scenario.faults[0].switch: 'wafer0' is a device, not a switch");
    ExpectRejected("faults-switch-name",
                   flow(R"([{"kind": "switch", "switch": "spine9", "duration_s": 1}])"),
                   "scenario.faults[0].switch: no switch named 'spine9'");
    ExpectRejected("faults-link-missing",
                   flow(R"([{"kind": "link", "duration_s": 1}])"),
                   "scenario.faults[0].link");
    ExpectRejected("faults-failures-share",
                   flow(R"([{"kind": "link_failures", "flap_share": 2}])"),
                   "scenario.faults[0].flap_share: a share");
    ExpectRejected("faults-failures-busy",
                   flow(R"([{"kind": "link_failures", "cable_mtbf_hours": 1e-10}])"),
                   "scenario.faults[0].rate_scale: more than 1000000 random link failures");
}

TEST(BadInput, ScaleUpAndExpertParallelFields)
{
    const std::string gpu = Replace(kGood,
                                    "\"device\": \"wse-3\", \"wafers\": 1,",
                                    "\"device\": \"h100\", \"wafers\": 1, \"tensor_parallel\": 2,");
    ExpectRejected("ep-tp1",
                   Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel\": true,"),
                   "scenario.expert_parallel: needs a scale-up domain");
    ExpectRejected("ep-dense",
                   Replace(gpu, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel\": true,"),
                   "scenario.expert_parallel: model llama-3.1-8b has no routed experts");
    const std::string moe = Replace(Replace(gpu, "llama-3.1-8b", "deepseek-v3"),
                                    "\"tensor_parallel\": 2,",
                                    "\"tensor_parallel\": 8, \"expert_parallel\": true,");
    ExpectRejected("ep-nodes-needs-ep",
                   Replace(gpu, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel_nodes\": 2,"),
                   "scenario.expert_parallel_nodes: needs expert_parallel");
    ExpectRejected(
        "ep-nodes-divide",
        Replace(moe, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel_nodes\": 3,"),
        "scenario.expert_parallel_nodes: 256 routed experts of deepseek-v3 do not divide "
        "evenly over 3 nodes x 8 devices");
    ExpectRejected("ep-nodes-zero",
                   Replace(moe, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel_nodes\": 0,"),
                   "scenario.expert_parallel_nodes");
    ExpectRejected("ep-nodes-too-many",
                   Replace(moe, "\"wafers\": 1,", "\"wafers\": 1, \"expert_parallel_nodes\": 65,"),
                   "scenario.expert_parallel_nodes");
    ExpectRejected("ep-nodes-simulated",
                   Replace(Replace(moe, "\"tensor_parallel\": 8,", "\"tensor_parallel\": 16,"),
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"expert_parallel_nodes\": 64,"),
                   "scenario.expert_parallel_nodes: 1024 expert-parallel ranks are more than");
    ExpectRejected("ep-nodes-prefill",
                   Replace(gpu,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"prefill_pool\": {\"wafers\": 1, "
                           "\"expert_parallel_nodes\": 2},"),
                   "scenario.prefill_pool.expert_parallel_nodes: needs expert_parallel");
    ExpectRejected("ep-nodes-tp-over-io",
                   Replace(Replace(kGood, "llama-3.1-8b", "deepseek-v3"),
                           "\"wafers\": 1,",
                           "\"wafers\": 6, \"tensor_parallel\": 2, \"expert_parallel\": true, "
                           "\"expert_parallel_nodes\": 2,"),
                   "scenario.expert_parallel_nodes: tensor parallelism over the devices' I/O");
    ExpectRejected("su-collectives",
                   Replace(gpu,
                           "\"wafers\": 1,",
                           "\"wafers\": 1, \"scale_up\": {\"collectives\": \"exact\"},"),
                   "scenario.scale_up.collectives: must be simulated or closed-form");
    ExpectRejected(
        "su-link",
        Replace(gpu, "\"wafers\": 1,", "\"wafers\": 1, \"scale_up\": {\"link\": \"nvlink9\"},"),
        "scenario.scale_up.link: link: unknown 'nvlink9'");
    ExpectRejected(
        "preempt-no-store",
        Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"serving\": {\"preempt_after_s\": 1},"),
        "scenario.serving.preempt_after_s: preempted KV goes to a KV store");
    ExpectRejected(
        "sessions-split",
        Replace(kGood,
                "\"wafers\": 1,",
                "\"wafers\": 1, \"prefill_pool\": {\"wafers\": 1}, \"kv_store\": {\"sessions\": "
                "true},"),
        "scenario.kv_store.sessions: prefix reuse needs prefill and decode on one pipeline");
    ExpectRejected("su-key",
                   Replace(gpu, "\"wafers\": 1,", "\"wafers\": 1, \"scale_up\": {\"ports\": 3},"),
                   "scale_up.ports");
}

TEST(BadInput, MalformedNumbersInAttributes)
{
    // ns-3 itself aborts on these: they must be one-line errors instead.
    ExpectRejected("double",
                   kGood,
                   "ComputeEfficiency: invalid value 'abc'",
                   "--ns3::wafer::RooflineEngine::ComputeEfficiency=abc");
    ExpectRejected("uint",
                   kGood,
                   "MaxBatch: invalid value '1.5'",
                   "--ns3::wafer::PipelineServingEngine::MaxBatch=1.5");
    ExpectRejected("time",
                   kGood,
                   "KernelOverhead: invalid value 'x'",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=x");
}

TEST(BadInput, BrokenTrace)
{
    const std::string dir = TempDir("bad-trace-files");
    const std::string scenario
        = Replace(kGood,
                  R"("workload": {"generator": {"rate_per_s": 5, "requests": 3,
    "input_tokens": {"dist": "fixed", "value": 100}, "output_tokens": {"dist": "fixed", "value": 4}}})",
                  R"("workload": {"trace": "trace.csv"})");
    for (const auto& [name, trace, needle] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"header", "a,b,c\n0,1,1\n", "header must be"},
             {"cells", "arrival_s,input_tokens,output_tokens\n0,1\n", ":2: expected 3"},
             {"zero", "arrival_s,input_tokens,output_tokens\n0,0,5\n", ":2: input_tokens"},
             {"order",
              "arrival_s,input_tokens,output_tokens\n1,5,5\n0.5,5,5\n",
              "must not decrease"},
             // Found by fuzzing: an arrival at 9e9 s wrapped ns-3's Time into a negative TTFT.
             {"far", "arrival_s,input_tokens,output_tokens\n9e9,5,5\n", "arrival_s: must be"},
         })
    {
        const std::string d = TempDir("bad-trace-" + name);
        WriteFile(d + "/trace.csv", trace);
        WriteFile(d + "/s.json", scenario);
        const RunOutput r
            = RunProgram("wafer-sim", "--scenario=" + d + "/s.json --out=" + d + "/r.h5");
        EXPECT_EQ(r.exitCode, 2) << name << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << name << ": " << r.err;
        EXPECT_FALSE(Exists(d + "/r.h5")) << name;
    }
}

TEST(BadInput, PlanErrors)
{
    for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
             {"--model=nope --device=wse-3", "model: unknown 'nope'"},
             {"--model=llama-3.1-8b --device=nope", "device: unknown 'nope'"},
             {"--model=llama-3.1-405b --device=wse-3 --wafers=3", "does not fit"},
             {"--model=llama-3.1-8b --device=wse-3 --context=0", "--context: must be"},
             {"--model=llama-3.1-8b --device=wse-3 --format=xml", "--format: must be"},
             {"--model=llama-3.1-8b --device=wse-3 --weights=fp9", "--weights: unknown precision"},
             {"--model=llama-3.1-70b --device=h100 --tp=0", "--tp: must be"},
         })
    {
        const RunOutput r = RunProgram("wafer-plan", args);
        EXPECT_EQ(r.exitCode, 2) << args;
        EXPECT_EQ(r.err.rfind("wafer-plan: error: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << args << ": " << r.err;
        EXPECT_TRUE(r.out.empty());
    }
}

TEST(BadInput, TraceCellsMayCarrySpaces)
{
    const std::string d = TempDir("trace-spaces");
    WriteFile(d + "/trace.csv",
              "# comment\narrival_s, input_tokens, output_tokens\n0, 16, 2\n0.5 ,8,3\r\n");
    WriteFile(d + "/s.json",
              R"({"schema": "wafer-scenario/1", "name": "t", "model": "llama-3.1-8b",
                  "device": "wse-3", "workload": {"trace": "trace.csv"}})");
    const RunOutput r
        = RunProgram("wafer-sim", "--quiet --scenario=" + d + "/s.json --out=" + d + "/r.h5");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(ReadField(d + "/r.h5", "/requests", "input_tokens"), (std::vector<double>{16, 8}));
    EXPECT_EQ(ReadField(d + "/r.h5", "/requests", "output_tokens"), (std::vector<double>{2, 3}));
}

TEST(BadInput, FrontierErrors)
{
    for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
             {"", "--scenario: missing"},
             {"--scenario=" + SourcePath("scenarios/default.json") + " --concurrency=2,x",
              "--concurrency: must be"},
             {"--scenario=/nonexistent.json", "cannot open"},
         })
    {
        const RunOutput r = RunProgram("wafer-frontier", args);
        EXPECT_EQ(r.exitCode, 2) << args;
        EXPECT_EQ(r.err.rfind("wafer-frontier: error: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << args << ": " << r.err;
    }
}

TEST(BadInput, HostileTextStaysOneShortLine)
{
    // Found by fuzzing: 100,000 nested arrays overflowed the stack when the error line printed
    // the value; a 100,000-character name made a 100 kB error line; a newline in a name split it.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    ExpectRejected("deep",
                   Replace(kGood, "\"wafers\": 1,", "\"wafers\": " + deep + ","),
                   "nested deeper than 64 levels");
    ExpectRejected("long-name",
                   Replace(kGood, "llama-3.1-8b", std::string(100000, 'x')),
                   "model: unknown 'xxxx");
    ExpectRejected("newline-name", Replace(kGood, "llama-3.1-8b", "llama\\n9"), "llama\\n9");
    const std::string dir = TempDir("bad-long-line");
    WriteFile(dir + "/s.json", Replace(kGood, "llama-3.1-8b", std::string(100000, 'x')));
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + dir + "/r.h5");
    EXPECT_LT(r.err.size(), 1100u);
}

TEST(BadInput, FilesOfAnotherKindAreNamedWithTheirProgram)
{
    // Recognised by their schema before any other field, so the error says what the file is and
    // which program reads it, instead of "unknown field" about the first unfamiliar one.
    const std::string dir = TempDir("bad-kind");
    const auto expectOneLine
        = [&](const std::string& program, const std::string& args, const std::string& needle)
    {
        const RunOutput r = RunProgram(program, args);
        EXPECT_EQ(r.exitCode, 2) << program << " " << args << ": " << r.err;
        EXPECT_EQ(r.err.rfind(program + ": error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    };
    const std::string out = " --out=" + dir + "/r.h5";
    expectOneLine("wafer-sim",
                  "--scenario=" + SourcePath("scenarios/streaming/llama-8b-decode-streamed.json")
                      + out,
                  "scenario.schema: \"wafer-streaming/1\" is a weight-streaming study, read by "
                  "wafer-stream; expected \"wafer-scenario/1\"");
    expectOneLine("wafer-sim",
                  "--scenario=" + SourcePath("scenarios/bench/kv60-1hop.json") + out,
                  "is a network case, read by wafer-netval and wafer-netbench");
    expectOneLine("wafer-frontier",
                  "--scenario=" + SourcePath("contrib-wafer/data/devices.json"),
                  "is a device catalog, named in a scenario's \"catalogs\"");
    expectOneLine(
        "wafer-stream",
        "--scenario=" + SourcePath("scenarios/default.json") + out,
        "streaming.schema: \"wafer-scenario/1\" is a serving scenario, read by wafer-sim");
    expectOneLine("wafer-sweep",
                  SourcePath("scenarios/default.json") + " --out=" + dir + "/sweep",
                  "sweep.schema: \"wafer-scenario/1\" is a serving scenario");
    WriteFile(dir + "/odd.json", R"({"schema": "wafer-scenario/2", "name": "x"})");
    expectOneLine("wafer-sim",
                  "--scenario=" + dir + "/odd.json" + out,
                  "scenario.schema: expected \"wafer-scenario/1\", not \"wafer-scenario/2\"");
    EXPECT_FALSE(Exists(dir + "/r.h5"));
}

TEST(BadInput, NetvalRefusesArguments)
{
    // It took no arguments and ignored any it was given.
    const RunOutput r = RunProgram("wafer-netval", "--cases=all");
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(r.err, "wafer-netval: error: --cases=all: unknown argument (it takes none)\n");
    EXPECT_TRUE(r.out.empty());
}

TEST(BadInput, OutputsThatWouldClobberOrFailLate)
{
    namespace fs = std::filesystem;
    // Found by fuzzing: --out equal to the scenario overwrote it; --out=/dev/null (as root)
    // replaced the device with a regular file; a folder, an empty path or an unwritable place
    // was found only after the whole simulation. Each is now refused before anything runs.
    const std::string dir = TempDir("bad-out");
    const std::string scenario = dir + "/s.json";
    WriteFile(scenario, kGood);
    struct Case
    {
        std::string out;
        std::string needle;
    };
    for (const Case& c : {Case{scenario, "is an input of the run"},
                          Case{dir + "/../" + fs::path(dir).filename().string() + "/s.json",
                               "is an input of the run"},
                          Case{"/dev/null", "is not a regular file"},
                          Case{dir, "is a folder"},
                          Case{"/proc/r.h5", "cannot write in /proc"}})
    {
        const RunOutput r
            = RunProgram("wafer-sim", "--scenario=" + scenario + " --out=" + c.out + " --quiet");
        EXPECT_EQ(r.exitCode, 2) << c.out << ": " << r.err;
        EXPECT_NE(r.err.find("--out: "), std::string::npos) << c.out << ": " << r.err;
        EXPECT_NE(r.err.find(c.needle), std::string::npos) << c.out << ": " << r.err;
    }
    std::ifstream in(scenario);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), kGood); // the scenario is intact
    EXPECT_TRUE(fs::is_character_file("/dev/null"));
    // wafer-frontier writes its CSV through the same checks.
    const RunOutput frontier = RunProgram(
        "wafer-frontier", "--scenario=" + scenario + " --concurrency=1 --out=" + scenario);
    EXPECT_EQ(frontier.exitCode, 2) << frontier.err;
    EXPECT_NE(frontier.err.find("is an input of the run"), std::string::npos) << frontier.err;
    const RunOutput empty = RunProgram("wafer-sim", "--scenario=" + scenario + " --out=");
    EXPECT_EQ(empty.exitCode, 2) << empty.err;
}

TEST(BadInput, TimesBeyondNs3sRange)
{
    // Found by fuzzing: KernelOverhead=1e9s gave a negative simulated time, hop_latency_s 1e10
    // wrapped, and a workload spread over 1e10 s could not be simulated. Each is refused up front.
    ExpectRejected("overhead",
                   kGood,
                   "KernelOverhead: must be at most 1e6 seconds",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=1e9s");
    ExpectRejected("overhead-inf",
                   kGood,
                   "must be at most 1e6 seconds",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=1e999s");
    ExpectRejected("overhead-days",
                   kGood,
                   "must be at most 1e6 seconds",
                   "--ns3::wafer::RooflineEngine::KernelOverhead=12d");
    ExpectRejected(
        "hop",
        Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"network\": {\"hop_latency_s\": 1e10},"),
        "hop_latency_s: must be at most 1e6 seconds");
    ExpectRejected("span",
                   Replace(kGood, "\"rate_per_s\": 5", "\"rate_per_s\": 1e-9"),
                   "rate_per_s: the requests would arrive over more than 1e6 seconds");
}

TEST(BadInput, LongScenarioTextIsKeptWhole)
{
    // Found by fuzzing: a scenario text over 64 KiB (a long description) ran to the end, then
    // failed with "H5Acreate2 failed" and lost the run. The text is stored whole.
    const std::string dir = TempDir("long-text");
    const std::string description(200000, 'd');
    WriteFile(dir + "/s.json",
              Replace(kGood,
                      "\"name\": \"t\",",
                      "\"name\": \"t\", \"description\": \"" + description + "\","));
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + dir + "/r.h5 --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(StringAttribute(dir + "/r.h5", "scenario").find(description), std::string::npos);
    const RunOutput summary = RunProgram("wafer-summary", dir + "/r.h5");
    EXPECT_EQ(summary.exitCode, 0) << summary.err;
}

TEST(BadInput, SummaryReadsResultFilesOnly)
{
    // Found by fuzzing: wafer-summary read any HDF5 file with a /summary dataset and printed nan
    // for a field the file lacked, with exit code 0.
    const std::string dir = TempDir("bad-summary");
    WriteFile(dir + "/s.json", kGood);
    ASSERT_EQ(
        RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + dir + "/r.h5 --quiet")
            .exitCode,
        0);
    RunOutput r = RunProgram("wafer-summary", "--fields=ttft_p50_s " + dir + "/r.h5");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("ttft_p50_s"), std::string::npos) << r.out;
    r = RunProgram("wafer-summary", "--fields=ttft_p50_s,no_such_field " + dir + "/r.h5");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err,
              "wafer-summary: error: " + dir + "/r.h5: /summary has no field 'no_such_field'\n");
    EXPECT_TRUE(r.out.empty()) << r.out;
    // A file of another kind: wafer-analyze's merged results have no result schema.
    ASSERT_EQ(
        RunProgram("wafer-analyze", dir + "/r.h5 --quiet --h5=" + dir + "/merged.h5").exitCode, 0);
    r = RunProgram("wafer-summary", dir + "/merged.h5");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err,
              "wafer-summary: error: " + dir
                  + "/merged.h5: schema_version is 'wafer-analysis/1', expected "
                    "'wafer-results/1'\n");
    // Full names: a long file name and a long field name are printed whole.
    const std::string longName = dir + "/result-of-the-co-packaged-optics-run-at-seed-1.h5";
    std::filesystem::copy_file(dir + "/r.h5", longName);
    r = RunProgram("wafer-summary", "--fields=request_kv_transfer_mean_s " + longName);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(" result-of-the-co-packaged-optics-run-at-seed-1\n"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("request_kv_transfer_mean_s "), r.out.find('\n') + 1) << r.out;
    // An option it does not know is not taken for a file (--version is one it knows).
    r = RunProgram("wafer-summary", "--bogus " + dir + "/r.h5");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--bogus: unknown option"), std::string::npos) << r.err;
}

TEST(BadInput, ExtremeButValidSettingsEndQuickly)
{
    // Found by fuzzing: 10 million requests (then the documented limit) needed about 13 GB.
    ExpectRejected("requests",
                   Replace(kGood, "\"requests\": 3", "\"requests\": 1000001"),
                   "requests: must be in [1, 1000000]");
    {
        const std::string dir = TempDir("trace-over-limit");
        std::string trace = "arrival_s,input_tokens,output_tokens\n";
        for (int i = 0; i <= 1000000; ++i)
        {
            trace += "0,1,1\n";
        }
        WriteFile(dir + "/t.csv", trace);
        ExpectRejected("long-trace",
                       Replace(kGood,
                               "\"generator\": {\"rate_per_s\": 5, \"requests\": 3,\n    "
                               "\"input_tokens\": {\"dist\": \"fixed\", \"value\": 100}, "
                               "\"output_tokens\": {\"dist\": \"fixed\", \"value\": 4}}",
                               "\"trace\": \"" + dir + "/t.csv\""),
                       "t.csv:1000002: more than 1000000 requests");
    }
    // Found by fuzzing: port_rate_bps = 1 ran for ever (a message outlasted ns-3's Time), and
    // tensor_parallel = 1024 ran for hours measuring collectives; 1e-3 was reported under the
    // attribute name, not the field the user wrote.
    for (const char* fidelity : {"flow", "chunk", "packet"})
    {
        ExpectRejected(std::string("slow-") + fidelity,
                       Replace(Replace(kGood, "\"value\": 100", "\"value\": 2000"),
                               "\"wafers\": 1,",
                               "\"wafers\": 2, \"fidelity\": \"" + std::string(fidelity)
                                   + "\", \"network\": {\"port_rate_bps\": 1},"),
                       "past the 1e6 s a run may span");
    }
    ExpectRejected(
        "rate-below-one",
        Replace(kGood, "\"wafers\": 1,", "\"wafers\": 1, \"network\": {\"port_rate_bps\": 1e-3},"),
        "scenario.network.port_rate_bps: invalid value '0.001' "
        "(ns3::wafer::LinkTechnology::LaneRate takes double 1:");
    const std::string gpu = Replace(kGood, "\"device\": \"wse-3\"", "\"device\": \"gb300\"");
    ExpectRejected("tp-1024",
                   Replace(gpu, "\"wafers\": 1,", "\"wafers\": 1, \"tensor_parallel\": 1024,"),
                   "scenario.tensor_parallel: 1024 ranks are more than the 144 whose collectives "
                   "are simulated");
    const std::string dir = TempDir("tp-closed");
    WriteFile(dir + "/s.json",
              Replace(gpu,
                      "\"wafers\": 1,",
                      "\"wafers\": 1, \"tensor_parallel\": 1024, \"scale_up\": {\"collectives\": "
                      "\"closed-form\"},"));
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + dir + "/s.json --out=" + dir + "/r.h5 --quiet");
    EXPECT_EQ(r.exitCode, 0) << r.err;
}
