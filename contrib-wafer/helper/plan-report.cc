/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "plan-report.h"

#include "fabric-helper.h"
#include "resolved-scenario.h"

#include "ns3/collective-model.h"
#include "ns3/expert-group.h"
#include "ns3/input-error.h"
#include "ns3/llm-cost-model.h"
#include "ns3/nstime.h"
#include "ns3/pipeline-serving-engine.h"
#include "ns3/roofline-engine.h"
#include "ns3/simulator.h"
#include "ns3/stage-compute-model.h"
#include "ns3/uinteger.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
PlanReport
Plan(const PlanRequest& req,
     const DeviceSpec& device,
     const LlmConfig& config,
     const AttributeSettings& settings)
{
    if (!(req.context >= 1) || !std::isfinite(req.context))
    {
        throw InputError("context: must be a whole number >= 1");
    }
    const LlmCostModel model(config, req.weights, req.kv);
    if (req.tp < 1)
    {
        throw InputError("--tp: must be a whole number >= 1");
    }
    const uint32_t epNodes = std::max<uint32_t>(1, req.epNodes);
    if (req.epNodes > 0)
    {
        if (!config.moe)
        {
            throw InputError("--ep-nodes: model " + config.name + " has no routed experts");
        }
        if (req.epNodes == 1 && req.tp < 2)
        {
            throw InputError("--ep-nodes: experts on one node need --tp of 2 or more");
        }
        if (config.moe->experts % (req.tp * epNodes) != 0)
        {
            throw InputError("--ep-nodes: " + std::to_string(config.moe->experts)
                             + " routed experts do not divide evenly over "
                             + std::to_string(epNodes) + " nodes x " + std::to_string(req.tp)
                             + " devices");
        }
        if (epNodes > 1 && req.tp > 1 && device.scaleUpBytesPerS <= 0)
        {
            throw InputError("--ep-nodes: tensor parallelism over the devices' I/O with experts "
                             "across nodes is not modelled");
        }
    }
    // A stage is one device, or a scale-up domain of tp devices sharing its layers, or with
    // experts across nodes, several such domains.
    const double capacity = StageMemoryBytes(model, device, req.tp, epNodes);
    PlanReport r;
    r.model = config.name;
    r.device = device.name;
    r.weightsPrecision = req.weights ? ToString(*req.weights) : "native";
    r.kvPrecision = ToString(req.kv);
    r.context = req.context;
    r.weightsBytes = model.TotalWeightBytes();
    r.layers = config.layers;
    r.minWafers = PipelinePlacement::MinStages(model, capacity);
    r.wafers = req.wafers.value_or(r.minWafers);
    const auto placement = PipelinePlacement::Place(model, capacity, r.wafers, 0.0);
    r.kvBytesPerToken = model.KvBytesPerToken();
    r.kvBytes = model.KvBytes(req.context);
    r.ridgePoint = device.RidgePoint(model.WeightPrecision());

    // The network as wafer-sim would build it, at flow fidelity (no devices needed) for the
    // closed-form message times.
    FabricHelper fabricHelper;
    fabricHelper.SetAttributes(settings);
    Cluster cluster
        = fabricHelper.Install(std::vector<uint32_t>(r.wafers, req.tp * epNodes * device.ioPorts),
                               device.kind,
                               "flow",
                               std::vector<uint32_t>(r.wafers, req.tp * epNodes));
    const auto nodes = cluster.NodeIds();
    double ioBytesPerS = 0;
    for (uint32_t l : cluster.fabric->PortLinks(nodes[0]))
    {
        ioBytesPerS += cluster.fabric->Link(l).rateBps / 8.0;
    }

    Ptr<RooflineEngine> engine = CreateObject<RooflineEngine>();
    Ptr<CollectiveModel> collectives = CreateObject<CollectiveModel>();
    DeviceSpec stageDevice = device;
    if (req.tp > 1 && device.scaleUpBytesPerS <= 0)
    {
        // Tensor parallelism over the devices' own I/O (wafers): each has its share of the
        // stage's ports, and a collective step crosses the fabric's switch (two link delays).
        stageDevice.scaleUpBytesPerS = ioBytesPerS / req.tp;
        const Time linkDelay = cluster.fabric->Link(cluster.fabric->PortLinks(nodes[0])[0]).delay;
        collectives->SetAttribute("StepLatency", TimeValue(2 * linkDelay));
    }
    r.tp = req.tp;
    r.epNodes = req.epNodes;
    std::optional<ExpertGroup> group;
    if (epNodes > 1)
    {
        group = ExpertGroup::For(config.moe->experts, config.moe->activeExperts, epNodes, req.tp);
        group->scaleOutBytesPerS = ioBytesPerS / (req.tp * epNodes);
        group->scaleUpBytesPerS = stageDevice.scaleUpBytesPerS;
    }
    DecodeBatch one;
    one.sequences = 1;
    one.sumContext = req.context;
    one.sumWindowedContext = model.WindowedContext(req.context);
    uint64_t maxSeq = UINT64_MAX;
    double freeSum = 0;
    for (const auto& a : placement)
    {
        r.layersPerWafer.push_back(a.layerCount);
        freeSum += a.FreeBytes();
        double stageKv = 0;
        for (uint32_t i = a.firstLayer; i < a.firstLayer + a.layerCount; ++i)
        {
            stageKv += model.LayerKvBytes(i, req.context);
        }
        r.kvTransferS = std::max(r.kvTransferS, stageKv / ioBytesPerS);
        maxSeq = std::min<uint64_t>(maxSeq, uint64_t(std::floor(a.FreeBytes() / stageKv)));
        StageComputeModel stage(stageDevice, model, a, engine, false);
        stage.SetTensorParallel(req.tp, collectives, req.epNodes > 0);
        if (group)
        {
            stage.SetExpertGroup(*group);
        }
        r.decodeComputeS += stage.Decode(one).latencyS;
    }
    r.freeSramBytesPerWafer = freeSum / placement.size();
    r.maxSequences = maxSeq;
    r.ioBytesPerS = ioBytesPerS;
    if (r.wafers > 1)
    {
        const auto act = uint64_t(model.ActivationBytesPerToken());
        for (uint32_t s = 0; s + 1 < r.wafers; ++s)
        {
            r.decodeNetworkS
                += cluster.transport->UncontendedTime(nodes[s], nodes[s + 1], act).GetSeconds();
        }
        r.decodeNetworkS
            += cluster.transport->UncontendedTime(nodes.back(), nodes.front(), 4).GetSeconds();
    }
    Simulator::Destroy();
    r.singleStreamTokensPerS = 1.0 / (r.decodeComputeS + r.decodeNetworkS);
    return r;
}

} // namespace

PlanReport
MakePlan(const PlanRequest& request,
         const DeviceSpec& device,
         const LlmConfig& config,
         const LinkCatalog& links,
         const AttributeTexts& overrides)
{
    const AttributeSettings settings
        = LayerSettings(links.Get(device.ioLink),
                        request.link ? &links.Get(*request.link) : nullptr,
                        AttributeSettings(),
                        {},
                        "",
                        overrides);
    // The user's overrides reach the objects built without a helper (the roofline engine).
    settings.ApplyOverridesAsDefaults();
    return Plan(request, device, config, settings);
}

std::string
PlanReport::ToJson() const
{
    nlohmann::ordered_json j;
    j["model"] = model;
    j["device"] = device;
    j["weights_precision"] = weightsPrecision;
    j["kv_precision"] = kvPrecision;
    j["context"] = context;
    j["weights_bytes"] = weightsBytes;
    j["layers"] = layers;
    j["min_wafers"] = minWafers;
    j["wafers"] = wafers;
    j["tp"] = tp;
    if (epNodes > 0)
    {
        j["ep_nodes"] = epNodes;
    }
    j["layers_per_wafer"] = layersPerWafer;
    j["free_sram_bytes_per_wafer"] = freeSramBytesPerWafer;
    j["kv_bytes_per_token"] = kvBytesPerToken;
    j["kv_bytes"] = kvBytes;
    j["kv_transfer_s"] = kvTransferS;
    j["io_bytes_per_s"] = ioBytesPerS;
    j["max_sequences"] = maxSequences;
    j["decode_compute_s"] = decodeComputeS;
    j["decode_network_s"] = decodeNetworkS;
    j["single_stream_tokens_per_s"] = singleStreamTokensPerS;
    j["ridge_point_flops_per_byte"] = ridgePoint;
    return j.dump(2) + "\n";
}

std::string
PlanReport::ToTable() const
{
    std::ostringstream os;
    char buf[160];
    auto row = [&](const char* name, const std::string& value)
    {
        std::snprintf(buf, sizeof(buf), "  %-30s %s\n", name, value.c_str());
        os << buf;
    };
    auto num = [&](const char* fmt, double v)
    {
        std::snprintf(buf, sizeof(buf), fmt, v);
        return std::string(buf);
    };
    std::string layersList;
    for (size_t i = 0; i < layersPerWafer.size(); ++i)
    {
        layersList += (i ? " " : "") + std::to_string(layersPerWafer[i]);
    }
    os << "plan: " << model << " on " << device << "\n";
    row("weights", num("%.2f GB", weightsBytes / 1e9) + " (" + weightsPrecision + ")");
    row("layers", std::to_string(layers));
    row("min wafers (weights only)", std::to_string(minWafers));
    row("wafers", std::to_string(wafers));
    if (epNodes > 0)
    {
        row("experts over", std::to_string(epNodes) + " node(s) x " + std::to_string(tp));
    }
    row("layers per wafer", layersList);
    row("free SRAM per wafer (mean)", num("%.2f GB", freeSramBytesPerWafer / 1e9));
    row("KV per token", num("%.1f KB", kvBytesPerToken / 1e3) + " (" + kvPrecision + ")");
    row("context", num("%.0f tokens", context));
    row("KV per sequence", num("%.3f GB", kvBytes / 1e9));
    row("I/O per wafer", num("%.1f GB/s", ioBytesPerS / 1e9));
    row("KV transfer on/off", num("%.3f ms", kvTransferS * 1e3));
    row("max sequences at context", std::to_string(maxSequences));
    row("decode step: compute", num("%.1f us", decodeComputeS * 1e6));
    row("decode step: network", num("%.1f us", decodeNetworkS * 1e6));
    row("single-stream decode", num("%.0f tokens/s", singleStreamTokensPerS));
    row("ridge point", num("%.2f FLOPs/byte", ridgePoint));
    return os.str();
}

} // namespace wafer
} // namespace ns3
