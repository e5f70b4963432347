/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sweep-spec.h"

#include "ns3/input-error.h"
#include "ns3/input-schema.h"
#include "ns3/json-fields.h"
#include "ns3/scenario.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

const char* const kSweepSchema = "wafer-sweep/1";

namespace
{
/// Scenario fields that hold file names, resolved against the folder of the file giving them.
bool
IsPathField(const std::string& name)
{
    return name == "workload.trace" || name.rfind("catalogs", 0) == 0;
}

std::string
Absolute(const std::string& folder, const std::string& file)
{
    const fs::path p(file);
    return p.is_absolute() ? file : fs::absolute(fs::path(folder) / p).lexically_normal().string();
}

/// Make a path-holding value (a file name or an array of them) absolute against \p folder.
nlohmann::json
ResolvePaths(const nlohmann::json& value, const std::string& folder)
{
    if (value.is_string())
    {
        return Absolute(folder, value.get<std::string>());
    }
    nlohmann::json out = value;
    if (value.is_array())
    {
        for (auto& item : out)
        {
            if (item.is_string())
            {
                item = Absolute(folder, item.get<std::string>());
            }
        }
    }
    else if (value.is_object())
    {
        for (auto& [key, item] : out.items())
        {
            item = ResolvePaths(item, folder);
        }
    }
    return out;
}

void
ResolveScenarioPaths(nlohmann::json& scenario, const std::string& folder)
{
    if (scenario.contains("workload") && scenario["workload"].is_object()
        && scenario["workload"].contains("trace") && scenario["workload"]["trace"].is_string())
    {
        scenario["workload"]["trace"] = ResolvePaths(scenario["workload"]["trace"], folder);
    }
    if (scenario.contains("catalogs") && scenario["catalogs"].is_object())
    {
        scenario["catalogs"] = ResolvePaths(scenario["catalogs"], folder);
    }
}

/// Axes of an object "name": [values...]; key order as written (\p ordered).
std::vector<SweepAxis>
ReadAxes(const nlohmann::ordered_json& ordered,
         const std::string& file,
         const std::string& label,
         const std::string& folder,
         bool list)
{
    const std::string where = file + ": sweep." + label;
    if (!ordered.is_object())
    {
        throw InputError(where + ": must be an object of parameter names");
    }
    std::vector<SweepAxis> axes;
    for (auto it = ordered.begin(); it != ordered.end(); ++it)
    {
        SweepAxis axis;
        axis.name = it.key();
        axis.where = label + "." + it.key();
        const std::string at = where + "." + it.key();
        if (axis.name.empty() || axis.name.front() == '.' || axis.name.back() == '.'
            || axis.name.find("..") != std::string::npos)
        {
            throw InputError(at + ": not a dotted field path or ns-3 attribute name");
        }
        if (axis.name == "seed")
        {
            throw InputError(at + ": give seeds with \"seeds\" or \"replications\"");
        }
        std::vector<nlohmann::json> values;
        if (list)
        {
            if (!it.value().is_array())
            {
                throw InputError(at + ": must be an array of values");
            }
            if (it.value().empty())
            {
                throw InputError(at + ": must not be empty");
            }
            for (const auto& v : it.value())
            {
                values.push_back(nlohmann::json::parse(v.dump()));
            }
        }
        else
        {
            values.push_back(nlohmann::json::parse(it.value().dump()));
        }
        for (auto& v : values)
        {
            if (v.is_null())
            {
                throw InputError(at + ": null is not a value");
            }
            if (axis.IsAttribute() && !v.is_string() && !v.is_number() && !v.is_boolean())
            {
                throw InputError(at
                                 + ": an ns-3 attribute value must be a string, number or "
                                   "boolean");
            }
            if (!axis.IsAttribute() && IsPathField(axis.name))
            {
                v = ResolvePaths(v, folder);
            }
        }
        axis.values = values;
        axes.push_back(axis);
    }
    return axes;
}
} // namespace

bool
SweepAxis::IsAttribute() const
{
    return name.find("::") != std::string::npos;
}

SweepSpec
SweepSpec::LoadFile(const std::string& path)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    // Key order matters for the grid; nlohmann::json sorts keys, so take it from the text.
    const nlohmann::ordered_json text = [&path]()
    {
        std::ifstream in(path);
        std::stringstream content;
        content << in.rdbuf();
        return JsonFields::ParseOrderedText(path, content.str());
    }();
    JsonFields f(doc, path + ": sweep");
    CheckSchema(f, kSweepSchema);
    f.OnlyKeys(
        {"schema", "name", "description", "base", "set", "grid", "zip", "seeds", "replications"});
    SweepSpec s;
    s.m_path = path;
    s.m_name = f.String("name", fs::path(path).stem().string());
    f.String("description", "");
    const std::string folder = fs::path(path).parent_path().string();
    const std::string basePath = Absolute(folder.empty() ? "." : folder, f.String("base"));
    if (!fs::is_regular_file(basePath))
    {
        throw InputError(f.Where("base") + ": no such file " + basePath);
    }
    s.m_base = JsonFields::ParseFile(basePath);
    if (!s.m_base.is_object())
    {
        throw InputError(f.Where("base") + ": " + basePath + " is not a JSON object");
    }
    ResolveScenarioPaths(s.m_base, fs::path(basePath).parent_path().string());

    const std::string dir = folder.empty() ? "." : folder;
    std::set<std::string> seen;
    auto add = [&seen, &path](const std::vector<SweepAxis>& axes)
    {
        for (const auto& a : axes)
        {
            if (!seen.insert(a.name).second)
            {
                throw InputError(path + ": sweep." + a.where + ": parameter given twice");
            }
        }
    };
    if (f.Has("set"))
    {
        s.m_fixed = ReadAxes(text.at("set"), path, "set", dir, false);
        add(s.m_fixed);
    }
    if (f.Has("grid"))
    {
        s.m_grid = ReadAxes(text.at("grid"), path, "grid", dir, true);
        add(s.m_grid);
    }
    if (f.Has("zip"))
    {
        const auto& z = text.at("zip");
        const bool many = z.is_array();
        const size_t groups = many ? z.size() : 1;
        if (many && z.empty())
        {
            throw InputError(f.Where("zip") + ": must not be empty");
        }
        for (size_t g = 0; g < groups; ++g)
        {
            const std::string label = many ? "zip[" + std::to_string(g) + "]" : "zip";
            const std::string where = path + ": sweep." + label;
            auto axes = ReadAxes(many ? z.at(g) : z, path, label, dir, true);
            if (axes.empty())
            {
                throw InputError(where + ": must name at least one parameter");
            }
            for (const auto& a : axes)
            {
                if (a.values.size() != axes.front().values.size())
                {
                    throw InputError(where + "." + a.name + ": has "
                                     + std::to_string(a.values.size()) + " values, but "
                                     + axes.front().name + " has "
                                     + std::to_string(axes.front().values.size())
                                     + " (zipped lists must have equal lengths)");
                }
            }
            add(axes);
            s.m_zips.push_back(axes);
        }
    }
    if (f.Has("seeds") && f.Has("replications"))
    {
        throw InputError(f.Where("replications") + ": give seeds or replications, not both");
    }
    if (f.Has("seeds"))
    {
        const auto& seeds = f.Raw("seeds");
        if (!seeds.is_array() || seeds.empty())
        {
            throw InputError(f.Where("seeds") + ": must be a non-empty array of whole numbers");
        }
        std::set<uint64_t> unique;
        for (size_t k = 0; k < seeds.size(); ++k)
        {
            const auto& v = seeds[k];
            const bool whole
                = v.is_number_integer()
                  || (v.is_number_float() && v.get<double>() == double(int64_t(v.get<double>())));
            if (!whole || v.get<double>() < 1 || v.get<double>() > double(kMaxSeed))
            {
                throw InputError(f.Where("seeds") + "[" + std::to_string(k)
                                 + "]: must be a whole number in [1, " + std::to_string(kMaxSeed)
                                 + "] (got " + v.dump() + ")");
            }
            const auto seed = static_cast<uint64_t>(v.get<double>());
            if (!unique.insert(seed).second)
            {
                throw InputError(f.Where("seeds") + ": seed " + std::to_string(seed)
                                 + " given twice");
            }
            s.m_seeds.push_back(seed);
        }
    }
    else
    {
        // Replications: consecutive seeds from the base scenario's seed (default 1).
        const uint64_t n = f.Count("replications", 1, 100000, 1);
        JsonFields base(s.m_base, basePath + ": scenario");
        const uint64_t first = base.Count("seed", 1, kMaxSeed, 1);
        if (first + n - 1 > kMaxSeed)
        {
            throw InputError(f.Where("replications") + ": seeds would pass "
                             + std::to_string(kMaxSeed));
        }
        for (uint64_t k = 0; k < n; ++k)
        {
            s.m_seeds.push_back(first + k);
        }
    }
    if (s.Configurations() * s.m_seeds.size() > 1000000)
    {
        throw InputError(f.Where("grid") + ": more than 1,000,000 points");
    }
    return s;
}

const std::string&
SweepSpec::Path() const
{
    return m_path;
}

const std::string&
SweepSpec::Name() const
{
    return m_name;
}

const nlohmann::json&
SweepSpec::Base() const
{
    return m_base;
}

const std::vector<SweepAxis>&
SweepSpec::Fixed() const
{
    return m_fixed;
}

const std::vector<SweepAxis>&
SweepSpec::Grid() const
{
    return m_grid;
}

const std::vector<std::vector<SweepAxis>>&
SweepSpec::Zips() const
{
    return m_zips;
}

const std::vector<uint64_t>&
SweepSpec::Seeds() const
{
    return m_seeds;
}

std::vector<std::string>
SweepSpec::ParameterNames() const
{
    std::vector<std::string> names;
    for (const auto& a : m_grid)
    {
        names.push_back(a.name);
    }
    for (const auto& group : m_zips)
    {
        for (const auto& a : group)
        {
            names.push_back(a.name);
        }
    }
    return names;
}

size_t
SweepSpec::Configurations() const
{
    size_t n = 1;
    for (const auto& a : m_grid)
    {
        n *= a.values.size();
        n = std::min<size_t>(n, 1000000000);
    }
    for (const auto& group : m_zips)
    {
        n *= group.front().values.size();
        n = std::min<size_t>(n, 1000000000);
    }
    return n;
}

} // namespace wafer
} // namespace ns3
