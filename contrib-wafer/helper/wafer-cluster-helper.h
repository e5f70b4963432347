/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CLUSTER_HELPER_H
#define WAFER_CLUSTER_HELPER_H

#include "ns3/message-transport.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/wafer-switch.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One direction of one cable.
 */
struct LinkInfo
{
    std::string name; ///< e.g. "wafer0.p3->switch"
    uint32_t srcNode{0};
    uint32_t dstNode{0};
    uint32_t port{0};      ///< port index on the accelerator side
    double rateBps{0};     ///< line rate, bit/s
    Ptr<NetDevice> device; ///< transmitting device
};

/**
 * \ingroup wafer
 * What WaferClusterHelper::Install built.
 */
struct WaferCluster
{
    NodeContainer accelerators; ///< one node per device, in pipeline order
    Ptr<Node> switchNode;
    std::vector<std::vector<Ptr<NetDevice>>> ports; ///< accelerator-side ports per device
    Ptr<WaferSwitch> fabricSwitch;
    Ptr<MessageTransport> transport;
    std::vector<LinkInfo> links;

    /// ns-3 node ids of the accelerators, in order.
    std::vector<uint32_t> NodeIds() const;
};

/**
 * \ingroup wafer
 * Builds N accelerator nodes, each with P point-to-point ports (the CS-3: 12 x 100 GbE) cabled to
 * one Ethernet switch, installs the switch's forwarding and the chunk transport. Port i of every
 * device meets the switch on its own port; a chunk striped on lane i stays on lane i.
 */
class WaferClusterHelper
{
  public:
    WaferClusterHelper();

    /// Attribute of every PointToPointNetDevice (e.g. "DataRate").
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);
    /// Attribute of every PointToPointChannel (e.g. "Delay").
    void SetChannelAttribute(const std::string& name, const AttributeValue& value);
    /// Attribute of the WaferSwitch (e.g. "HopLatency").
    void SetSwitchAttribute(const std::string& name, const AttributeValue& value);
    /// Attribute of the MessageTransport (e.g. "MaxChunkSize").
    void SetTransportAttribute(const std::string& name, const AttributeValue& value);

    /// Build \p devices nodes with \p portsPerDevice ports each.
    WaferCluster Install(uint32_t devices, uint32_t portsPerDevice, const std::string& prefix);

  private:
    PointToPointHelper m_p2p;
    ObjectFactory m_switchFactory;
    ObjectFactory m_transportFactory;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_CLUSTER_HELPER_H
