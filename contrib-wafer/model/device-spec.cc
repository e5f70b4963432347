/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "device-spec.h"

#include "input-error.h"

#include "ns3/log.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferDeviceSpec");
namespace wafer
{

double
DeviceSpec::PeakFlops(Precision p) const
{
    NS_LOG_FUNCTION(this);
    static const Precision widening[]
        = {Precision::FP4, Precision::FP8, Precision::BF16, Precision::FP32};
    Precision want = ComputeClass(p);
    bool reached = false;
    for (Precision q : widening)
    {
        reached = reached || (q == want);
        if (!reached)
        {
            continue;
        }
        auto it = peakFlops.find(q);
        if (it != peakFlops.end())
        {
            return it->second;
        }
    }
    throw InputError("device " + name + ": no peak_flops entry usable for " + ToString(p));
}

double
DeviceSpec::RidgePoint(Precision p) const
{
    NS_LOG_FUNCTION(this);
    return PeakFlops(p) / memory.at(0).bandwidthBytesPerS;
}

double
DeviceSpec::IoBytesPerS() const
{
    NS_LOG_FUNCTION(this);
    return ioPorts * ioPortRateBitsPerS / 8.0;
}

double
DeviceSpec::MainMemoryBytes() const
{
    NS_LOG_FUNCTION(this);
    return memory.at(0).capacityBytes;
}

void
DeviceSpec::Validate() const
{
    NS_LOG_FUNCTION(this);
    const std::string where = "device " + name;
    auto positive = [&where](double v, const std::string& field)
    {
        if (!(v > 0) || !std::isfinite(v))
        {
            throw InputError(where + "." + field + ": must be a positive number");
        }
    };
    if (name.empty())
    {
        throw InputError("device.name: must not be empty");
    }
    if (memory.empty())
    {
        throw InputError(where + ".memory: needs at least one tier");
    }
    for (size_t i = 0; i < memory.size(); ++i)
    {
        const std::string f = "memory[" + std::to_string(i) + "]";
        positive(memory[i].capacityBytes, f + ".capacity_bytes");
        positive(memory[i].bandwidthBytesPerS, f + ".bandwidth_bytes_per_s");
        if (memory[i].latencyS < 0)
        {
            throw InputError(where + "." + f + ".latency_s: must be >= 0");
        }
    }
    if (peakFlops.empty())
    {
        throw InputError(where + ".peak_flops: needs at least one precision");
    }
    for (const auto& [p, v] : peakFlops)
    {
        positive(v, "peak_flops." + ToString(p));
    }
    if (ioPorts == 0)
    {
        throw InputError(where + ".io.ports: must be >= 1");
    }
    positive(ioPortRateBitsPerS, "io.port_rate_bps");
    if (powerW < 0 || systemPowerW < 0 || usdPerHour < 0)
    {
        throw InputError(where + ": power_w, system_power_w and usd_per_hour must be >= 0");
    }
}

} // namespace wafer
} // namespace ns3
