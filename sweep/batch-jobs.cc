/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "batch-jobs.h"

#include "atomic-file.h"
#include "child-process.h"
#include "interrupt-guard.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

std::vector<size_t>
WriteJobList(SweepWorkspace& ws, const std::string& path)
{
    const std::vector<size_t> ids = ws.Unfinished();
    std::string text;
    for (size_t id : ids)
    {
        text += ws.ShellCommand(id) + "\n";
        std::error_code ec;
        fs::remove(ws.LogPath(id), ec);
    }
    WriteFileAtomically(path, text);
    return ids;
}

WaitOutcome
WaitInterruptibly(pid_t pid, const std::function<void()>& onInterrupt)
{
    InterruptGuard guard;
    while (true)
    {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
        {
            return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), 0};
        }
        if (const int signal = InterruptGuard::Received())
        {
            onInterrupt();
            TerminateChild(pid);
            const ChildExit e = WaitChild(pid);
            return {e.signal ? 128 + e.signal : e.code, signal};
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        ::nanosleep(&ts, nullptr);
    }
}

void
RemoveTemporaries(const SweepWorkspace& ws, const std::vector<size_t>& ids)
{
    for (size_t id : ids)
    {
        const fs::path result(ws.ResultPath(id));
        const std::string prefix = result.filename().string() + ".tmp.";
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(result.parent_path(), ec))
        {
            if (e.path().filename().string().rfind(prefix, 0) == 0)
            {
                fs::remove(e.path(), ec);
            }
        }
    }
}

int
CollectAndReport(SweepWorkspace& ws)
{
    ws.Refresh(true);
    ws.WriteIndex();
    const SweepIndex& index = ws.Index();
    const size_t done = index.Count("done");
    const size_t failed = index.Count("failed");
    std::fprintf(
        stderr,
        "wafer-sweep: %zu of %zu points done, %zu failed, %zu not run yet (%s/index.json)\n",
        done,
        index.points.size(),
        failed,
        index.points.size() - done - failed,
        ws.OutDir().c_str());
    size_t shown = 0;
    for (const auto& e : index.points)
    {
        if (e.status == "failed" && shown++ < 5)
        {
            std::fprintf(stderr, "  point %zu failed: %s\n", e.id, e.error.c_str());
        }
    }
    return done == index.points.size() ? 0 : 1;
}

} // namespace wafer
} // namespace ns3
