/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_BATCH_JOBS_H
#define WAFER_BATCH_JOBS_H

#include "sweep-workspace.h"

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Write the shell command of every unfinished point of \p ws to \p path, one a line (written
 * atomically), and remove those points' old logs so a later collection reads only new ones.
 * \return the ids written, in line order
 */
std::vector<size_t> WriteJobList(SweepWorkspace& ws, const std::string& path);

/**
 * \ingroup wafer
 * How a waited-for child ended, or that the wait was interrupted.
 */
struct WaitOutcome
{
    int code{0};            ///< exit code, or 128 + the signal that killed it
    int interruptSignal{0}; ///< SIGINT or SIGTERM received while waiting, else 0
};

/**
 * \ingroup wafer
 * Wait for child \p pid, polling for SIGINT/SIGTERM. On a signal, \p onInterrupt runs (to cancel
 * what the child started) and the child's process group is terminated.
 */
WaitOutcome WaitInterruptibly(pid_t pid, const std::function<void()>& onInterrupt);

/**
 * \ingroup wafer
 * Remove result temporaries (<result>.tmp.*) of the points \p ids: what a stopped run left.
 */
void RemoveTemporaries(const SweepWorkspace& ws, const std::vector<size_t>& ids);

/**
 * \ingroup wafer
 * Check every point's result after a scheduler ran them (Refresh(true)), write the index and
 * print a one-line summary, with the first failures.
 * \return 0 if every point is done, else 1
 */
int CollectAndReport(SweepWorkspace& ws);

} // namespace wafer
} // namespace ns3

#endif // WAFER_BATCH_JOBS_H
