/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "roofline-engine.h"

#include "ns3/double.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferRooflineEngine");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(RooflineEngine);

Kernel
Kernel::FromCost(const KernelCost& cost)
{
    return Kernel{cost.flops, {cost.TotalBytes()}, cost.precision};
}

TypeId
RooflineEngine::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::RooflineEngine")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<RooflineEngine>()
              .AddAttribute("ComputeEfficiency",
                            "Fraction of peak dense FLOP/s a kernel achieves (assumed, see doc).",
                            DoubleValue(0.5),
                            MakeDoubleAccessor(&RooflineEngine::m_computeEfficiency),
                            MakeDoubleChecker<double>(1e-6, 1.0))
              .AddAttribute("MemoryEfficiency",
                            "Fraction of peak memory bandwidth a kernel achieves (assumed).",
                            DoubleValue(0.8),
                            MakeDoubleAccessor(&RooflineEngine::m_memoryEfficiency),
                            MakeDoubleChecker<double>(1e-6, 1.0))
              .AddAttribute("KernelOverhead",
                            "Fixed time added to every kernel (one transformer layer, the "
                            "embedding or the LM head): synchronisation and fabric latency that a "
                            "pure roofline misses. Calibrated: Llama 3.1 8B, one WSE-3, about "
                            "2,200 tokens/s single stream.",
                            TimeValue(NanoSeconds(11300)),
                            MakeTimeAccessor(&RooflineEngine::m_kernelOverhead),
                            MakeTimeChecker(Seconds(0)));
    return tid;
}

RooflineEngine::RooflineEngine() :
    m_computeEfficiency(0.5),
    m_memoryEfficiency(0.8),
    m_kernelOverhead(NanoSeconds(11300))
{
    NS_LOG_FUNCTION(this);
}

KernelTiming
RooflineEngine::Evaluate(const DeviceSpec& device, const Kernel& kernel, double share) const
{
    NS_LOG_FUNCTION(this);
    return Evaluate(device,
                    kernel.flops,
                    kernel.bytesPerTier.data(),
                    kernel.bytesPerTier.size(),
                    kernel.precision,
                    share);
}

KernelTiming
RooflineEngine::Evaluate(const DeviceSpec& device, const KernelCost& cost, double share) const
{
    NS_LOG_FUNCTION(this);
    const double bytes = cost.TotalBytes();
    return Evaluate(device, cost.flops, &bytes, 1, cost.precision, share);
}

KernelTiming
RooflineEngine::Evaluate(const DeviceSpec& device,
                         double flops,
                         const double* bytesPerTier,
                         size_t tiers,
                         Precision precision,
                         double share) const
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT_MSG(share > 0 && share <= 1.0 + 1e-12, "share must be in (0, 1]");
    KernelTiming t;
    const double peak = device.PeakFlops(precision);
    t.computeS = flops / (peak * share * m_computeEfficiency);
    for (size_t tier = 0; tier < tiers; ++tier)
    {
        const double bw = device.memory.at(tier).bandwidthBytesPerS;
        t.memoryS = std::max(t.memoryS, bytesPerTier[tier] / (bw * share * m_memoryEfficiency));
    }
    if (m_kernelOverhead != m_overheadOf)
    {
        // Converted once per value of the attribute: Time::GetSeconds is 128-bit arithmetic.
        m_overheadOf = m_kernelOverhead;
        m_overheadS = m_kernelOverhead.GetSeconds();
    }
    t.overheadS = m_overheadS;
    t.timeS = std::max(t.computeS, t.memoryS) + t.overheadS;
    const double tier0 = tiers == 0 ? 0.0 : bytesPerTier[0];
    t.intensity = tier0 > 0 ? flops / tier0 : 0.0;
    t.ridgePoint = peak / device.memory.at(0).bandwidthBytesPerS; // DeviceSpec::RidgePoint
    t.bound = t.computeS >= t.memoryS ? Bound::Compute : Bound::Memory;
    return t;
}

double
RooflineEngine::GetComputeEfficiency() const
{
    NS_LOG_FUNCTION(this);
    return m_computeEfficiency;
}

double
RooflineEngine::GetMemoryEfficiency() const
{
    NS_LOG_FUNCTION(this);
    return m_memoryEfficiency;
}

Time
RooflineEngine::GetKernelOverhead() const
{
    NS_LOG_FUNCTION(this);
    return m_kernelOverhead;
}

} // namespace wafer
} // namespace ns3
