/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LOCAL_RUNNER_H
#define WAFER_LOCAL_RUNNER_H

#include "sweep-workspace.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How to run a sweep's points on this machine.
 */
struct LocalRunOptions
{
    unsigned jobs{2};        ///< wafer-sim processes at once
    bool progress{false};    ///< show progress (a redrawn bar when interactive)
    bool interactive{false}; ///< standard error is a terminal
};

/**
 * \ingroup wafer
 * Run every unfinished point of \p ws, \p options.jobs at a time, one wafer-sim process each,
 * rewriting the index as points finish (at most once a second, and at the end). On SIGINT or
 * SIGTERM it stops starting points, terminates the running ones, removes their temporary files
 * and logs, and leaves them pending in the index.
 * \return 0 if every point is done, 1 if some failed, 128 + signal if interrupted.
 */
int RunLocally(SweepWorkspace& ws, const LocalRunOptions& options);

} // namespace wafer
} // namespace ns3

#endif // WAFER_LOCAL_RUNNER_H
