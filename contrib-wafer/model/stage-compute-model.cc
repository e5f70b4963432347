/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stage-compute-model.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferStageComputeModel");
namespace wafer
{

StageComputeModel::StageComputeModel(const DeviceSpec& device,
                                     const LlmCostModel& model,
                                     const StageAssignment& stage,
                                     Ptr<const RooflineEngine> engine,
                                     bool layerPipelining) :
    m_device(device),
    m_model(model),
    m_stage(stage),
    m_engine(engine),
    m_layerPipelining(layerPipelining)
{
    NS_LOG_FUNCTION(this);
}

void
StageComputeModel::SetTensorParallel(uint32_t ranks,
                                     Ptr<const CollectiveModel> collectives,
                                     bool expertParallel)
{
    NS_LOG_FUNCTION(this);
    m_tp = std::max<uint32_t>(1, ranks);
    m_collectives = collectives;
    m_expertParallel = expertParallel && m_model.Config().moe.has_value();
}

void
StageComputeModel::SetExpertGroup(const ExpertGroup& group)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(m_expertParallel && group.ranksPerNode == m_tp,
                        "StageComputeModel: an expert group needs expert parallelism over the "
                        "stage's tensor-parallel ranks");
    m_group = group;
}

KernelCost
StageComputeModel::WithReplicas(KernelCost cost, uint32_t layer) const
{
    NS_LOG_FUNCTION(this);
    if (m_group && m_group->nodes > 1)
    {
        cost.weightBytes
            += (m_group->nodes - 1)
               * (m_model.LayerWeightBytes(layer) - m_model.LayerRoutedExpertBytes(layer));
    }
    return cost;
}

uint32_t
StageComputeModel::GetTensorParallel() const
{
    NS_LOG_FUNCTION(this);
    return m_tp;
}

void
StageComputeModel::AddLayerCollectives(StageTiming& t, uint32_t layer, double tokens) const
{
    NS_LOG_FUNCTION(this);
    const double bytes = tokens * m_model.ActivationBytesPerToken();
    const double bw = m_device.scaleUpBytesPerS;
    if (m_group)
    {
        // Each node all-reduces its own tokens; the MoE layer's tokens are spread over all.
        const double n = m_group->nodes;
        double s = 2 * m_collectives->AllReduceS(bytes / n, m_tp, bw);
        if (m_model.Config().IsMoeLayer(layer))
        {
            s = m_collectives->AllReduceS(bytes / n, m_tp, bw)
                + 2 * m_collectives->ExpertAllToAllS(bytes / m_group->Ranks(), *m_group);
        }
        t.latencyS += s;
        t.collectiveS += s;
        t.maxKernelS = std::max(t.maxKernelS, s);
        return;
    }
    if (m_tp < 2)
    {
        return;
    }
    double s = 2 * m_collectives->AllReduceS(bytes, m_tp, bw);
    if (m_expertParallel && m_model.Config().IsMoeLayer(layer))
    {
        const double perRank = bytes / m_tp * m_model.Config().moe->activeExperts;
        s = m_collectives->AllReduceS(bytes, m_tp, bw)
            + 2 * m_collectives->AllToAllS(perRank, m_tp, bw);
    }
    t.latencyS += s;
    t.collectiveS += s;
    t.maxKernelS = std::max(t.maxKernelS, s);
}

const StageAssignment&
StageComputeModel::Assignment() const
{
    NS_LOG_FUNCTION(this);
    return m_stage;
}

double
StageComputeModel::Share(double kernelWeightBytes) const
{
    NS_LOG_FUNCTION(this);
    if (m_device.execution != ExecutionStyle::Spatial || m_stage.weightBytes <= 0)
    {
        return 1.0;
    }
    return std::clamp(kernelWeightBytes / m_stage.weightBytes, 1e-9, 1.0);
}

void
StageComputeModel::Add(StageTiming& t,
                       const KernelCost& cost,
                       double weightBytes,
                       double repeat) const
{
    NS_LOG_FUNCTION(this);
    KernelCost split = cost;
    const uint32_t devices = m_tp * (m_group ? m_group->nodes : 1);
    if (devices > 1)
    {
        split.flops /= devices;
        split.weightBytes /= devices;
        split.kvReadBytes /= devices;
        split.kvWriteBytes /= devices;
    }
    const KernelTiming k = m_engine->Evaluate(m_device, split, Share(weightBytes));
    t.latencyS += k.timeS;
    t.flops += cost.flops * repeat;
    t.bytes += cost.TotalBytes() * repeat;
    t.kernels += 1;
    t.computeBoundKernels += (k.bound == Bound::Compute) ? 1 : 0;
    t.maxKernelS = std::max(t.maxKernelS, k.timeS);
}

void
StageComputeModel::Finish(StageTiming& t) const
{
    NS_LOG_FUNCTION(this);
    t.occupancyS = m_layerPipelining ? t.maxKernelS : t.latencyS;
}

void
StageComputeModel::ShareDecodeTimings(std::shared_ptr<DecodeTimingMemo> memo)
{
    NS_LOG_FUNCTION(this);
    m_memo = std::move(memo);
    m_memoClass = m_memo ? m_memo->ClassOf(DecodeSignature()) : 0;
}

std::vector<double>
StageComputeModel::DecodeSignature() const
{
    NS_LOG_FUNCTION(this);
    std::vector<double> sig{m_stage.embedding ? 1.0 : 0.0,
                            m_stage.lmHead ? 1.0 : 0.0,
                            m_stage.weightBytes,
                            double(m_stage.layerCount)};
    const LlmConfig& c = m_model.Config();
    for (uint32_t i = m_stage.firstLayer; i < m_stage.firstLayer + m_stage.layerCount; ++i)
    {
        // What LayerDecode, LayerWeightBytes and the collectives read of layer i.
        sig.insert(sig.end(),
                   {c.IsMoeLayer(i) ? 1.0 : 0.0,
                    c.IsWindowedLayer(i) ? 1.0 : 0.0,
                    m_model.LayerParams(i),
                    m_model.LayerActiveParams(i),
                    m_model.LayerWeightBytes(i),
                    m_model.LayerKvBytesPerToken(i)});
    }
    return sig;
}

StageTiming
StageComputeModel::Decode(const DecodeBatch& batch) const
{
    NS_LOG_FUNCTION(this);
    if (!m_memo)
    {
        return ComputeDecode(batch);
    }
    if (const StageTiming* found = m_memo->Find(m_memoClass, batch))
    {
        return *found;
    }
    const StageTiming t = ComputeDecode(batch);
    m_memo->Store(m_memoClass, batch, t);
    return t;
}

StageTiming
StageComputeModel::ComputeDecode(const DecodeBatch& batch) const
{
    NS_LOG_FUNCTION(this);
    StageTiming t;
    if (m_stage.embedding)
    {
        Add(t, m_model.Embedding(batch.sequences), m_model.EmbeddingBytes());
    }
    for (uint32_t i = m_stage.firstLayer; i < m_stage.firstLayer + m_stage.layerCount; ++i)
    {
        Add(t, WithReplicas(m_model.LayerDecode(i, batch), i), m_model.LayerWeightBytes(i));
        AddLayerCollectives(t, i, batch.sequences);
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
    NS_LOG_FUNCTION(this);
    // On a spatial device the prompt streams through the layer regions in m token chunks, so
    // that all regions work at once: latency = sum of one chunk's kernel times (pipeline fill)
    // + (m - 1) x the slowest kernel. Each chunk re-reads the stationary weights. A sequential
    // device takes the prompt in one pass (m = 1).
    const bool spatial = m_device.execution == ExecutionStyle::Spatial;
    const uint32_t kernels
        = m_stage.layerCount + (m_stage.embedding ? 1 : 0) + (m_stage.lmHead ? 1 : 0);
    const double m = spatial ? std::max(1.0, std::min(tokens, double(kernels))) : 1.0;
    auto chunk = [m](KernelCost c)
    {
        c.flops /= m;
        c.kvReadBytes /= m;
        c.kvWriteBytes /= m;
        c.activationBytes /= m;
        return c;
    };
    StageTiming t;
    if (m_stage.embedding)
    {
        KernelCost c = m_model.Embedding(tokens);
        c.weightBytes /= m; // a gather reads only the rows of its own tokens
        Add(t, chunk(c), m_model.EmbeddingBytes(), m);
    }
    for (uint32_t i = m_stage.firstLayer; i < m_stage.firstLayer + m_stage.layerCount; ++i)
    {
        Add(t,
            chunk(WithReplicas(m_model.LayerPrefill(i, tokens, priorContext), i)),
            m_model.LayerWeightBytes(i),
            m);
        AddLayerCollectives(t, i, tokens / m);
    }
    // The slowest chunked kernel sets the pace of the remaining m - 1 chunks, and keeps its
    // region busy for m chunk times (the stage's occupancy with layer pipelining).
    const double slowest = t.maxKernelS;
    if (m_stage.lmHead && sequences > 0)
    {
        // Logits only for each sequence's last token: in the last chunk only.
        Add(t, m_model.LmHead(sequences), m_model.LmHeadBytes());
    }
    t.latencyS += (m - 1.0) * slowest;
    t.maxKernelS = std::max(t.maxKernelS, m * slowest);
    Finish(t);
    return t;
}

} // namespace wafer
} // namespace ns3
