/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STREAMING_SCENARIO_H
#define WAFER_STREAMING_SCENARIO_H

#include "attribute-settings.h"

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
 * A weight-streaming study file (schema "wafer-streaming/1", docs/scenarios.md): one model on
 * CS systems fed by MemoryX through SwarmX, in inference (a sweep over batch sizes, against
 * resident serving) or training (a sweep over system counts).
 */
struct StreamingScenario
{
    std::string path;
    std::string text;
    std::string name;
    std::string model;
    std::string device{"wse-3"};
    std::optional<Precision> weights; ///< nullopt: native
    Precision kv{Precision::BF16};
    std::string mode; ///< inference or training
    std::string fidelity{"flow"};
    // SwarmX
    uint32_t fanout{4};
    std::optional<std::string> link; ///< link preset of every tree edge (default: the device's)
    uint32_t ports{0};               ///< ports per edge (0: the device's)
    double hopLatencyS{5e-6};
    double chunkBytes{4 << 20};
    bool inNetworkReduction{true};
    // Inference
    std::string phase{"decode"};   ///< decode or prefill
    std::vector<uint32_t> batches; ///< sequences per pass
    double contextTokens{1024};    ///< decode: tokens each sequence attends
    double promptTokens{1024};     ///< prefill: tokens per sequence
    double breakEvenFraction{0.9}; ///< streamed / resident tokens/s that counts as break-even
    // Training
    std::vector<uint32_t> systems; ///< CS systems (data parallel)
    uint32_t sequencesPerSystem{8};
    double sequenceTokens{2048};
    std::vector<std::string> deviceFiles; ///< extra device catalogs (resolved paths)
    std::vector<std::string> modelFiles;  ///< extra model catalogs (resolved paths)
    std::vector<std::string> linkFiles;   ///< extra link catalogs (resolved paths)
    AttributeTexts attributes;            ///< the "attributes" map, in key order

    /// \throws InputError naming file, field and reason.
    static StreamingScenario LoadFile(const std::string& path);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STREAMING_SCENARIO_H
