/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ROOFLINE_ENGINE_H
#define ROOFLINE_ENGINE_H

#include "device-spec.h"
#include "llm-cost-model.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A kernel as the roofline sees it: FLOPs, bytes per memory tier, math precision.
 */
struct Kernel
{
    double flops{0};
    std::vector<double> bytesPerTier; ///< index = DeviceSpec::memory tier
    Precision precision{Precision::BF16};

    /// All of a KernelCost's traffic in tier 0 (weights and KV live there).
    static Kernel FromCost(const KernelCost& cost);
};

/**
 * \ingroup wafer
 * Which roof limits a kernel.
 */
enum class Bound
{
    Compute,
    Memory,
};

/**
 * \ingroup wafer
 * Result of evaluating one kernel on a device (or a share of it).
 */
struct KernelTiming
{
    double timeS{0};      ///< max(computeS, memoryS) + overheadS
    double computeS{0};   ///< flops / (peak * share * compute efficiency)
    double memoryS{0};    ///< slowest tier: bytes / (bandwidth * share * memory efficiency)
    double overheadS{0};  ///< fixed per-kernel overhead
    double intensity{0};  ///< flops per byte of tier-0 traffic
    double ridgePoint{0}; ///< device peak / tier-0 bandwidth, flops per byte
    Bound bound{Bound::Memory};
};

/**
 * \ingroup wafer
 * The embedded roofline engine: a kernel takes
 * max(FLOPs / (peak x ComputeEfficiency), bytes / (bandwidth x MemoryEfficiency)) + KernelOverhead,
 * each memory tier a roof of its own (hierarchical roofline). On a spatial device (a wafer) a
 * kernel runs on the share of cores that holds its weights, so both roofs scale with that share.
 *
 * Defaults are calibrated so that Llama 3.1 8B at bf16 decodes one stream on one WSE-3 at about
 * 2,200 tokens/s (see doc/wafer.md, "Calibration").
 */
class RooflineEngine : public Object
{
  public:
    static TypeId GetTypeId();
    RooflineEngine();

    /**
     * \param device the device
     * \param kernel the kernel
     * \param share fraction of the device's cores and memory bandwidth the kernel runs on, (0, 1]
     */
    KernelTiming Evaluate(const DeviceSpec& device, const Kernel& kernel, double share = 1.0) const;
    /// The same for a KernelCost, all of whose traffic is in tier 0 (Kernel::FromCost), without
    /// building a Kernel: stages evaluate every kernel at every step.
    KernelTiming Evaluate(const DeviceSpec& device,
                          const KernelCost& cost,
                          double share = 1.0) const;

    double GetComputeEfficiency() const;
    double GetMemoryEfficiency() const;
    Time GetKernelOverhead() const;

  private:
    KernelTiming Evaluate(const DeviceSpec& device,
                          double flops,
                          const double* bytesPerTier,
                          size_t tiers,
                          Precision precision,
                          double share) const;

    double m_computeEfficiency;
    double m_memoryEfficiency;
    Time m_kernelOverhead;
    mutable Time m_overheadOf{-1}; ///< the value m_overheadS was converted from
    mutable double m_overheadS{0};
};

} // namespace wafer
} // namespace ns3

#endif // ROOFLINE_ENGINE_H
