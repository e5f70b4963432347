/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-cost-model.h"

#include "ns3/log.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferLlmCostModel");
namespace wafer
{

LlmCostModel::LlmCostModel(const LlmConfig& config,
                           std::optional<Precision> weights,
                           Precision kv,
                           Precision activations) :
    m_config(config),
    m_weights(weights),
    m_kv(kv),
    m_activations(activations)
{
    NS_LOG_FUNCTION(this);
    m_attentionParams = ComputeAttentionParams();
    m_denseFfnParams
        = (m_config.gatedFfn ? 3.0 : 2.0) * m_config.hiddenSize * double(m_config.ffnSize);
    // Every MoE model in the catalog uses gated (SwiGLU-style) experts.
    m_expertParams
        = m_config.moe ? 3.0 * m_config.hiddenSize * double(m_config.moe->expertFfnSize) : 0.0;
    m_denseBytesPerParam = BytesPerElement(WeightPrecision());
    if (m_weights)
    {
        m_expertBytesPerParam = BytesPerElement(*m_weights);
    }
    else
    {
        const auto& moe = m_config.moe;
        m_expertBytesPerParam = BytesPerElement(
            moe && moe->expertPrecision ? *moe->expertPrecision : m_config.nativePrecision);
    }
    m_attentionFlops[0] = ComputeAttentionFlopsPerPosition(false);
    m_attentionFlops[1] = ComputeAttentionFlopsPerPosition(true);
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        m_layerParams.push_back(ComputeLayerParams(i));
        m_layerActiveParams.push_back(ComputeLayerActiveParams(i));
        m_layerKvBytesPerToken.push_back(ComputeLayerKvBytesPerToken(i));
    }
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        m_layerWeightBytes.push_back(ComputeLayerWeightBytes(i));
    }
}

const LlmConfig&
LlmCostModel::Config() const
{
    NS_LOG_FUNCTION(this);
    return m_config;
}

uint32_t
LlmCostModel::Layers() const
{
    NS_LOG_FUNCTION(this);
    return m_config.layers;
}

Precision
LlmCostModel::WeightPrecision() const
{
    NS_LOG_FUNCTION(this);
    return m_weights.value_or(m_config.nativePrecision);
}

Precision
LlmCostModel::KvPrecision() const
{
    NS_LOG_FUNCTION(this);
    return m_kv;
}

Precision
LlmCostModel::ActivationPrecision() const
{
    NS_LOG_FUNCTION(this);
    return m_activations;
}

double
LlmCostModel::DenseBytesPerParam() const
{
    NS_LOG_FUNCTION(this);
    return m_denseBytesPerParam;
}

double
LlmCostModel::ExpertBytesPerParam() const
{
    NS_LOG_FUNCTION(this);
    return m_expertBytesPerParam;
}

double
LlmCostModel::AttentionParams() const
{
    NS_LOG_FUNCTION(this);
    return m_attentionParams;
}

double
LlmCostModel::ComputeAttentionParams() const
{
    NS_LOG_FUNCTION(this);
    const auto& c = m_config;
    const double h = c.hiddenSize;
    double params = 2.0 * h; // the two RMSNorm/LayerNorm weight vectors of the layer
    if (c.attention.type == AttentionConfig::Type::MLA)
    {
        const auto& a = c.attention;
        const double qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
        params += a.qLoraRank > 0 ? h * a.qLoraRank + double(a.qLoraRank) * c.heads * qHead
                                  : h * c.heads * qHead;
        params += h * (a.kvLoraRank + a.qkRopeHeadDim);                            // kv_a
        params += double(a.kvLoraRank) * c.heads * (a.qkNopeHeadDim + a.vHeadDim); // kv_b
        params += double(c.heads) * a.vHeadDim * h;                                // o
        return params;
    }
    params += h * double(c.heads + 2 * c.kvHeads) * c.headDim; // q, k, v
    params += double(c.heads) * c.headDim * h;                 // o
    return params;
}

double
LlmCostModel::DenseFfnParams() const
{
    NS_LOG_FUNCTION(this);
    return m_denseFfnParams;
}

double
LlmCostModel::ExpertParams() const
{
    NS_LOG_FUNCTION(this);
    return m_expertParams;
}

double
LlmCostModel::LayerParams(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    return m_layerParams[i];
}

double
LlmCostModel::LayerActiveParams(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    return m_layerActiveParams[i];
}

double
LlmCostModel::ComputeLayerParams(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (!m_config.IsMoeLayer(i))
    {
        return AttentionParams() + DenseFfnParams();
    }
    const auto& moe = *m_config.moe;
    return AttentionParams() + double(m_config.hiddenSize) * moe.experts
           + double(moe.experts + moe.sharedExperts) * ExpertParams();
}

double
LlmCostModel::ComputeLayerActiveParams(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (!m_config.IsMoeLayer(i))
    {
        return ComputeLayerParams(i);
    }
    const auto& moe = *m_config.moe;
    return AttentionParams() + double(m_config.hiddenSize) * moe.experts
           + double(moe.activeExperts + moe.sharedExperts) * ExpertParams();
}

double
LlmCostModel::EmbeddingParams() const
{
    NS_LOG_FUNCTION(this);
    return double(m_config.vocabSize) * m_config.hiddenSize;
}

double
LlmCostModel::TotalParams() const
{
    NS_LOG_FUNCTION(this);
    double p = EmbeddingParams() * (m_config.tiedEmbeddings ? 1.0 : 2.0);
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        p += LayerParams(i);
    }
    return p;
}

double
LlmCostModel::ActiveParams() const
{
    NS_LOG_FUNCTION(this);
    double p = EmbeddingParams(); // the LM head; the embedding is a row lookup, not a matmul
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        p += LayerActiveParams(i);
    }
    return p;
}

double
LlmCostModel::LayerWeightBytes(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    return m_layerWeightBytes[i];
}

double
LlmCostModel::LayerRoutedExpertBytes(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (!m_config.IsMoeLayer(i))
    {
        return 0.0;
    }
    return double(m_config.moe->experts) * ExpertParams() * ExpertBytesPerParam();
}

double
LlmCostModel::ComputeLayerWeightBytes(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (!m_config.IsMoeLayer(i))
    {
        return LayerParams(i) * DenseBytesPerParam();
    }
    const auto& moe = *m_config.moe;
    const double expertParams = double(moe.experts + moe.sharedExperts) * ExpertParams();
    return (LayerParams(i) - expertParams) * DenseBytesPerParam()
           + expertParams * ExpertBytesPerParam();
}

double
LlmCostModel::EmbeddingBytes() const
{
    NS_LOG_FUNCTION(this);
    return EmbeddingParams() * DenseBytesPerParam();
}

double
LlmCostModel::LmHeadBytes() const
{
    NS_LOG_FUNCTION(this);
    return EmbeddingParams() * DenseBytesPerParam();
}

double
LlmCostModel::TotalWeightBytes() const
{
    NS_LOG_FUNCTION(this);
    double b = EmbeddingBytes() + (m_config.tiedEmbeddings ? 0.0 : LmHeadBytes());
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        b += LayerWeightBytes(i);
    }
    return b;
}

double
LlmCostModel::LayerKvBytesPerToken(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    return m_layerKvBytesPerToken[i];
}

double
LlmCostModel::ComputeLayerKvBytesPerToken(uint32_t /* i */) const
{
    NS_LOG_FUNCTION(this);
    const auto& c = m_config;
    const double b = BytesPerElement(m_kv);
    if (c.attention.type == AttentionConfig::Type::MLA)
    {
        return double(c.attention.kvLoraRank + c.attention.qkRopeHeadDim) * b;
    }
    return 2.0 * c.kvHeads * double(c.headDim) * b;
}

double
LlmCostModel::KvBytesPerToken() const
{
    NS_LOG_FUNCTION(this);
    double total = 0;
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        total += LayerKvBytesPerToken(i);
    }
    return total;
}

double
LlmCostModel::WindowedContext(double context) const
{
    NS_LOG_FUNCTION(this);
    const uint32_t w = m_config.attention.slidingWindow;
    return w == 0 ? context : std::min(context, double(w));
}

double
LlmCostModel::LayerKvBytes(uint32_t i, double context) const
{
    NS_LOG_FUNCTION(this);
    const double held = m_config.IsWindowedLayer(i) ? WindowedContext(context) : context;
    return LayerKvBytesPerToken(i) * held;
}

double
LlmCostModel::KvBytes(double context) const
{
    NS_LOG_FUNCTION(this);
    double total = 0;
    for (uint32_t i = 0; i < m_config.layers; ++i)
    {
        total += LayerKvBytes(i, context);
    }
    return total;
}

double
LlmCostModel::ActivationBytesPerToken() const
{
    NS_LOG_FUNCTION(this);
    return double(m_config.hiddenSize) * BytesPerElement(m_activations);
}

double
LlmCostModel::ExpertsTouched(double tokens) const
{
    NS_LOG_FUNCTION(this);
    const auto& moe = *m_config.moe;
    const double e = moe.experts;
    const double missOne = 1.0 - double(moe.activeExperts) / e;
    return e * (1.0 - std::pow(missOne, tokens));
}

double
LlmCostModel::AttentionFlopsPerPosition(bool decode) const
{
    NS_LOG_FUNCTION(this);
    return m_attentionFlops[decode ? 1 : 0];
}

double
LlmCostModel::ComputeAttentionFlopsPerPosition(bool decode) const
{
    NS_LOG_FUNCTION(this);
    const auto& c = m_config;
    if (c.attention.type == AttentionConfig::Type::MLA)
    {
        const auto& a = c.attention;
        if (decode)
        {
            // Absorbed form: scores over latent + rope, weighted sum over the latent.
            return 2.0 * c.heads * (2.0 * a.kvLoraRank + a.qkRopeHeadDim);
        }
        return 2.0 * c.heads * (double(a.qkNopeHeadDim + a.qkRopeHeadDim) + a.vHeadDim);
    }
    return 4.0 * c.heads * double(c.headDim);
}

double
LlmCostModel::LayerWeightBytesRead(uint32_t i, double tokens) const
{
    NS_LOG_FUNCTION(this);
    if (!m_config.IsMoeLayer(i))
    {
        return LayerWeightBytes(i);
    }
    const auto& moe = *m_config.moe;
    const double allExperts = double(moe.experts + moe.sharedExperts) * ExpertParams();
    const double touched = (ExpertsTouched(tokens) + moe.sharedExperts) * ExpertParams();
    return (LayerParams(i) - allExperts) * DenseBytesPerParam() + touched * ExpertBytesPerParam();
}

KernelCost
LlmCostModel::LayerPrefill(uint32_t i, double newTokens, double priorContext) const
{
    NS_LOG_FUNCTION(this);
    KernelCost k;
    k.precision = WeightPrecision();
    // Positions attended by token j (1-based) of the prompt: priorContext + j, capped by window.
    double attended = newTokens * priorContext + newTokens * (newTokens + 1.0) / 2.0;
    if (m_config.IsWindowedLayer(i))
    {
        const double w = m_config.attention.slidingWindow;
        double sum = 0;
        // Closed form of sum_{j=1..n} min(p + j, w).
        const double full = std::clamp(w - priorContext, 0.0, newTokens); // tokens below the cap
        sum = full * priorContext + full * (full + 1.0) / 2.0 + (newTokens - full) * w;
        attended = sum;
    }
    k.flops = 2.0 * LayerActiveParams(i) * newTokens + AttentionFlopsPerPosition(false) * attended;
    k.weightBytes = LayerWeightBytesRead(i, newTokens);
    const double held = m_config.IsWindowedLayer(i) ? WindowedContext(priorContext) : priorContext;
    k.kvReadBytes = LayerKvBytesPerToken(i) * held;
    k.kvWriteBytes = LayerKvBytesPerToken(i) * newTokens;
    k.activationBytes = 2.0 * newTokens * ActivationBytesPerToken();
    return k;
}

KernelCost
LlmCostModel::LayerDecode(uint32_t i, const DecodeBatch& batch) const
{
    NS_LOG_FUNCTION(this);
    KernelCost k;
    k.precision = WeightPrecision();
    const double n = batch.sequences;
    const double attended
        = m_config.IsWindowedLayer(i) ? batch.sumWindowedContext : batch.sumContext;
    k.flops = 2.0 * LayerActiveParams(i) * n + AttentionFlopsPerPosition(true) * attended;
    k.weightBytes = LayerWeightBytesRead(i, n);
    k.kvReadBytes = LayerKvBytesPerToken(i) * attended;
    k.kvWriteBytes = LayerKvBytesPerToken(i) * n;
    k.activationBytes = 2.0 * n * ActivationBytesPerToken();
    return k;
}

KernelCost
LlmCostModel::Embedding(double tokens) const
{
    NS_LOG_FUNCTION(this);
    KernelCost k;
    k.precision = WeightPrecision();
    k.weightBytes = tokens * m_config.hiddenSize * DenseBytesPerParam(); // row gather
    k.activationBytes = tokens * ActivationBytesPerToken();
    return k;
}

KernelCost
LlmCostModel::LmHead(double tokens) const
{
    NS_LOG_FUNCTION(this);
    KernelCost k;
    k.precision = WeightPrecision();
    k.flops = 2.0 * EmbeddingParams() * tokens;
    k.weightBytes = LmHeadBytes();
    k.activationBytes = tokens * ActivationBytesPerToken();
    return k;
}

} // namespace wafer
} // namespace ns3
