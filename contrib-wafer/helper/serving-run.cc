/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "serving-run.h"

#include "attribute-overrides.h"
#include "device-catalog.h"
#include "fabric-helper.h"
#include "link-catalog.h"
#include "llm-catalog.h"
#include "request-source.h"
#include "scale-up-domain-helper.h"

#include "ns3/collective-model.h"
#include "ns3/config.h"
#include "ns3/input-error.h"
#include "ns3/llm-cost-model.h"
#include "ns3/pipeline-serving-engine.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/roofline-engine.h"
#include "ns3/simulator.h"
#include "ns3/stage-compute-model.h"

namespace ns3
{
namespace wafer
{

namespace
{

/// The /collectives table: collective times simulated on each tensor-parallel pool's domain.
ResultTable
MakeCollectiveTable()
{
    ResultTable t("collectives",
                  "Collective times simulated on each tensor-parallel pool's scale-up domain "
                  "(ns-3 nodes behind one switch), beside the alpha-beta closed forms; bytes is "
                  "the all-reduce size or the all-to-all bytes per rank; seconds.");
    t.AddInt("ranks");
    t.AddString("pool", 16);
    for (const char* name : {"bytes",
                             "ring_s",
                             "tree_s",
                             "all_to_all_s",
                             "closed_ring_s",
                             "closed_tree_s",
                             "closed_all_to_all_s"})
    {
        t.AddFloat(name);
    }
    return t;
}

/// Rows of one measured domain.
void
AddCollectiveRows(ResultTable& t,
                  const MeasuredCollectiveModel& m,
                  uint32_t ranks,
                  double bandwidth,
                  const std::string& pool)
{
    Ptr<CollectiveModel> closed = CreateObject<CollectiveModel>();
    for (const auto& s : m.Samples())
    {
        t.Set(t.Find("ranks"), int64_t(ranks));
        t.Set(t.Find("pool"), pool);
        t.Set(t.Find("bytes"), s.bytes);
        t.Set(t.Find("ring_s"), s.ringS);
        t.Set(t.Find("tree_s"), s.treeS);
        t.Set(t.Find("all_to_all_s"), s.allToAllS);
        t.Set(t.Find("closed_ring_s"), closed->RingAllReduceS(s.bytes, ranks, bandwidth));
        t.Set(t.Find("closed_tree_s"), closed->TreeAllReduceS(s.bytes, ranks, bandwidth));
        t.Set(t.Find("closed_all_to_all_s"), closed->AllToAllS(s.bytes, ranks, bandwidth));
    }
}

} // namespace

ServingRunResult
ServingRun::Run(const Scenario& scenario,
                const std::vector<std::pair<std::string, std::string>>& overrides,
                std::optional<uint64_t> seed,
                std::optional<std::string> fidelity,
                const std::string& pcapPrefix)
{
    const DeviceCatalog devices = DeviceCatalog::Load(scenario.deviceFiles);
    const LlmCatalog models = LlmCatalog::Load(scenario.modelFiles);
    const LinkCatalog links = LinkCatalog::Load(scenario.linkFiles);
    const DeviceSpec& device = devices.Get(scenario.device);
    const LlmConfig& config = models.Get(scenario.model);

    // Device preset first, then the scenario's link technology, its fields and attributes, then
    // the command line.
    ApplyDevicePresetDefaults(device, links);
    if (scenario.link)
    {
        ApplyLinkPresetDefaults(links.Get(*scenario.link));
    }
    ApplyAttributeDefaults(scenario.attributes, scenario.path + ": scenario.attributes");
    ApplyAttributeDefaults(overrides, "command line");

    ServingRunResult out;
    out.seed = seed.value_or(scenario.seed);
    RngSeedManager::SetSeed(static_cast<uint32_t>(out.seed));
    RngSeedManager::SetRun(1);

    const std::vector<LlmRequest> requests = scenario.traceFile
                                                 ? ReadRequestTrace(*scenario.traceFile)
                                                 : scenario.generator->Generate();

    const LlmCostModel model(config, scenario.weights, scenario.kv, scenario.activations);
    // A pipeline stage is one device, or a scale-up domain of tensor_parallel devices.
    const uint32_t tp = scenario.tensorParallel;
    if (tp > 1 && device.scaleUpBytesPerS <= 0)
    {
        throw InputError(scenario.path + ": scenario.tensor_parallel: device " + device.name
                         + " has no scale-up link (scale_up_bytes_per_s)");
    }
    const double stageMemory = tp * device.MainMemoryBytes();
    out.wafers = scenario.wafers
                     ? scenario.wafers
                     : PipelinePlacement::MinStages(model, stageMemory - scenario.kvReserveBytes);
    out.placement
        = PipelinePlacement::Place(model, stageMemory, out.wafers, scenario.kvReserveBytes);

    // A prefill/decode split runs prefills on a second pipeline, of the same or another device.
    const DeviceSpec& prefillDevice = devices.Get(scenario.prefillDevice.value_or(scenario.device));
    const uint32_t prefillTp = scenario.prefillTensorParallel;
    if (prefillTp > 1 && prefillDevice.scaleUpBytesPerS <= 0)
    {
        throw InputError(scenario.path + ": scenario.prefill_pool.tensor_parallel: device "
                         + prefillDevice.name + " has no scale-up link (scale_up_bytes_per_s)");
    }
    std::vector<StageAssignment> prefillPlacement;
    if (scenario.prefillWafers > 0)
    {
        prefillPlacement = PipelinePlacement::Place(model,
                                                    prefillTp * prefillDevice.MainMemoryBytes(),
                                                    scenario.prefillWafers,
                                                    scenario.kvReserveBytes);
    }

    if (scenario.expertParallel && !config.moe)
    {
        throw InputError(scenario.path + ": scenario.expert_parallel: model " + config.name
                         + " has no routed experts");
    }
    // Collectives of each tensor-parallel pool, simulated on a domain of its own before the
    // cluster is built (the measurement runs, and destroys, a simulation of its own).
    ResultTable collectiveTable = MakeCollectiveTable();
    auto collectivesFor = [&](const DeviceSpec& dev, uint32_t ranks, const std::string& pool)
    {
        if (ranks < 2 || scenario.scaleUp.collectives == "closed-form")
        {
            return CreateObject<CollectiveModel>();
        }
        const LinkPreset* link = nullptr;
        try
        {
            link = &links.Get(scenario.scaleUp.link);
        }
        catch (const InputError& e)
        {
            throw InputError(scenario.path + ": scenario.scale_up.link: " + e.what());
        }
        double maxTokens = double(requests.size());
        for (const auto& r : requests)
        {
            maxTokens = std::max(maxTokens, double(r.inputTokens));
        }
        const double k = scenario.expertParallel ? config.moe->activeExperts / double(ranks) : 1;
        ScaleUpDomainHelper domain;
        domain.SetSwitchLatency(Seconds(scenario.scaleUp.switchLatencyS));
        Ptr<MeasuredCollectiveModel> measured
            = domain.Measure(ranks,
                             dev.scaleUpBytesPerS,
                             *link,
                             maxTokens * model.ActivationBytesPerToken() * std::max(1.0, k),
                             scenario.scaleUp.fidelity);
        AddCollectiveRows(collectiveTable, *measured, ranks, dev.scaleUpBytesPerS, pool);
        return Ptr<CollectiveModel>(measured);
    };
    Ptr<CollectiveModel> collectives = collectivesFor(device, tp, "decode");
    Ptr<CollectiveModel> prefillCollectives
        = scenario.prefillWafers > 0 ? collectivesFor(prefillDevice, prefillTp, "prefill")
                                     : collectives;

    const uint32_t ports
        = tp * (scenario.portsPerDevice ? scenario.portsPerDevice : device.ioPorts);
    std::vector<uint32_t> portsOf(out.wafers, ports);
    portsOf.insert(portsOf.end(), scenario.prefillWafers, prefillTp * prefillDevice.ioPorts);
    // A KV store node (KVSS) joins the fabric as one more endpoint, after the pipelines.
    std::optional<DeviceSpec> kvStore;
    if (scenario.kvStore)
    {
        kvStore = devices.Get(*scenario.kvStore);
        portsOf.push_back(kvStore->ioPorts);
    }
    FabricHelper helper;
    out.fidelity = fidelity.value_or(scenario.fidelity);
    if (!pcapPrefix.empty())
    {
        if (out.fidelity != "packet")
        {
            throw InputError("--pcap: needs packet fidelity (real IP packets)");
        }
        helper.EnablePcap(pcapPrefix);
    }
    Cluster cluster = helper.Install(portsOf, device.kind, out.fidelity);
    const std::vector<uint32_t> nodes = cluster.NodeIds();

    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    Ptr<PipelineServingEngine> engine = CreateObject<PipelineServingEngine>();
    auto computeModels = [&](const DeviceSpec& dev,
                             uint32_t ranks,
                             Ptr<CollectiveModel> collectives,
                             const std::vector<StageAssignment>& placement)
    {
        std::vector<std::unique_ptr<StageCompute>> stages;
        for (const auto& a : placement)
        {
            auto stage = std::make_unique<StageComputeModel>(
                dev, model, a, roofline, engine->GetLayerPipelining());
            stage->SetTensorParallel(ranks, collectives, scenario.expertParallel);
            stages.push_back(std::move(stage));
        }
        return stages;
    };
    engine->Configure(model,
                      computeModels(device, tp, collectives, out.placement),
                      std::vector<uint32_t>(nodes.begin(), nodes.begin() + out.wafers),
                      cluster.transport);
    if (scenario.prefillWafers > 0)
    {
        engine->ConfigurePrefillPool(
            computeModels(prefillDevice, prefillTp, prefillCollectives, prefillPlacement),
            std::vector<uint32_t>(nodes.begin() + out.wafers,
                                  nodes.begin() + out.wafers + scenario.prefillWafers),
            scenario.kvTransfer == "whole" ? KvCacheTransfer::Granularity::Whole
                                           : KvCacheTransfer::Granularity::PerLayer);
    }

    if (kvStore)
    {
        engine->ConfigureKvStore(nodes.back(), kvStore->MainMemoryBytes());
    }

    ResultCollector collector;
    collector.Attach(engine, cluster, scenario.recordTransfers);
    engine->Submit(requests);
    Simulator::Run();
    out.simTimeS = Simulator::Now().GetSeconds();
    out.events = Simulator::GetEventCount();
    // Every request must have finished or been rejected: anything else is a scheduling fault,
    // reported instead of written as a silently shorter /requests table.
    size_t unfinished = 0;
    for (const auto& r : engine->Requests())
    {
        unfinished += (r.Done() || r.rejected) ? 0 : 1;
    }
    if (unfinished > 0)
    {
        Simulator::Destroy();
        throw std::runtime_error("the simulation ended with " + std::to_string(unfinished)
                                 + " requests neither finished nor rejected");
    }
    if (collector.Drops() > 0)
    {
        Simulator::Destroy();
        throw std::runtime_error("the network dropped " + std::to_string(collector.Drops())
                                 + " chunks; queues must be large enough for a lossless fabric");
    }

    ResultCollector::Summary extra = {
        {"wafers", double(out.wafers)},
        {"prefill_wafers", double(scenario.prefillWafers)},
        {"tensor_parallel", double(tp)},
        {"expert_parallel", scenario.expertParallel ? 1.0 : 0.0},
        {"collectives_simulated", collectiveTable.Rows() > 0 ? 1.0 : 0.0},
        {"prefill_tensor_parallel", double(scenario.prefillWafers > 0 ? prefillTp : 0)},
        {"accelerators", double(tp * out.wafers + prefillTp * scenario.prefillWafers)},
        {"layers", double(config.layers)},
        {"weights_bytes", model.TotalWeightBytes()},
        {"kv_bytes_per_token", model.KvBytesPerToken()},
        {"microbatches", double(engine->MicrobatchCount())},
        {"events", double(out.events)},
        {"seed", double(out.seed)},
    };
    // Stage rows: the decode (or only) pipeline, then the prefill pipeline of a split.
    std::vector<StageAssignment> allStages = out.placement;
    allStages.insert(allStages.end(), prefillPlacement.begin(), prefillPlacement.end());
    out.tables
        = collector.Tables(allStages,
                           engine->Stages(),
                           out.wafers,
                           out.simTimeS,
                           tp * out.wafers * device.systemPowerW
                               + prefillTp * scenario.prefillWafers * prefillDevice.systemPowerW,
                           tp * out.wafers * device.usdPerHour
                               + prefillTp * scenario.prefillWafers * prefillDevice.usdPerHour,
                           extra);
    if (collectiveTable.Rows() > 0)
    {
        out.tables.push_back(collectiveTable);
    }
    out.summary = collector.LastSummary();
    engine->Dispose();
    Simulator::Destroy();
    return out;
}

} // namespace wafer
} // namespace ns3
