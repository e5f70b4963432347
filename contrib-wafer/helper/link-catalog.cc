/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-catalog.h"

#include "input-schema.h"
#include "json-fields.h"

#include "ns3/input-error.h"

#include <cmath>
#include <set>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
std::string
Num(double v)
{
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
}
} // namespace

LinkCatalog
LinkCatalog::Load(const std::vector<std::string>& extraFiles)
{
    LinkCatalog c;
    c.LoadFile(DataDirectory() + "/links.json");
    for (const auto& f : extraFiles)
    {
        c.LoadFile(f);
    }
    return c;
}

void
LinkCatalog::LoadFile(const std::string& path)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields root(doc, path);
    CheckSchema(root, "wafer-links/1");
    const auto& list = root.Raw("links");
    if (!list.is_array())
    {
        throw InputError(root.Where("links") + ": must be an array");
    }
    for (size_t i = 0; i < list.size(); ++i)
    {
        JsonFields first(list[i], path + ": links[" + std::to_string(i) + "]");
        LinkPreset p;
        p.name = first.String("name");
        JsonFields f(list[i], path + ": link " + p.name);
        f.OnlyKeys({"name",
                    "display_name",
                    "kind",
                    "lane_rate_bps",
                    "lanes_per_port",
                    "endpoint_latency_s",
                    "propagation_s_per_m",
                    "reach_m",
                    "default_length_m",
                    "energy_pj_per_bit",
                    "static_power_w_per_port",
                    "area_bandwidth_bytes_per_s_per_mm2",
                    "area_mm2",
                    "cable_mtbf_hours",
                    "flap_share",
                    "flap_s",
                    "repair_s",
                    "reliability_source",
                    "source",
                    "notes"});
        p.displayName = f.String("display_name", p.name);
        p.kind = f.String("kind");
        static const std::set<std::string> kinds
            = {"electrical", "pluggable-optics", "cpo", "nvlink", "on-wafer", "photonic-face"};
        if (!kinds.count(p.kind))
        {
            throw InputError(f.Where("kind")
                             + ": must be one of electrical, pluggable-optics, "
                               "cpo, nvlink, on-wafer, photonic-face");
        }
        p.source = f.String("source");
        p.laneRateBps = f.Positive("lane_rate_bps");
        p.lanesPerPort = static_cast<uint32_t>(f.Count("lanes_per_port", 1, 1024));
        p.endpointLatencyS = f.NonNegative("endpoint_latency_s", 0.0);
        p.propagationSPerM = f.NonNegative("propagation_s_per_m", 0.0);
        p.reachM = f.NonNegative("reach_m", 0.0);
        p.defaultLengthM = f.NonNegative("default_length_m", 0.0);
        if (p.reachM > 0 && p.defaultLengthM > p.reachM)
        {
            throw InputError(f.Where("default_length_m") + ": exceeds reach_m");
        }
        p.energyPjPerBit = f.NonNegative("energy_pj_per_bit", 0.0);
        p.staticPowerWPerPort = f.NonNegative("static_power_w_per_port", 0.0);
        p.areaBandwidthBytesPerSPerMm2 = f.NonNegative("area_bandwidth_bytes_per_s_per_mm2", 0.0);
        p.areaMm2 = f.NonNegative("area_mm2", 0.0);
        if (f.Has("cable_mtbf_hours"))
        {
            // Failure figures come as a set, with where they come from.
            p.cableMtbfHours = f.Positive("cable_mtbf_hours");
            p.flapShare = f.NonNegative("flap_share");
            if (p.flapShare > 1)
            {
                throw InputError(f.Where("flap_share") + ": a share, from 0 to 1");
            }
            p.flapS = f.NonNegative("flap_s");
            p.repairS = f.NonNegative("repair_s");
            for (const auto& [value, key] :
                 {std::make_pair(p.flapS, "flap_s"), std::make_pair(p.repairS, "repair_s")})
            {
                if (value > kMaxInputSeconds)
                {
                    throw InputError(f.Where(key) + ": more than the 1e6 s a run may span");
                }
            }
            p.reliabilitySource = f.String("reliability_source");
        }
        m_links.Put(p.name, p);
    }
}

const LinkPreset&
LinkCatalog::Get(const std::string& name) const
{
    return m_links.Get(name);
}

std::vector<std::string>
LinkCatalog::Names() const
{
    return m_links.Names();
}

std::vector<std::pair<std::string, std::string>>
LinkPresetAttributes(const LinkPreset& p)
{
    const bool face = p.kind == "photonic-face";
    return {{"Preset", p.name},
            {"LaneRate", Num(p.laneRateBps)},
            {"LanesPerPort", std::to_string(p.lanesPerPort)},
            {"EndpointLatency", Num(p.endpointLatencyS) + "s"},
            {"PropagationPerMetre", Num(p.propagationSPerM) + "s"},
            {"Length", Num(p.defaultLengthM)},
            {"Reach", Num(p.reachM)},
            {"EnergyPerBit", Num(p.energyPjPerBit)},
            {"StaticPowerPerPort", Num(p.staticPowerWPerPort)},
            {"FaceArea", Num(face ? p.areaMm2 : 0.0)},
            {"FaceDensity", Num(face ? p.areaBandwidthBytesPerSPerMm2 : 0.0)},
            {"CableMtbf", Num(p.cableMtbfHours)},
            {"FlapShare", Num(p.flapShare)},
            {"FlapDownTime", Num(p.flapS)},
            {"RepairTime", Num(p.repairS)}};
}

} // namespace wafer
} // namespace ns3
