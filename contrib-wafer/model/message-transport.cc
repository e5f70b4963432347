/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "message-transport.h"

#include "chunk-tag.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

NS_LOG_COMPONENT_DEFINE("WaferMessageTransport");
NS_OBJECT_ENSURE_REGISTERED(MessageTransport);

/// PointToPointNetDevice frames only IPv4 and IPv6; chunk nodes carry no IP stack, so chunks use
/// the IPv4 EtherType slot.
static const uint16_t kChunkProtocol = 0x0800;

TypeId
MessageTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::MessageTransport")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<MessageTransport>()
              .AddAttribute("MaxChunkSize",
                            "Largest chunk in bytes; bigger messages are cut into more chunks, "
                            "which pipeline through store-and-forward hops.",
                            UintegerValue(65536),
                            MakeUintegerAccessor(&MessageTransport::m_maxChunkSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("MaxChunksPerLane",
                            "Most chunks of one message on one port: above MaxChunkSize x ports x "
                            "this, chunks grow instead, bounding the events per message. "
                            "Store-and-forward then adds at most 1/this of the serialisation time.",
                            UintegerValue(16),
                            MakeUintegerAccessor(&MessageTransport::m_maxChunksPerLane),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("MinChunkSize",
                            "Smallest chunk in bytes when striping a small message over ports: one "
                            "9,000-byte jumbo frame, the striping granularity of Ethernet.",
                            UintegerValue(9000),
                            MakeUintegerAccessor(&MessageTransport::m_minChunkSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddTraceSource("MessageDelivered",
                              "A message's last byte arrived at its destination.",
                              MakeTraceSourceAccessor(&MessageTransport::m_deliveredTrace),
                              "ns3::wafer::MessageTransport::DeliveredTracedCallback");
    return tid;
}

MessageTransport::MessageTransport() :
    m_maxChunkSize(65536),
    m_maxChunksPerLane(16),
    m_minChunkSize(9000)
{
}

void
MessageTransport::AddEndpoint(Ptr<Node> node, const std::vector<Ptr<NetDevice>>& ports)
{
    NS_ABORT_MSG_IF(ports.empty(), "an endpoint needs at least one port");
    m_ports[node->GetId()] = ports;
    m_nextPort[node->GetId()] = 0;
    for (const auto& dev : ports)
    {
        node->RegisterProtocolHandler(
            MakeCallback(&MessageTransport::Receive, this), kChunkProtocol, dev, false);
    }
}

uint32_t
MessageTransport::ChunkCount(uint64_t bytes, uint32_t ports) const
{
    const uint64_t bySize = (bytes + m_maxChunkSize - 1) / m_maxChunkSize;
    const uint64_t byStripe
        = std::min<uint64_t>(ports, std::max<uint64_t>(1, bytes / m_minChunkSize));
    const uint64_t cap = uint64_t(ports) * m_maxChunksPerLane;
    return static_cast<uint32_t>(std::max(std::min(bySize, cap), byStripe));
}

uint64_t
MessageTransport::Send(uint32_t srcNode,
                       uint32_t dstNode,
                       uint64_t bytes,
                       DeliveredCallback onDelivered)
{
    NS_ABORT_MSG_IF(bytes == 0, "a message needs at least one byte");
    auto it = m_ports.find(srcNode);
    NS_ABORT_MSG_IF(it == m_ports.end(), "node " << srcNode << " is not a transport endpoint");
    NS_ABORT_MSG_IF(m_ports.find(dstNode) == m_ports.end(),
                    "node " << dstNode << " is not a transport endpoint");
    const auto& ports = it->second;
    const uint64_t id = m_nextId++;
    const uint32_t n = ChunkCount(bytes, ports.size());

    Pending& p = m_pending[id];
    p.record = TransferRecord{id, srcNode, dstNode, bytes, n, Simulator::Now(), Time()};
    p.remaining = bytes;
    p.onDelivered = onDelivered;

    uint32_t& first = m_nextPort[srcNode];
    const uint64_t base = bytes / n;
    const uint64_t extra = bytes % n;
    for (uint32_t j = 0; j < n; ++j)
    {
        const uint32_t size = static_cast<uint32_t>(base + (j < extra ? 1 : 0));
        Ptr<Packet> chunk = Create<Packet>(size);
        ChunkTag tag;
        tag.messageId = id;
        tag.srcNode = srcNode;
        tag.dstNode = dstNode;
        tag.stripe = (first + j) % ports.size();
        chunk->AddPacketTag(tag);
        Ptr<NetDevice> dev = ports[tag.stripe];
        dev->Send(chunk, dev->GetBroadcast(), kChunkProtocol);
    }
    first = (first + n) % ports.size();
    return id;
}

Time
MessageTransport::IdealSwitchedTime(uint64_t bytes,
                                    uint32_t ports,
                                    double rateBps,
                                    Time linkDelay,
                                    Time hopLatency,
                                    uint32_t framingBytes) const
{
    const uint32_t n = ChunkCount(bytes, ports);
    const uint64_t perLane = (n + ports - 1) / ports; // chunks on the busiest lane
    const uint64_t chunk = (bytes + n - 1) / n;       // largest chunk
    const double serialisation = (chunk + framingBytes) * 8.0 / rateBps;
    return Seconds((perLane + 1) * serialisation) + linkDelay * 2 + hopLatency;
}

size_t
MessageTransport::InFlight() const
{
    return m_pending.size();
}

void
MessageTransport::Receive(Ptr<NetDevice> /* device */,
                          Ptr<const Packet> packet,
                          uint16_t /* protocol */,
                          const Address& /* from */,
                          const Address& /* to */,
                          NetDevice::PacketType /* type */)
{
    ChunkTag tag;
    NS_ABORT_MSG_UNLESS(packet->PeekPacketTag(tag), "endpoint received a packet without a tag");
    auto it = m_pending.find(tag.messageId);
    NS_ABORT_MSG_IF(it == m_pending.end(), "chunk of unknown message " << tag.messageId);
    Pending& p = it->second;
    p.remaining -= packet->GetSize();
    if (p.remaining > 0)
    {
        return;
    }
    p.record.end = Simulator::Now();
    TransferRecord record = p.record;
    DeliveredCallback cb = p.onDelivered;
    m_pending.erase(it);
    m_deliveredTrace(record);
    if (!cb.IsNull())
    {
        cb(record);
    }
}

void
MessageTransport::DoDispose()
{
    m_ports.clear();
    m_pending.clear();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
