/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stage-compute-model.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

StageComputeModel::StageComputeModel(const DeviceSpec& device,
                                     const LlmCostModel& model,
                                     const StageAssignment& stage,
                                     Ptr<const RooflineEngine> engine,
                                     bool layerPipelining)
    : m_device(device),
      m_model(model),
      m_stage(stage),
      m_engine(engine),
      m_layerPipelining(layerPipelining)
{
}

const StageAssignment&
StageComputeModel::Assignment() const
{
    return m_stage;
}

double
StageComputeModel::Share(double kernelWeightBytes) const
{
    if (m_device.execution != ExecutionStyle::Spatial || m_stage.weightBytes <= 0)
    {
        return 1.0;
    }
    return std::clamp(kernelWeightBytes / m_stage.weightBytes, 1e-9, 1.0);
}

void
StageComputeModel::Add(StageTiming& t, const KernelCost& cost, double weightBytes) const
{
    const KernelTiming k = m_engine->Evaluate(m_device, Kernel::FromCost(cost), Share(weightBytes));
    t.latencyS += k.timeS;
    t.flops += cost.flops;
    t.bytes += cost.TotalBytes();
    t.kernels += 1;
    t.computeBoundKernels += (k.bound == Bound::Compute) ? 1 : 0;
    t.maxKernelS = std::max(t.maxKernelS, k.timeS);
}

void
StageComputeModel::Finish(StageTiming& t) const
{
    t.occupancyS = m_layerPipelining ? t.maxKernelS : t.latencyS;
}

StageTiming
StageComputeModel::Decode(const DecodeBatch& batch) const
{
    StageTiming t;
    if (m_stage.embedding)
    {
        Add(t, m_model.Embedding(batch.sequences), m_model.EmbeddingBytes());
    }
    for (uint32_t i = m_stage.firstLayer; i < m_stage.firstLayer + m_stage.layerCount; ++i)
    {
        Add(t, m_model.LayerDecode(i, batch), m_model.LayerWeightBytes(i));
    }
    if (m_stage.lmHead)
    {
        Add(t, m_model.LmHead(batch.sequences), m_model.LmHeadBytes());
    }
    Finish(t);
    return t;
}

StageTiming
StageComputeModel::Prefill(double tokens, double priorContext, uint32_t sequences) const
{
    StageTiming t;
    if (m_stage.embedding)
    {
        Add(t, m_model.Embedding(tokens), m_model.EmbeddingBytes());
    }
    for (uint32_t i = m_stage.firstLayer; i < m_stage.firstLayer + m_stage.layerCount; ++i)
    {
        Add(t, m_model.LayerPrefill(i, tokens, priorContext), m_model.LayerWeightBytes(i));
    }
    if (m_stage.lmHead)
    {
        Add(t, m_model.LmHead(sequences), m_model.LmHeadBytes());
    }
    Finish(t);
    return t;
}

} // namespace wafer
} // namespace ns3
