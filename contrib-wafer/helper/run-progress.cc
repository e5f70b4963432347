/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "run-progress.h"

#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace ns3
{
namespace wafer
{

NS_LOG_COMPONENT_DEFINE("WaferProgressScheduler");

NS_OBJECT_ENSURE_REGISTERED(ProgressScheduler);

namespace
{
struct State
{
    bool on{false};
    std::string what;
    std::function<double()> work;
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point lastShown;
    uint64_t eventsAtStart{0};
    bool installed{false}; ///< every simulation runs the ProgressScheduler
    size_t width{0};       ///< of the line shown, to clear it
};

State&
Progress()
{
    static State s;
    return s;
}

std::string
Clock(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return text;
}
} // namespace

void
RunProgress::Start(const std::string& what, std::function<double()> work)
{
    State& s = Progress();
    s.on = true;
    s.what = what;
    s.work = std::move(work);
    s.start = std::chrono::steady_clock::now();
    s.lastShown = s.start - std::chrono::seconds(1); // the first look shows a line
    s.width = 0;
    s.eventsAtStart = ProgressScheduler::s_taken;
}

void
RunProgress::Clear()
{
    State& s = Progress();
    if (!s.on)
    {
        return;
    }
    if (isatty(STDERR_FILENO))
    {
        std::fputs("\r\033[K",
                   stderr); // a child process may have drawn it: erase whatever is there
    }
    else if (s.width > 0)
    {
        std::fputc('\n', stderr); // forced onto a file or pipe: end the line
    }
    s.width = 0;
    std::fflush(stderr);
}

void
RunProgress::Finish()
{
    Clear();
    State& s = Progress();
    s.on = false;
    s.work = nullptr;
}

bool
RunProgress::Wanted(bool quiet, bool forced)
{
    return forced || (!quiet && isatty(STDERR_FILENO));
}

const char*
RunProgress::SchedulerType()
{
    return "ns3::wafer::ProgressScheduler";
}

void
RunProgress::Install()
{
    Progress().installed = true;
    KeepInstalled();
}

void
RunProgress::KeepInstalled()
{
    if (Progress().installed)
    {
        Simulator::Destroy(); // the scheduler is chosen when the simulator is made
        GlobalValue::Bind("SchedulerType", StringValue(SchedulerType()));
    }
}

void
RunProgress::Tick(uint64_t events, Time now)
{
    State& s = Progress();
    if (!s.on)
    {
        return;
    }
    const auto wall = std::chrono::steady_clock::now();
    if (wall - s.lastShown < std::chrono::milliseconds(500))
    {
        return;
    }
    s.lastShown = wall;
    const double elapsed = std::chrono::duration<double>(wall - s.start).count();
    const double done = s.work ? s.work() : 0.0;
    const std::string left = done > 0 ? Clock(elapsed * (1 - done) / done) : "?";
    char line[200];
    const int n = std::snprintf(line,
                                sizeof line,
                                "\r%s: %.3f s simulated, %.1f %% done, %.2f M events/s, %s left ",
                                s.what.c_str(),
                                now.GetSeconds(),
                                100 * done,
                                (events - s.eventsAtStart) / std::max(elapsed, 1e-9) / 1e6,
                                left.c_str());
    s.width = std::max<size_t>(s.width, n > 0 ? n : 0);
    std::fputs(line, stderr);
    std::fflush(stderr);
}

TypeId
ProgressScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::ProgressScheduler")
                            .SetParent<MapScheduler>()
                            .SetGroupName("Wafer")
                            .AddConstructor<ProgressScheduler>();
    return tid;
}

Scheduler::Event
ProgressScheduler::RemoveNext()
{
    const Event ev = MapScheduler::RemoveNext();
    if ((++s_taken & 0xffff) == 0)
    {
        RunProgress::Tick(s_taken, TimeStep(ev.key.m_ts));
    }
    return ev;
}

} // namespace wafer
} // namespace ns3
