/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_PROGRESS_H
#define WAFER_RUN_PROGRESS_H

#include "ns3/map-scheduler.h"
#include "ns3/nstime.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A progress line for long runs on a terminal (stderr): simulated time, share of the work done,
 * events per second and the time left. It watches the simulation without taking part: the
 * ProgressScheduler it relies on is ns-3's map scheduler, which looks at the wall clock every
 * 65,536 events, so no event is added and none moves; results are the same bit for bit.
 */
class RunProgress
{
  public:
    /// Show progress from now until Finish. \p work gives the share done (0-1), from the
    /// model's own counters (requests ended of all requests, points done of all points).
    static void Start(const std::string& what, std::function<double()> work);
    /// Erase the line (before other output on the terminal); it comes back at the next look.
    static void Clear();
    /// Clear the line and stop. Safe to call when not started.
    static void Finish();
    /// Whether a run should show progress: stderr is a terminal and the user did not ask for
    /// quiet, or the user asked for it (\p forced).
    static bool Wanted(bool quiet, bool forced);
    /// The scheduler TypeId name to run with while a progress line is shown.
    static const char* SchedulerType();
    /// Make every simulation from now on run with that scheduler (ns-3's SchedulerType).
    static void Install();
    /// After Config::Reset, which resets every global value: the scheduler again, if installed.
    static void KeepInstalled();

    /// From the scheduler: \p events taken by the process so far, the latest at \p now.
    static void Tick(uint64_t events, Time now);
};

/**
 * \ingroup wafer
 * RunProgress::Start for a scope: Finish when it ends, also by an exception.
 */
class ProgressScope
{
  public:
    ProgressScope(const std::string& what, std::function<double()> work)
    {
        RunProgress::Start(what, std::move(work));
    }

    ~ProgressScope()
    {
        RunProgress::Finish();
    }

    ProgressScope(const ProgressScope&) = delete;
    ProgressScope& operator=(const ProgressScope&) = delete;
};

/**
 * \ingroup wafer
 * ns-3's map scheduler that lets RunProgress look at the wall clock every 65,536 events.
 */
class ProgressScheduler : public MapScheduler
{
  public:
    static TypeId GetTypeId();
    Event RemoveNext() override;

    /// Events taken by every ProgressScheduler of the process: a study runs many short
    /// simulations, each with its own scheduler.
    static inline uint64_t s_taken = 0;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_PROGRESS_H
