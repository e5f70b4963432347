/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "resolved-scenario.h"

#include "scenario-faults.h"
#include "scenario-fields.h"

#include "ns3/input-error.h"
#include "ns3/link-technology.h"
#include "ns3/object-factory.h"
#include "ns3/transport-fidelity.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

uint32_t
PoolPlan::Stages() const
{
    return placement.size();
}

uint32_t
PoolPlan::DevicesPerStage() const
{
    return tensorParallel * expertNodes;
}

uint32_t
PoolPlan::Accelerators() const
{
    return DevicesPerStage() * Stages();
}

double
PoolPlan::PowerW() const
{
    return Accelerators() * device.systemPowerW;
}

double
PoolPlan::UsdPerHour() const
{
    return Accelerators() * device.usdPerHour;
}

uint32_t
ResolvedScenario::Accelerators() const
{
    return replicas * (decode.Accelerators() + (prefill ? prefill->Accelerators() : 0));
}

std::vector<LlmRequest>
ResolvedScenario::Requests() const
{
    return trace ? *trace : generator->Generate();
}

namespace
{
/// One device's I/O bandwidth, each way: \p ports ports of the scenario's link (\p settings).
double
IoBytesPerS(uint32_t ports, const AttributeSettings& settings)
{
    ObjectFactory f("ns3::wafer::LinkTechnology");
    settings.ApplyTo(f);
    return f.Create<LinkTechnology>()->PortRateBps(ports) / 8 * ports;
}

/// A pool of tensor-parallel stages on a device without a scale-up link (every device has I/O
/// ports): its collectives run over the devices' I/O. Mark it and give its device the I/O
/// bandwidth of its \p ports ports on the scenario's link (\p settings), each way.
void
TensorParallelOverIo(PoolPlan& pool, uint32_t ports, const AttributeSettings& settings)
{
    if (pool.tensorParallel < 2 || pool.device.scaleUpBytesPerS > 0)
    {
        return;
    }
    pool.tensorParallelOverIo = true;
    pool.device.scaleUpBytesPerS = IoBytesPerS(ports, settings);
}

/// Weights every node of an expert group holds in full: all but the routed experts.
double
ReplicatedBytes(const LlmCostModel& model)
{
    double routed = 0;
    for (uint32_t i = 0; i < model.Layers(); ++i)
    {
        routed += model.LayerRoutedExpertBytes(i);
    }
    return model.TotalWeightBytes() - routed;
}

/// The expert group of \p pool, whose devices have \p ports scale-out ports each on the
/// scenario's link (\p settings), when its experts span nodes. \p where names the field.
void
ExpertGroupOf(PoolPlan& pool,
              const LlmCostModel& model,
              uint32_t ports,
              const AttributeSettings& settings,
              const std::string& where)
{
    if (pool.expertNodes < 2)
    {
        return;
    }
    const MoeConfig& moe = *model.Config().moe;
    const uint32_t ranks = pool.DevicesPerStage();
    if (moe.experts % ranks != 0)
    {
        throw InputError(where + ": " + std::to_string(moe.experts) + " routed experts of "
                         + model.Config().name + " do not divide evenly over "
                         + std::to_string(pool.expertNodes) + " nodes x "
                         + std::to_string(pool.tensorParallel) + " devices");
    }
    if (pool.tensorParallelOverIo)
    {
        throw InputError(where
                         + ": tensor parallelism over the devices' I/O (no scale-up link) "
                           "with experts across nodes is not modelled; use "
                           "tensor_parallel 1");
    }
    ExpertGroup g
        = ExpertGroup::For(moe.experts, moe.activeExperts, pool.expertNodes, pool.tensorParallel);
    g.scaleOutBytesPerS = IoBytesPerS(ports, settings);
    g.scaleUpBytesPerS = pool.device.scaleUpBytesPerS;
    pool.experts = g;
}
} // namespace

double
StageMemoryBytes(const LlmCostModel& model, const DeviceSpec& device, uint32_t tp, uint32_t nodes)
{
    const double memory = tp * nodes * device.MainMemoryBytes();
    return nodes > 1 ? memory - (nodes - 1) * ReplicatedBytes(model) : memory;
}

ResolvedScenario
ResolveScenario(const Scenario& s, const ResolveOptions& options, CatalogSet& catalogs)
{
    const DeviceCatalog& devices = catalogs.Devices(s.deviceFiles);
    const LinkCatalog& links = catalogs.Links(s.linkFiles);
    const LlmConfig& config = catalogs.Models(s.modelFiles).Get(s.model);

    ResolvedScenario r;
    r.path = s.path;
    r.text = s.text;
    r.name = s.name;
    r.description = s.description;
    r.modelName = s.model;
    r.deviceName = s.device;
    r.model = std::make_shared<const LlmCostModel>(config, s.weights, s.kv, s.activations);
    const LlmCostModel& model = *r.model;

    // A pipeline stage is one device, or a scale-up domain of tensor_parallel devices.
    r.decode.device = devices.Get(s.device);
    r.decode.tensorParallel = s.tensorParallel;
    r.decode.expertNodes = s.expertNodes;
    const double stageMemory
        = StageMemoryBytes(model, r.decode.device, s.tensorParallel, s.expertNodes);
    if (options.place)
    {
        const uint32_t wafers
            = s.wafers ? s.wafers
                       : PipelinePlacement::MinStages(model, stageMemory - s.kvReserveBytes);
        r.decode.placement = PipelinePlacement::Place(model, stageMemory, wafers, s.kvReserveBytes);
    }
    r.portsPerDevice = s.portsPerDevice ? s.portsPerDevice : r.decode.device.ioPorts;

    // A prefill/decode split runs prefills on a second pipeline, of the same or another device.
    const DeviceSpec& prefillDevice = devices.Get(s.prefillDevice.value_or(s.device));
    if (s.prefillWafers > 0 && options.place)
    {
        PoolPlan p;
        p.device = prefillDevice;
        p.tensorParallel = s.prefillTensorParallel;
        p.expertNodes = s.prefillExpertNodes;
        p.placement = PipelinePlacement::Place(
            model,
            StageMemoryBytes(model, prefillDevice, s.prefillTensorParallel, s.prefillExpertNodes),
            s.prefillWafers,
            s.kvReserveBytes);
        r.prefill = p;
    }
    r.kvTransfer = s.kvTransferPerLayer ? KvCacheTransfer::Granularity::PerLayer
                                        : KvCacheTransfer::Granularity::Whole;
    r.expertParallel = s.expertParallel;
    if (s.expertParallel && !config.moe)
    {
        throw InputError(s.path + ": scenario.expert_parallel: model " + config.name
                         + " has no routed experts");
    }
    r.scaleUp = s.scaleUp;
    const bool domains = s.tensorParallel > 1 || (r.prefill && s.prefillTensorParallel > 1);
    if (domains && s.scaleUp.simulated)
    {
        try
        {
            r.scaleUpLink = links.Get(s.scaleUp.link);
        }
        catch (const InputError& e)
        {
            throw InputError(s.path + ": scenario.scale_up.link: " + e.what());
        }
    }
    if (s.kvStore)
    {
        r.kvStore = devices.Get(*s.kvStore);
    }
    r.fidelity = options.fidelity.value_or(s.fidelity);
    TransportFidelity::Get(r.fidelity, "--fidelity");
    r.replicas = s.replicas;
    r.faults = s.faults;
    try
    {
        CheckFaultTargets(r.faults,
                          r.decode.Stages(),
                          r.prefill ? r.prefill->Stages() : 0,
                          r.fidelity,
                          r.replicas);
    }
    catch (const InputError& e)
    {
        throw InputError(s.path + ": " + e.what());
    }
    r.recordTransfers = s.recordTransfers;
    if (options.workload)
    {
        r.generator = options.workload;
    }
    else if (s.traceFile)
    {
        r.trace = ReadRequestTrace(*s.traceFile);
    }
    else
    {
        r.generator = s.generator;
    }
    r.seed = options.seed.value_or(s.seed);
    r.run = options.run;

    const LinkPreset& deviceLink = links.Get(r.decode.device.ioLink);
    r.settings = LayerSettings(deviceLink,
                               s.link ? &links.Get(*s.link) : nullptr,
                               s.fields,
                               s.attributes,
                               s.path + ": scenario.attributes",
                               options.overrides);
    TensorParallelOverIo(r.decode, r.portsPerDevice, r.settings);
    ExpertGroupOf(
        r.decode, model, r.portsPerDevice, r.settings, s.path + ": scenario.expert_parallel_nodes");
    if (r.prefill)
    {
        TensorParallelOverIo(*r.prefill, r.prefill->device.ioPorts, r.settings);
        ExpertGroupOf(*r.prefill,
                      model,
                      r.prefill->device.ioPorts,
                      r.settings,
                      s.path + ": scenario.prefill_pool.expert_parallel_nodes");
    }
    // The serving policies, wherever they were set, must be of the engine's policy kinds.
    for (const AttributeField& f : ServingFields())
    {
        const auto type = DynamicCast<const TypeIdValue>(r.settings.Find(f.attribute));
        if (f.kind == FieldKind::Policy && type)
        {
            PolicyType(type->Get().GetName(), f.parent, r.settings.Where(f.attribute));
        }
    }
    return r;
}

} // namespace wafer
} // namespace ns3
