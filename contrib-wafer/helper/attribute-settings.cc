/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "attribute-settings.h"

#include "run-progress.h"

#include "ns3/config.h"
#include "ns3/input-error.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cctype>
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

/// Whether a time text that TimeTextSeconds reads ends in a unit.
bool
HasTimeUnit(const std::string& text)
{
    const auto last = text.find_last_not_of(" \t");
    return last != std::string::npos && std::isalpha(static_cast<unsigned char>(text[last]));
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

/// Edit distance of \p a and \p b, letters compared without case.
size_t
Distance(const std::string& a, const std::string& b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
    {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            const size_t up = row[j];
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1]))
                              == std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// Up to three attributes (ns3::Class::Attribute, of every registered class) nearest \p name,
/// as " (did you mean A or B?)", or "" if none is close.
std::string
Nearest(const std::string& name)
{
    const std::string wanted = name.rfind("ns3::", 0) == 0 ? name : "ns3::wafer::" + name;
    std::vector<std::pair<size_t, std::string>> near;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        const TypeId tid = TypeId::GetRegistered(i);
        for (size_t k = 0; k < tid.GetAttributeN(); ++k)
        {
            const std::string path = tid.GetName() + "::" + tid.GetAttribute(k).name;
            near.emplace_back(Distance(wanted, path), path);
        }
    }
    std::sort(near.begin(), near.end());
    // Close: a few typos, or a class or attribute name a quarter wrong.
    const size_t limit = std::max<size_t>(3, wanted.size() / 4);
    std::string out;
    for (size_t i = 0;
         i < near.size() && i < 3 && near[i].first <= limit && near[i].first <= near[0].first + 1;
         ++i)
    {
        out += (i == 0 ? "" : " or ") + near[i].second;
    }
    return out.empty() ? "" : " (did you mean " + out + "?)";
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
        const std::string hint = Nearest(name);
        throw InputError(AttributeSettings::Label(where, name) + ": unknown attribute"
                         + (hint.empty() ? " (use ns3::Class::Attribute)" : hint));
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
    const std::string label = AttributeSettings::Label(where, name);
    if (!WellFormed(checker->GetValueTypeName(), text)
        || !value->DeserializeFromString(text, checker) || !checker->Check(*value))
    {
        const bool time = checker->GetValueTypeName() == "ns3::TimeValue";
        throw InputError(label + ": invalid value '" + text + "' ("
                         + (time ? std::string("a time with a unit, e.g. 8us")
                                 : checker->GetUnderlyingTypeInformation())
                         + ")");
    }
    if (checker->GetValueTypeName() == "ns3::TimeValue")
    {
        const double seconds = *TimeTextSeconds(text);
        // ns-3 reads a bare number as seconds: "KernelOverhead=8" would be 8 s, not 8 us.
        if (seconds != 0 && !HasTimeUnit(text))
        {
            throw InputError(label + ": '" + text
                             + "' has no unit (write it with one: s, ms, us, ns or ps)");
        }
        if (!(std::abs(seconds) <= kMaxInputSeconds))
        {
            throw InputError(label + ": must be at most 1e6 seconds (got '" + text + "')");
        }
    }
    Put({declaring, attribute, value, origin, label});
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

std::string
AttributeSettings::Label(const std::string& where, const std::string& name)
{
    return where == kCommandLine ? "--" + name : where + "." + name;
}

void
AttributeSettings::ApplyOverridesAsDefaults() const
{
    Config::Reset();
    RunProgress::KeepInstalled();
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
    out.SetTexts(commandLine, AttributeSettings::kCommandLine, AttributeSettings::Origin::User);
    return out;
}

} // namespace wafer
} // namespace ns3
