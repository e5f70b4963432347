/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESOLVED_SCENARIO_H
#define WAFER_RESOLVED_SCENARIO_H

#include "attribute-settings.h"
#include "catalog-set.h"
#include "scenario-faults.h"
#include "scenario.h"

#include "ns3/device-spec.h"
#include "ns3/expert-group.h"
#include "ns3/kv-cache-transfer.h"
#include "ns3/llm-cost-model.h"
#include "ns3/llm-request.h"
#include "ns3/pipeline-placement.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One pipeline of a deployment: the decode (or only) pipeline, or the prefill pipeline of a
 * split. A stage is one device, or a scale-up domain of TensorParallel devices.
 */
struct PoolPlan
{
    DeviceSpec device;
    uint32_t tensorParallel{1};
    /// Tensor parallelism on devices without a scale-up link (wafers): the stage's collectives
    /// run over the devices' own I/O ports (ioPorts), whose bandwidth becomes
    /// device.scaleUpBytesPerS.
    bool tensorParallelOverIo{false};
    /// Nodes (scale-up domains of tensorParallel devices) a stage's routed experts span, and
    /// the group they form when more than one: attention tensor-parallel inside a node and
    /// data-parallel across them, experts sharded over every device (ExpertGroup).
    uint32_t expertNodes{1};
    std::optional<ExpertGroup> experts;
    std::vector<StageAssignment> placement; ///< one entry per stage, in pipeline order

    uint32_t Stages() const;
    /// Devices of one stage: tensorParallel x expertNodes.
    uint32_t DevicesPerStage() const;
    uint32_t Accelerators() const;
    /// All-in power of the pool's devices.
    double PowerW() const;
    /// Cost of the pool's devices per hour.
    double UsdPerHour() const;
};

/**
 * \ingroup wafer
 * What a program may change on the way from a scenario file to a run.
 */
struct ResolveOptions
{
    AttributeTexts overrides;                 ///< --ns3::Class::Attribute=value, in order
    std::optional<uint64_t> seed;             ///< instead of the scenario's
    std::optional<std::string> fidelity;      ///< instead of the scenario's
    std::optional<RequestGenerator> workload; ///< instead of the scenario's (wafer-frontier)
    /// Place the model on the pipelines (false: only check the input, as a sweep does for each
    /// point, whose model not fitting is that point's failure, not the sweep's).
    bool place{true};
    uint64_t run{1}; ///< ns-3's run number (--RngRun): another substream of every seed
};

/**
 * \ingroup wafer
 * A scenario with every name looked up, every default applied and every value checked, in one
 * place (ResolveScenario), so that wafer-sim, wafer-frontier and wafer-sweep --check agree on
 * what is valid and what runs. Holds no ns-3 state: running it (ServingRun) applies the
 * attribute settings.
 */
struct ResolvedScenario
{
    std::string path; ///< the file it came from
    std::string text; ///< the file's text
    std::string name;
    std::string description;
    std::string modelName;  ///< the scenario's model name
    std::string deviceName; ///< the scenario's device name

    std::shared_ptr<const LlmCostModel> model; ///< the model at its precisions
    PoolPlan decode;                           ///< the decode (or only) pipeline
    std::optional<PoolPlan> prefill;           ///< the prefill pipeline of a split
    KvCacheTransfer::Granularity kvTransfer{KvCacheTransfer::Granularity::PerLayer};
    bool expertParallel{false};
    uint32_t portsPerDevice{0};        ///< I/O ports of a decode device
    std::optional<DeviceSpec> kvStore; ///< the KV store node's device, if any
    uint32_t replicas{1};              ///< identical serving replicas behind a RequestRouter
    ScenarioFaults faults;             ///< the faults section (effects empty)

    std::string fidelity;        ///< flow, chunk or packet
    std::string recordTransfers; ///< /transfers rows: all, kv or none
    ScaleUpOptions scaleUp;
    std::optional<LinkPreset> scaleUpLink; ///< when collectives are simulated on a domain

    std::optional<std::vector<LlmRequest>> trace; ///< the requests of a trace file, or
    std::optional<RequestGenerator> generator;    ///< the generator that draws them
    uint64_t seed{1};
    uint64_t run{1}; ///< ns-3's run number: RngSeedManager::SetRun

    /// Presets (the device's link, the scenario's link), the scenario's fields, its attributes
    /// map and the command line, in that order of precedence.
    AttributeSettings settings;

    /// Every accelerator of both pipelines of every replica.
    uint32_t Accelerators() const;
    /// The requests: the trace's, or drawn by the generator (seed the run first).
    std::vector<LlmRequest> Requests() const;
};

/**
 * \ingroup wafer
 * Memory of a pipeline stage of \p tp devices per node over \p nodes nodes (an expert group
 * when more than one), less the weights every node after the first holds again: all but the
 * routed experts.
 */
double StageMemoryBytes(const LlmCostModel& model,
                        const DeviceSpec& device,
                        uint32_t tp,
                        uint32_t nodes);

/**
 * \ingroup wafer
 * Resolve \p scenario with \p options against \p catalogs (built-in presets plus the scenario's
 * catalog files). \throws InputError for unknown names, impossible values or a model that does
 * not fit, naming the field.
 */
ResolvedScenario ResolveScenario(const Scenario& scenario,
                                 const ResolveOptions& options,
                                 CatalogSet& catalogs);

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESOLVED_SCENARIO_H
