/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "device-catalog.h"

#include "input-schema.h"
#include "json-fields.h"

#include "ns3/input-error.h"

namespace ns3
{
namespace wafer
{

DeviceCatalog
DeviceCatalog::Load(const std::vector<std::string>& extraFiles)
{
    DeviceCatalog c;
    c.LoadFile(DataDirectory() + "/devices.json");
    for (const auto& f : extraFiles)
    {
        c.LoadFile(f);
    }
    return c;
}

void
DeviceCatalog::LoadFile(const std::string& path)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields root(doc, path);
    CheckSchema(root, "wafer-devices/1");
    const auto& list = root.Raw("devices");
    if (!list.is_array())
    {
        throw InputError(root.Where("devices") + ": must be an array");
    }
    for (size_t i = 0; i < list.size(); ++i)
    {
        JsonFields d(list[i], path + ": devices[" + std::to_string(i) + "]");
        d.OnlyKeys({"name",
                    "display_name",
                    "kind",
                    "execution",
                    "source",
                    "notes",
                    "cores",
                    "memory",
                    "peak_flops",
                    "io",
                    "power_w",
                    "system_power_w",
                    "usd_per_hour",
                    "scale_up_bytes_per_s"});
        DeviceSpec s;
        s.name = d.String("name");
        JsonFields f(list[i], path + ": device " + s.name);
        s.displayName = f.String("display_name", s.name);
        s.kind = f.String("kind");
        if (s.kind != "wafer" && s.kind != "gpu" && s.kind != "accelerator" && s.kind != "host")
        {
            throw InputError(f.Where("kind") + ": must be wafer, gpu, accelerator or host");
        }
        s.source = f.String("source");
        const std::string exec
            = f.String("execution", s.kind == "wafer" ? "spatial" : "sequential");
        if (exec != "spatial" && exec != "sequential")
        {
            throw InputError(f.Where("execution") + ": must be spatial or sequential");
        }
        s.execution = exec == "spatial" ? ExecutionStyle::Spatial : ExecutionStyle::Sequential;
        s.cores = f.Count("cores", 1);
        const auto& mem = f.Raw("memory");
        if (!mem.is_array() || mem.empty())
        {
            throw InputError(f.Where("memory") + ": must be a non-empty array");
        }
        for (size_t t = 0; t < mem.size(); ++t)
        {
            JsonFields m(mem[t], f.Where("memory[" + std::to_string(t) + "]"));
            m.OnlyKeys({"name", "capacity_bytes", "bandwidth_bytes_per_s", "latency_s"});
            s.memory.push_back(MemoryTier{m.String("name"),
                                          m.Positive("capacity_bytes"),
                                          m.Positive("bandwidth_bytes_per_s"),
                                          m.NonNegative("latency_s", 0.0)});
        }
        JsonFields flops = f.Object("peak_flops");
        for (const auto& [key, value] : f.Raw("peak_flops").items())
        {
            (void) value;
            s.peakFlops[ParsePrecision(key, flops.Where(key))] = flops.Positive(key);
        }
        JsonFields io = f.Object("io");
        io.OnlyKeys({"ports", "port_rate_bps", "link"});
        s.ioPorts = io.Count("ports", 1, 1 << 16);
        s.ioPortRateBitsPerS = io.Positive("port_rate_bps");
        s.ioLink = io.String("link");
        s.powerW = f.NonNegative("power_w", 0.0);
        s.systemPowerW = f.NonNegative("system_power_w", s.powerW);
        s.usdPerHour = f.NonNegative("usd_per_hour", 0.0);
        s.scaleUpBytesPerS = f.NonNegative("scale_up_bytes_per_s", 0.0);
        s.Validate();
        m_devices.Put(s.name, s);
    }
}

const DeviceSpec&
DeviceCatalog::Get(const std::string& name) const
{
    return m_devices.Get(name);
}

std::vector<std::string>
DeviceCatalog::Names() const
{
    return m_devices.Names();
}

} // namespace wafer
} // namespace ns3
