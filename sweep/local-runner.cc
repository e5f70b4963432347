/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "local-runner.h"

#include "child-process.h"
#include "interrupt-guard.h"
#include "progress-bar.h"

#include <signal.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

namespace
{
using Clock = std::chrono::steady_clock;

struct Running
{
    size_t id;
    Clock::time_point start;
};

/// Remove temporaries (<file>.tmp.<pid>) that a killed earlier run left behind.
void
RemoveStaleTemporaries(const std::string& pointsDir)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(pointsDir, ec))
    {
        const std::string name = entry.path().filename().string();
        const auto at = name.rfind(".tmp.");
        if (at == std::string::npos)
        {
            continue;
        }
        const long pid = std::strtol(name.c_str() + at + 5, nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0)
        {
            fs::remove(entry.path(), ec);
        }
    }
}

void
Nap()
{
    struct timespec ts = {0, 20 * 1000 * 1000};
    ::nanosleep(&ts, nullptr); // a signal cuts it short
}
} // namespace

int
RunLocally(SweepWorkspace& ws, const LocalRunOptions& options)
{
    RemoveStaleTemporaries(ws.OutDir() + "/points");
    const std::vector<size_t> pending = ws.Unfinished();
    for (size_t id : pending)
    {
        ws.Entry(id).status = "pending";
        ws.Entry(id).job.clear();
    }
    ws.WriteIndex();

    InterruptGuard guard;
    ProgressBar bar(pending.size(), options.interactive, options.progress);
    std::map<pid_t, Running> running;
    size_t next = 0;
    size_t finished = 0;
    size_t failed = 0;
    auto lastIndexWrite = Clock::now();
    bool dirty = false;

    while ((next < pending.size() || !running.empty()) && !InterruptGuard::Received())
    {
        while (next < pending.size() && running.size() < options.jobs
               && !InterruptGuard::Received())
        {
            const size_t id = pending[next++];
            try
            {
                const pid_t pid = SpawnChild(ws.Command(id), ws.LogPath(id));
                running[pid] = Running{id, Clock::now()};
                ws.Entry(id).status = "running";
                dirty = true;
            }
            catch (const std::exception& e)
            {
                ws.Entry(id).status = "failed";
                ws.Entry(id).error = e.what();
                ++finished;
                ++failed;
                bar.Message("wafer-sweep: point " + std::to_string(id) + " failed: " + e.what());
            }
        }
        while (auto exit = ReapChild())
        {
            auto it = running.find(exit->pid);
            if (it == running.end())
            {
                continue;
            }
            const size_t id = it->second.id;
            const double wallS
                = std::chrono::duration<double>(Clock::now() - it->second.start).count();
            running.erase(it);
            ws.Finish(id, exit->code, exit->signal, wallS);
            ++finished;
            dirty = true;
            if (ws.Entry(id).status != "done")
            {
                ++failed;
                bar.Message("wafer-sweep: point " + std::to_string(id) + " ("
                            + ws.Points()[id].Describe() + ") failed: " + ws.Entry(id).error);
            }
        }
        bar.Update(finished, failed, running.size());
        if (dirty && Clock::now() - lastIndexWrite > std::chrono::seconds(1))
        {
            ws.WriteIndex();
            lastIndexWrite = Clock::now();
            dirty = false;
        }
        Nap();
    }

    const int signal = InterruptGuard::Received();
    if (signal)
    {
        // Stop the running points; what they had written is removed, they stay pending.
        for (const auto& [pid, r] : running)
        {
            TerminateChild(pid);
        }
        for (const auto& [pid, r] : running)
        {
            WaitChild(pid);
            std::error_code ec;
            fs::remove(ws.ResultPath(r.id) + ".tmp." + std::to_string(pid), ec);
            fs::remove(ws.LogPath(r.id), ec);
            ws.Entry(r.id).status = "pending";
        }
        running.clear();
        // A point may have renamed its result into place just before the signal.
        ws.Refresh(false);
    }
    ws.WriteIndex();
    bar.Update(finished, failed, 0, true);
    bar.Finish();
    if (signal)
    {
        std::fprintf(stderr,
                     "wafer-sweep: interrupted: %zu of %zu points done, %zu not; run the same "
                     "command again to finish\n",
                     ws.Index().Count("done"),
                     ws.Points().size(),
                     ws.Points().size() - ws.Index().Count("done"));
        return 128 + signal;
    }
    return ws.Index().Count("done") == ws.Points().size() ? 0 : 1;
}

} // namespace wafer
} // namespace ns3
