/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SLURM_BACKEND_H
#define WAFER_SLURM_BACKEND_H

#include "sweep-workspace.h"

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How to hand a sweep to SLURM.
 */
struct SlurmOptions
{
    bool submit{true};      ///< run sbatch (else only write the script)
    bool wait{false};       ///< sbatch --wait, then collect the results
    std::string sbatchArgs; ///< extra sbatch options, space-separated ("--partition=x --time=10")
    size_t maxArray{1000};  ///< most array tasks; beyond, a task runs several points in turn
    std::string sbatch{"sbatch"};
    std::string collectCommand; ///< the command that collects results, for the message
};

/**
 * \ingroup wafer
 * The job-array script for \p tasks array tasks over a job list of \p lines lines: task t runs
 * lines t+1, t+1+tasks, ... of the list one after the other.
 */
std::string SlurmScript(const std::string& name,
                        const std::string& jobList,
                        const std::string& taskLog,
                        size_t lines,
                        size_t tasks,
                        const std::string& sbatchArgs);

/**
 * \ingroup wafer
 * Write <out>/slurm/jobs.txt (one wafer-sim command per unfinished point) and
 * <out>/slurm/job.sh (a job array over it), submit it with sbatch, mark the points submitted,
 * and with \p options.wait wait for the job and collect the results. Ctrl-C while waiting
 * cancels the job (scancel).
 * \return 0 when submitted (or, waiting, when every point is done), 1 otherwise
 */
int RunOnSlurm(SweepWorkspace& ws, const SlurmOptions& options);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SLURM_BACKEND_H
