/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "unused-overrides.h"

#include "resolved-scenario.h"
#include "streaming-scenario.h"

#include "ns3/transport-fidelity.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <set>

namespace ns3
{
namespace wafer
{

namespace
{
/// \p name as ns-3 knows it: users may leave out the leading "ns3::".
bool
Lookup(const std::string& name, TypeId* t)
{
    return TypeId::LookupByNameFailSafe(name, t) || TypeId::LookupByNameFailSafe("ns3::" + name, t);
}

bool
IsA(TypeId t, const std::string& base)
{
    TypeId b;
    if (!TypeId::LookupByNameFailSafe(base, &b))
    {
        return false;
    }
    return t == b || t.IsChildOf(b);
}

/// The class, \p type or one of its parents, that declares attribute \p name: ns-3 sets a
/// default given through a subclass's name on that class, so every subclass reads it.
std::string
Declaring(const std::string& type, const std::string& name)
{
    TypeId t;
    if (!Lookup(type, &t))
    {
        return type;
    }
    for (;;)
    {
        for (size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            if (t.GetAttribute(i).name == name)
            {
                return t.GetName();
            }
        }
        if (t.GetParent() == t)
        {
            return type;
        }
        t = t.GetParent();
    }
}

std::string
Join(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
    {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}
} // namespace

ModelsInRun
ModelsInRun::Of(const ResolvedScenario& s)
{
    ModelsInRun m;
    m.program = "wafer-sim";
    m.fidelities = {s.fidelity};
    const bool tp = s.decode.tensorParallel > 1 || (s.prefill && s.prefill->tensorParallel > 1);
    m.collectives = tp || s.expertParallel;
    m.expertGroups = s.scaleUp.simulated && (s.decode.experts || (s.prefill && s.prefill->experts));
    if ((tp || m.expertGroups) && s.scaleUp.simulated && s.scaleUp.fidelity != s.fidelity)
    {
        m.fidelities.push_back(s.scaleUp.fidelity); // the domains' collectives are measured
    }
    m.linkFaults = !s.faults.links.empty();
    m.kvStore = s.kvStore.has_value();
    return m;
}

ModelsInRun
ModelsInRun::Of(const StreamingScenario& study)
{
    ModelsInRun m;
    m.program = "wafer-stream";
    m.fidelities = {study.fidelity};
    return m;
}

std::string
WhyUnused(const std::string& typeName, const ModelsInRun& run)
{
    TypeId t;
    if (!Lookup(typeName, &t))
    {
        return "";
    }
    bool devices = false;
    for (const TransportFidelity& f : TransportFidelity::All())
    {
        if (std::count(run.fidelities.begin(), run.fidelities.end(), f.name))
        {
            devices = devices || f.devices;
        }
    }
    // ns-3's own network models: nodes get devices and stacks only at packet fidelity.
    static const std::set<std::string> network{"PointToPoint", "Internet", "TrafficControl"};
    if ((network.count(t.GetGroupName()) || IsA(t, "ns3::Queue<Packet>") || IsA(t, "ns3::NetDevice")
         || IsA(t, "ns3::Channel"))
        && !devices)
    {
        return "ns-3's devices, queues and Internet stack are built only at packet fidelity; this "
               "run is at "
               + Join(run.fidelities);
    }
    if (IsA(t, "ns3::wafer::MessageTransport") && t != MessageTransport::GetTypeId())
    {
        for (const TransportFidelity& f : TransportFidelity::All())
        {
            if ((f.transport == t || f.transport.IsChildOf(t))
                && std::count(run.fidelities.begin(), run.fidelities.end(), f.name))
            {
                return "";
            }
        }
        return "a transport of another fidelity; this run is at " + Join(run.fidelities);
    }
    if (run.program == "wafer-sim"
        && (IsA(t, "ns3::wafer::MemoryXStore") || IsA(t, "ns3::wafer::WeightStreamingEngine")))
    {
        return "weight streaming is wafer-stream's; wafer-sim serves resident weights";
    }
    if (run.program == "wafer-stream")
    {
        for (const char* serving : {"ns3::wafer::PipelineServingEngine",
                                    "ns3::wafer::StagePipeline",
                                    "ns3::wafer::DecodeBatcher",
                                    "ns3::wafer::KvBudget",
                                    "ns3::wafer::AdmissionPolicy",
                                    "ns3::wafer::PreemptionPolicy",
                                    "ns3::wafer::KvStoreClient",
                                    "ns3::wafer::LinkFaultInjector",
                                    "ns3::wafer::CollectiveModel",
                                    "ns3::wafer::NetworkCollective",
                                    "ns3::wafer::ExpertAllToAll"})
        {
            if (IsA(t, serving))
            {
                return "serving is wafer-sim's; wafer-stream streams weights";
            }
        }
    }
    if (IsA(t, "ns3::wafer::LinkFaultInjector") && !run.linkFaults)
    {
        return "the scenario has no link faults";
    }
    if (IsA(t, "ns3::wafer::KvStoreClient") && !run.kvStore)
    {
        return "the scenario has no kv_store";
    }
    if ((IsA(t, "ns3::wafer::CollectiveModel") || IsA(t, "ns3::wafer::NetworkCollective"))
        && !run.collectives)
    {
        return "no stage is tensor or expert parallel, so no collective runs";
    }
    if (IsA(t, "ns3::wafer::ExpertAllToAll") && !run.expertGroups)
    {
        return "no stage's experts span nodes (expert_parallel_nodes), so no expert all-to-all "
               "is simulated";
    }
    return "";
}

std::vector<std::string>
UnusedOverrides(const AttributeTexts& overrides, const std::string& where, const ModelsInRun& run)
{
    std::vector<std::string> out;
    for (const auto& [name, value] : overrides)
    {
        const size_t cut = name.rfind("::");
        if (cut == std::string::npos)
        {
            continue;
        }
        const std::string why
            = WhyUnused(Declaring(name.substr(0, cut), name.substr(cut + 2)), run);
        if (!why.empty())
        {
            out.push_back(AttributeSettings::Label(where, name) + "=" + value.substr(0, 60)
                          + ": no object of this run reads it (" + why + ")");
        }
    }
    return out;
}

} // namespace wafer
} // namespace ns3
