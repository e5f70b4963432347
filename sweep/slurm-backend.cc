/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "slurm-backend.h"

#include "atomic-file.h"
#include "batch-jobs.h"
#include "child-process.h"

#include <boost/algorithm/string.hpp>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

std::string
SlurmScript(const std::string& name,
            const std::string& jobList,
            const std::string& taskLog,
            size_t lines,
            size_t tasks,
            const std::string& sbatchArgs)
{
    std::ostringstream os;
    os << "#!/bin/bash\n"
       << "# wafer-sweep job array: " << lines << " points of sweep '" << name << "' in " << tasks
       << " tasks; task t runs lines t+1, t+1+" << tasks << ", ... of the job list.\n"
       << "#SBATCH --job-name=" << ShellQuote("wafer-sweep-" + name) << "\n"
       << "#SBATCH --array=0-" << tasks - 1 << "\n"
       << "#SBATCH --ntasks=1\n"
       << "#SBATCH --cpus-per-task=1\n"
       << "#SBATCH --output=" << taskLog << "\n";
    std::vector<std::string> extra;
    const std::string trimmed = boost::algorithm::trim_copy(sbatchArgs);
    if (!trimmed.empty())
    {
        boost::algorithm::split(extra, trimmed, boost::is_any_of(" \t"), boost::token_compress_on);
    }
    for (const auto& e : extra)
    {
        os << "#SBATCH " << e << "\n";
    }
    os << "set -u\n"
       << "jobs=" << ShellQuote(jobList) << "\n"
       << "status=0\n"
       << "while IFS= read -r line; do\n"
       << "  bash -c \"$line\" || status=1\n"
       << "done < <(awk -v t=\"$SLURM_ARRAY_TASK_ID\" -v n=" << tasks
       << " '(NR - 1) % n == t' \"$jobs\")\n"
       << "exit $status\n";
    return os.str();
}

int
RunOnSlurm(SweepWorkspace& ws, const SlurmOptions& options)
{
    const std::string dir = ws.OutDir() + "/slurm";
    fs::create_directories(dir);
    const std::vector<size_t> ids = WriteJobList(ws, dir + "/jobs.txt");
    if (ids.empty())
    {
        ws.WriteIndex();
        std::fprintf(
            stderr, "wafer-sweep: all %zu points done; nothing to submit\n", ws.Points().size());
        return 0;
    }
    const size_t tasks = std::min(ids.size(), std::max<size_t>(options.maxArray, 1));
    const std::string script = dir + "/job.sh";
    WriteFileAtomically(script,
                        SlurmScript(ws.Index().name,
                                    dir + "/jobs.txt",
                                    dir + "/task-%a.out",
                                    ids.size(),
                                    tasks,
                                    options.sbatchArgs));
    ::chmod(script.c_str(), 0755);
    if (!options.submit)
    {
        ws.WriteIndex();
        std::printf("wrote %s (%zu points in %zu array tasks)\nsubmit: sbatch %s\nthen:   %s\n",
                    script.c_str(),
                    ids.size(),
                    tasks,
                    script.c_str(),
                    options.collectCommand.c_str());
        return 0;
    }

    std::vector<std::string> argv = {options.sbatch, "--parsable"};
    if (options.wait)
    {
        argv.push_back("--wait");
    }
    argv.push_back(script);
    for (size_t id : ids)
    {
        ws.Entry(id).status = "submitted";
        ws.Entry(id).error.clear();
    }
    ws.WriteIndex();
    const std::string out = dir + "/sbatch.out";
    pid_t pid = 0;
    try
    {
        // sbatch is looked up on PATH by the shell-less spawn only with a path; resolve it.
        std::string sbatch = options.sbatch;
        if (sbatch.find('/') == std::string::npos)
        {
            for (const char* d : {"/usr/bin/", "/usr/local/bin/", "/bin/"})
            {
                if (fs::exists(std::string(d) + sbatch))
                {
                    sbatch = std::string(d) + sbatch;
                    break;
                }
            }
        }
        argv[0] = sbatch;
        pid = SpawnChild(argv, out);
    }
    catch (const std::exception& e)
    {
        for (size_t id : ids)
        {
            ws.Entry(id).status = "pending";
        }
        ws.WriteIndex();
        std::fprintf(stderr, "wafer-sweep: failure: %s\n", e.what());
        return 1;
    }
    auto jobId = [&out]()
    {
        std::string first = ReadTextFile(out);
        first = first.substr(0, first.find('\n'));
        return boost::algorithm::trim_copy(first.substr(0, first.find(';')));
    };
    const WaitOutcome waited = WaitInterruptibly(
        pid,
        [&]()
        {
            const std::string id = jobId();
            if (!id.empty())
            {
                std::fprintf(stderr, "wafer-sweep: interrupted: cancelling job %s\n", id.c_str());
                const pid_t cancel = SpawnChild({"/usr/bin/scancel", id}, dir + "/scancel.out");
                WaitChild(cancel);
            }
        });
    const std::string job = jobId();
    if (waited.interruptSignal)
    {
        RemoveTemporaries(ws, ids);
        ws.Refresh(false);
        ws.WriteIndex();
        return 128 + waited.interruptSignal;
    }
    if (job.empty() || job.find_first_not_of("0123456789") != std::string::npos)
    {
        for (size_t id : ids)
        {
            ws.Entry(id).status = "pending";
        }
        ws.WriteIndex();
        std::fprintf(stderr, "wafer-sweep: failure: sbatch: %s\n", LastLine(out).c_str());
        return 1;
    }
    for (size_t id : ids)
    {
        ws.Entry(id).job = job;
    }
    if (!options.wait)
    {
        ws.WriteIndex();
        std::printf("submitted job %s: %zu points in %zu array tasks\nwhen it has finished: %s\n",
                    job.c_str(),
                    ids.size(),
                    tasks,
                    options.collectCommand.c_str());
        return 0;
    }
    std::fprintf(
        stderr, "wafer-sweep: job %s finished (sbatch exit code %d)\n", job.c_str(), waited.code);
    return CollectAndReport(ws);
}

} // namespace wafer
} // namespace ns3
