/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-eventbench: how close a serving run's event path comes to ns-3's own scheduler. Runs a
// scenario (the simulation alone: no result file) with ns-3's map scheduler wrapped to count the
// events pending at each event, then times the raw scheduler on a hold model with that many
// events pending (each event schedules the next one, at a uniformly drawn delay: the classic
// priority-queue benchmark) for as many events as the run executed, at most 20 M. Prints one
// line: wall time, events, events/s, simulated seconds per wall second, peak RSS, mean pending,
// the raw scheduler's events/s and the ratio of the two.
//
//   build/bin/wafer-eventbench --scenario=FILE [--fidelity=flow|chunk|packet] [--label=TEXT]

#include "cli-args.h"

#include "ns3/global-value.h"
#include "ns3/input-error.h"
#include "ns3/map-scheduler.h"
#include "ns3/nstime.h"
#include "ns3/resolved-scenario.h"
#include "ns3/scenario.h"
#include "ns3/serving-run.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

using namespace ns3;

namespace
{

/// ns-3's map scheduler, counting the events pending when each event is taken.
class PendingCountScheduler : public MapScheduler
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::wafer::PendingCountScheduler")
                                .SetParent<MapScheduler>()
                                .SetGroupName("Wafer")
                                .AddConstructor<PendingCountScheduler>();
        return tid;
    }

    void Insert(const Event& ev) override
    {
        MapScheduler::Insert(ev);
        ++s_pending;
    }

    Event RemoveNext() override
    {
        s_sum += s_pending;
        ++s_taken;
        --s_pending;
        return MapScheduler::RemoveNext();
    }

    void Remove(const Event& ev) override
    {
        MapScheduler::Remove(ev);
        --s_pending;
    }

    static double MeanPending()
    {
        return s_taken == 0 ? 0.0 : double(s_sum) / double(s_taken);
    }

  private:
    static inline uint64_t s_pending = 0;
    static inline uint64_t s_sum = 0;
    static inline uint64_t s_taken = 0;
};

NS_OBJECT_ENSURE_REGISTERED(PendingCountScheduler);

// The hold model: every event schedules one more, so the pending count stays put.
uint64_t g_left = 0;
uint64_t g_rng = 88172645463325252ULL;

uint64_t
NextRandom()
{
    // xorshift64: deterministic, and cheap next to the scheduler.
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

void
Hold()
{
    if (g_left == 0)
    {
        return;
    }
    --g_left;
    // Uniform in [0, 2 us): the mean gap keeps the queue's time spread steady.
    Simulator::Schedule(PicoSeconds(NextRandom() % 2000000), &Hold);
}

/// Events per wall second of the raw scheduler with \p pending events pending, over \p events.
double
RawSchedulerRate(uint32_t pending, uint64_t events)
{
    GlobalValue::Bind("SchedulerType", StringValue("ns3::MapScheduler"));
    Simulator::Destroy();
    g_left = events;
    for (uint32_t i = 0; i < pending; ++i)
    {
        Simulator::Schedule(PicoSeconds(NextRandom() % 2000000), &Hold);
    }
    const auto start = std::chrono::steady_clock::now();
    Simulator::Run();
    const double wall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const uint64_t done = Simulator::GetEventCount();
    Simulator::Destroy();
    return double(done) / wall;
}

const char* kUsage
    = "usage: wafer-eventbench --scenario=FILE [--fidelity=flow|chunk|packet] [--seed=N] "
      "[--label=TEXT]\n"
      "Runs the scenario (no result file), then ns-3's raw scheduler with as many events "
      "pending;\nprints one line of figures and their ratio (docs/performance.md).\n";
} // namespace

int
main(int argc, char** argv)
{
    Time::SetResolution(Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-eventbench", kUsage, Introspection::Ns3);
        rc >= 0)
    {
        return rc;
    }
    try
    {
        CliArgs args(argc, argv, {"scenario", "fidelity", "seed", "label"}, {});
        const wafer::Scenario file = wafer::Scenario::LoadFile(args.Require("scenario"));
        wafer::CatalogSet catalogs;
        const wafer::ResolvedScenario scenario
            = wafer::ResolveScenario(file, ResolveOptionsFrom(args), catalogs);
        const auto start = std::chrono::steady_clock::now();
        const wafer::ServingRunResult r
            = wafer::ServingRun::Run(scenario, "", "ns3::wafer::PendingCountScheduler");
        const double wall
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        const double pending = PendingCountScheduler::MeanPending();
        const double rate = double(r.events) / wall;
        const uint64_t rawEvents = std::min<uint64_t>(r.events, 20000000);
        const double raw = RawSchedulerRate(std::max<uint32_t>(1, uint32_t(pending + 0.5)),
                                            std::max<uint64_t>(rawEvents, 1000000));
        std::printf("%-34s %-6s wall %8.2f s  events %11llu  events/s %9.0f  sim s/wall s %8.2f  "
                    "peak RSS %4ld MB  pending %6.1f  raw scheduler %9.0f events/s  ratio %.2f\n",
                    args.Get("label", file.name).c_str(),
                    r.fidelity.c_str(),
                    wall,
                    static_cast<unsigned long long>(r.events),
                    rate,
                    r.simTimeS / wall,
                    usage.ru_maxrss / 1024,
                    pending,
                    raw,
                    rate / raw);
        return 0;
    }
    catch (const wafer::InputError& e)
    {
        std::cerr << "wafer-eventbench: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-eventbench: " << e.what() << "\n";
        return 1;
    }
}
