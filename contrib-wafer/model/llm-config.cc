/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-config.h"

#include "input-error.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferLlmConfig");
namespace wafer
{

bool
LlmConfig::IsMoeLayer(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (!moe || i < moe->firstDenseLayers)
    {
        return false;
    }
    // Llama 4 Maverick interleaves: with step 2, layers 1, 3, 5, ... are MoE (HF convention:
    // (i + 1) % step == 0).
    return (i + 1) % moe->moeLayerStep == 0;
}

bool
LlmConfig::IsWindowedLayer(uint32_t i) const
{
    NS_LOG_FUNCTION(this);
    if (attention.slidingWindow == 0)
    {
        return false;
    }
    if (attention.fullAttentionEvery == 0)
    {
        return true;
    }
    return (i + 1) % attention.fullAttentionEvery != 0;
}

void
LlmConfig::Validate() const
{
    NS_LOG_FUNCTION(this);
    const std::string where = "model " + name;
    auto positive = [&where](uint64_t v, const std::string& field)
    {
        if (v == 0)
        {
            throw InputError(where + "." + field + ": must be >= 1");
        }
    };
    positive(layers, "layers");
    positive(hiddenSize, "hidden_size");
    positive(heads, "heads");
    positive(kvHeads, "kv_heads");
    positive(headDim, "head_dim");
    positive(ffnSize, "ffn_size");
    positive(vocabSize, "vocab_size");
    positive(maxContext, "max_context");
    if (heads % kvHeads != 0)
    {
        throw InputError(where + ".kv_heads: must divide heads");
    }
    if (attention.type == AttentionConfig::Type::MLA)
    {
        positive(attention.kvLoraRank, "attention.kv_lora_rank");
        positive(attention.qkRopeHeadDim, "attention.qk_rope_head_dim");
        positive(attention.qkNopeHeadDim, "attention.qk_nope_head_dim");
        positive(attention.vHeadDim, "attention.v_head_dim");
    }
    if (moe)
    {
        positive(moe->experts, "moe.experts");
        positive(moe->activeExperts, "moe.active_experts");
        positive(moe->expertFfnSize, "moe.expert_ffn_size");
        positive(moe->moeLayerStep, "moe.moe_layer_step");
        if (moe->activeExperts > moe->experts)
        {
            throw InputError(where + ".moe.active_experts: exceeds moe.experts");
        }
        if (moe->firstDenseLayers >= layers)
        {
            throw InputError(where + ".moe.first_dense_layers: must be < layers");
        }
    }
}

} // namespace wafer
} // namespace ns3
