/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "run-grouping.h"

#include "json-path.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace ns3
{
namespace wafer
{

bool
ParseNumber(const std::string& text, double& value)
{
    if (text.empty())
    {
        return false;
    }
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end && *end == '\0';
}

std::string
RunGroup::Label(const std::vector<std::string>& keys) const
{
    if (keys.empty())
    {
        return "all runs";
    }
    std::string out;
    for (size_t k = 0; k < keys.size(); ++k)
    {
        out += (k ? ", " : "") + keys[k] + "=" + values[k];
    }
    return out;
}

std::string
ParameterValue(const RunRecord& run, const std::string& key)
{
    if (key == "seed")
    {
        return std::to_string(run.seed);
    }
    if (run.parameters.contains(key))
    {
        return JsonValueText(run.parameters.at(key));
    }
    if (const nlohmann::json* v = FindJsonPath(run.scenario, key))
    {
        return JsonValueText(*v);
    }
    for (auto it = run.overrides.rbegin(); it != run.overrides.rend(); ++it)
    {
        if (it->first == key || "ns3::wafer::" + it->first == key
            || it->first == "ns3::wafer::" + key)
        {
            return it->second;
        }
    }
    return "-";
}

std::vector<std::string>
VaryingParameters(const std::vector<RunRecord>& runs)
{
    std::map<std::string, std::set<std::string>> values;
    std::vector<std::map<std::string, std::string>> perRun;
    for (const auto& r : runs)
    {
        std::map<std::string, nlohmann::json> leaves;
        FlattenJson(r.scenario, "", leaves);
        std::map<std::string, std::string> mine;
        for (const auto& [k, v] : leaves)
        {
            if (k != "name" && k != "description" && k != "seed")
            {
                mine[k] = JsonValueText(v);
            }
        }
        for (const auto& [k, v] : r.overrides)
        {
            mine[k] = v;
        }
        perRun.push_back(mine);
        for (const auto& [k, v] : mine)
        {
            values[k].insert(v);
        }
    }
    std::vector<std::string> varying;
    for (const auto& [k, set] : values)
    {
        bool everywhere = true;
        for (const auto& m : perRun)
        {
            everywhere = everywhere && m.count(k);
        }
        if (set.size() > 1 || !everywhere)
        {
            varying.push_back(k);
        }
    }
    return varying;
}

std::vector<RunGroup>
GroupRuns(const std::vector<RunRecord>& runs, const std::vector<std::string>& keys, bool keepOrder)
{
    std::vector<RunGroup> groups;
    std::map<std::vector<std::string>, size_t> byValues;
    for (size_t r = 0; r < runs.size(); ++r)
    {
        std::vector<std::string> values;
        for (const auto& k : keys)
        {
            values.push_back(ParameterValue(runs[r], k));
        }
        auto [it, fresh] = byValues.emplace(values, groups.size());
        if (fresh)
        {
            groups.push_back(RunGroup{values, {}});
        }
        groups[it->second].runs.push_back(r);
    }
    if (!keepOrder)
    {
        std::stable_sort(groups.begin(),
                         groups.end(),
                         [](const RunGroup& a, const RunGroup& b)
                         {
                             for (size_t k = 0; k < a.values.size(); ++k)
                             {
                                 if (a.values[k] == b.values[k])
                                 {
                                     continue;
                                 }
                                 double x = 0;
                                 double y = 0;
                                 if (ParseNumber(a.values[k], x) && ParseNumber(b.values[k], y))
                                 {
                                     return x < y;
                                 }
                                 return a.values[k] < b.values[k];
                             }
                             return false;
                         });
    }
    return groups;
}

} // namespace wafer
} // namespace ns3
