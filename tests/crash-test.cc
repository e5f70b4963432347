/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Crash test: wafer-sim and wafer-sweep killed (SIGKILL) or interrupted (SIGINT) at moments drawn
// from a fixed seed. Afterwards there is never a corrupt or partial result under the output's
// name, the next run leaves no temporary file behind, and an interrupted sweep completes on
// rerun with every point valid.

#include "atomic-file.h"
#include "result-validation.h"
#include "sweep-point.h"
#include "sweep-spec.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

using namespace wafertest;
namespace fs = std::filesystem;

namespace
{
const char* kScenario = R"({"schema": "wafer-scenario/1", "name": "crash", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 2, "fidelity": "chunk",
  "workload": {"generator": {"rate_per_s": 50, "requests": 24,
    "input_tokens": {"dist": "fixed", "value": 2000}, "output_tokens": {"dist": "fixed", "value": 64}}}})";

/// A complete result file of wafer-sim, or no file at all.
void
ExpectCompleteOrAbsent(const std::string& file, const std::string& text, const std::string& context)
{
    if (!Exists(file))
    {
        return;
    }
    ns3::wafer::ExpectedRun want;
    want.scenarioText = text;
    EXPECT_EQ(ns3::wafer::CheckResultFile(file, want), "") << context;
}

size_t
Temporaries(const std::string& dir)
{
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
    {
        n += e.path().filename().string().find(".tmp.") != std::string::npos;
    }
    return n;
}

} // namespace

TEST(Crash, KilledOrInterruptedSimLeavesNoPartialResult)
{
    // A run of about a second and a half: most kills land while it simulates or writes.
    const std::string dir = TempDir("crash-sim");
    const std::string scenario = SourcePath("scenarios/llama-405b-min-wafers.json");
    const std::string text = ns3::wafer::ReadTextFile(scenario);
    const std::string out = dir + "/r.h5";
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> delayMs(0, 1500);
    for (int k = 0; k < 12; ++k)
    {
        const int sig = k % 2 ? SIGINT : SIGKILL;
        const int pid = StartProgram(
            "wafer-sim", {"--scenario=" + scenario, "--out=" + out, "--quiet"}, dir + "/err");
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(pid, sig);
        const int rc = WaitExit(pid);
        EXPECT_TRUE(rc == 0 || rc == 128 + sig) << k << ": " << rc;
        ExpectCompleteOrAbsent(out, text, "after kill " + std::to_string(k));
        if (sig == SIGINT)
        {
            // Its own temporary: one a SIGKILL left before stays until a run reaches its write.
            EXPECT_FALSE(Exists(out + ".tmp." + std::to_string(pid))) << "SIGINT cleans up: " << k;
        }
    }
    // The next run completes and removes what killed runs left.
    const RunOutput r
        = RunProgram("wafer-sim", "--scenario=" + scenario + " --out=" + out + " --quiet");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ExpectCompleteOrAbsent(out, text, "final");
    EXPECT_TRUE(Exists(out));
    EXPECT_EQ(Temporaries(dir), 0u);
}

TEST(Crash, KilledOrInterruptedSweepCompletesOnRerun)
{
    const std::string dir = TempDir("crash-sweep");
    WriteFile(dir + "/base.json", kScenario);
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "name": "crash", "base": "base.json",
                  "grid": {"serving.microbatches": [1, 2, 3, 4]}, "seeds": [1, 2]})");
    const std::string out = dir + "/out";
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> delayMs(50, 900);
    for (int k = 0; k < 6; ++k)
    {
        const int sig = k % 2 ? SIGINT : SIGKILL;
        const int pid = StartProgram(
            "wafer-sweep", {dir + "/sweep.json", "--out=" + out, "--jobs=2"}, dir + "/err");
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(pid, sig);
        const int rc = WaitExit(pid);
        EXPECT_TRUE(rc == 0 || rc == 128 + sig) << k << ": " << rc;
        // Children die with the sweep; give them a moment to go.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const RunOutput again = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out);
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(Temporaries(out), 0u);
    const auto points
        = ns3::wafer::ExpandSweep(ns3::wafer::SweepSpec::LoadFile(dir + "/sweep.json"));
    ASSERT_EQ(points.size(), 8u);
    for (const auto& p : points)
    {
        const std::string file = out + "/points/" + p.stem + ".h5";
        EXPECT_EQ(ns3::wafer::CheckResultFile(file, p.Expected()), "") << p.stem;
    }
}
