/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pipeline-placement.h"

#include "input-error.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferPipelinePlacement");
namespace wafer
{

namespace
{
std::string
Gb(double bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f GB", bytes / 1e9);
    return buf;
}
} // namespace

double
PipelinePlacement::Balance(const LlmCostModel& model, uint32_t stages, std::vector<uint32_t>& cuts)
{
    const uint32_t n = model.Layers();
    std::vector<double> prefix(n + 1, 0.0);
    for (uint32_t i = 0; i < n; ++i)
    {
        prefix[i + 1] = prefix[i] + model.LayerWeightBytes(i);
    }
    // A tied head shares the embedding only when both sit on the same (single) stage.
    const double head = (model.Config().tiedEmbeddings && stages == 1) ? 0.0 : model.LmHeadBytes();
    auto load = [&](uint32_t i, uint32_t j)
    {
        return prefix[j] - prefix[i] + (i == 0 ? model.EmbeddingBytes() : 0.0)
               + (j == n ? head : 0.0);
    };
    const double inf = std::numeric_limits<double>::infinity();
    // best[s][j]: smallest largest load when the first j layers form s stages.
    std::vector<std::vector<double>> best(stages + 1, std::vector<double>(n + 1, inf));
    std::vector<std::vector<uint32_t>> from(stages + 1, std::vector<uint32_t>(n + 1, 0));
    best[0][0] = 0.0;
    for (uint32_t s = 1; s <= stages; ++s)
    {
        for (uint32_t j = s; j <= n; ++j)
        {
            for (uint32_t i = s - 1; i < j; ++i)
            {
                const double v = std::max(best[s - 1][i], load(i, j));
                if (v < best[s][j]) // strict: the earliest cut wins ties, deterministically
                {
                    best[s][j] = v;
                    from[s][j] = i;
                }
            }
        }
    }
    cuts.assign(stages + 1, 0);
    cuts[stages] = n;
    for (uint32_t s = stages; s > 0; --s)
    {
        cuts[s - 1] = from[s][cuts[s]];
    }
    return best[stages][n];
}

uint32_t
PipelinePlacement::MinStages(const LlmCostModel& model, double capacityBytes)
{
    const uint32_t n = model.Layers();
    std::vector<uint32_t> cuts;
    if (Balance(model, n, cuts) > capacityBytes)
    {
        throw InputError("model " + model.Config().name
                         + ": one layer with the embedding or LM "
                           "head needs more than the device's "
                         + Gb(capacityBytes));
    }
    // Feasibility grows with the stage count: binary search the smallest feasible count.
    uint32_t lo = 1;
    uint32_t hi = n;
    while (lo < hi)
    {
        const uint32_t mid = (lo + hi) / 2;
        if (Balance(model, mid, cuts) <= capacityBytes)
        {
            hi = mid;
        }
        else
        {
            lo = mid + 1;
        }
    }
    return lo;
}

std::vector<StageAssignment>
PipelinePlacement::Place(const LlmCostModel& model,
                         double capacityBytes,
                         uint32_t stages,
                         double kvReserveBytes)
{
    const std::string name = model.Config().name;
    if (stages == 0)
    {
        throw InputError("wafers: must be >= 1");
    }
    if (stages > model.Layers())
    {
        throw InputError("wafers: " + std::to_string(stages) + " exceeds the "
                         + std::to_string(model.Layers()) + " layers of " + name
                         + " (a layer never spans wafers)");
    }
    if (kvReserveBytes < 0 || kvReserveBytes >= capacityBytes)
    {
        throw InputError("kv_reserve_bytes: must be >= 0 and below the device memory");
    }
    std::vector<uint32_t> cuts;
    const double worst = Balance(model, stages, cuts);
    const double room = capacityBytes - kvReserveBytes;
    if (worst > room)
    {
        uint32_t need = 0;
        try
        {
            need = MinStages(model, room);
        }
        catch (const InputError&)
        {
        }
        std::ostringstream msg;
        msg << "model " << name << " (" << Gb(model.TotalWeightBytes()) << " of weights at "
            << ToString(model.WeightPrecision()) << ") does not fit on " << stages << " x "
            << Gb(capacityBytes) << " with " << Gb(kvReserveBytes) << " KV reserve per device: "
            << "largest stage needs " << Gb(worst);
        if (need > 0)
        {
            msg << ", at least " << need << " devices required";
        }
        throw InputError(msg.str());
    }
    std::vector<StageAssignment> out(stages);
    const double head = (model.Config().tiedEmbeddings && stages == 1) ? 0.0 : model.LmHeadBytes();
    for (uint32_t s = 0; s < stages; ++s)
    {
        StageAssignment& a = out[s];
        a.firstLayer = cuts[s];
        a.layerCount = cuts[s + 1] - cuts[s];
        a.embedding = (s == 0);
        a.lmHead = (s + 1 == stages);
        a.capacityBytes = capacityBytes;
        a.weightBytes = (a.embedding ? model.EmbeddingBytes() : 0.0) + (a.lmHead ? head : 0.0);
        for (uint32_t i = a.firstLayer; i < cuts[s + 1]; ++i)
        {
            a.weightBytes += model.LayerWeightBytes(i);
            a.kvBytesPerToken += model.LayerKvBytesPerToken(i);
        }
    }
    return out;
}

} // namespace wafer
} // namespace ns3
