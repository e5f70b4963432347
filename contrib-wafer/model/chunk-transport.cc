/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "chunk-transport.h"

#include "chunk-tag.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/node-list.h"
#include "ns3/node.h"

#include <cmath>
#include <set>

namespace ns3
{
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(ChunkTransport);

/// PointToPointNetDevice frames only IPv4 and IPv6; chunk nodes carry no IP stack, so chunks use
/// the IPv4 EtherType slot.
static const uint16_t kChunkProtocol = 0x0800;

TypeId
ChunkTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::ChunkTransport")
              .SetParent<MessageTransport>()
              .SetGroupName("Wafer")
              .AddConstructor<ChunkTransport>()
              .AddAttribute("Accuracy",
                            "Bound on the store-and-forward error of chunking, as a fraction of a "
                            "lane's transmission time: chunks per lane = ceil(links / Accuracy). "
                            "0: one frame per chunk.",
                            DoubleValue(0.01),
                            MakeDoubleAccessor(&ChunkTransport::m_accuracy),
                            MakeDoubleChecker<double>(0.0, 1.0));
    return tid;
}

ChunkTransport::ChunkTransport() :
    m_accuracy(0.01)
{
}

std::string
ChunkTransport::Fidelity() const
{
    return "chunk";
}

uint64_t
ChunkTransport::ChunksPerLane(uint64_t bytes, uint32_t links) const
{
    const uint64_t frames = Frames(bytes);
    if (m_accuracy <= 0)
    {
        return frames;
    }
    const auto wanted = static_cast<uint64_t>(std::ceil(links / m_accuracy));
    // A chunk is one ns-3 packet: keep it below 2^31 bytes.
    const uint64_t bySize = bytes / (uint64_t(1) << 31) + 1;
    return std::min(frames, std::max<uint64_t>({1, wanted, bySize}));
}

uint64_t
ChunkTransport::UnitWireBytes(uint64_t bytes, uint32_t links) const
{
    const uint64_t frames = Frames(bytes);
    const uint64_t k = ChunksPerLane(bytes, links);
    const uint64_t per = m_frameBytes - m_headerBytes;
    const uint64_t chunkFrames = (frames + k - 1) / k; // the largest chunk
    const uint64_t payload = std::min(bytes, chunkFrames * per);
    return WireBytes(payload, Frames(payload));
}

void
ChunkTransport::DoInstall()
{
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
            MakeCallback(&ChunkTransport::Receive, this), kChunkProtocol, nullptr, false);
    }
}

uint32_t
ChunkTransport::DoSend(uint64_t id, uint32_t src, uint32_t dst, const std::vector<Lane>& lanes)
{
    const uint64_t per = m_frameBytes - m_headerBytes;
    uint32_t chunks = 0;
    for (const Lane& lane : lanes)
    {
        const uint64_t frames = Frames(lane.bytes);
        const uint64_t k = ChunksPerLane(lane.bytes, lane.path->size());
        uint64_t left = lane.bytes;
        for (uint64_t j = 0; j < k; ++j)
        {
            // Whole frames per chunk, so the wire bytes equal those of frame-by-frame sending.
            const uint64_t chunkFrames = frames / k + (j < frames % k ? 1 : 0);
            const uint64_t payload = (j + 1 == k) ? left : std::min(left, chunkFrames * per);
            left -= payload;
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
ChunkTransport::Transmit(uint32_t link, Ptr<Packet> chunk)
{
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
ChunkTransport::Receive(Ptr<NetDevice> device,
                        Ptr<const Packet> packet,
                        uint16_t /* protocol */,
                        const Address& /* from */,
                        const Address& /* to */,
                        NetDevice::PacketType /* type */)
{
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
