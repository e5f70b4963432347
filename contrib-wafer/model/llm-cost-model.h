/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LLM_COST_MODEL_H
#define WAFER_LLM_COST_MODEL_H

#include "llm-config.h"
#include "precision.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Work and traffic of one kernel (a transformer layer, the embedding or the LM head) for one
 * batch, before any device is chosen.
 */
struct KernelCost
{
    double flops{0};                      ///< floating-point operations
    double weightBytes{0};                ///< weight bytes read
    double kvReadBytes{0};                ///< KV-cache bytes read
    double kvWriteBytes{0};               ///< KV-cache bytes written
    double activationBytes{0};            ///< activations read and written
    Precision precision{Precision::BF16}; ///< precision the math runs at

    /// All bytes moved to or from memory.
    double TotalBytes() const
    {
        return weightBytes + kvReadBytes + kvWriteBytes + activationBytes;
    }
};

/**
 * \ingroup wafer
 * Shape of one decode step: how many sequences and how many past tokens they attend to.
 */
struct DecodeBatch
{
    uint32_t sequences{0};        ///< tokens generated in this step (one per sequence)
    double sumContext{0};         ///< sum over sequences of tokens attended by full layers
    double sumWindowedContext{0}; ///< same for sliding-window layers (min(context, window))
};

/**
 * \ingroup wafer
 * Per-layer weights, KV cache, FLOPs and bytes of an LLM at chosen weight, KV and activation
 * precisions. Closed forms (see doc/wafer.md, "LLM cost model"):
 * - GQA attention weights: hidden * (heads + 2 kv_heads) * head_dim + heads * head_dim * hidden
 * - FFN weights: (3 if gated else 2) * hidden * ffn; MoE: router + (experts + shared) experts
 * - KV bytes per token and layer: GQA 2 * kv_heads * head_dim * b, MLA (latent + rope) * b
 * - FLOPs: 2 * active parameters per token, plus attention 4 * heads * head_dim per attended
 *   position (MLA decode, absorbed: 2 * heads * (2 latent + rope))
 */
class LlmCostModel
{
  public:
    /**
     * \param config the architecture
     * \param weights weight precision; nullopt keeps each tensor's native format
     * \param kv KV-cache precision
     * \param activations activation precision (what crosses between pipeline stages)
     */
    LlmCostModel(const LlmConfig& config,
                 std::optional<Precision> weights,
                 Precision kv,
                 Precision activations = Precision::BF16);

    const LlmConfig& Config() const;
    uint32_t Layers() const;

    /// Parameters of layer i (all experts), and those a single token uses.
    double LayerParams(uint32_t i) const;
    double LayerActiveParams(uint32_t i) const;
    /// Embedding table parameters (vocab * hidden).
    double EmbeddingParams() const;
    /// All parameters: embedding, layers, and the LM head unless tied.
    double TotalParams() const;
    /// Parameters in a matmul per token: active layer parameters (for MoE, active experts only)
    /// plus the LM head; the embedding lookup is not counted (as gpt-oss's model card counts).
    double ActiveParams() const;

    /// Weight bytes of layer i at the chosen precision.
    double LayerWeightBytes(uint32_t i) const;
    /// Bytes of layer i's routed experts (0 for a dense layer): what expert parallelism shards.
    double LayerRoutedExpertBytes(uint32_t i) const;
    /// Embedding table bytes.
    double EmbeddingBytes() const;
    /// LM head bytes (a separate copy; a tied head on another stage needs one too).
    double LmHeadBytes() const;
    /// Weight bytes of the whole model as published (a tied head counted once).
    double TotalWeightBytes() const;

    /// KV bytes one token adds to layer i.
    double LayerKvBytesPerToken(uint32_t i) const;
    /// KV bytes per token summed over all layers (no window): the closed form.
    double KvBytesPerToken() const;
    /// KV bytes layer i holds for one sequence of \p context tokens (windows applied).
    double LayerKvBytes(uint32_t i, double context) const;
    /// KV bytes all layers hold for one sequence of \p context tokens.
    double KvBytes(double context) const;

    /// Bytes of one token's activation vector (what crosses a stage boundary).
    double ActivationBytesPerToken() const;

    /// Layer i processing \p newTokens prompt tokens after \p priorContext cached ones.
    KernelCost LayerPrefill(uint32_t i, double newTokens, double priorContext) const;
    /// Layer i generating one token for each sequence of \p batch.
    KernelCost LayerDecode(uint32_t i, const DecodeBatch& batch) const;
    /// Embedding lookup of \p tokens tokens.
    KernelCost Embedding(double tokens) const;
    /// LM head producing logits for \p tokens positions.
    KernelCost LmHead(double tokens) const;

    /// Attended positions of windowed layers for one sequence at \p context.
    double WindowedContext(double context) const;

    Precision WeightPrecision() const;
    Precision KvPrecision() const;
    Precision ActivationPrecision() const;

  private:
    // Constants of the architecture, computed once: a serving run asks for them at every
    // decode step of every stage.
    double AttentionParams() const;
    double DenseFfnParams() const;
    double ExpertParams() const;
    double DenseBytesPerParam() const;
    double ExpertBytesPerParam() const;
    double ComputeAttentionParams() const;
    double ComputeLayerParams(uint32_t i) const;
    double ComputeLayerActiveParams(uint32_t i) const;
    double ComputeLayerWeightBytes(uint32_t i) const;
    double ComputeLayerKvBytesPerToken(uint32_t i) const;
    double ComputeAttentionFlopsPerPosition(bool decode) const;
    /// Expected routed experts touched by \p tokens tokens (each picks k of E uniformly).
    double ExpertsTouched(double tokens) const;
    /// Attention FLOPs per attended position per token.
    double AttentionFlopsPerPosition(bool decode) const;
    /// Weight bytes read when \p tokens tokens pass layer i.
    double LayerWeightBytesRead(uint32_t i, double tokens) const;

    LlmConfig m_config;
    std::optional<Precision> m_weights;
    Precision m_kv;
    Precision m_activations;

    double m_attentionParams{0};
    double m_denseFfnParams{0};
    double m_expertParams{0};
    double m_denseBytesPerParam{0};
    double m_expertBytesPerParam{0};
    double m_attentionFlops[2]{0, 0}; ///< per attended position: prefill, decode
    std::vector<double> m_layerParams;
    std::vector<double> m_layerActiveParams;
    std::vector<double> m_layerWeightBytes;
    std::vector<double> m_layerKvBytesPerToken;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LLM_COST_MODEL_H
