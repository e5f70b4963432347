/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LLM_CONFIG_H
#define WAFER_LLM_CONFIG_H

#include "precision.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Attention variant of a model.
 */
struct AttentionConfig
{
    enum class Type
    {
        GQA, ///< grouped-query attention (MHA when kv heads == heads)
        MLA, ///< multi-head latent attention (DeepSeek): a compressed latent KV
    };

    Type type{Type::GQA};
    uint32_t slidingWindow{0};      ///< tokens seen by windowed layers (0: all layers full)
    uint32_t fullAttentionEvery{0}; ///< with a window: every N-th layer attends to all tokens
    uint32_t kvLoraRank{0};         ///< MLA latent dimension
    uint32_t qkRopeHeadDim{0};      ///< MLA decoupled rope dimension
    uint32_t qkNopeHeadDim{0};      ///< MLA per-head non-rope dimension
    uint32_t vHeadDim{0};           ///< MLA value head dimension
    uint32_t qLoraRank{0};          ///< MLA query compression (0: none)
};

/**
 * \ingroup wafer
 * Mixture-of-experts block of a model.
 */
struct MoeConfig
{
    uint32_t experts{0};                      ///< routed experts per MoE layer
    uint32_t activeExperts{0};                ///< routed experts per token
    uint32_t sharedExperts{0};                ///< always-active experts
    uint32_t expertFfnSize{0};                ///< intermediate size of one expert
    uint32_t firstDenseLayers{0};             ///< leading layers with a dense FFN
    uint32_t moeLayerStep{1};                 ///< after those, every N-th layer is MoE
    std::optional<Precision> expertPrecision; ///< native format of expert weights if it differs
};

/**
 * \ingroup wafer
 * A transformer LLM architecture, as in the model's public config.json (cited in `source`).
 */
struct LlmConfig
{
    std::string name;
    std::string displayName;
    std::string source;
    uint32_t layers{0};
    uint32_t hiddenSize{0};
    uint32_t heads{0};
    uint32_t kvHeads{0};
    uint32_t headDim{0};
    uint32_t ffnSize{0};
    bool gatedFfn{true}; ///< SwiGLU (3 matrices) rather than GELU (2)
    uint32_t vocabSize{0};
    bool tiedEmbeddings{false};
    uint64_t maxContext{0};
    Precision nativePrecision{Precision::BF16};
    AttentionConfig attention;
    std::optional<MoeConfig> moe;
    double publishedTotalParamsB{0};  ///< publisher's figure, for cross-checks
    double publishedActiveParamsB{0}; ///< publisher's figure, for cross-checks

    /// True if layer \p i (0-based) has a routed-expert FFN.
    bool IsMoeLayer(uint32_t i) const;

    /// True if layer \p i attends only to a sliding window.
    bool IsWindowedLayer(uint32_t i) const;

    /// \throws InputError naming the field when the architecture is inconsistent.
    void Validate() const;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LLM_CONFIG_H
