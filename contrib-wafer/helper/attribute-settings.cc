/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "attribute-settings.h"

#include "ns3/config.h"
#include "ns3/input-error.h"
#include "ns3/type-id.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>

namespace ns3
{
namespace wafer
{

namespace
{
/// The path of the class that declares the attribute \p path ("ns3::X::Attr") names, found
/// through X's parents (ns-3 sets defaults on the declaring class); empty if there is none.
std::string
DeclaredAttribute(const std::string& path)
{
    const auto pos = path.rfind("::");
    if (pos == std::string::npos)
    {
        return "";
    }
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(path.substr(0, pos), &tid))
    {
        return "";
    }
    const std::string name = path.substr(pos + 2);
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            if (t.GetAttribute(i).name == name)
            {
                return t.GetName() + "::" + name;
            }
        }
        if (t == t.GetParent())
        {
            return "";
        }
    }
}

bool
AttributeExists(const std::string& path)
{
    return !DeclaredAttribute(path).empty();
}

/// Attributes that moved from the serving engine to its collaborators: the old names still work.
std::string
Moved(const std::string& path)
{
    static const std::map<std::string, std::string> moved = {
        {"PipelineServingEngine::MaxSequences", "AdmissionPolicy::MaxSequences"},
        {"PipelineServingEngine::Microbatches", "DecodeBatcher::Microbatches"},
        {"PipelineServingEngine::MaxBatch", "DecodeBatcher::MaxBatch"},
        {"PipelineServingEngine::TokenBytes", "DecodeBatcher::TokenBytes"},
        {"PipelineServingEngine::PrefillChunkTokens", "StagePipeline::PrefillChunkTokens"},
        {"PipelineServingEngine::PreemptAfter", "PreemptionPolicy::PreemptAfter"},
        {"PipelineServingEngine::KeepSessions", "KvStoreClient::KeepSessions"},
    };
    const std::string prefix = "ns3::wafer::";
    const std::string local = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
    const auto it = moved.find(local);
    return it == moved.end() ? path : prefix + it->second;
}

/// The seconds a time text gives ("15us", "0.5", "2e-6s"; no unit: seconds), computed in double
/// (ns-3's own conversion would wrap past its range), or nothing if ns-3 could not parse it (it
/// aborts on such a text: the form is checked before ns-3 sees it).
std::optional<double>
TimeTextSeconds(const std::string& text)
{
    static const std::regex time(
        R"(\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(s|ms|us|ns|ps|fs|min|h|d|y)?\s*)");
    std::smatch m;
    if (!std::regex_match(text, m, time))
    {
        return std::nullopt;
    }
    static const std::map<std::string, double> unit{{"", 1},
                                                    {"s", 1},
                                                    {"ms", 1e-3},
                                                    {"us", 1e-6},
                                                    {"ns", 1e-9},
                                                    {"ps", 1e-12},
                                                    {"fs", 1e-15},
                                                    {"min", 60},
                                                    {"h", 3600},
                                                    {"d", 86400},
                                                    {"y", 365 * 86400.0}};
    // strtod, not stod: "1e999" is infinity here, not an exception.
    return std::strtod(m[1].str().c_str(), nullptr) * unit.at(m[2].str());
}

/// ns-3 also aborts on numbers it cannot parse (DoubleValue, UintegerValue, IntegerValue): check
/// the form of every value whose type aborts before handing it over.
bool
WellFormed(const std::string& type, const std::string& text)
{
    static const std::regex real(R"(\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*)");
    static const std::regex whole(R"(\s*[+-]?[0-9]+\s*)");
    if (type == "ns3::TimeValue")
    {
        return TimeTextSeconds(text).has_value();
    }
    if (type == "ns3::DoubleValue")
    {
        return std::regex_match(text, real);
    }
    if (type == "ns3::UintegerValue" || type == "ns3::IntegerValue")
    {
        return std::regex_match(text, whole);
    }
    return true;
}

/// The declaring class and attribute of \p name (any of its names), or an InputError.
std::pair<TypeId, std::string>
Resolve(const std::string& name, const std::string& where)
{
    std::string path = Moved(name);
    if (!AttributeExists(path) && AttributeExists("ns3::wafer::" + name))
    {
        path = "ns3::wafer::" + name;
    }
    const std::string declared = DeclaredAttribute(path);
    if (declared.empty())
    {
        throw InputError(where + "." + name + ": unknown attribute (use ns3::Class::Attribute)");
    }
    const auto pos = declared.rfind("::");
    return {TypeId::LookupByName(declared.substr(0, pos)), declared.substr(pos + 2)};
}

Ptr<const AttributeChecker>
CheckerOf(TypeId declaring, const std::string& attribute)
{
    TypeId::AttributeInformation info;
    declaring.LookupAttributeByName(attribute, &info);
    return info.checker;
}
} // namespace

void
AttributeSettings::Put(Entry entry)
{
    for (Entry& e : m_entries)
    {
        if (e.declaring == entry.declaring && e.name == entry.name)
        {
            e = entry;
            return;
        }
    }
    m_entries.push_back(entry);
}

void
AttributeSettings::SetText(const std::string& name,
                           const std::string& text,
                           const std::string& where,
                           Origin origin)
{
    const auto [declaring, attribute] = Resolve(name, where);
    const Ptr<const AttributeChecker> checker = CheckerOf(declaring, attribute);
    Ptr<AttributeValue> value = checker->Create();
    // ns-3 aborts on some malformed values instead of failing: check their form first.
    if (!WellFormed(checker->GetValueTypeName(), text)
        || !value->DeserializeFromString(text, checker) || !checker->Check(*value))
    {
        throw InputError(where + "." + name + ": invalid value '" + text + "'");
    }
    if (checker->GetValueTypeName() == "ns3::TimeValue"
        && !(std::abs(*TimeTextSeconds(text)) <= kMaxInputSeconds))
    {
        throw InputError(where + "." + name + ": must be at most 1e6 seconds (got '" + text + "')");
    }
    Put({declaring, attribute, value, origin, where + "." + name});
}

void
AttributeSettings::SetTexts(const AttributeTexts& texts, const std::string& where, Origin origin)
{
    for (const auto& [name, text] : texts)
    {
        SetText(name, text, where, origin);
    }
}

void
AttributeSettings::Set(const std::string& name,
                       const AttributeValue& value,
                       const std::string& where,
                       Origin origin)
{
    const auto [declaring, attribute] = Resolve(name, where);
    const Ptr<const AttributeChecker> checker = CheckerOf(declaring, attribute);
    Ptr<AttributeValue> v = checker->CreateValidValue(value);
    if (!v)
    {
        // where names the field the user wrote; the attribute it sets comes second.
        throw InputError(where + ": invalid value '" + value.SerializeToString(checker) + "' ("
                         + name + " takes " + checker->GetUnderlyingTypeInformation() + ")");
    }
    Put({declaring, attribute, v, origin, where});
}

void
AttributeSettings::Merge(const AttributeSettings& later)
{
    for (const Entry& e : later.m_entries)
    {
        Put(e);
    }
}

const AttributeSettings::Entry*
AttributeSettings::Lookup(const std::string& name) const
{
    const auto [declaring, attribute] = Resolve(name, "attribute");
    for (const Entry& e : m_entries)
    {
        if (e.declaring == declaring && e.name == attribute)
        {
            return &e;
        }
    }
    return nullptr;
}

Ptr<const AttributeValue>
AttributeSettings::Find(const std::string& name) const
{
    const Entry* e = Lookup(name);
    return e ? e->value : nullptr;
}

std::string
AttributeSettings::Where(const std::string& name) const
{
    const Entry* e = Lookup(name);
    return e ? e->where : "";
}

void
AttributeSettings::ApplyTo(ObjectFactory& factory) const
{
    const TypeId type = factory.GetTypeId();
    for (const Entry& e : m_entries)
    {
        if (type == e.declaring || type.IsChildOf(e.declaring))
        {
            factory.Set(e.name, *e.value);
        }
    }
}

void
AttributeSettings::ApplyTo(Ptr<Object> object) const
{
    const TypeId type = object->GetInstanceTypeId();
    for (const Entry& e : m_entries)
    {
        if (type == e.declaring || type.IsChildOf(e.declaring))
        {
            object->SetAttribute(e.name, *e.value);
        }
    }
}

void
AttributeSettings::ApplyOverridesAsDefaults() const
{
    Config::Reset();
    for (const Entry& e : m_entries)
    {
        if (e.origin == Origin::User)
        {
            Config::SetDefault(e.declaring.GetName() + "::" + e.name, *e.value);
        }
    }
}

AttributeSettings
LayerSettings(const LinkPreset& deviceLink,
              const LinkPreset* link,
              const AttributeSettings& fields,
              const AttributeTexts& fileAttributes,
              const std::string& fileWhere,
              const AttributeTexts& commandLine)
{
    AttributeSettings out;
    for (const LinkPreset* preset : {&deviceLink, link})
    {
        if (!preset)
        {
            continue;
        }
        for (const auto& [name, value] : LinkPresetAttributes(*preset))
        {
            out.SetText("ns3::wafer::LinkTechnology::" + name,
                        value,
                        "link " + preset->name,
                        AttributeSettings::Origin::Preset);
        }
    }
    out.Merge(fields);
    out.SetTexts(fileAttributes, fileWhere, AttributeSettings::Origin::User);
    out.SetTexts(commandLine, "command line", AttributeSettings::Origin::User);
    return out;
}

} // namespace wafer
} // namespace ns3
