/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scenario-fields.h"

#include "topology-builder.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/input-error.h"
#include "ns3/nstime.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <set>

namespace ns3
{
namespace wafer
{

const std::vector<AttributeField>&
NetworkFields()
{
    static const std::vector<AttributeField> fields = {
        {"topology", "ns3::wafer::NetworkFabric::Topology", FieldKind::Topology},
        {"length_m", "ns3::wafer::LinkTechnology::Length", FieldKind::Number},
        {"port_rate_bps", "ns3::wafer::LinkTechnology::LaneRate", FieldKind::Positive},
        {"endpoint_latency_s", "ns3::wafer::LinkTechnology::EndpointLatency", FieldKind::Seconds},
        {"energy_pj_per_bit", "ns3::wafer::LinkTechnology::EnergyPerBit", FieldKind::Number},
        {"hop_latency_s", "ns3::wafer::NetworkFabric::SwitchLatency", FieldKind::Seconds},
        {"transit_latency_s", "ns3::wafer::NetworkFabric::WaferTransitLatency", FieldKind::Seconds},
        {"devices_per_leaf",
         "ns3::wafer::NetworkFabric::DevicesPerLeaf",
         FieldKind::Count,
         1,
         100000},
        {"spines", "ns3::wafer::NetworkFabric::Spines", FieldKind::Count, 0, 100000},
        {"oversubscription", "ns3::wafer::NetworkFabric::Oversubscription", FieldKind::Positive, 1},
        {"chunk_accuracy", "ns3::wafer::ChunkTransport::Accuracy", FieldKind::Number},
        {"face_area_mm2", "ns3::wafer::LinkTechnology::FaceArea", FieldKind::Positive},
        {"frame_bytes", "ns3::wafer::MessageTransport::FrameBytes", FieldKind::Count, 64, 65535},
    };
    return fields;
}

const std::vector<AttributeField>&
KvStoreFields()
{
    static const std::vector<AttributeField> fields = {
        {"sessions", "ns3::wafer::KvStoreClient::KeepSessions", FieldKind::Flag},
    };
    return fields;
}

const std::vector<AttributeField>&
ReplicaFields()
{
    static const std::vector<AttributeField> fields = {
        {"router",
         "ns3::wafer::RequestRouter::Policy",
         FieldKind::Policy,
         0,
         0,
         "ns3::wafer::RoutingPolicy"},
    };
    return fields;
}

const std::vector<AttributeField>&
ServingFields()
{
    static const std::vector<AttributeField> fields = {
        {"max_sequences", "ns3::wafer::AdmissionPolicy::MaxSequences", FieldKind::Count},
        {"microbatches", "ns3::wafer::DecodeBatcher::Microbatches", FieldKind::Count, 0, 100000},
        {"max_batch", "ns3::wafer::DecodeBatcher::MaxBatch", FieldKind::Count},
        {"prefill_chunk_tokens", "ns3::wafer::StagePipeline::PrefillChunkTokens", FieldKind::Count},
        {"layer_pipelining", "ns3::wafer::PipelineServingEngine::LayerPipelining", FieldKind::Flag},
        {"preempt_after_s", "ns3::wafer::PreemptionPolicy::PreemptAfter", FieldKind::Seconds},
        {"admission",
         "ns3::wafer::PipelineServingEngine::Admission",
         FieldKind::Policy,
         0,
         0,
         "ns3::wafer::AdmissionPolicy"},
        {"batcher",
         "ns3::wafer::PipelineServingEngine::Batcher",
         FieldKind::Policy,
         0,
         0,
         "ns3::wafer::DecodeBatcher"},
        {"preemption",
         "ns3::wafer::PipelineServingEngine::Preemption",
         FieldKind::Policy,
         0,
         0,
         "ns3::wafer::PreemptionPolicy"},
    };
    return fields;
}

TypeId
PolicyType(const std::string& name, const std::string& parent, const std::string& where)
{
    const TypeId base = TypeId::LookupByName(parent);
    TypeId tid;
    for (const std::string& n : {name, "ns3::wafer::" + name})
    {
        if (TypeId::LookupByNameFailSafe(n, &tid) && tid.HasConstructor()
            && (tid == base || tid.IsChildOf(base)))
        {
            return tid;
        }
    }
    std::set<std::string> names;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        const TypeId t = TypeId::GetRegistered(i);
        if (t.HasConstructor() && (t == base || t.IsChildOf(base)))
        {
            names.insert(t.GetName());
        }
    }
    std::string known;
    for (const auto& n : names)
    {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw InputError(where + ": '" + name + "' is not a " + parent + " (known: " + known + ")");
}

void
ReadAttributeFields(const JsonFields& section,
                    const std::vector<AttributeField>& fields,
                    AttributeSettings& out)
{
    for (const AttributeField& f : fields)
    {
        if (!section.Has(f.key))
        {
            continue;
        }
        const std::string where = section.Where(f.key);
        switch (f.kind)
        {
        case FieldKind::Count:
            out.Set(f.attribute, UintegerValue(section.Count(f.key, f.min, f.max)), where);
            break;
        case FieldKind::Number:
            out.Set(f.attribute, DoubleValue(section.NonNegative(f.key, 0.0)), where);
            break;
        case FieldKind::Positive:
        {
            const double v = section.Positive(f.key);
            if (v < f.min)
            {
                throw InputError(where + ": must be >= " + std::to_string(f.min));
            }
            out.Set(f.attribute, DoubleValue(v), where);
            break;
        }
        case FieldKind::Seconds:
        {
            const double v = section.NonNegative(f.key, 0.0);
            if (v > kMaxInputSeconds)
            {
                throw InputError(where + ": must be at most 1e6 seconds");
            }
            out.Set(f.attribute, TimeValue(Seconds(v)), where);
            break;
        }
        case FieldKind::Flag:
            out.Set(f.attribute, BooleanValue(section.Bool(f.key, false)), where);
            break;
        case FieldKind::Topology:
        {
            const std::string t = section.String(f.key);
            CheckTopology(t, where);
            out.Set(f.attribute, StringValue(t), where);
            break;
        }
        case FieldKind::Policy:
            out.Set(f.attribute,
                    TypeIdValue(PolicyType(section.String(f.key), f.parent, where)),
                    where);
            break;
        }
    }
}

std::string
ResolvePath(const std::string& base, const std::string& file)
{
    if (file.empty() || file[0] == '/')
    {
        return file;
    }
    const auto slash = base.rfind('/');
    return slash == std::string::npos ? file : base.substr(0, slash + 1) + file;
}

void
ReadCatalogFiles(const JsonFields& c,
                 const std::string& path,
                 std::vector<std::string>* devices,
                 std::vector<std::string>* models,
                 std::vector<std::string>* links)
{
    c.OnlyKeys({"devices", "models", "links"});
    for (const auto& [key, list] :
         {std::pair{"devices", devices}, std::pair{"models", models}, std::pair{"links", links}})
    {
        if (!c.Has(key))
        {
            continue;
        }
        const auto& arr = c.Raw(key);
        if (!arr.is_array())
        {
            throw InputError(c.Where(key) + ": must be an array of file names");
        }
        for (const auto& item : arr)
        {
            if (!item.is_string())
            {
                throw InputError(c.Where(key) + ": must be an array of file names");
            }
            list->push_back(ResolvePath(path, item.get<std::string>()));
        }
    }
}

AttributeTexts
ReadAttributesMap(const JsonFields& f)
{
    AttributeTexts out;
    if (!f.Has("attributes"))
    {
        return out;
    }
    JsonFields a = f.Object("attributes");
    for (const auto& [key, v] : f.Raw("attributes").items())
    {
        if (!v.is_string() && !v.is_number() && !v.is_boolean())
        {
            throw InputError(a.Where(key) + ": must be a string, number or boolean");
        }
        out.emplace_back(key, v.is_string() ? v.get<std::string>() : v.dump());
    }
    return out;
}

} // namespace wafer
} // namespace ns3
