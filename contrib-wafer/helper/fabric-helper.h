/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FABRIC_HELPER_H
#define WAFER_FABRIC_HELPER_H

#include "attribute-settings.h"
#include "topology-builder.h"

#include "ns3/link-technology.h"
#include "ns3/message-transport.h"
#include "ns3/network-fabric.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What FabricHelper::Install built.
 */
struct Cluster
{
    NodeContainer accelerators; ///< one node per device, in pipeline order
    NodeContainer switches;     ///< switch nodes (none for a ring)
    Ptr<NetworkFabric> fabric;
    Ptr<MessageTransport> transport;
    Ptr<LinkTechnology> link; ///< what every cable is

    /// ns-3 node ids of the accelerators, in order.
    std::vector<uint32_t> NodeIds() const;
};

/**
 * \ingroup wafer
 * Builds accelerator nodes with P ports each and the fabric between them with the TopologyBuilder
 * registered under the NetworkFabric's Topology attribute (single-switch, leaf-spine and
 * rail-optimized leaf-spine with oversubscription, or a direct ring), cabled with one
 * LinkTechnology; creates PointToPointNetDevices and channels (queues large enough for lossless
 * operation) and the transport of the chosen fidelity (TransportFidelity).
 */
class FabricHelper
{
  public:
    FabricHelper();

    /// Attribute of the NetworkFabric (Topology, SwitchLatency, ...).
    void SetFabricAttribute(const std::string& name, const AttributeValue& value);
    /// Attribute of the LinkTechnology (LaneRate, EnergyPerBit, ...).
    void SetLinkAttribute(const std::string& name, const AttributeValue& value);
    /// Attribute of the transport.
    void SetTransportAttribute(const std::string& name, const AttributeValue& value);
    /// Every setting of \p settings that the fabric, the link technology or the transport (of
    /// the fidelity Install is given) has; SetXxxAttribute calls made later win.
    void SetAttributes(const AttributeSettings& settings);

    /**
     * \param devices accelerators to build
     * \param ports ports per accelerator
     * \param prefix node name prefix ("wafer" gives wafer0, wafer1, ...)
     * \param fidelity "flow", "chunk" or "packet"
     * \throws InputError for an impossible topology (e.g. a ring with an odd port count)
     */
    Cluster Install(uint32_t devices,
                    uint32_t ports,
                    const std::string& prefix,
                    const std::string& fidelity);

    /**
     * As above, with a port count per accelerator (a ring needs equal counts). An accelerator
     * node may stand for several devices (a stage of a tensor-parallel or expert group):
     * \p devices gives how many (default one each), and its ports are theirs together, so a port
     * runs at the rate of one port of a device with ports / devices ports (which a photonic face
     * splits its bandwidth over).
     */
    Cluster Install(const std::vector<uint32_t>& ports,
                    const std::string& prefix,
                    const std::string& fidelity,
                    const std::vector<uint32_t>& devices = {});

    /**
     * A tree of relaying endpoints (SwarmX: a weight store at the root, broadcast/reduce nodes,
     * wafers at the leaves): node i is cabled to node \p parent[i] (-1: the root) with \p ports
     * ports, and messages travel between neighbours only; \p transit: each node's transit
     * latency (split over its links). Flow or chunk fidelity.
     */
    Cluster InstallTree(const std::vector<int32_t>& parent,
                        uint32_t ports,
                        const std::vector<std::string>& names,
                        const std::vector<Time>& transit,
                        const std::string& fidelity);

    /// Write pcap traces of every device under \p prefix (chunk or packet fidelity).
    void EnablePcap(const std::string& prefix);

  private:
    /// The fabric, link and transport of a new cluster (no nodes yet).
    Cluster Begin(const std::string& fidelity);
    /// Endpoints with \p ports ports each, named \p names, connected by \p topology; then pcap
    /// and the transport's installation, once every node and link exists.
    void Build(Cluster& c,
               const TopologyBuilder& topology,
               const std::vector<uint32_t>& ports,
               const std::vector<std::string>& names,
               const std::vector<uint32_t>& devices = {});
    /// The CableFunction of builders: a FabricLink pair, with devices at chunk and packet fidelity.
    std::pair<uint32_t, uint32_t> Cable(Ptr<NetworkFabric> fabric,
                                        const CableEnd& a,
                                        const CableEnd& b,
                                        uint32_t ports);

    PointToPointHelper m_p2p;
    ObjectFactory m_fabricFactory;
    ObjectFactory m_linkFactory;
    AttributeSettings m_transportSettings;
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_transportAttributes;
    Ptr<LinkTechnology> m_link;
    bool m_devices{true};
    std::string m_pcapPrefix;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_FABRIC_HELPER_H
