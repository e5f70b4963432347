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

std::vector<StragglerFault>
ReadFaults(const JsonFields& scenario)
{
    std::vector<StragglerFault> faults;
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
        if (kind != "straggler")
        {
            throw InputError(f.Where("kind") + ": unknown fault kind " + JsonFields::Echo(kind)
                             + " (known: straggler)");
        }
        f.OnlyKeys({"kind", "stage", "pool", "start_s", "duration_s", "slowdown"});
        StragglerFault s;
        const std::string pool = f.String("pool", "decode");
        if (pool != "decode" && pool != "prefill")
        {
            throw InputError(f.Where("pool") + ": must be decode or prefill");
        }
        s.prefillPool = pool == "prefill";
        s.stage = static_cast<uint32_t>(f.Count("stage", 0, UINT32_MAX));
        s.startS = f.NonNegative("start_s", 0.0);
        s.durationS = f.Positive("duration_s");
        for (const auto& [value, key] :
             {std::make_pair(s.startS, "start_s"), std::make_pair(s.durationS, "duration_s")})
        {
            if (value > kMaxInputSeconds)
            {
                throw InputError(f.Where(key) + ": more than the 1e6 s a run may span");
            }
        }
        s.slowdown = f.Positive("slowdown");
        if (s.slowdown < 1 || s.slowdown > 1e6)
        {
            throw InputError(f.Where("slowdown") + ": must be from 1 to 1e6 (times slower)");
        }
        faults.push_back(s);
    }
    return faults;
}

void
CheckFaultTargets(const std::vector<StragglerFault>& faults,
                  uint32_t decodeStages,
                  uint32_t prefillStages)
{
    for (size_t i = 0; i < faults.size(); ++i)
    {
        const uint32_t stages = faults[i].prefillPool ? prefillStages : decodeStages;
        if (faults[i].stage >= stages)
        {
            throw InputError(Where(i) + ".stage: " + std::to_string(faults[i].stage)
                             + " is past the last stage of the "
                             + (faults[i].prefillPool ? "prefill" : "decode") + " pipeline ("
                             + std::to_string(stages) + " stages)");
        }
    }
}

ResultTable
FaultTable(const std::vector<StragglerFault>& faults)
{
    ResultTable t("faults",
                  "One row per fault of the scenario and what it did; a straggler slows the "
                  "batches a stage starts while it lasts.");
    const size_t cKind = t.AddString("kind", 16);
    const size_t cPool = t.AddInt("prefill_pool");
    const size_t cStage = t.AddInt("stage");
    const size_t cStart = t.AddFloat("start_s");
    const size_t cEnd = t.AddFloat("end_s");
    const size_t cSlow = t.AddFloat("slowdown");
    const size_t cSteps = t.AddInt("batches_slowed");
    const size_t cExtra = t.AddFloat("extra_busy_s");
    for (const StragglerFault& f : faults)
    {
        t.Set(cKind, std::string("straggler"));
        t.Set(cPool, int64_t(f.prefillPool ? 1 : 0));
        t.Set(cStage, int64_t(f.stage));
        t.Set(cStart, f.startS);
        t.Set(cEnd, f.startS + f.durationS);
        t.Set(cSlow, f.slowdown);
        t.Set(cSteps, int64_t(f.stepsSlowed));
        t.Set(cExtra, f.extraBusyS);
    }
    return t;
}

} // namespace wafer
} // namespace ns3
