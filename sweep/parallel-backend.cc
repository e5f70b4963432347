/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "parallel-backend.h"

#include "batch-jobs.h"
#include "child-process.h"

#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

std::vector<std::string>
ParallelCommand(const std::string& jobList,
                const std::string& jobLog,
                const ParallelOptions& options)
{
    (void) jobList; // read from standard input
    std::vector<std::string> argv
        = {"parallel", "--jobs", std::to_string(options.jobs), "--joblog", jobLog};
    if (!options.sshLoginFile.empty())
    {
        argv.push_back("--sshloginfile");
        argv.push_back(fs::absolute(options.sshLoginFile).string());
    }
    return argv;
}

int
RunWithParallel(SweepWorkspace& ws, const ParallelOptions& options)
{
    const std::string dir = ws.OutDir() + "/parallel";
    fs::create_directories(dir);
    const std::string jobList = dir + "/jobs.txt";
    const std::vector<size_t> ids = WriteJobList(ws, jobList);
    ws.WriteIndex();
    if (ids.empty())
    {
        std::fprintf(
            stderr, "wafer-sweep: all %zu points done; nothing to run\n", ws.Points().size());
        return 0;
    }
    std::vector<std::string> argv = ParallelCommand(jobList, dir + "/joblog.txt", options);
    std::string line;
    for (const auto& a : argv)
    {
        line += (line.empty() ? "" : " ") + ShellQuote(a);
    }
    line += " < " + ShellQuote(jobList);
    if (!options.run)
    {
        std::printf("wrote %s (%zu points)\nrun:  %s\nthen: %s\n",
                    jobList.c_str(),
                    ids.size(),
                    line.c_str(),
                    options.collectCommand.c_str());
        return 0;
    }
    std::string program;
    for (const char* d : {"/usr/bin/", "/usr/local/bin/", "/bin/"})
    {
        if (fs::exists(std::string(d) + "parallel"))
        {
            program = std::string(d) + "parallel";
            break;
        }
    }
    if (program.empty())
    {
        std::fprintf(stderr,
                     "wafer-sweep: failure: GNU parallel is not installed; run by hand:\n"
                     "  %s\n",
                     line.c_str());
        return 1;
    }
    argv[0] = program;
    std::fprintf(stderr, "wafer-sweep: %s\n", line.c_str());
    for (size_t id : ids)
    {
        ws.Entry(id).status = "running";
    }
    ws.WriteIndex();
    const pid_t pid = SpawnChild(argv, dir + "/parallel.log", jobList);
    const WaitOutcome waited = WaitInterruptibly(pid, []() {});
    if (waited.interruptSignal)
    {
        RemoveTemporaries(ws, ids);
        ws.Refresh(false);
        ws.WriteIndex();
        std::fprintf(stderr, "wafer-sweep: interrupted; run the same command again to finish\n");
        return 128 + waited.interruptSignal;
    }
    return CollectAndReport(ws);
}

} // namespace wafer
} // namespace ns3
