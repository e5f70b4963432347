/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "device-chunk-transport.h"

#include "chunk-tag.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/node.h"

#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferDeviceChunkTransport");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(DeviceChunkTransport);

/// PointToPointNetDevice frames only IPv4 and IPv6; chunk nodes carry no IP stack, so chunks use
/// the IPv4 EtherType slot.
static const uint16_t kChunkProtocol = 0x0800;

TypeId
DeviceChunkTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::DeviceChunkTransport")
                            .SetParent<ChunkTransport>()
                            .SetGroupName("Wafer")
                            .AddConstructor<DeviceChunkTransport>();
    return tid;
}

std::string
DeviceChunkTransport::Fidelity() const
{
    NS_LOG_FUNCTION(this);
    return "chunk-devices";
}

void
DeviceChunkTransport::DoInstall()
{
    NS_LOG_FUNCTION(this);
    std::set<uint32_t> nodes;
    for (const auto& link : m_fabric->Links())
    {
        NS_ABORT_MSG_UNLESS(link.device, "chunk fidelity needs devices on every link");
        nodes.insert(link.from);
        nodes.insert(link.to);
    }
    for (uint32_t id : nodes)
    {
        NodeList::GetNode(id)->RegisterProtocolHandler(
            MakeCallback(&DeviceChunkTransport::Receive, this), kChunkProtocol, nullptr, false);
    }
}

uint32_t
DeviceChunkTransport::DoSend(uint64_t id,
                             uint32_t src,
                             uint32_t dst,
                             const std::vector<Lane>& lanes)
{
    NS_LOG_FUNCTION(this);
    uint32_t chunks = 0;
    for (const Lane& lane : lanes)
    {
        for (uint64_t payload : ChunkPayloads(lane.bytes, lane.path->size()))
        {
            ChunkTag tag;
            tag.messageId = id;
            tag.srcNode = src;
            tag.dstNode = dst;
            tag.stripe = lane.lane;
            tag.payload = payload;
            // The device adds 2 bytes of framing itself.
            Ptr<Packet> chunk
                = Create<Packet>(static_cast<uint32_t>(WireBytes(payload, Frames(payload)) - 2));
            chunk->AddPacketTag(tag);
            Transmit(lane.path->front(), chunk);
            ++chunks;
        }
    }
    return chunks;
}

void
DeviceChunkTransport::Transmit(uint32_t link, Ptr<Packet> chunk)
{
    NS_LOG_FUNCTION(this);
    const FabricLink& l = m_fabric->Link(link);
    ChunkTag tag;
    chunk->PeekPacketTag(tag);
    m_fabric->CountTx(link, chunk->GetSize() + 2, Frames(tag.payload));
    if (!l.device->Send(chunk, l.device->GetBroadcast(), kChunkProtocol))
    {
        m_fabric->MutableLink(link).drops += 1;
    }
}

void
DeviceChunkTransport::Receive(Ptr<NetDevice> device,
                              Ptr<const Packet> packet,
                              uint16_t /* protocol */,
                              const Address& /* from */,
                              const Address& /* to */,
                              NetDevice::PacketType /* type */)
{
    NS_LOG_FUNCTION(this);
    ChunkTag tag;
    NS_ABORT_MSG_UNLESS(packet->PeekPacketTag(tag), "a chunk without a tag");
    const uint32_t node = device->GetNode()->GetId();
    if (tag.dstNode == node)
    {
        Arrived(tag.messageId, tag.payload);
        return;
    }
    Transmit(m_fabric->NextLink(node, tag.dstNode, tag.stripe), packet->Copy());
}

} // namespace wafer
} // namespace ns3
