/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sweep-point.h"

#include "json-path.h"
#include "result-validation.h"

#include "ns3/attribute-settings.h"
#include "ns3/input-error.h"
#include "ns3/resolved-scenario.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace ns3
{
namespace wafer
{

namespace
{
std::string
AttributeText(const nlohmann::json& v)
{
    return v.is_string() ? v.get<std::string>() : v.dump();
}

/// FNV-1a, 64 bits, mixed: stable across runs and machines.
std::string
ContentHash(const std::string& text)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text)
    {
        h ^= c;
        h *= 1099511628211ULL;
    }
    // Final mix (MurmurHash3's), so names that differ in one late byte look different.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

/// A setting of one point: which axis gave it, and the value.
struct Setting
{
    const SweepAxis* axis;
    nlohmann::json value;
};

SweepPoint
Materialise(const SweepSpec& spec,
            const std::vector<Setting>& settings,
            uint64_t seed,
            size_t id,
            CatalogSet& catalogs)
{
    SweepPoint p;
    p.id = id;
    p.seed = seed;
    nlohmann::json scenario = spec.Base();
    std::vector<std::pair<std::string, std::string>> attributeWhere;
    for (const auto& s : settings)
    {
        if (s.axis->IsAttribute())
        {
            p.attributes.emplace_back(s.axis->name, AttributeText(s.value));
            attributeWhere.emplace_back(s.axis->where, AttributeText(s.value));
        }
        else
        {
            try
            {
                SetJsonPath(scenario, s.axis->name, s.value);
            }
            catch (const InputError& e)
            {
                // e names the path already: "<name>: <reason>".
                const std::string& w = s.axis->where;
                throw InputError(spec.Path() + ": sweep."
                                 + w.substr(0, w.size() - s.axis->name.size()) + e.what());
            }
        }
    }
    for (size_t k = 0; k < settings.size(); ++k)
    {
        if (settings[k].axis->where.rfind("set.", 0) != 0)
        {
            p.parameters.emplace_back(settings[k].axis->name, settings[k].value);
        }
    }
    p.scenarioText = scenario.dump(2) + "\n";
    p.stem = ContentHash(p.scenarioText + '\0' + p.AttributeOverrides() + '\0'
                         + std::to_string(p.seed));

    // Check the point as wafer-sim would, before anything is written or run.
    const std::string where
        = spec.Path() + ": point " + std::to_string(id) + " (" + p.Describe() + ")";
    try
    {
        ResolveOptions options;
        options.place = false; // a model that does not fit fails its point when it runs
        const Scenario loaded = Scenario::LoadText("scenario", p.scenarioText);
        p.seedMatters = loaded.generator.has_value()
                        || std::any_of(loaded.faults.links.begin(),
                                       loaded.faults.links.end(),
                                       [](const LinkFaultSpec& f)
                                       {
                                           return f.random;
                                       });
        ResolveScenario(loaded, options, catalogs);
    }
    catch (const InputError& e)
    {
        std::string what = e.what();
        if (what.rfind("scenario: ", 0) == 0)
        {
            what = what.substr(10);
        }
        throw InputError(where + ": " + what);
    }
    for (const auto& [axisWhere, value] : attributeWhere)
    {
        const std::string name = axisWhere.substr(axisWhere.find('.') + 1);
        AttributeSettings().SetText(
            name, value, spec.Path() + ": sweep." + axisWhere.substr(0, axisWhere.find('.')));
    }
    return p;
}
} // namespace

std::string
SweepPoint::AttributeOverrides() const
{
    std::string out;
    for (const auto& [k, v] : attributes)
    {
        out += (out.empty() ? "" : " ") + std::string("--") + k + "=" + v;
    }
    return out;
}

nlohmann::json
SweepPoint::ParameterObject() const
{
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [k, v] : parameters)
    {
        o[k] = v;
    }
    return o;
}

std::string
SweepPoint::Describe() const
{
    std::string out;
    for (const auto& [k, v] : parameters)
    {
        out += (out.empty() ? "" : ", ") + k + "=" + JsonValueText(v);
    }
    out += (out.empty() ? "" : ", ") + std::string("seed ") + std::to_string(seed);
    return out.size() > 160 ? out.substr(0, 157) + "..." : out;
}

ExpectedRun
SweepPoint::Expected() const
{
    ExpectedRun e;
    e.scenarioText = scenarioText;
    e.attributeOverrides = AttributeOverrides();
    e.seed = seed;
    return e;
}

std::vector<SweepPoint>
ExpandSweep(const SweepSpec& spec)
{
    // Odometer over the grid axes and zip groups; the last one varies fastest.
    std::vector<size_t> sizes;
    for (const auto& a : spec.Grid())
    {
        sizes.push_back(a.values.size());
    }
    for (const auto& g : spec.Zips())
    {
        sizes.push_back(g.front().values.size());
    }
    std::vector<size_t> pos(sizes.size(), 0);
    std::vector<SweepPoint> points;
    std::map<std::string, size_t> stems;
    CatalogSet catalogs;
    const size_t configurations = spec.Configurations();
    for (size_t c = 0; c < configurations; ++c)
    {
        std::vector<Setting> settings;
        for (const auto& a : spec.Fixed())
        {
            settings.push_back({&a, a.values.front()});
        }
        for (size_t k = 0; k < spec.Grid().size(); ++k)
        {
            settings.push_back({&spec.Grid()[k], spec.Grid()[k].values[pos[k]]});
        }
        for (size_t g = 0; g < spec.Zips().size(); ++g)
        {
            const size_t row = pos[spec.Grid().size() + g];
            for (const auto& a : spec.Zips()[g])
            {
                settings.push_back({&a, a.values[row]});
            }
        }
        for (uint64_t seed : spec.Seeds())
        {
            SweepPoint p = Materialise(spec, settings, seed, points.size(), catalogs);
            auto [it, fresh] = stems.emplace(p.stem, p.id);
            if (!fresh)
            {
                throw InputError(spec.Path() + ": point " + std::to_string(p.id) + " ("
                                 + p.Describe() + "): runs the same as point "
                                 + std::to_string(it->second) + " (a value is repeated)");
            }
            points.push_back(std::move(p));
        }
        for (size_t k = sizes.size(); k-- > 0;)
        {
            if (++pos[k] < sizes[k])
            {
                break;
            }
            pos[k] = 0;
        }
    }
    return points;
}

} // namespace wafer
} // namespace ns3
