/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "json-path.h"

#include "ns3/input-error.h"

#include <boost/algorithm/string.hpp>

#include <vector>

namespace ns3
{
namespace wafer
{

namespace
{
std::vector<std::string>
Segments(const std::string& path)
{
    std::vector<std::string> parts;
    boost::algorithm::split(parts, path, boost::is_any_of("."));
    for (const auto& p : parts)
    {
        if (p.empty())
        {
            throw InputError(path + ": empty segment in dotted path");
        }
    }
    return parts;
}

bool
IsIndex(const std::string& s)
{
    return !s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string::npos;
}
} // namespace

void
SetJsonPath(nlohmann::json& root, const std::string& path, const nlohmann::json& value)
{
    nlohmann::json* node = &root;
    const auto parts = Segments(path);
    for (size_t k = 0; k < parts.size(); ++k)
    {
        const std::string& seg = parts[k];
        const bool last = k + 1 == parts.size();
        if (node->is_array())
        {
            if (!IsIndex(seg) || std::stoul(seg) >= node->size())
            {
                throw InputError(path + ": '" + seg + "' is not an index of the array there");
            }
            node = &(*node)[std::stoul(seg)];
        }
        else if (node->is_object() || node->is_null())
        {
            if (node->is_null())
            {
                *node = nlohmann::json::object();
            }
            node = &(*node)[seg];
        }
        else
        {
            throw InputError(path + ": cannot set '" + seg + "' inside a " + node->type_name());
        }
        if (last)
        {
            *node = value;
        }
    }
}

const nlohmann::json*
FindJsonPath(const nlohmann::json& root, const std::string& path)
{
    const nlohmann::json* node = &root;
    std::vector<std::string> parts;
    boost::algorithm::split(parts, path, boost::is_any_of("."));
    for (const auto& seg : parts)
    {
        if (node->is_object() && node->contains(seg))
        {
            node = &node->at(seg);
        }
        else if (node->is_array() && IsIndex(seg) && std::stoul(seg) < node->size())
        {
            node = &node->at(std::stoul(seg));
        }
        else
        {
            return nullptr;
        }
    }
    return node;
}

void
FlattenJson(const nlohmann::json& doc,
            const std::string& prefix,
            std::map<std::string, nlohmann::json>& leaves)
{
    if (!doc.is_object())
    {
        leaves[prefix] = doc;
        return;
    }
    for (auto it = doc.begin(); it != doc.end(); ++it)
    {
        FlattenJson(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), leaves);
    }
}

std::string
JsonValueText(const nlohmann::json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace wafer
} // namespace ns3
