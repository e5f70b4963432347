/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scenario-faults.h"

#include "ns3/input-error.h"

namespace ns3
{
namespace wafer
{

namespace
{
std::string
Where(size_t i)
{
    return "scenario.faults[" + std::to_string(i) + "]";
}
} // namespace

namespace
{
StragglerFault
ReadStraggler(const JsonFields& f)
{
    f.OnlyKeys({"kind", "replica", "stage", "pool", "start_s", "duration_s", "slowdown"});
    StragglerFault s;
    const std::string pool = f.String("pool", "decode");
    if (pool != "decode" && pool != "prefill")
    {
        throw InputError(f.Where("pool") + ": must be decode or prefill");
    }
    s.prefillPool = pool == "prefill";
    s.replica = static_cast<uint32_t>(f.Count("replica", 0, UINT32_MAX, 0));
    s.stage = static_cast<uint32_t>(f.Count("stage", 0, UINT32_MAX));
    s.startS = f.NonNegative("start_s", 0.0);
    s.durationS = f.Positive("duration_s");
    s.slowdown = f.Positive("slowdown");
    if (s.slowdown < 1 || s.slowdown > 1e6)
    {
        throw InputError(f.Where("slowdown") + ": must be from 1 to 1e6 (times slower)");
    }
    return s;
}

DeviceFault
ReadDeviceFault(const JsonFields& f)
{
    f.OnlyKeys({"kind", "replica", "stage", "pool", "start_s", "detect_s", "spare"});
    const std::string pool = f.String("pool", "decode");
    if (pool != "decode" && pool != "prefill")
    {
        throw InputError(f.Where("pool") + ": must be decode or prefill");
    }
    DeviceFault d;
    d.prefillPool = pool == "prefill";
    d.replica = static_cast<uint32_t>(f.Count("replica", 0, UINT32_MAX, 0));
    d.stage = static_cast<uint32_t>(f.Count("stage", 0, UINT32_MAX));
    d.startS = f.NonNegative("start_s", 0.0);
    // A health check that misses a few heartbeats a few seconds apart (an assumption).
    d.detectS = f.NonNegative("detect_s", 10.0);
    if (d.detectS > kMaxInputSeconds)
    {
        throw InputError(f.Where("detect_s") + ": more than the 1e6 s a run may span");
    }
    d.spare = f.Bool("spare", true);
    return d;
}

LinkFaultSpec
ReadLinkFault(const JsonFields& f)
{
    f.OnlyKeys({"kind", "link", "lanes_lost", "start_s", "duration_s"});
    LinkFaultSpec s;
    s.link = f.String("link");
    s.lanesLost = static_cast<uint32_t>(f.Count("lanes_lost", 1, 1 << 20, 0));
    s.startS = f.NonNegative("start_s", 0.0);
    s.durationS = f.Positive("duration_s");
    return s;
}

LinkFaultSpec
ReadSwitchFault(const JsonFields& f)
{
    f.OnlyKeys({"kind", "switch", "start_s", "duration_s"});
    LinkFaultSpec s;
    s.wholeSwitch = true;
    s.link = f.String("switch");
    s.startS = f.NonNegative("start_s", 0.0);
    s.durationS = f.Positive("duration_s");
    return s;
}

LinkFaultSpec
ReadLinkFailures(const JsonFields& f)
{
    f.OnlyKeys({"kind",
                "start_s",
                "duration_s",
                "rate_scale",
                "cable_mtbf_hours",
                "flap_share",
                "flap_s",
                "repair_s"});
    LinkFaultSpec s;
    s.random = true;
    s.startS = f.NonNegative("start_s", 0.0);
    s.durationS = f.Positive("duration_s", kMaxInputSeconds);
    s.rateScale = f.Positive("rate_scale", 1.0);
    if (s.rateScale > 1e9)
    {
        throw InputError(f.Where("rate_scale") + ": at most 1e9");
    }
    // Unset (-1): the link preset's figure.
    LinkReliability& r = s.reliability;
    r.cableMtbfHours = f.Has("cable_mtbf_hours") ? f.Positive("cable_mtbf_hours") : -1;
    r.flapShare = f.Has("flap_share") ? f.NonNegative("flap_share") : -1;
    if (r.flapShare > 1)
    {
        throw InputError(f.Where("flap_share") + ": a share, from 0 to 1");
    }
    r.flapS = f.Has("flap_s") ? f.NonNegative("flap_s") : -1;
    r.repairS = f.Has("repair_s") ? f.NonNegative("repair_s") : -1;
    for (const auto& [value, key] :
         {std::make_pair(r.flapS, "flap_s"), std::make_pair(r.repairS, "repair_s")})
    {
        if (value > kMaxInputSeconds)
        {
            throw InputError(f.Where(key) + ": more than the 1e6 s a run may span");
        }
    }
    return s;
}
} // namespace

ScenarioFaults
ReadFaults(const JsonFields& scenario)
{
    ScenarioFaults faults;
    if (!scenario.Has("faults"))
    {
        return faults;
    }
    const nlohmann::json& list = scenario.Raw("faults");
    if (!list.is_array())
    {
        throw InputError(scenario.Where("faults") + ": must be a list of fault objects");
    }
    for (size_t i = 0; i < list.size(); ++i)
    {
        JsonFields f(list[i], Where(i));
        const std::string kind = f.String("kind");
        double start = 0;
        double duration = 0;
        if (kind == "straggler")
        {
            faults.stragglers.push_back(ReadStraggler(f));
            start = faults.stragglers.back().startS;
            duration = faults.stragglers.back().durationS;
        }
        else if (kind == "device")
        {
            faults.devices.push_back(ReadDeviceFault(f));
            faults.devices.back().index = i;
            start = faults.devices.back().startS;
        }
        else if (kind == "link" || kind == "switch" || kind == "link_failures")
        {
            faults.links.push_back(kind == "link"     ? ReadLinkFault(f)
                                   : kind == "switch" ? ReadSwitchFault(f)
                                                      : ReadLinkFailures(f));
            faults.links.back().index = i;
            start = faults.links.back().startS;
            duration = faults.links.back().durationS;
        }
        else
        {
            throw InputError(f.Where("kind") + ": unknown fault kind " + JsonFields::Echo(kind)
                             + " (known: straggler, device, link, switch, link_failures)");
        }
        for (const auto& [value, key] :
             {std::make_pair(start, "start_s"), std::make_pair(duration, "duration_s")})
        {
            if (value > kMaxInputSeconds)
            {
                throw InputError(f.Where(key) + ": more than the 1e6 s a run may span");
            }
        }
    }
    return faults;
}

void
CheckFaultTargets(const ScenarioFaults& all,
                  uint32_t decodeStages,
                  uint32_t prefillStages,
                  const std::string& fidelity,
                  uint32_t replicas)
{
    auto checkReplica = [replicas](const std::string& where, uint32_t replica)
    {
        if (replica >= replicas)
        {
            throw InputError(where + ".replica: " + std::to_string(replica)
                             + " is past the last replica (" + std::to_string(replicas)
                             + " replicas)");
        }
    };
    const std::vector<StragglerFault>& faults = all.stragglers;
    for (size_t i = 0; i < faults.size(); ++i)
    {
        checkReplica(Where(i), faults[i].replica);
        const uint32_t stages = faults[i].prefillPool ? prefillStages : decodeStages;
        if (faults[i].stage >= stages)
        {
            throw InputError(Where(i) + ".stage: " + std::to_string(faults[i].stage)
                             + " is past the last stage of the "
                             + (faults[i].prefillPool ? "prefill" : "decode") + " pipeline ("
                             + std::to_string(stages) + " stages)");
        }
    }
    if (!all.devices.empty())
    {
        for (const DeviceFault& d : all.devices)
        {
            checkReplica(Where(d.index), d.replica);
            const uint32_t stages = d.prefillPool ? prefillStages : decodeStages;
            if (d.prefillPool && stages == 0)
            {
                throw InputError(Where(d.index)
                                 + ".pool: \"prefill\" needs a prefill_pool in the scenario");
            }
            if (d.stage >= stages)
            {
                throw InputError(Where(d.index) + ".stage: " + std::to_string(d.stage)
                                 + " is past the last stage of the "
                                 + (d.prefillPool ? "prefill" : "decode") + " pipeline ("
                                 + std::to_string(stages) + " stages)");
            }
        }
    }
    if (!all.links.empty() && fidelity != "flow" && fidelity != "chunk")
    {
        // ns-3's devices and UDP sockets have no link failure to take a packet off a cable.
        throw InputError(Where(all.links.front().index)
                         + ".kind: link faults are simulated at "
                           "flow and chunk fidelity (this run is at "
                         + fidelity + "): set \"fidelity\": \"flow\" or --fidelity=chunk");
    }
}

ResultTable
FaultTable(const std::vector<StragglerFault>& stragglers,
           const std::vector<DeviceFault>& devices,
           const std::vector<LinkFaultRecord>& links,
           bool replicas)
{
    auto target = [replicas](uint32_t replica, bool prefillPool, uint32_t stage)
    {
        return (replicas ? "replica " + std::to_string(replica) + " " : std::string())
               + (prefillPool ? "prefill" : "decode") + " stage " + std::to_string(stage);
    };
    ResultTable t("faults",
                  "One row per fault and what it did: a straggler slows the batches a stage "
                  "starts while it lasts; a device loss sends every request whose KV its pipeline "
                  "held back to the admission queue to recompute its KV, and a spare takes over "
                  "after detection and loading the "
                  "stage's weights (without a spare every request in service, queued or still "
                  "to come fails); a link fault takes a cable (or some of its lanes) "
                  "down, and the lanes of messages on it move to other paths after the reroute "
                  "delay, sending again what was in flight. Fields that do not apply to a kind "
                  "are -1.");
    const size_t cKind = t.AddString("kind", 16);
    const size_t cTarget = t.AddString("target", 64);
    const size_t cPool = t.AddInt("prefill_pool");
    const size_t cStage = t.AddInt("stage");
    const size_t cStart = t.AddFloat("start_s");
    const size_t cEnd = t.AddFloat("end_s");
    const size_t cSlow = t.AddFloat("slowdown");
    const size_t cSteps = t.AddInt("batches_slowed");
    const size_t cExtra = t.AddFloat("extra_busy_s");
    const size_t cUp = t.AddFloat("lanes_up_share");
    const size_t cLanes = t.AddInt("lanes_rerouted");
    const size_t cResent = t.AddInt("bytes_resent");
    const size_t cRecovery = t.AddFloat("recovery_s");
    const size_t cRequeued = t.AddInt("requests_requeued");
    const size_t cFailed = t.AddInt("requests_failed");
    for (const StragglerFault& f : stragglers)
    {
        t.Set(cKind, std::string("straggler"));
        t.Set(cTarget, target(f.replica, f.prefillPool, f.stage));
        t.Set(cPool, int64_t(f.prefillPool ? 1 : 0));
        t.Set(cStage, int64_t(f.stage));
        t.Set(cStart, f.startS);
        t.Set(cEnd, f.startS + f.durationS);
        t.Set(cSlow, f.slowdown);
        t.Set(cSteps, int64_t(f.stepsSlowed));
        t.Set(cExtra, f.extraBusyS);
        t.Set(cUp, -1.0);
        t.Set(cLanes, int64_t(-1));
        t.Set(cResent, int64_t(-1));
        t.Set(cRecovery, -1.0);
        t.Set(cRequeued, int64_t(-1));
        t.Set(cFailed, int64_t(-1));
    }
    for (const DeviceFault& f : devices)
    {
        t.Set(cKind, std::string("device"));
        t.Set(cTarget, target(f.replica, f.prefillPool, f.stage));
        t.Set(cPool, int64_t(f.prefillPool ? 1 : 0));
        t.Set(cStage, int64_t(f.stage));
        t.Set(cStart, f.startS);
        t.Set(cEnd, f.spare ? f.startS + f.replaceS : -1.0); // never back without a spare
        t.Set(cSlow, -1.0);
        t.Set(cSteps, int64_t(-1));
        t.Set(cExtra, -1.0);
        t.Set(cUp, -1.0);
        t.Set(cLanes, int64_t(-1));
        t.Set(cResent, int64_t(-1));
        t.Set(cRecovery, f.spare ? f.replaceS : -1.0);
        t.Set(cRequeued, int64_t(f.requestsRequeued));
        t.Set(cFailed, int64_t(f.requestsFailed));
    }
    for (const LinkFaultRecord& f : links)
    {
        t.Set(cKind, f.kind);
        t.Set(cTarget, f.target);
        t.Set(cPool, int64_t(-1));
        t.Set(cStage, int64_t(-1));
        t.Set(cStart, f.startS);
        t.Set(cEnd, f.endS);
        t.Set(cSlow, -1.0);
        t.Set(cSteps, int64_t(-1));
        t.Set(cExtra, -1.0);
        t.Set(cUp, f.upShare);
        t.Set(cLanes, int64_t(f.lanesRerouted));
        t.Set(cResent, int64_t(f.bytesResent));
        t.Set(cRecovery, f.recoveryS);
        t.Set(cRequeued, int64_t(-1));
        t.Set(cFailed, int64_t(-1));
    }
    return t;
}

} // namespace wafer
} // namespace ns3
