/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The command-line conventions every program shares, as an ns-3 user types them: --help, -h,
// --PrintHelp and --version everywhere; ns-3 CommandLine's --PrintTypeIds, --PrintGroups,
// --PrintGroup, --PrintGlobals and --PrintAttributes in every program that builds a simulation,
// printing what ns-3 prints; a one-line error (exit 2) for what cannot be printed.

#include "test-util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <regex>

using namespace wafertest;

namespace
{
const std::vector<std::string> kSimulating = {"wafer-sim",
                                              "wafer-plan",
                                              "wafer-stream",
                                              "wafer-frontier",
                                              "wafer-netval",
                                              "wafer-netbench",
                                              "wafer-eventbench"};
const std::vector<std::string> kOthers = {"wafer-summary", "wafer-sweep", "wafer-analyze"};

void
ExpectOneLineError(const std::string& program, const std::string& args, const std::string& needle)
{
    const RunOutput r = RunProgram(program, args);
    EXPECT_EQ(r.exitCode, 2) << program << " " << args;
    EXPECT_EQ(r.err.rfind(program + ": error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}
} // namespace

TEST(CommandLine, HelpAndVersionInEveryProgram)
{
    std::vector<std::string> all = kSimulating;
    all.insert(all.end(), kOthers.begin(), kOthers.end());
    for (const std::string& p : all)
    {
        for (const char* help : {"--help", "-h", "--PrintHelp"})
        {
            const RunOutput r = RunProgram(p, help);
            EXPECT_EQ(r.exitCode, 0) << p << " " << help << ": " << r.err;
            EXPECT_EQ(r.out.rfind("usage: " + p, 0), 0u) << p << " " << help << ": " << r.out;
            EXPECT_TRUE(r.err.empty()) << r.err;
        }
        // Anywhere on the line, before the program's own arguments are read.
        EXPECT_EQ(RunProgram(p, "--no-such-option --help").exitCode, 0) << p;
        const RunOutput v = RunProgram(p, "--version");
        EXPECT_EQ(v.exitCode, 0) << p << ": " << v.err;
        EXPECT_TRUE(std::regex_match(
            v.out,
            std::regex(p
                       + " [0-9]+\\.[0-9]+\\.[0-9]+ \\(the wafer module, built on ns-3\\.37\\)\n")))
            << v.out;
    }
}

TEST(CommandLine, Ns3IntrospectionInEverySimulatingProgram)
{
    for (const std::string& p : kSimulating)
    {
        // What ns-3's CommandLine prints: a wafer attribute with its default, a TypeId, a global.
        const RunOutput attrs
            = RunProgram(p, "--PrintAttributes=ns3::wafer::PipelineServingEngine");
        EXPECT_EQ(attrs.exitCode, 0) << p << ": " << attrs.err;
        EXPECT_NE(attrs.out.find("--ns3::wafer::PipelineServingEngine::Admission=["
                                 "ns3::wafer::FcfsAdmission]"),
                  std::string::npos)
            << p << ": " << attrs.out;
        const RunOutput ids = RunProgram(p, "--PrintTypeIds");
        EXPECT_EQ(ids.exitCode, 0) << p;
        EXPECT_NE(ids.out.find("ns3::wafer::FlowTransport"), std::string::npos) << p;
        EXPECT_NE(ids.out.find("ns3::PointToPointNetDevice"), std::string::npos) << p;
        const RunOutput globals = RunProgram(p, "--PrintGlobals");
        EXPECT_EQ(globals.exitCode, 0) << p;
        EXPECT_NE(globals.out.find("--RngSeed="), std::string::npos) << p;
        const RunOutput groups = RunProgram(p, "--PrintGroups");
        EXPECT_EQ(groups.exitCode, 0) << p;
        EXPECT_NE(groups.out.find("Wafer"), std::string::npos) << p;
        const RunOutput group = RunProgram(p, "--PrintGroup=Wafer");
        EXPECT_EQ(group.exitCode, 0) << p;
        EXPECT_NE(group.out.find("ns3::wafer::"), std::string::npos) << p;

        // ns-3 itself aborts on an unknown TypeId: here it is one line and exit 2.
        ExpectOneLineError(p,
                           "--PrintAttributes=ns3::wafer::NoSuchModel",
                           "--PrintAttributes: unknown TypeId 'ns3::wafer::NoSuchModel'");
        ExpectOneLineError(p, "--PrintTypeIds=1", "--PrintTypeIds: takes no value");
        ExpectOneLineError(p, "--PrintAttributes", "--PrintAttributes: needs =VALUE");
    }
    for (const std::string& p : kOthers)
    {
        ExpectOneLineError(p, "--PrintTypeIds", "this program builds no simulation");
    }
}

TEST(CommandLine, NetbenchNamesAnUnknownArgument)
{
    // Hostile lengths stay one short line.
    const std::string longName(5000, 'x');
    for (const auto& [program, args] :
         {std::make_pair(std::string("wafer-netbench"), "--" + longName),
          std::make_pair(std::string("wafer-sim"), "--PrintAttributes=ns3::wafer::" + longName)})
    {
        const RunOutput r = RunProgram(program, args);
        EXPECT_EQ(r.exitCode, 2) << program;
        EXPECT_LT(r.err.size(), 1100u) << program;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << program;
    }
    ExpectOneLineError(
        "wafer-netbench", "--cases=all", "--cases=all: unknown argument (see --help)");
}

TEST(CommandLine, RngSeedAndRngRunAsNs3UsersTypeThem)
{
    // Poisson arrivals and drawn lengths: the seed and the run number both reach them.
    const std::string dir = TempDir("rng-run");
    const std::string scenario = "--scenario=" + SourcePath("scenarios/llama-8b-1-wafer.json");
    auto run = [&](const std::string& name, const std::string& args)
    {
        const std::string out = dir + "/" + name + ".h5";
        const RunOutput r
            = RunProgram("wafer-sim", scenario + " --quiet --out=" + out + " " + args);
        EXPECT_EQ(r.exitCode, 0) << args << ": " << r.err;
        return out;
    };
    const std::string seed7 = run("seed7", "--seed=7");
    const std::string rngSeed7 = run("rngseed7", "--RngSeed=7");
    const std::string run1 = run("run1", "--seed=7 --RngRun=1");
    const std::string run2 = run("run2", "--RngSeed=7 --RngRun=2");
    const std::string run3 = run("run3", "--RngSeed=7 --RngRun=3");
    EXPECT_EQ(ReadField(seed7, "/requests", "arrival_s"),
              ReadField(rngSeed7, "/requests", "arrival_s"));
    EXPECT_EQ(ReadField(seed7, "/requests", "arrival_s"),
              ReadField(run1, "/requests", "arrival_s"));
    // Other runs of one seed are other draws, and each other's too.
    const auto a2 = ReadField(run2, "/requests", "arrival_s");
    EXPECT_NE(ReadField(seed7, "/requests", "arrival_s"), a2);
    EXPECT_NE(ReadField(run3, "/requests", "arrival_s"), a2);
    EXPECT_EQ(AttributeBytes(run2, "rng_run"),
              AttributeBytes(run("run2again", "--seed=7 --RngRun=2"), "rng_run"));
    EXPECT_EQ(ReadField(run2, "/summary", "seed")[0], 7);
    // A run number is recorded beside the seed so that a file says how to make it again.
    int64_t recorded = 0;
    const std::vector<char> bytes = AttributeBytes(run2, "rng_run");
    ASSERT_EQ(bytes.size(), sizeof recorded);
    std::memcpy(&recorded, bytes.data(), sizeof recorded);
    EXPECT_EQ(recorded, 2);

    ExpectOneLineError(
        "wafer-sim", scenario + " --out=" + dir + "/x.h5 --seed=7 --RngSeed=8", "--RngSeed");
    ExpectOneLineError("wafer-sim", scenario + " --out=" + dir + "/x.h5 --RngRun=0", "--RngRun");
    ExpectOneLineError("wafer-sim", scenario + " --out=" + dir + "/x.h5 --RngRun=x", "--RngRun");
    EXPECT_FALSE(Exists(dir + "/x.h5"));
}

TEST(CommandLine, ProgressLineChangesNoResult)
{
    // --progress shows the line though stderr is a pipe here; the run must be the same run.
    const std::string dir = TempDir("progress");
    const std::string scenario
        = "--scenario=" + SourcePath("scenarios/llama-405b-min-wafers.json") + " --quiet";
    const RunOutput with
        = RunProgram("wafer-sim", scenario + " --progress --out=" + dir + "/with.h5");
    ASSERT_EQ(with.exitCode, 0) << with.err;
    const RunOutput without = RunProgram("wafer-sim", scenario + " --out=" + dir + "/without.h5");
    ASSERT_EQ(without.exitCode, 0) << without.err;
    EXPECT_NE(with.err.find("s simulated"), std::string::npos) << with.err;
    EXPECT_NE(with.err.find("% done"), std::string::npos) << with.err;
    EXPECT_EQ(without.err.find("s simulated"), std::string::npos) << without.err;
    // wafer-stream: many short simulations, each with its own scheduler.
    const std::string study
        = "--scenario=" + SourcePath("scenarios/streaming/llama-8b-decode-streamed.json");
    const RunOutput streamWith
        = RunProgram("wafer-stream", study + " --quiet --progress --out=" + dir + "/swith.h5");
    ASSERT_EQ(streamWith.exitCode, 0) << streamWith.err;
    EXPECT_NE(streamWith.err.find("% done"), std::string::npos) << streamWith.err;
    ASSERT_EQ(RunProgram("wafer-stream", study + " --quiet --out=" + dir + "/swithout.h5").exitCode,
              0);
    for (const char* ds : {"/points", "/layers", "/summary"})
    {
        EXPECT_EQ(DatasetBytes(dir + "/swith.h5", ds), DatasetBytes(dir + "/swithout.h5", ds))
            << ds;
    }
    for (const std::string& ds : Datasets(dir + "/with.h5"))
    {
        EXPECT_EQ(DatasetBytes(dir + "/with.h5", "/" + ds),
                  DatasetBytes(dir + "/without.h5", "/" + ds))
            << ds;
    }
}
