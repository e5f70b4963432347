/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "serving-run.h"

#include "collective-measurement.h"
#include "fabric-helper.h"
#include "result-collector.h"
#include "run-progress.h"
#include "run-simulation.h"
#include "scenario-faults.h"
#include "serving-engine-helper.h"

#include "ns3/global-value.h"
#include "ns3/input-error.h"
#include "ns3/link-fault-injector.h"
#include "ns3/request-router.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <cmath>
#include <memory>

namespace ns3
{
namespace wafer
{

namespace
{
/// The scenario's link faults on \p cluster (none: null); random ones take the link's figures
/// where the scenario gives none.
Ptr<LinkFaultInjector>
InstallLinkFaults(std::vector<LinkFaultSpec> specs, const Cluster& cluster)
{
    if (specs.empty())
    {
        return nullptr;
    }
    const LinkReliability preset = cluster.link->GetReliability();
    for (LinkFaultSpec& f : specs)
    {
        if (!f.random)
        {
            continue;
        }
        LinkReliability& r = f.reliability;
        if (r.cableMtbfHours < 0 && preset.cableMtbfHours <= 0)
        {
            throw InputError("scenario.faults[" + std::to_string(f.index)
                             + "].cable_mtbf_hours: the link " + cluster.link->GetPresetName()
                             + " has no failure figures; give them here");
        }
        r.cableMtbfHours = r.cableMtbfHours < 0 ? preset.cableMtbfHours : r.cableMtbfHours;
        r.flapShare = r.flapShare < 0 ? preset.flapShare : r.flapShare;
        r.flapS = r.flapS < 0 ? preset.flapS : r.flapS;
        r.repairS = r.repairS < 0 ? preset.repairS : r.repairS;
    }
    Ptr<LinkFaultInjector> injector = CreateObject<LinkFaultInjector>();
    injector->Install(cluster.fabric, cluster.transport, specs);
    return injector;
}

/// Faults still to come, taken out of the scheduler when the workload is done.
struct FaultsPending
{
    size_t left{0}; ///< requests not done yet
    Ptr<LinkFaultInjector> links;
    std::vector<EventId> events;

    void Stop()
    {
        if (links)
        {
            links->Stop();
        }
        for (EventId& e : events)
        {
            Simulator::Remove(e); // a cancelled event would still move the clock
        }
    }
};

/// RequestDone sink: the last request stops the faults.
void
StopWhenDone(std::shared_ptr<FaultsPending> pending, const LlmRequest&)
{
    if (--pending->left == 0)
    {
        pending->Stop();
    }
}

/// RequestDone sink: the share of requests ended, for the progress line.
void
CountEnded(std::shared_ptr<uint64_t> ended, const LlmRequest&)
{
    ++*ended;
}

/// A raw engine pointer: the event is kept in FaultsPending, which the engine's RequestDone
/// trace holds, so a Ptr here would make a cycle that keeps the engine alive after the run.
void
LoseDevice(PipelineServingEngine* engine, DeviceFault* fault)
{
    fault->happened = true;
    if (fault->spare)
    {
        fault->requestsRequeued
            = engine->LoseDevice(fault->prefillPool, fault->stage, Seconds(fault->replaceS));
    }
    else
    {
        fault->requestsFailed = engine->Drain(fault->prefillPool, fault->stage);
    }
}
} // namespace

ServingRunResult
ServingRun::Run(const Scenario& scenario,
                const AttributeTexts& overrides,
                std::optional<uint64_t> seed,
                std::optional<std::string> fidelity,
                const std::string& pcapPrefix)
{
    CatalogSet catalogs;
    return Run(ResolveScenario(scenario, {overrides, seed, fidelity, std::nullopt}, catalogs),
               pcapPrefix);
}

ServingRunResult
ServingRun::Run(const ResolvedScenario& scenario,
                const std::string& pcapPrefix,
                const std::string& schedulerType)
{
    // The one place where attribute defaults change: the user's overrides, for objects built
    // without a helper; helpers set every other attribute on the objects they build.
    scenario.settings.ApplyOverridesAsDefaults();
    if (!schedulerType.empty())
    {
        // Read when the simulator is next made: every simulation of this run uses it.
        Simulator::Destroy();
        GlobalValue::Bind("SchedulerType", StringValue(schedulerType));
    }

    ServingRunResult out;
    out.seed = scenario.seed;
    out.run = scenario.run;
    out.fidelity = scenario.fidelity;
    out.placement = scenario.decode.placement;
    out.wafers = scenario.decode.Stages();
    RngSeedManager::SetSeed(static_cast<uint32_t>(out.seed));
    RngSeedManager::SetRun(scenario.run);
    const std::vector<LlmRequest> requests = scenario.Requests();

    // Collectives are measured in simulations of their own, before the cluster exists.
    const PoolCollectives collectives = MeasureCollectives(scenario, requests);

    // The cluster: per replica the decode stages and the prefill stages, then a KV store node
    // (KVSS) if any, which the replicas share.
    const uint32_t prefillStages = scenario.prefill ? scenario.prefill->Stages() : 0;
    const uint32_t perReplica = out.wafers + prefillStages;
    std::vector<uint32_t> portsOf;
    std::vector<uint32_t> devicesOf; // devices a node stands for: a stage's, the store's one
    for (uint32_t k = 0; k < scenario.replicas; ++k)
    {
        devicesOf.insert(devicesOf.end(), out.wafers, scenario.decode.DevicesPerStage());
        devicesOf.insert(devicesOf.end(),
                         prefillStages,
                         scenario.prefill ? scenario.prefill->DevicesPerStage() : 1);
        portsOf.insert(
            portsOf.end(), out.wafers, scenario.decode.DevicesPerStage() * scenario.portsPerDevice);
        if (scenario.prefill)
        {
            portsOf.insert(portsOf.end(),
                           prefillStages,
                           scenario.prefill->DevicesPerStage() * scenario.prefill->device.ioPorts);
        }
    }
    if (scenario.kvStore)
    {
        portsOf.push_back(scenario.kvStore->ioPorts);
        devicesOf.push_back(1);
    }
    FabricHelper fabric;
    fabric.SetAttributes(scenario.settings);
    if (!pcapPrefix.empty())
    {
        if (out.fidelity != "packet")
        {
            throw InputError("--pcap: needs packet fidelity (real IP packets)");
        }
        fabric.EnablePcap(pcapPrefix);
    }
    const Cluster cluster
        = fabric.Install(portsOf, scenario.decode.device.kind, out.fidelity, devicesOf);

    ServingEngineHelper engines;
    engines.SetAttributes(scenario.settings);
    std::vector<StragglerFault> faults = scenario.faults.stragglers; // effects filled in
    ObjectFactory routerFactory("ns3::wafer::RequestRouter");
    scenario.settings.ApplyTo(routerFactory);
    Ptr<RequestRouter> router = routerFactory.Create<RequestRouter>();
    std::vector<Ptr<PipelineServingEngine>> replicas;
    const std::vector<uint32_t> nodes = cluster.NodeIds();
    for (uint32_t k = 0; k < scenario.replicas; ++k)
    {
        // A replica's stages, then the KV store node (the last, shared).
        std::vector<uint32_t> own(nodes.begin() + k * perReplica,
                                  nodes.begin() + (k + 1) * perReplica);
        if (scenario.kvStore)
        {
            own.push_back(nodes.back());
        }
        replicas.push_back(
            engines.Install(scenario, own, cluster.transport, collectives, &faults, k));
        router->AddReplica(replicas.back());
    }
    Ptr<LinkFaultInjector> linkFaults = InstallLinkFaults(scenario.faults.links, cluster);
    // Device losses, each replaced by a spare that loads the stage's weights over its own I/O.
    std::vector<DeviceFault> devices = scenario.faults.devices;
    auto pending = std::make_shared<FaultsPending>();
    pending->links = linkFaults;
    for (DeviceFault& d : devices)
    {
        // A replica's prefill pool's stages follow its decode stages in the cluster.
        const uint32_t device
            = d.replica * perReplica + (d.prefillPool ? out.wafers + d.stage : d.stage);
        const PoolPlan& pool = d.prefillPool ? *scenario.prefill : scenario.decode;
        const double ioBytesPerS = cluster.link->PortRateBps(portsOf[device] / devicesOf[device])
                                   / 8.0 * portsOf[device];
        d.replaceS = d.detectS + pool.placement[d.stage].weightBytes / ioBytesPerS;
        pending->events.push_back(Simulator::Schedule(
            Seconds(d.startS), &LoseDevice, PeekPointer(replicas[d.replica]), &d));
    }
    if (linkFaults || !devices.empty())
    {
        // Faults stop with the workload: they must not extend the run.
        pending->left = requests.size();
        for (const auto& e : replicas)
        {
            e->TraceConnectWithoutContext("RequestDone", MakeBoundCallback(&StopWhenDone, pending));
        }
        if (requests.empty())
        {
            pending->Stop();
        }
    }

    ResultCollector collector;
    collector.Attach(replicas, cluster, scenario.recordTransfers);
    router->Submit(requests);
    // Shown only if the program chose RunProgress's scheduler; a trace sink adds no event.
    auto ended = std::make_shared<uint64_t>(0);
    for (const auto& e : replicas)
    {
        e->TraceConnectWithoutContext("RequestDone", MakeBoundCallback(&CountEnded, ended));
    }
    const double total = std::max<double>(requests.size(), 1);
    ProgressScope progress(scenario.name,
                           [ended, total]()
                           {
                               return *ended / total;
                           });
    RunSimulation();
    out.simTimeS = Simulator::Now().GetSeconds();
    out.events = Simulator::GetEventCount();
    // Every request must have finished or been rejected: anything else is a scheduling fault,
    // reported instead of written as a silently shorter /requests table.
    size_t unfinished = requests.size();
    for (const auto& e : replicas)
    {
        for (const auto& r : e->Requests())
        {
            unfinished -= (r.Done() || r.rejected || r.failed) ? 1 : 0;
        }
    }
    if (unfinished > 0 && cluster.transport->Stalled() > 0)
    {
        Simulator::Destroy();
        throw InputError("scenario.faults: link faults cut every path of "
                         + std::to_string(cluster.transport->Stalled())
                         + " messages until the run ended, and " + std::to_string(unfinished)
                         + " requests could not finish");
    }
    if (unfinished > 0)
    {
        Simulator::Destroy();
        throw std::runtime_error("the simulation ended with " + std::to_string(unfinished)
                                 + " requests neither finished, rejected nor failed");
    }
    if (collector.Drops() > 0)
    {
        Simulator::Destroy();
        throw std::runtime_error("the network dropped " + std::to_string(collector.Drops())
                                 + " chunks; queues must be large enough for a lossless fabric");
    }

    std::vector<StageStats> stages; // by replica: decode stages, then prefill stages
    for (const auto& e : replicas)
    {
        const std::vector<StageStats> own = e->Stages();
        stages.insert(stages.end(), own.begin(), own.end());
    }
    RunRecords records = collector.Records(stages, out.simTimeS);
    for (const DeviceFault& d : devices)
    {
        if (d.happened)
        {
            const double end = d.spare ? d.startS + d.replaceS : out.simTimeS;
            records.downtime.emplace_back(d.startS, std::min(end, out.simTimeS));
        }
    }
    const LlmCostModel& model = *scenario.model;
    const uint32_t prefillTp = scenario.prefill ? scenario.prefill->tensorParallel : 0;
    DeploymentFacts deployment;
    deployment.accelerators = scenario.Accelerators();
    deployment.devicePowerW
        = scenario.replicas
          * (scenario.decode.PowerW() + (scenario.prefill ? scenario.prefill->PowerW() : 0.0));
    deployment.deviceUsdPerHour = scenario.replicas
                                  * (scenario.decode.UsdPerHour()
                                     + (scenario.prefill ? scenario.prefill->UsdPerHour() : 0.0));
    deployment.facts = {
        {"replicas", double(scenario.replicas)},
        {"wafers", double(out.wafers)},
        {"prefill_wafers", double(prefillStages)},
        {"tensor_parallel", double(scenario.decode.tensorParallel)},
        {"expert_parallel", scenario.expertParallel ? 1.0 : 0.0},
        {"collectives_simulated", collectives.table.Rows() > 0 ? 1.0 : 0.0},
        {"prefill_tensor_parallel", double(prefillTp)},
        {"accelerators", double(scenario.Accelerators())},
        {"layers", double(model.Config().layers)},
        {"weights_bytes", model.TotalWeightBytes()},
        {"kv_bytes_per_token", model.KvBytesPerToken()},
        {"microbatches", double(replicas.front()->MicrobatchCount())},
        {"events", double(out.events)},
        {"seed", double(out.seed)},
    };
    out.summary = RunMetrics::Compute(records, deployment);

    // Stage rows, by replica: the decode (or only) pipeline, then the prefill pipeline.
    std::vector<StageAssignment> allStages;
    for (uint32_t k = 0; k < scenario.replicas; ++k)
    {
        allStages.insert(
            allStages.end(), scenario.decode.placement.begin(), scenario.decode.placement.end());
        if (scenario.prefill)
        {
            allStages.insert(allStages.end(),
                             scenario.prefill->placement.begin(),
                             scenario.prefill->placement.end());
        }
    }
    ResultTable summary("summary", "One row of run-level figures; units in the field names.");
    for (const auto& [name, value] : out.summary)
    {
        if (RunMetrics::IsCount(name))
        {
            summary.Set(summary.AddInt(name), static_cast<int64_t>(std::llround(value)));
        }
        else
        {
            summary.Set(summary.AddFloat(name), value);
        }
    }
    out.tables = {collector.RequestTable(records),
                  collector.StageTable(records, allStages, out.wafers, perReplica),
                  collector.LinkTable(records),
                  collector.TransferTable(),
                  summary};
    if (collectives.table.Rows() > 0)
    {
        out.tables.push_back(collectives.table);
    }
    if (!faults.empty() || !devices.empty() || linkFaults)
    {
        out.tables.push_back(
            FaultTable(faults,
                       devices,
                       linkFaults ? linkFaults->Records() : std::vector<LinkFaultRecord>(),
                       scenario.replicas > 1));
    }
    if (linkFaults)
    {
        linkFaults->Dispose();
    }
    router->Dispose();
    for (const auto& e : replicas)
    {
        e->Dispose();
    }
    Simulator::Destroy();
    return out;
}

} // namespace wafer
} // namespace ns3
