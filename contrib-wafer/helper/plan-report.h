/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PLAN_REPORT_H
#define WAFER_PLAN_REPORT_H

#include "attribute-settings.h"
#include "link-catalog.h"

#include "ns3/device-spec.h"
#include "ns3/llm-config.h"
#include "ns3/pipeline-placement.h"

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
 * What to plan: a model on a device at a context length.
 */
struct PlanRequest
{
    std::string model;
    std::string device;
    std::optional<uint32_t> wafers; ///< default: the minimum
    double context{8192};
    std::optional<Precision> weights; ///< default: native
    Precision kv{Precision::BF16};
    std::optional<std::string> link; ///< link technology preset (default: the device's)
    uint32_t tp{1};                  ///< devices per stage (tensor parallel in a scale-up domain)
    /// 0: no expert parallelism; N: routed experts sharded over N nodes of tp devices
    /// (ExpertGroup; with N = 1, over the tp devices of one scale-up domain).
    uint32_t epNodes{0};
};

/**
 * \ingroup wafer
 * The analytical answer (no simulation): placement, memory, KV and single-stream speed.
 */
struct PlanReport
{
    std::string model;
    std::string device;
    std::string weightsPrecision;
    std::string kvPrecision;
    double context{0};
    double weightsBytes{0};
    uint32_t layers{0};
    uint32_t minWafers{0};
    uint32_t wafers{0};
    std::vector<uint32_t> layersPerWafer;
    double freeSramBytesPerWafer{0}; ///< mean over wafers
    double kvBytesPerToken{0};
    double kvBytes{0};     ///< one sequence at the context
    double kvTransferS{0}; ///< that KV on or off, each wafer over its own I/O, in parallel
    double ioBytesPerS{0}; ///< one wafer's I/O, all ports
    uint64_t maxSequences{0};
    double decodeComputeS{0}; ///< one decode step, all stages, batch 1
    double decodeNetworkS{0}; ///< activations between stages and the token back
    double singleStreamTokensPerS{0};
    double ridgePoint{0}; ///< device FLOPs per byte at the weight precision
    uint32_t tp{1};       ///< devices per stage (tensor parallel)
    uint32_t epNodes{0};  ///< nodes the experts span (0: no expert parallelism)

    std::string ToJson() const;
    std::string ToTable() const;
};

/**
 * \ingroup wafer
 * Plan \p request for \p device and \p config with the attribute layers every program applies
 * (LayerSettings: the device's link preset, the request's link preset, then \p overrides), as
 * wafer-sim would build the deployment.
 * \throws InputError for unknown names or a model that does not fit.
 */
PlanReport MakePlan(const PlanRequest& request,
                    const DeviceSpec& device,
                    const LlmConfig& config,
                    const LinkCatalog& links,
                    const AttributeTexts& overrides);

} // namespace wafer
} // namespace ns3

#endif // WAFER_PLAN_REPORT_H
