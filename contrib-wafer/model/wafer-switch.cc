/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wafer-switch.h"

#include "chunk-tag.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{
namespace wafer
{

NS_LOG_COMPONENT_DEFINE("WaferSwitch");
NS_OBJECT_ENSURE_REGISTERED(WaferSwitch);

TypeId
WaferSwitch::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::WaferSwitch")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<WaferSwitch>()
              .AddAttribute("HopLatency",
                            "Time from a chunk's full arrival to its entry into the egress queue. "
                            "Default: ~5 us per Ethernet switch hop on KV paths "
                            "(shared/reference/hardware.md, Links and energy).",
                            TimeValue(MicroSeconds(5)),
                            MakeTimeAccessor(&WaferSwitch::m_hopLatency),
                            MakeTimeChecker(Seconds(0)));
    return tid;
}

WaferSwitch::WaferSwitch() :
    m_hopLatency(MicroSeconds(5))
{
}

void
WaferSwitch::Install(Ptr<Node> node)
{
    m_node = node;
    node->RegisterProtocolHandler(MakeCallback(&WaferSwitch::Receive, this), 0, nullptr, false);
}

void
WaferSwitch::AddRoute(uint32_t dstNodeId, const std::vector<Ptr<NetDevice>>& ports)
{
    NS_ABORT_MSG_IF(ports.empty(), "a route needs at least one port");
    m_routes[dstNodeId] = ports;
}

Time
WaferSwitch::GetHopLatency() const
{
    return m_hopLatency;
}

void
WaferSwitch::Receive(Ptr<NetDevice> /* device */,
                     Ptr<const Packet> packet,
                     uint16_t protocol,
                     const Address& /* from */,
                     const Address& /* to */,
                     NetDevice::PacketType /* type */)
{
    ChunkTag tag;
    NS_ABORT_MSG_UNLESS(packet->PeekPacketTag(tag), "switch received a packet without a chunk tag");
    auto it = m_routes.find(tag.dstNode);
    NS_ABORT_MSG_IF(it == m_routes.end(), "switch has no route to node " << tag.dstNode);
    const auto& ports = it->second;
    Ptr<NetDevice> egress = ports[tag.stripe % ports.size()];
    Simulator::Schedule(
        m_hopLatency, &WaferSwitch::Forward, this, egress, packet->Copy(), protocol);
}

void
WaferSwitch::Forward(Ptr<NetDevice> egress, Ptr<Packet> packet, uint16_t protocol)
{
    egress->Send(packet, egress->GetBroadcast(), protocol);
}

void
WaferSwitch::DoDispose()
{
    m_routes.clear();
    m_node = nullptr;
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
