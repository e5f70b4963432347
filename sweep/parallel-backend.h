/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PARALLEL_BACKEND_H
#define WAFER_PARALLEL_BACKEND_H

#include "sweep-workspace.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How to hand a sweep to GNU parallel.
 */
struct ParallelOptions
{
    bool run{false};          ///< run parallel now and collect (else print the command)
    unsigned jobs{2};         ///< --jobs (per machine with an ssh login file)
    std::string sshLoginFile; ///< --sshloginfile, to spread the points over machines
    std::string collectCommand;
};

/// The GNU parallel command line for a job list.
std::vector<std::string> ParallelCommand(const std::string& jobList,
                                         const std::string& jobLog,
                                         const ParallelOptions& options);

/**
 * \ingroup wafer
 * Write <out>/parallel/jobs.txt (one wafer-sim command per unfinished point) and print the
 * parallel command that runs it; with \p options.run, run it here and collect the results.
 * The machines of an ssh login file must see the same paths (a shared file system).
 * \return 0 on success (running: every point done), 1 otherwise, 128 + signal if interrupted
 */
int RunWithParallel(SweepWorkspace& ws, const ParallelOptions& options);

} // namespace wafer
} // namespace ns3

#endif // WAFER_PARALLEL_BACKEND_H
