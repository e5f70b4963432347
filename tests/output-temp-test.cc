/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Temporary output files: removed when a writer is interrupted by SIGINT or SIGTERM, and, after
// a SIGKILL, by the next run that writes the same output (found by kill -9 / SIGINT runs: 17
// leftovers after 90 kills).

#include "test-util.h"

#include "ns3/output-temp.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

using namespace ns3::wafer;
using namespace wafertest;

namespace
{
/// The pid of a process that has ended.
pid_t
DeadPid()
{
    const pid_t pid = fork();
    if (pid == 0)
    {
        _exit(0);
    }
    waitpid(pid, nullptr, 0);
    return pid;
}
} // namespace

TEST(OutputTemp, SignalsRemoveTheTemporaryFile)
{
    for (int sig : {SIGINT, SIGTERM})
    {
        const std::string out = TempDir("temp-signal-" + std::to_string(sig)) + "/r.h5";
        const pid_t pid = fork();
        if (pid == 0)
        {
            OutputTemp tmp(out);
            std::ofstream(tmp.Path()) << "half a result";
            raise(sig);
            _exit(0); // not reached: the signal ends the process
        }
        int status = 0;
        waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << sig;
        EXPECT_FALSE(Exists(out + ".tmp." + std::to_string(pid))) << sig;
        EXPECT_FALSE(Exists(out)) << sig;
    }
}

TEST(OutputTemp, NextRunRemovesLeftoversOfDeadProcessesOnly)
{
    const std::string dir = TempDir("temp-stale");
    const std::string out = dir + "/r.h5";
    const std::string dead = out + ".tmp." + std::to_string(DeadPid());
    const std::string alive = out + ".tmp." + std::to_string(getpid());
    const std::string other = dir + "/other.h5.tmp." + std::to_string(DeadPid());
    for (const auto& f : {dead, alive, other})
    {
        std::ofstream(f) << "left over";
    }
    const RunOutput r = RunProgram("wafer-sim",
                                   "--scenario=" + SourcePath("scenarios/llama-8b-1-wafer.json")
                                       + " --out=" + out + " --quiet --fidelity=flow");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(Exists(out));
    EXPECT_FALSE(Exists(dead)); // its writer is gone
    EXPECT_TRUE(Exists(alive)); // its writer (this test) is alive
    EXPECT_TRUE(Exists(other)); // another output's
}

TEST(OutputTemp, AReportFolderOfADeadProcessIsRemovedByTheNext)
{
    const std::string dir = TempDir("temp-stale-folder");
    const std::string report = dir + "/report";
    const std::string dead = report + ".tmp." + std::to_string(DeadPid());
    std::filesystem::create_directories(dead + "/plots");
    std::ofstream(dead + "/plots/half.dat") << "left over";
    {
        OutputTempDir tmp(report + "/");
        EXPECT_FALSE(Exists(dead));
        std::ofstream(tmp.Path() + "/stats.csv") << "complete";
        tmp.Commit();
    }
    EXPECT_TRUE(Exists(report + "/stats.csv"));
    EXPECT_EQ(ListDir(dir), std::vector<std::string>{"report"});
    {
        OutputTempDir failed(report); // never committed: nothing of it stays
        std::ofstream(failed.Path() + "/stats.csv") << "half";
    }
    EXPECT_EQ(ListDir(dir), std::vector<std::string>{"report"});
    std::ifstream in(report + "/stats.csv");
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "complete");
}
