/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Sweep files: expansion (grid x zip x seeds, order and values) and validation (one line naming
// the field and the reason, exit code 2, nothing written).

#include "sweep-point.h"
#include "sweep-spec.h"
#include "test-util.h"

#include "ns3/input-error.h"

#include <gtest/gtest.h>

#include <set>

using namespace wafertest;
using ns3::wafer::ExpandSweep;
using ns3::wafer::InputError;
using ns3::wafer::SweepPoint;
using ns3::wafer::SweepSpec;

namespace
{
/// A small scenario: Llama 3.1 8B on one wafer, 3 generated requests, flow fidelity.
const char* kBase = R"({"schema": "wafer-scenario/1", "name": "tiny", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 20, "requests": 3,
    "input_tokens": {"dist": "fixed", "value": 64}, "output_tokens": {"dist": "fixed", "value": 4}}},
  "seed": 5})";

/// Write base.json and sweep.json (\p body after the schema and base) into a fresh folder.
std::string
WriteSweep(const std::string& name, const std::string& body)
{
    const std::string dir = TempDir("spec-" + name);
    WriteFile(dir + "/base.json", kBase);
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "base": "base.json")"
                  + std::string(body.empty() ? "" : ", ") + body + "}");
    return dir;
}

std::vector<SweepPoint>
Expand(const std::string& name, const std::string& body)
{
    const std::string dir = WriteSweep(name, body);
    return ExpandSweep(SweepSpec::LoadFile(dir + "/sweep.json"));
}

std::string
Param(const SweepPoint& p, const std::string& name)
{
    for (const auto& [k, v] : p.parameters)
    {
        if (k == name)
        {
            return v.is_string() ? v.get<std::string>() : v.dump();
        }
    }
    return "?";
}

/// wafer-sweep on the body: exit 2, one line with \p needle, no output folder.
void
ExpectRejected(const std::string& name, const std::string& body, const std::string& needle)
{
    const std::string dir = WriteSweep("bad-" + name, body);
    const RunOutput r = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + dir + "/out");
    EXPECT_EQ(r.exitCode, 2) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("wafer-sweep: error: ", 0), 0u) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << name << ": " << r.err;
    EXPECT_FALSE(Exists(dir + "/out")) << name;
}
} // namespace

TEST(SweepSpec, GridTimesZipTimesSeeds)
{
    const auto points = Expand("count",
                               R"("grid": {"network.link": ["ethernet-100g-dac", "cpo-800g",
                                   "photonic-face-15t"], "serving.microbatches": [1, 2]},
                                  "zip": [{"workload.generator.input_tokens.value": [64, 128],
                                           "workload.generator.output_tokens.value": [4, 8]}],
                                  "seeds": [3, 9])");
    ASSERT_EQ(points.size(), 3u * 2 * 2 * 2);
    // First grid axis slowest, seeds fastest; zip values move together.
    EXPECT_EQ(Param(points[0], "network.link"), "ethernet-100g-dac");
    EXPECT_EQ(points[0].seed, 3u);
    EXPECT_EQ(points[1].seed, 9u);
    EXPECT_EQ(Param(points[2], "workload.generator.input_tokens.value"), "128");
    EXPECT_EQ(Param(points[2], "workload.generator.output_tokens.value"), "8");
    EXPECT_EQ(Param(points[4], "serving.microbatches"), "2");
    EXPECT_EQ(Param(points[8], "network.link"), "cpo-800g");
    EXPECT_EQ(Param(points[23], "network.link"), "photonic-face-15t");
    std::set<std::string> stems;
    for (size_t k = 0; k < points.size(); ++k)
    {
        EXPECT_EQ(points[k].id, k);
        stems.insert(points[k].stem);
        EXPECT_EQ(points[k].parameters.size(), 4u);
    }
    EXPECT_EQ(stems.size(), points.size()) << "every point has its own files";
    // The materialised scenario carries the values.
    const auto doc = nlohmann::json::parse(points[23].scenarioText);
    EXPECT_EQ(doc["network"]["link"], "photonic-face-15t");
    EXPECT_EQ(doc["workload"]["generator"]["input_tokens"]["value"], 128);
    EXPECT_EQ(doc["serving"]["microbatches"], 2);
}

TEST(SweepSpec, ReplicationsCountFromTheBaseSeed)
{
    const auto points = Expand("reps", R"("replications": 3)");
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(points[0].seed, 5u);
    EXPECT_EQ(points[2].seed, 7u);
}

TEST(SweepSpec, AttributesBecomeOverridesAndSetIsFixed)
{
    const auto points = Expand("attrs",
                               R"("set": {"fidelity": "chunk"},
                                  "grid": {"ns3::wafer::RooflineEngine::KernelOverhead":
                                           ["5us", "10us"]})");
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(points[1].AttributeOverrides(), "--ns3::wafer::RooflineEngine::KernelOverhead=10us");
    EXPECT_EQ(points[0].parameters.size(), 1u) << "set values are not parameters";
    EXPECT_NE(points[0].scenarioText.find("\"chunk\""), std::string::npos);
    EXPECT_EQ(points[0].scenarioText, points[1].scenarioText);
    EXPECT_NE(points[0].stem, points[1].stem);
}

TEST(SweepSpec, RelativeTracePathsFollowTheirFile)
{
    const std::string dir = TempDir("spec-paths");
    WriteFile(dir + "/t.csv", "arrival_s,input_tokens,output_tokens\n0,10,2\n");
    WriteFile(dir + "/base.json", R"({"schema": "wafer-scenario/1", "name": "p",
      "model": "llama-3.1-8b", "device": "wse-3", "wafers": 1, "workload": {"trace": "t.csv"}})");
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "base": "base.json", "replications": 1})");
    const auto points = ExpandSweep(SweepSpec::LoadFile(dir + "/sweep.json"));
    const auto doc = nlohmann::json::parse(points.at(0).scenarioText);
    EXPECT_EQ(doc["workload"]["trace"].get<std::string>(), dir + "/t.csv");
}

TEST(SweepSpec, BadSweepsAreRejectedWithOneLine)
{
    ExpectRejected("unknown-path",
                   R"("grid": {"network.lnk": ["cpo-800g"]})",
                   "scenario.network.lnk: unknown field");
    ExpectRejected(
        "empty", R"("grid": {"network.link": []})", "sweep.grid.network.link: must not be empty");
    ExpectRejected("zip-lengths",
                   R"("zip": {"wafers": [1, 2], "network.link": ["cpo-800g"]})",
                   "zipped lists must have equal lengths");
    ExpectRejected(
        "bad-type", R"("grid": {"wafers": ["one"]})", "scenario.wafers: must be a whole number");
    ExpectRejected(
        "not-a-list", R"("grid": {"wafers": 1})", "sweep.grid.wafers: must be an array of values");
    ExpectRejected("unknown-link",
                   R"("grid": {"network.link": ["copper-9000"]})",
                   "link: unknown 'copper-9000'");
    ExpectRejected("unknown-attribute",
                   R"("grid": {"ns3::wafer::RooflineEngine::KernelOverhed": ["1us"]})",
                   "KernelOverhed: unknown attribute (did you mean "
                   "ns3::wafer::RooflineEngine::KernelOverhead?)");
    ExpectRejected("bad-attribute-value",
                   R"("grid": {"ns3::wafer::RooflineEngine::KernelOverhead": ["fast"]})",
                   "invalid value 'fast'");
    ExpectRejected("repeat", R"("grid": {"wafers": [1, 1]})", "runs the same as point 0");
    ExpectRejected("seeds-and-reps",
                   R"("seeds": [1], "replications": 2)",
                   "give seeds or replications, not both");
    ExpectRejected("bad-seed", R"("seeds": [1, -4])", "sweep.seeds[1]: must be a whole number");
    ExpectRejected("deep",
                   R"("set": {"x": )" + std::string(1000, '[') + std::string(1000, ']') + "}",
                   "nested deeper than 64 levels");
    ExpectRejected("big-seed",
                   R"("seeds": [4294944443])",
                   "sweep.seeds[0]: must be a whole number in [1, 4294944442]");
    ExpectRejected("unknown-key", R"("grdi": {})", "sweep.grdi: unknown field");
    ExpectRejected("seed-param", R"("grid": {"seed": [1, 2]})", "give seeds with");
    ExpectRejected(
        "twice", R"("set": {"wafers": 1}, "grid": {"wafers": [1]})", "parameter given twice");
    ExpectRejected("through-a-string",
                   R"("grid": {"model.size": [1]})",
                   "sweep.grid.model.size: cannot set 'size' inside a string");
}

TEST(SweepSpec, ListAndCheckWriteNothing)
{
    const std::string dir = WriteSweep("list", R"("grid": {"serving.microbatches": [1, 2]})");
    const RunOutput list
        = RunProgram("wafer-sweep", dir + "/sweep.json --list --out=" + dir + "/o");
    EXPECT_EQ(list.exitCode, 0) << list.err;
    EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 2);
    EXPECT_NE(list.out.find("serving.microbatches=2, seed 5"), std::string::npos) << list.out;
    const RunOutput check = RunProgram("wafer-sweep", dir + "/sweep.json --check");
    EXPECT_EQ(check.exitCode, 0) << check.err;
    EXPECT_NE(check.out.find("2 points (2 configurations x 1 seeds)"), std::string::npos);
    EXPECT_FALSE(Exists(dir + "/o"));
}

TEST(SweepSpec, ReplicationsOfAFixedTraceAreWarnedAbout)
{
    // Generated requests: each seed draws other requests, no warning.
    const std::string generated = WriteSweep("seeds-generated", R"("replications": 3)");
    RunOutput r = RunProgram("wafer-sweep", generated + "/sweep.json --check");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    // A fixed trace: the seeds of a configuration can only repeat one result.
    const std::string fixed = WriteSweep("seeds-trace", R"("replications": 3)");
    WriteFile(fixed + "/trace.csv", "arrival_s,input_tokens,output_tokens\n0,64,4\n0.1,64,4\n");
    std::string base = kBase;
    const std::string generator = base.substr(base.find("{\"generator\""));
    base.replace(
        base.find("{\"generator\""), generator.find("}},") + 2, "{\"trace\": \"trace.csv\"}");
    WriteFile(fixed + "/base.json", base);
    r = RunProgram("wafer-sweep", fixed + "/sweep.json --check");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("warning: " + fixed
                         + "/sweep.json: 3 of 3 points replay a fixed trace with no random "
                           "faults: their 3 seeds give the same results"),
              std::string::npos)
        << r.err;
    // Random link failures draw from the seed even over a fixed trace.
    std::string faulty = base;
    faulty.replace(faulty.find("\"fidelity\""),
                   0,
                   "\"faults\": [{\"kind\": \"link_failures\", \"rate_scale\": 1e6}], ");
    WriteFile(fixed + "/base.json", faulty);
    r = RunProgram("wafer-sweep", fixed + "/sweep.json --check");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
}
