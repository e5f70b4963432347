/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-run.h"

#include "catalog-set.h"
#include "run-progress.h"
#include "streaming-point.h"
#include "streaming-workload.h"

#include "ns3/input-error.h"
#include "ns3/llm-cost-model.h"
#include "ns3/roofline-engine.h"

namespace ns3
{
namespace wafer
{

namespace
{
/// The /points table, with one row per point added by Add.
class PointsTable
{
  public:
    explicit PointsTable(double sramBytes) :
        m_table("points",
                "One row per point of the study: a weight-streamed forward pass (inference) "
                "or training step; seconds, tokens/s."),
        m_sram(sramBytes)
    {
        for (const char* c : {"mode", "phase", "memoryx_tier"})
        {
            m_table.AddString(c, 16);
        }
        for (const char* c : {"systems", "batch", "memory_fits"})
        {
            m_table.AddInt(c);
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
            m_table.AddFloat(c);
        }
    }

    void Add(const std::string& mode,
             const std::string& phase,
             uint32_t systems,
             uint32_t batch,
             double tokens,
             const StreamingPoint& r,
             double memory,
             double resident,
             double residentWafers,
             double efficiency)
    {
        ResultTable& t = m_table;
        const double perSystem = tokens / r.passS;
        t.Set(t.Find("mode"), mode);
        t.Set(t.Find("phase"), phase);
        t.Set(t.Find("memoryx_tier"), r.tier);
        t.Set(t.Find("systems"), int64_t(systems));
        t.Set(t.Find("batch"), int64_t(batch));
        t.Set(t.Find("memory_fits"), int64_t(memory <= m_sram ? 1 : 0));
        t.Set(t.Find("tokens_per_pass"), tokens);
        t.Set(t.Find("pass_s"), r.passS);
        t.Set(t.Find("compute_s"), r.computeS);
        t.Set(t.Find("stream_s"), r.streamS);
        t.Set(t.Find("exposed_stream_s"), r.exposedS);
        t.Set(t.Find("tail_s"), r.tailS);
        t.Set(t.Find("tokens_per_s"), perSystem * systems);
        t.Set(t.Find("tokens_per_s_per_system"), perSystem);
        t.Set(t.Find("resident_tokens_per_s_per_wafer"), resident);
        t.Set(t.Find("resident_wafers"), residentWafers);
        t.Set(t.Find("streamed_over_resident"), resident > 0 ? perSystem / resident : -1);
        t.Set(t.Find("scaling_efficiency"), efficiency);
        t.Set(t.Find("memory_bytes"), memory);
    }

    const ResultTable& Table() const
    {
        return m_table;
    }

  private:
    ResultTable m_table;
    double m_sram;
};

/// The /layers table: the timeline of \p items.
ResultTable
LayerTable(const std::vector<StreamItem>& items)
{
    ResultTable t("layers",
                  "Timeline of the last point's streamed items (seconds from the pass's "
                  "start; reduce and update 0 where an item has no gradients).");
    t.AddString("item", 32);
    for (const char* c : {"weight_bytes",
                          "compute_s",
                          "broadcast_start_s",
                          "broadcast_end_s",
                          "compute_start_s",
                          "compute_end_s",
                          "reduce_end_s",
                          "update_end_s"})
    {
        t.AddFloat(c);
    }
    for (const auto& it : items)
    {
        t.Set(t.Find("item"), it.name);
        t.Set(t.Find("weight_bytes"), it.weightBytes);
        t.Set(t.Find("compute_s"), it.computeS);
        t.Set(t.Find("broadcast_start_s"), it.broadcastStartS);
        t.Set(t.Find("broadcast_end_s"), it.broadcastEndS);
        t.Set(t.Find("compute_start_s"), it.computeStartS);
        t.Set(t.Find("compute_end_s"), it.computeEndS);
        t.Set(t.Find("reduce_end_s"), it.reduceEndS);
        t.Set(t.Find("update_end_s"), it.updateEndS);
    }
    return t;
}
} // namespace

std::vector<ResultTable>
StreamingRun::Run(const StreamingScenario& s, const AttributeTexts& overrides)
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
    const StreamingWorkload workload(model, device, CreateObject<RooflineEngine>());
    const StreamingPointHelper points(s, settings, s.ports ? s.ports : device.ioPorts);
    const double sram = device.MainMemoryBytes();
    const double buffers = 2 * workload.LargestItemBytes(); // weights in flight on the wafer
    PointsTable table(sram);
    // Shown only if the program chose RunProgress's scheduler: the share of points done.
    const double total
        = std::max<size_t>(s.mode == "inference" ? s.batches.size() : s.systems.size(), 1);
    ProgressScope progress(s.name,
                           [&table, total]()
                           {
                               return table.Table().Rows() / total;
                           });
    std::vector<StreamItem> lastItems;
    std::vector<std::pair<std::string, double>> summary{{"points", 0}};
    if (s.mode == "inference")
    {
        // Against resident serving of the same model: the fewest wafers that hold it.
        const uint32_t m = workload.ResidentWafers();
        double breakEven = -1;    // the first batch that fits and reaches the fraction
        double breakEvenAny = -1; // the same, ignoring whether the KV cache fits
        for (uint32_t b : s.batches)
        {
            const bool decode = s.phase == "decode";
            const double context = decode ? s.contextTokens : s.promptTokens;
            const double memory = b * model.KvBytes(context) + buffers;
            const StreamingPoint r
                = points.Run(1, workload.InferencePass(s, b), model.TotalWeightBytes());
            const double tokens = decode ? b : b * s.promptTokens;
            const double resident = workload.ResidentTokensPerSPerWafer(s, b);
            table.Add(s.mode, s.phase, 1, b, tokens, r, memory, resident, m, 1.0);
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
        // One training step per system count, data parallel with gradients reduced in SwarmX.
        const double tokens = s.sequencesPerSystem * s.sequenceTokens;
        const double activations
            = tokens * model.ActivationBytesPerToken() * (model.Layers() + 1) + buffers;
        if (activations > sram)
        {
            throw InputError(s.path + ": streaming.training.sequences_per_system: "
                             + std::to_string(activations / 1e9)
                             + " GB of stored activations and weight buffers exceed the "
                             + device.name + "'s " + std::to_string(sram / 1e9) + " GB");
        }
        const std::vector<StreamItem> items = workload.TrainingStep(s);
        // Weights, fp32 master copy and two moments: what MemoryX holds for training.
        const double store = model.TotalWeightBytes() + 12 * model.TotalParams();
        const StreamingPoint one = points.Run(1, items, store);
        for (uint32_t n : s.systems)
        {
            const StreamingPoint r = n == 1 ? one : points.Run(n, items, store);
            const double efficiency = one.passS / r.passS;
            table.Add(
                s.mode, "step", n, s.sequencesPerSystem, tokens, r, activations, -1, 0, efficiency);
            lastItems = r.items;
            summary.push_back({"efficiency_at_" + std::to_string(n), efficiency});
        }
    }
    summary[0].second = table.Table().Rows();

    ResultTable summaryTable("summary", "One row of study-level figures.");
    summary.push_back({"weights_bytes", model.TotalWeightBytes()});
    summary.push_back({"layers", double(model.Layers())});
    for (const auto& [k, v] : summary)
    {
        summaryTable.Set(summaryTable.AddFloat(k), v);
    }
    return {table.Table(), LayerTable(lastItems), summaryTable};
}

} // namespace wafer
} // namespace ns3
