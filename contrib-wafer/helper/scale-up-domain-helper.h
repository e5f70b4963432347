/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SCALE_UP_DOMAIN_HELPER_H
#define WAFER_SCALE_UP_DOMAIN_HELPER_H

#include "fabric-helper.h"
#include "link-catalog.h"

#include "ns3/expert-all-to-all.h"
#include "ns3/measured-collective-model.h"
#include "ns3/network-collective.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A scale-up domain as built: GPU nodes behind one NVSwitch node, and the collective engine.
 */
struct ScaleUpDomain
{
    Cluster cluster; ///< accelerators: the GPUs; switches: the NVSwitch
    Ptr<NetworkCollective> collective;
    uint32_t portsPerGpu{0}; ///< scale-up ports (NVLink links) of one GPU
};

/**
 * \ingroup wafer
 * Builds an NVLink-style scale-up domain (e.g. 8 GPUs of an HGX node or 72 of an NVL72 rack) as
 * ns-3 nodes: every GPU has ceil(B / port rate) ports of the scale-up link technology to one
 * switch, whose lane rate is trimmed so that the ports add up to exactly B, the device's scale-up
 * bandwidth each way. Measure() runs the domain's collectives through it (NetworkCollective).
 */
class ScaleUpDomainHelper
{
  public:
    ScaleUpDomainHelper();

    /// Latency of one crossing of the domain's switch (NVSwitch).
    void SetSwitchLatency(Time latency);
    /// Attribute of the NetworkCollective (StepOverhead, TreeChunkBytes, TreeWindow).
    void SetCollectiveAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param ranks GPUs (>= 2)
     * \param bytesPerS scale-up bandwidth of one GPU, each way
     * \param link the scale-up link technology
     * \param fidelity flow, chunk or packet
     */
    ScaleUpDomain Install(uint32_t ranks,
                          double bytesPerS,
                          const LinkPreset& link,
                          const std::string& fidelity);

    /**
     * A tensor-parallel group of devices without a scale-up link (wafers): \p ranks devices of
     * \p ports I/O ports each, cabled to one switch with the scenario's link and switch
     * latency (\p settings, as the serving cluster's fabric), so that the collectives cross
     * the devices' own I/O.
     */
    ScaleUpDomain InstallOverIo(uint32_t ranks,
                                uint32_t ports,
                                const AttributeSettings& settings,
                                const std::string& fidelity);
    /**
     * Measure ring and tree all-reduce and all-to-all on a domain built by Install, for every
     * size of SizeGrid(maxBytes), in a simulation of its own that is destroyed afterwards: call
     * it before building anything else in the simulator.
     */
    Ptr<MeasuredCollectiveModel> Measure(uint32_t ranks,
                                         double bytesPerS,
                                         const LinkPreset& link,
                                         double maxBytes,
                                         const std::string& fidelity);
    /// The same on a domain already built (\p bytesPerS: one rank's bandwidth, each way).
    Ptr<MeasuredCollectiveModel> MeasureOn(ScaleUpDomain d,
                                           uint32_t ranks,
                                           double bytesPerS,
                                           double maxBytes);

    /**
     * Measure an expert group's all-to-all (ExpertAllToAll) at each of \p sizes (one rank's token
     * activations, e.g. SizeGrid(maxBytes)), in a simulation of its own that is destroyed
     * afterwards: \p group.nodes scale-up domains of \p group.ranksPerNode GPUs (Install, on
     * \p upLink), and one NIC of \p nicPorts ports per GPU on a single switch of the scenario's
     * scale-out link (\p settings). \return the times, by size.
     */
    std::vector<double> MeasureExpertAllToAll(const ExpertGroup& group,
                                              uint32_t nicPorts,
                                              const AttributeSettings& settings,
                                              const LinkPreset* upLink,
                                              const std::vector<double>& sizes,
                                              const std::string& fidelity);

    /// Sizes measured: 4 per octave (2^(k/4) bytes) from 1 KiB up to at least \p maxBytes.
    static std::vector<double> SizeGrid(double maxBytes);

  private:
    /// The domain's NetworkCollective, with the collective attributes, on its first node.
    void AddCollective(ScaleUpDomain& d) const;

    Time m_switchLatency;
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_collectiveAttributes;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SCALE_UP_DOMAIN_HELPER_H
