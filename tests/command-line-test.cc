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
