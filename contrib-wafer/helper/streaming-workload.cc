/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-workload.h"

#include "ns3/stage-compute-model.h"

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
} // namespace

StreamingWorkload::StreamingWorkload(const LlmCostModel& model,
                                     const DeviceSpec& device,
                                     Ptr<const RooflineEngine> roofline) :
    m_model(model),
    m_device(device),
    m_roofline(roofline)
{
}

const std::vector<StageAssignment>&
StreamingWorkload::Resident() const
{
    if (m_resident.empty())
    {
        const double sram = m_device.MainMemoryBytes();
        const uint32_t m = PipelinePlacement::MinStages(m_model, sram);
        m_resident = PipelinePlacement::Place(m_model, sram, m, 0);
        for (const auto& a : m_resident)
        {
            m_kernels += a.layerCount + (a.embedding ? 1 : 0) + (a.lmHead ? 1 : 0);
        }
    }
    return m_resident;
}

double
StreamingWorkload::ComputeS(const KernelCost& cost) const
{
    return m_roofline->Evaluate(m_device, Kernel::FromCost(cost), 1.0).timeS;
}

double
StreamingWorkload::LargestItemBytes() const
{
    double biggest = m_model.LmHeadBytes();
    for (uint32_t i = 0; i < m_model.Layers(); ++i)
    {
        biggest = std::max(biggest, m_model.LayerWeightBytes(i));
    }
    return biggest;
}

std::vector<StreamItem>
StreamingWorkload::InferencePass(const StreamingScenario& s, uint32_t b) const
{
    const bool decode = s.phase == "decode";
    const DecodeBatch batch{b, b * s.contextTokens, b * m_model.WindowedContext(s.contextTokens)};
    std::vector<StreamItem> items;
    for (uint32_t i = 0; i < m_model.Layers(); ++i)
    {
        StreamItem it;
        it.name = "layer" + std::to_string(i);
        it.weightBytes = m_model.LayerWeightBytes(i);
        it.computeS = ComputeS(decode ? m_model.LayerDecode(i, batch)
                                      : Times(m_model.LayerPrefill(i, s.promptTokens, 0), b));
        items.push_back(it);
    }
    StreamItem head;
    head.name = "lm_head";
    head.weightBytes = m_model.LmHeadBytes();
    head.computeS = ComputeS(m_model.LmHead(b));
    items.push_back(head);
    return items;
}

std::vector<StreamItem>
StreamingWorkload::TrainingStep(const StreamingScenario& s) const
{
    const double tokens = s.sequencesPerSystem * s.sequenceTokens;
    std::vector<StreamItem> items;
    auto add
        = [&](const std::string& name, double weights, KernelCost fwd, bool backward, double params)
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
        it.computeS = ComputeS(fwd);
        items.push_back(it);
    };
    const double q = s.sequencesPerSystem;
    const uint32_t layers = m_model.Layers();
    for (uint32_t i = 0; i < layers; ++i)
    {
        add("layer" + std::to_string(i),
            m_model.LayerWeightBytes(i),
            Times(m_model.LayerPrefill(i, s.sequenceTokens, 0), q),
            false,
            0);
    }
    add("lm_head", m_model.LmHeadBytes(), m_model.LmHead(tokens), false, 0);
    add("lm_head", m_model.LmHeadBytes(), m_model.LmHead(tokens), true, m_model.EmbeddingParams());
    for (uint32_t i = layers; i-- > 0;)
    {
        add("layer" + std::to_string(i),
            m_model.LayerWeightBytes(i),
            Times(m_model.LayerPrefill(i, s.sequenceTokens, 0), q),
            true,
            m_model.LayerParams(i));
    }
    return items;
}

uint32_t
StreamingWorkload::ResidentWafers() const
{
    return Resident().size();
}

double
StreamingWorkload::ResidentTokensPerSPerWafer(const StreamingScenario& s, uint32_t b) const
{
    const std::vector<StageAssignment>& resident = Resident();
    const bool decode = s.phase == "decode";
    const double tokens = decode ? b : b * s.promptTokens;
    const uint32_t k = decode ? std::min(b, m_kernels) : b;
    const uint32_t mb = (b + k - 1) / k;
    const DecodeBatch micro{
        mb, mb * s.contextTokens, mb * m_model.WindowedContext(s.contextTokens)};
    double latency = 0;
    double busiest = 0;
    for (const auto& a : resident)
    {
        StageComputeModel stage(m_device, m_model, a, m_roofline, true);
        const StageTiming t = decode ? stage.Decode(micro) : stage.Prefill(s.promptTokens, 0, 1);
        latency += t.latencyS;
        busiest = std::max(busiest, t.occupancyS);
    }
    const double cycle = std::max(latency, ((b + mb - 1) / mb) * busiest);
    return tokens / cycle / resident.size();
}

} // namespace wafer
} // namespace ns3
