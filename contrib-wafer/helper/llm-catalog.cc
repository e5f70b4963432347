/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-catalog.h"

#include "input-schema.h"
#include "json-fields.h"

#include "ns3/input-error.h"

namespace ns3
{
namespace wafer
{

namespace
{
uint32_t
Dim(const JsonFields& f, const std::string& key)
{
    return static_cast<uint32_t>(f.Count(key, 1, UINT32_MAX));
}

uint32_t
OptionalDim(const JsonFields& f, const std::string& key)
{
    return f.Has(key) ? Dim(f, key) : 0;
}
} // namespace

LlmCatalog
LlmCatalog::Load(const std::vector<std::string>& extraFiles)
{
    LlmCatalog c;
    c.LoadFile(DataDirectory() + "/models.json");
    for (const auto& f : extraFiles)
    {
        c.LoadFile(f);
    }
    return c;
}

void
LlmCatalog::LoadFile(const std::string& path)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields root(doc, path);
    CheckSchema(root, "wafer-models/1");
    const auto& list = root.Raw("models");
    if (!list.is_array())
    {
        throw InputError(root.Where("models") + ": must be an array");
    }
    for (size_t i = 0; i < list.size(); ++i)
    {
        JsonFields first(list[i], path + ": models[" + std::to_string(i) + "]");
        LlmConfig m;
        m.name = first.String("name");
        JsonFields f(list[i], path + ": model " + m.name);
        f.OnlyKeys({"name",
                    "display_name",
                    "source",
                    "notes",
                    "layers",
                    "hidden_size",
                    "heads",
                    "kv_heads",
                    "head_dim",
                    "ffn_size",
                    "ffn_type",
                    "vocab_size",
                    "tied_embeddings",
                    "max_context",
                    "native_precision",
                    "attention",
                    "moe",
                    "published_total_params_b",
                    "published_active_params_b"});
        m.displayName = f.String("display_name", m.name);
        m.source = f.String("source");
        m.layers = Dim(f, "layers");
        m.hiddenSize = Dim(f, "hidden_size");
        m.heads = Dim(f, "heads");
        m.kvHeads = Dim(f, "kv_heads");
        m.headDim = Dim(f, "head_dim");
        m.ffnSize = Dim(f, "ffn_size");
        const std::string ffn = f.String("ffn_type");
        if (ffn != "swiglu" && ffn != "gelu")
        {
            throw InputError(f.Where("ffn_type") + ": must be swiglu or gelu");
        }
        m.gatedFfn = (ffn == "swiglu");
        m.vocabSize = Dim(f, "vocab_size");
        m.tiedEmbeddings = f.Bool("tied_embeddings", false);
        m.maxContext = f.Count("max_context", 1);
        m.nativePrecision
            = ParsePrecision(f.String("native_precision"), f.Where("native_precision"));
        JsonFields a = f.Object("attention");
        a.OnlyKeys({"type",
                    "sliding_window",
                    "full_attention_every",
                    "kv_lora_rank",
                    "qk_rope_head_dim",
                    "qk_nope_head_dim",
                    "v_head_dim",
                    "q_lora_rank"});
        const std::string type = a.String("type");
        if (type != "gqa" && type != "mla")
        {
            throw InputError(a.Where("type") + ": must be gqa or mla");
        }
        m.attention.type = type == "mla" ? AttentionConfig::Type::MLA : AttentionConfig::Type::GQA;
        m.attention.slidingWindow = OptionalDim(a, "sliding_window");
        m.attention.fullAttentionEvery = OptionalDim(a, "full_attention_every");
        m.attention.kvLoraRank = OptionalDim(a, "kv_lora_rank");
        m.attention.qkRopeHeadDim = OptionalDim(a, "qk_rope_head_dim");
        m.attention.qkNopeHeadDim = OptionalDim(a, "qk_nope_head_dim");
        m.attention.vHeadDim = OptionalDim(a, "v_head_dim");
        m.attention.qLoraRank = OptionalDim(a, "q_lora_rank");
        if (f.Has("moe"))
        {
            JsonFields e = f.Object("moe");
            e.OnlyKeys({"experts",
                        "active_experts",
                        "shared_experts",
                        "expert_ffn_size",
                        "first_dense_layers",
                        "moe_layer_step",
                        "expert_precision"});
            MoeConfig moe;
            moe.experts = Dim(e, "experts");
            moe.activeExperts = Dim(e, "active_experts");
            moe.sharedExperts = static_cast<uint32_t>(e.Count("shared_experts", 0, 1024, 0));
            moe.expertFfnSize = Dim(e, "expert_ffn_size");
            moe.firstDenseLayers
                = static_cast<uint32_t>(e.Count("first_dense_layers", 0, 1 << 20, 0));
            moe.moeLayerStep = static_cast<uint32_t>(e.Count("moe_layer_step", 1, 1 << 20, 1));
            if (e.Has("expert_precision"))
            {
                moe.expertPrecision
                    = ParsePrecision(e.String("expert_precision"), e.Where("expert_precision"));
            }
            m.moe = moe;
        }
        m.publishedTotalParamsB = f.NonNegative("published_total_params_b", 0.0);
        m.publishedActiveParamsB = f.NonNegative("published_active_params_b", 0.0);
        m.Validate();
        m_models.Put(m.name, m);
    }
}

const LlmConfig&
LlmCatalog::Get(const std::string& name) const
{
    return m_models.Get(name);
}

std::vector<std::string>
LlmCatalog::Names() const
{
    return m_models.Names();
}

} // namespace wafer
} // namespace ns3
