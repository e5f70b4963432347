/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "attribute-overrides.h"

#include "ns3/config.h"
#include "ns3/input-error.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <map>
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

/// Value type of a declared attribute ("ns3::TimeValue"), empty if unknown.
std::string
AttributeValueType(const std::string& declared)
{
    const auto pos = declared.rfind("::");
    TypeId tid;
    if (pos == std::string::npos || !TypeId::LookupByNameFailSafe(declared.substr(0, pos), &tid))
    {
        return "";
    }
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(declared.substr(pos + 2), &info) || !info.checker)
    {
        return "";
    }
    return info.checker->GetValueTypeName();
}

/// ns-3 aborts on a time it cannot parse: check the form first ("15us", "0.5", "2e-6s").
bool
LooksLikeTime(const std::string& text)
{
    static const std::regex time(
        R"(\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*(s|ms|us|ns|ps|fs|min|h|d|y)?\s*)");
    return std::regex_match(text, time);
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
        return LooksLikeTime(text);
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
} // namespace

void
ApplyDevicePresetDefaults(const DeviceSpec& device, const LinkCatalog& links)
{
    Config::Reset();
    ApplyLinkPresetDefaults(links.Get(device.ioLink));
}

void
ApplyAttributeDefaults(const std::vector<std::pair<std::string, std::string>>& settings,
                       const std::string& where)
{
    for (const auto& [name, value] : settings)
    {
        std::string path = Moved(name);
        if (!AttributeExists(path) && AttributeExists("ns3::wafer::" + name))
        {
            path = "ns3::wafer::" + name;
        }
        if (!AttributeExists(path))
        {
            throw InputError(where + "." + name
                             + ": unknown attribute (use ns3::Class::Attribute)");
        }
        const bool malformed = !WellFormed(AttributeValueType(DeclaredAttribute(path)), value);
        if (malformed || !Config::SetDefaultFailSafe(DeclaredAttribute(path), StringValue(value)))
        {
            throw InputError(where + "." + name + ": invalid value '" + value + "'");
        }
    }
}

} // namespace wafer
} // namespace ns3
