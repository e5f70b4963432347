/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Roofline engine against closed forms: times, bound, intensity, ridge point, shares, precisions.

#include "ns3/device-catalog.h"
#include "ns3/double.h"
#include "ns3/input-error.h"
#include "ns3/nstime.h"
#include "ns3/roofline-engine.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
DeviceSpec
TestDevice()
{
    DeviceSpec d;
    d.name = "test";
    d.kind = "gpu";
    d.memory = {MemoryTier{"hbm", 80e9, 2e12, 0}, MemoryTier{"ddr", 1e12, 1e11, 0}};
    d.peakFlops = {{Precision::BF16, 1e15}, {Precision::FP8, 2e15}};
    d.ioPorts = 1;
    d.ioPortRateBitsPerS = 400e9;
    return d;
}

Ptr<RooflineEngine>
Engine(double ce, double me, Time overhead)
{
    Ptr<RooflineEngine> e = CreateObject<RooflineEngine>();
    e->SetAttribute("ComputeEfficiency", DoubleValue(ce));
    e->SetAttribute("MemoryEfficiency", DoubleValue(me));
    e->SetAttribute("KernelOverhead", TimeValue(overhead));
    return e;
}
} // namespace

TEST(Roofline, ComputeBoundKernel)
{
    const DeviceSpec d = TestDevice();
    auto e = Engine(0.5, 0.8, MicroSeconds(3));
    // 1e12 FLOPs at 1e15 x 0.5 = 2 ms; 1e9 B at 2e12 x 0.8 = 0.625 ms.
    const KernelTiming t = e->Evaluate(d, Kernel{1e12, {1e9}, Precision::BF16});
    EXPECT_DOUBLE_EQ(t.computeS, 2e-3);
    EXPECT_DOUBLE_EQ(t.memoryS, 0.625e-3);
    EXPECT_NEAR(t.overheadS, 3e-6, 1e-15);
    EXPECT_NEAR(t.timeS, 2e-3 + 3e-6, 1e-15);
    EXPECT_EQ(t.bound, Bound::Compute);
    EXPECT_DOUBLE_EQ(t.intensity, 1000.0);
    EXPECT_DOUBLE_EQ(t.ridgePoint, 500.0);
}

TEST(Roofline, MemoryBoundKernelAndSecondTier)
{
    const DeviceSpec d = TestDevice();
    auto e = Engine(1.0, 1.0, Seconds(0));
    // GEMV-like: intensity 2 FLOPs/byte at fp8, far below the ridge point (2e15 / 2e12 = 1000).
    const KernelTiming t = e->Evaluate(d, Kernel{2e9, {1e9}, Precision::FP8});
    EXPECT_EQ(t.bound, Bound::Memory);
    EXPECT_DOUBLE_EQ(t.timeS, 1e9 / 2e12);
    EXPECT_DOUBLE_EQ(t.ridgePoint, 1000.0);
    // A second tier is its own roof: 1e9 B from DDR at 1e11 B/s = 10 ms dominates.
    const KernelTiming t2 = e->Evaluate(d, Kernel{2e9, {1e9, 1e9}, Precision::FP8});
    EXPECT_DOUBLE_EQ(t2.timeS, 1e9 / 1e11);
}

TEST(Roofline, ShareScalesBothRoofs)
{
    const DeviceSpec d = TestDevice();
    auto e = Engine(0.5, 0.8, Seconds(0));
    const Kernel k{1e12, {1e9}, Precision::BF16};
    const double whole = e->Evaluate(d, k, 1.0).timeS;
    EXPECT_DOUBLE_EQ(e->Evaluate(d, k, 0.25).timeS, 4 * whole);
}

TEST(Roofline, PrecisionWidening)
{
    const DeviceSpec d = TestDevice();
    EXPECT_DOUBLE_EQ(d.PeakFlops(Precision::FP4), 2e15);   // runs on fp8 units
    EXPECT_DOUBLE_EQ(d.PeakFlops(Precision::MXFP4), 2e15); // same
    EXPECT_DOUBLE_EQ(d.PeakFlops(Precision::INT8), 2e15);
    EXPECT_DOUBLE_EQ(d.PeakFlops(Precision::FP16), 1e15);
    EXPECT_THROW(d.PeakFlops(Precision::FP32), InputError);
}

TEST(Roofline, Wse3PresetFigures)
{
    const DeviceCatalog c = DeviceCatalog::Load();
    const DeviceSpec& w = c.Get("wse-3");
    EXPECT_DOUBLE_EQ(w.MainMemoryBytes(), 44e9);
    EXPECT_DOUBLE_EQ(w.memory[0].bandwidthBytesPerS, 21e15);
    EXPECT_DOUBLE_EQ(w.PeakFlops(Precision::BF16), 15.625e15);
    EXPECT_DOUBLE_EQ(w.IoBytesPerS(), 150e9); // 12 x 100 GbE
    EXPECT_NEAR(w.RidgePoint(Precision::BF16), 15.625e15 / 21e15, 1e-12);
    EXPECT_EQ(w.execution, ExecutionStyle::Spatial);
    const DeviceSpec& w2 = c.Get("wse-2");
    EXPECT_DOUBLE_EQ(w2.MainMemoryBytes(), 40e9);
    EXPECT_DOUBLE_EQ(w2.PeakFlops(Precision::BF16), 7.5e15);
    EXPECT_THROW(c.Get("wse-9"), InputError);
}

TEST(Roofline, AcceleratorPresetsFromTheReference)
{
    const DeviceCatalog c = DeviceCatalog::Load();
    for (const char* name : {"h100",
                             "h200",
                             "b200",
                             "b300",
                             "gb300",
                             "r200",
                             "trainium3",
                             "tpu-v8i",
                             "lp30",
                             "wse-2",
                             "wse-3"})
    {
        const DeviceSpec& d = c.Get(name);
        EXPECT_FALSE(d.source.empty()) << name;
        EXPECT_GT(d.MainMemoryBytes(), 0) << name;
    }
    EXPECT_DOUBLE_EQ(c.Get("b200").MainMemoryBytes(), 192e9);
    EXPECT_DOUBLE_EQ(c.Get("b200").memory[0].bandwidthBytesPerS, 8e12);
    EXPECT_DOUBLE_EQ(c.Get("r200").PeakFlops(Precision::FP4), 35000e12);
    EXPECT_DOUBLE_EQ(c.Get("gb300").PeakFlops(Precision::MXFP4), 15000e12);
    EXPECT_DOUBLE_EQ(c.Get("trainium3").PeakFlops(Precision::FP8), 2517e12);
    EXPECT_DOUBLE_EQ(c.Get("h100").PeakFlops(Precision::FP4), 1979e12); // no FP4: FP8 units
    EXPECT_DOUBLE_EQ(c.Get("h100").scaleUpBytesPerS, 450e9);
    EXPECT_DOUBLE_EQ(c.Get("lp30").MainMemoryBytes(), 0.5e9);
    EXPECT_DOUBLE_EQ(c.Get("lp30").memory[0].bandwidthBytesPerS, 150e12);
}
