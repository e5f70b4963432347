/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DEVICE_SPEC_H
#define WAFER_DEVICE_SPEC_H

#include "precision.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One level of a device's memory hierarchy.
 */
struct MemoryTier
{
    std::string name;             ///< "sram", "hbm", "ddr5", ...
    double capacityBytes{0};      ///< bytes
    double bandwidthBytesPerS{0}; ///< aggregate bytes/s
    double latencyS{0};           ///< access latency, seconds
};

/**
 * \ingroup wafer
 * How a device runs the layers it holds.
 */
enum class ExecutionStyle
{
    Spatial,    ///< wafer: resident layers own disjoint core regions and run side by side
    Sequential, ///< GPU-like: each layer uses the whole device in turn
};

/**
 * \ingroup wafer
 * An accelerator as data: memory tiers, peak dense FLOP/s per precision, I/O and power.
 * Presets live in data/devices.json (each citing its source); users add their own files.
 */
struct DeviceSpec
{
    std::string name;        ///< catalog key, e.g. "wse-3"
    std::string displayName; ///< e.g. "Cerebras WSE-3 (CS-3)"
    std::string kind;        ///< "wafer", "gpu" or "accelerator"
    std::string source;      ///< where the figures come from
    ExecutionStyle execution{ExecutionStyle::Sequential};
    uint64_t cores{0};                     ///< compute cores (for reporting)
    std::vector<MemoryTier> memory;        ///< tier 0 holds weights and KV cache
    std::map<Precision, double> peakFlops; ///< dense FLOP/s by compute precision
    uint32_t ioPorts{0};                   ///< off-device network ports
    double ioPortRateBitsPerS{0};          ///< line rate of one port, bit/s
    std::string ioLink;                    ///< link technology preset of its ports
    double scaleUpBytesPerS{0};            ///< scale-up (NVLink-class) bandwidth each way, 0: none
    double powerW{0};                      ///< device power under load, W
    double systemPowerW{0};                ///< all-in system power per device, W
    double usdPerHour{0};                  ///< cost of one device (system share) per hour

    /**
     * Peak dense FLOP/s for a precision. A precision the device lacks runs on the next wider unit
     * it has (fp4 -> fp8 -> bf16 -> fp32). \throws InputError when none exists.
     */
    double PeakFlops(Precision p) const;

    /// Ridge point in FLOPs per byte: PeakFlops(p) / bandwidth of tier 0.
    double RidgePoint(Precision p) const;

    /// Off-device I/O in bytes/s, all ports together.
    double IoBytesPerS() const;

    /// Capacity of tier 0 in bytes.
    double MainMemoryBytes() const;

    /// \throws InputError naming the field when a figure is missing or impossible.
    void Validate() const;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DEVICE_SPEC_H
