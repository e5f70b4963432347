/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-run.h"

#include "resolved-scenario.h"
#include "swarmx-helper.h"

#include "ns3/input-error.h"
#include "ns3/llm-cost-model.h"
#include "ns3/pipeline-placement.h"
#include "ns3/roofline-engine.h"
#include "ns3/simulator.h"
#include "ns3/stage-compute-model.h"
#include "ns3/weight-streaming-engine.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

namespace
{

/// A kernel cost for \p n sequences at once (weights read once).
KernelCost
Times(KernelCost k, double n)
{
    k.flops *= n;
    k.kvReadBytes *= n;
    k.kvWriteBytes *= n;
    k.activationBytes *= n;
    return k;
}

/// What one point of the study measured.
struct PointResult
{
    double passS{0};
    double computeS{0};
    double streamS{0};
    double exposedS{0};
    double tailS{0};
    std::string tier;
    std::vector<StreamItem> items;
};

} // namespace

std::vector<ResultTable>
StreamingRun::Run(const StreamingScenario& s,
                  const std::vector<std::pair<std::string, std::string>>& overrides)
{
    CatalogSet catalogs;
    const DeviceSpec& device = catalogs.Devices(s.deviceFiles).Get(s.device);
    const LlmConfig& config = catalogs.Models(s.modelFiles).Get(s.model);
    const LinkCatalog& links = catalogs.Links(s.linkFiles);
    const AttributeSettings settings = LayerSettings(links.Get(device.ioLink),
                                                     s.link ? &links.Get(*s.link) : nullptr,
                                                     AttributeSettings(),
                                                     s.attributes,
                                                     s.path + ": streaming.attributes",
                                                     overrides);
    // The one place where attribute defaults change: the user's overrides, for objects built
    // without a helper (MemoryX, the roofline engine); the SwarmX helper sets the link's.
    settings.ApplyOverridesAsDefaults();

    const LlmCostModel model(config, s.weights, s.kv);
    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    const double sram = device.MainMemoryBytes();
    const uint32_t ports = s.ports ? s.ports : device.ioPorts;
    const uint32_t layers = model.Layers();
    auto computeS = [&](const KernelCost& k)
    {
        return roofline->Evaluate(device, Kernel::FromCost(k), 1.0).timeS;
    };
    double biggest = model.LmHeadBytes();
    for (uint32_t i = 0; i < layers; ++i)
    {
        biggest = std::max(biggest, model.LayerWeightBytes(i));
    }

    // One point: build MemoryX, SwarmX and the wafers, stream the items, tear down.
    auto simulate = [&](uint32_t systems, std::vector<StreamItem> items, double storeBytes)
    {
        SwarmXHelper helper;
        helper.SetAttributes(settings);
        helper.SetFanout(s.fanout);
        helper.SetPorts(ports);
        helper.SetHopLatency(Seconds(s.hopLatencyS));
        helper.SetChunkBytes(uint64_t(s.chunkBytes));
        helper.SetInNetworkReduction(s.inNetworkReduction);
        SwarmXCluster cluster = helper.Install(systems, s.fidelity);
        PointResult r;
        try
        {
            cluster.memoryx->Place(storeBytes);
        }
        catch (const InputError& e)
        {
            Simulator::Destroy();
            throw;
        }
        r.tier = cluster.memoryx->Tier();
        Ptr<WeightStreamingEngine> engine = CreateObject<WeightStreamingEngine>();
        engine->Setup(cluster.memoryx, cluster.down.get(), cluster.up.get());
        engine->Run(items,
                    [&r]()
                    {
                        r.passS = Simulator::Now().GetSeconds();
                    });
        Simulator::Run();
        r.items = engine->Items();
        engine->Dispose();
        Simulator::Destroy();
        double lastCompute = 0;
        for (const auto& it : r.items)
        {
            r.computeS += it.computeS;
            r.streamS += it.broadcastEndS - it.broadcastStartS;
            lastCompute = std::max(lastCompute, it.computeEndS);
        }
        r.tailS = r.passS - lastCompute;
        r.exposedS = lastCompute - r.computeS;
        return r;
    };

    ResultTable points("points",
                       "One row per point of the study: a weight-streamed forward pass (inference) "
                       "or training step; seconds, tokens/s.");
    for (const char* c : {"mode", "phase", "memoryx_tier"})
    {
        points.AddString(c, 16);
    }
    for (const char* c : {"systems", "batch", "memory_fits"})
    {
        points.AddInt(c);
    }
    for (const char* c : {"tokens_per_pass",
                          "pass_s",
                          "compute_s",
                          "stream_s",
                          "exposed_stream_s",
                          "tail_s",
                          "tokens_per_s",
                          "tokens_per_s_per_system",
                          "resident_tokens_per_s_per_wafer",
                          "resident_wafers",
                          "streamed_over_resident",
                          "scaling_efficiency",
                          "memory_bytes"})
    {
        points.AddFloat(c);
    }
    auto row = [&](const std::string& phase,
                   uint32_t systems,
                   uint32_t batch,
                   double tokens,
                   const PointResult& r,
                   double memory,
                   double resident,
                   double residentWafers,
                   double efficiency)
    {
        const double perSystem = tokens / r.passS;
        points.Set(points.Find("mode"), s.mode);
        points.Set(points.Find("phase"), phase);
        points.Set(points.Find("memoryx_tier"), r.tier);
        points.Set(points.Find("systems"), int64_t(systems));
        points.Set(points.Find("batch"), int64_t(batch));
        points.Set(points.Find("memory_fits"), int64_t(memory <= sram ? 1 : 0));
        points.Set(points.Find("tokens_per_pass"), tokens);
        points.Set(points.Find("pass_s"), r.passS);
        points.Set(points.Find("compute_s"), r.computeS);
        points.Set(points.Find("stream_s"), r.streamS);
        points.Set(points.Find("exposed_stream_s"), r.exposedS);
        points.Set(points.Find("tail_s"), r.tailS);
        points.Set(points.Find("tokens_per_s"), perSystem * systems);
        points.Set(points.Find("tokens_per_s_per_system"), perSystem);
        points.Set(points.Find("resident_tokens_per_s_per_wafer"), resident);
        points.Set(points.Find("resident_wafers"), residentWafers);
        points.Set(points.Find("streamed_over_resident"), resident > 0 ? perSystem / resident : -1);
        points.Set(points.Find("scaling_efficiency"), efficiency);
        points.Set(points.Find("memory_bytes"), memory);
    };

    std::vector<StreamItem> lastItems;
    std::vector<std::pair<std::string, double>> summary{{"points", 0}};
    if (s.mode == "inference")
    {
        // Resident serving of the same model for comparison: the fewest wafers that hold it,
        // with weights in SRAM (StageComputeModel), every stage busy with its own microbatch.
        const uint32_t m = PipelinePlacement::MinStages(model, sram);
        const auto placement = PipelinePlacement::Place(model, sram, m, 0);
        uint32_t kernels = 0;
        for (const auto& a : placement)
        {
            kernels += a.layerCount + (a.embedding ? 1 : 0) + (a.lmHead ? 1 : 0);
        }
        double breakEven = -1;    // the first batch that fits and reaches the fraction
        double breakEvenAny = -1; // the same, ignoring whether the KV cache fits
        for (uint32_t b : s.batches)
        {
            const bool decode = s.phase == "decode";
            const double context = decode ? s.contextTokens : s.promptTokens;
            const DecodeBatch batch{
                b, b * s.contextTokens, b * model.WindowedContext(s.contextTokens)};
            std::vector<StreamItem> items;
            for (uint32_t i = 0; i < layers; ++i)
            {
                StreamItem it;
                it.name = "layer" + std::to_string(i);
                it.weightBytes = model.LayerWeightBytes(i);
                it.computeS = computeS(decode ? model.LayerDecode(i, batch)
                                              : Times(model.LayerPrefill(i, s.promptTokens, 0), b));
                items.push_back(it);
            }
            StreamItem head;
            head.name = "lm_head";
            head.weightBytes = model.LmHeadBytes();
            head.computeS = computeS(model.LmHead(b));
            items.push_back(head);
            const double memory = b * model.KvBytes(context) + 2 * biggest;
            const PointResult r = simulate(1, items, model.TotalWeightBytes());
            // Resident serving of the same b sequences: on the minimum wafers, with layer
            // pipelining, the sequences split into k microbatches (at most one per kernel
            // region) that cycle through the pipeline; a cycle lasts the longer of a
            // microbatch's way through every stage and k times the busiest region's occupancy.
            const double tokens = decode ? b : b * s.promptTokens;
            const uint32_t k = decode ? std::min(b, kernels) : b;
            const uint32_t mb = (b + k - 1) / k;
            const DecodeBatch micro{
                mb, mb * s.contextTokens, mb * model.WindowedContext(s.contextTokens)};
            double latency = 0;
            double busiest = 0;
            for (const auto& a : placement)
            {
                StageComputeModel stage(device, model, a, roofline, true);
                const StageTiming t
                    = decode ? stage.Decode(micro) : stage.Prefill(s.promptTokens, 0, 1);
                latency += t.latencyS;
                busiest = std::max(busiest, t.occupancyS);
            }
            const double cycle = std::max(latency, ((b + mb - 1) / mb) * busiest);
            const double resident = tokens / cycle / m;
            row(s.phase, 1, b, tokens, r, memory, resident, m, 1.0);
            if (tokens / r.passS >= s.breakEvenFraction * resident)
            {
                breakEvenAny = breakEvenAny < 0 ? b : breakEvenAny;
                breakEven = (breakEven < 0 && memory <= sram) ? b : breakEven;
            }
            lastItems = r.items;
        }
        summary.push_back({"resident_wafers", double(m)});
        summary.push_back({"break_even_batch", breakEven});
        summary.push_back({"break_even_batch_ignoring_memory", breakEvenAny});
        summary.push_back({"break_even_fraction", s.breakEvenFraction});
    }
    else
    {
        // One training step per system count: forward through the layers and the LM head, then
        // backward in reverse with gradients reduced to MemoryX and the optimizer update there.
        const double tokens = s.sequencesPerSystem * s.sequenceTokens;
        const double activations
            = tokens * model.ActivationBytesPerToken() * (layers + 1) + 2 * biggest;
        if (activations > sram)
        {
            throw InputError(s.path + ": streaming.training.sequences_per_system: "
                             + std::to_string(activations / 1e9)
                             + " GB of stored activations and weight buffers exceed the "
                             + device.name + "'s " + std::to_string(sram / 1e9) + " GB");
        }
        std::vector<StreamItem> items;
        auto add = [&](const std::string& name,
                       double weights,
                       KernelCost fwd,
                       bool backward,
                       double params)
        {
            StreamItem it;
            it.name = name + (backward ? ".bwd" : ".fwd");
            it.weightBytes = weights;
            if (backward)
            {
                fwd = Times(fwd, 2.0); // gradients of activations and of weights
                fwd.weightBytes *= 2;
                it.gradBytes = weights;
                it.params = params;
            }
            it.computeS = computeS(fwd);
            items.push_back(it);
        };
        const double q = s.sequencesPerSystem;
        for (uint32_t i = 0; i < layers; ++i)
        {
            add("layer" + std::to_string(i),
                model.LayerWeightBytes(i),
                Times(model.LayerPrefill(i, s.sequenceTokens, 0), q),
                false,
                0);
        }
        add("lm_head", model.LmHeadBytes(), model.LmHead(tokens), false, 0);
        add("lm_head", model.LmHeadBytes(), model.LmHead(tokens), true, model.EmbeddingParams());
        for (uint32_t i = layers; i-- > 0;)
        {
            add("layer" + std::to_string(i),
                model.LayerWeightBytes(i),
                Times(model.LayerPrefill(i, s.sequenceTokens, 0), q),
                true,
                model.LayerParams(i));
        }
        // Weights, fp32 master copy and two moments: what MemoryX holds for training.
        const double store = model.TotalWeightBytes() + 12 * model.TotalParams();
        const PointResult one = simulate(1, items, store);
        for (uint32_t n : s.systems)
        {
            const PointResult r = n == 1 ? one : simulate(n, items, store);
            row("step",
                n,
                s.sequencesPerSystem,
                tokens,
                r,
                activations,
                -1,
                0,
                one.passS / r.passS);
            lastItems = r.items;
            summary.push_back({"efficiency_at_" + std::to_string(n), one.passS / r.passS});
        }
    }
    summary[0].second = points.Rows();

    ResultTable layerTable("layers",
                           "Timeline of the last point's streamed items (seconds from the pass's "
                           "start; reduce and update 0 where an item has no gradients).");
    layerTable.AddString("item", 32);
    for (const char* c : {"weight_bytes",
                          "compute_s",
                          "broadcast_start_s",
                          "broadcast_end_s",
                          "compute_start_s",
                          "compute_end_s",
                          "reduce_end_s",
                          "update_end_s"})
    {
        layerTable.AddFloat(c);
    }
    for (const auto& it : lastItems)
    {
        layerTable.Set(layerTable.Find("item"), it.name);
        layerTable.Set(layerTable.Find("weight_bytes"), it.weightBytes);
        layerTable.Set(layerTable.Find("compute_s"), it.computeS);
        layerTable.Set(layerTable.Find("broadcast_start_s"), it.broadcastStartS);
        layerTable.Set(layerTable.Find("broadcast_end_s"), it.broadcastEndS);
        layerTable.Set(layerTable.Find("compute_start_s"), it.computeStartS);
        layerTable.Set(layerTable.Find("compute_end_s"), it.computeEndS);
        layerTable.Set(layerTable.Find("reduce_end_s"), it.reduceEndS);
        layerTable.Set(layerTable.Find("update_end_s"), it.updateEndS);
    }
    ResultTable summaryTable("summary", "One row of study-level figures.");
    summary.push_back({"weights_bytes", model.TotalWeightBytes()});
    summary.push_back({"layers", double(layers)});
    for (const auto& [k, v] : summary)
    {
        summaryTable.Set(summaryTable.AddFloat(k), v);
    }
    return {points, layerTable, summaryTable};
}

} // namespace wafer
} // namespace ns3
