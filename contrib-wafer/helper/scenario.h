/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SCENARIO_H
#define WAFER_SCENARIO_H

#include "attribute-settings.h"
#include "request-source.h"
#include "scenario-faults.h"

#include "ns3/precision.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The scale-up domains of a tensor-parallel deployment (scenario field scale_up).
 */
struct ScaleUpOptions
{
    bool simulated{true};        ///< collectives simulated on the domain's network, or closed-form
    std::string link{"nvlink5"}; ///< link technology of the GPUs' scale-up ports
    double switchLatencyS{2.5e-7}; ///< one NVSwitch crossing
    std::string fidelity{"flow"};  ///< fidelity the collectives are simulated at
};

/// The largest seed: ns-3's generator (MRG32k3a, RngStream) takes the seed as all six of its
/// state words, which must lie below its second modulus, 4294944443.
constexpr uint64_t kMaxSeed = 4294944442ULL;
/// The largest run number (--RngRun) accepted: ns-3 advances its streams by the run number's
/// substreams, and 2^53 keeps it exact wherever a number passes through a double.
constexpr uint64_t kMaxRun = 9007199254740992ULL;

/// The largest scale-up domain whose collectives are simulated message by message (144: the
/// Trainium3 UltraServer, the largest domain of the device catalog). Larger ones use the closed
/// forms (scale_up.collectives = closed-form).
constexpr uint32_t kMaxSimulatedRanks = 144;

/// The most serving replicas a scenario may declare (replicas.count).
constexpr uint32_t kMaxReplicas = 4096;
/// Most nodes an expert-parallel stage may span (DeepSeek's largest decode group, EP 320, is 40
/// nodes of 8 GPUs).
constexpr uint32_t kMaxExpertNodes = 64;
/// The largest expert group (nodes x tensor_parallel) whose all-to-alls are simulated message
/// by message; the scale-out phase has ranks x (nodes - 1) messages.
constexpr uint32_t kMaxSimulatedExpertRanks = 512;

/**
 * \ingroup wafer
 * A scenario file (schema "wafer-scenario/1", documented in docs/scenarios.md) as read: every
 * field checked for its own form and range, names not yet looked up (see ResolveScenario).
 * Fields that tune a model object (network, serving, kv_store.sessions) are kept as typed
 * attribute settings, through one table in scenario.cc.
 */
struct Scenario
{
    std::string path; ///< file it came from
    std::string text; ///< the file's text, stored in every result
    std::string name;
    std::string description;
    std::string model;
    std::string device;
    uint32_t wafers{0};               ///< 0: the model's minimum (weights only)
    std::optional<Precision> weights; ///< nullopt: native
    Precision kv{Precision::BF16};
    Precision activations{Precision::BF16};
    double kvReserveBytes{0};
    uint32_t portsPerDevice{0};               ///< 0: the device preset's I/O ports
    std::optional<std::string> link;          ///< link technology preset (default: the device's)
    std::string fidelity{"chunk"};            ///< flow, chunk or packet
    std::string recordTransfers{"all"};       ///< /transfers rows: all, kv or none
    uint32_t tensorParallel{1};               ///< devices per pipeline stage (scale-up domain)
    bool expertParallel{false};               ///< MoE experts sharded over the domain (all-to-all)
    uint32_t expertNodes{1};                  ///< nodes (domains) a decode stage's experts span
    uint32_t prefillExpertNodes{1};           ///< the same for a prefill stage of a split
    ScaleUpOptions scaleUp;                   ///< how scale-up domains and collectives are modelled
    uint32_t prefillWafers{0};                ///< >0: a separate prefill pipeline (P/D split)
    bool kvTransferPerLayer{true};            ///< split: KV moved per layer, else whole
    std::optional<std::string> prefillDevice; ///< split: prefill device (default: device)
    uint32_t prefillTensorParallel{1};        ///< split: devices per prefill stage
    std::optional<std::string> kvStore;       ///< device of a KV store node (KVSS), if any
    uint32_t replicas{1};                     ///< identical serving replicas behind a router
    std::optional<std::string> traceFile;     ///< resolved path
    std::optional<RequestGenerator> generator;
    uint64_t seed{1};
    std::vector<std::string> deviceFiles; ///< extra device catalogs (resolved paths)
    std::vector<std::string> modelFiles;  ///< extra model catalogs (resolved paths)
    std::vector<std::string> linkFiles;   ///< extra link catalogs (resolved paths)
    ScenarioFaults faults;                ///< the faults section (effects empty)
    AttributeSettings fields;             ///< network, serving and kv_store fields, typed
    AttributeTexts attributes;            ///< the "attributes" map, in key order

    /// \throws InputError naming file, field and reason.
    static Scenario LoadFile(const std::string& path);
    /// The same for a file's \p text; \p path names it and resolves its relative paths.
    static Scenario LoadText(const std::string& path, const std::string& text);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SCENARIO_H
