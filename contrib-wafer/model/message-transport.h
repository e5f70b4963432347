/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_MESSAGE_TRANSPORT_H
#define WAFER_MESSAGE_TRANSPORT_H

#include "ns3/callback.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One delivered message.
 */
struct TransferRecord
{
    uint64_t id{0};
    uint32_t srcNode{0};
    uint32_t dstNode{0};
    uint64_t bytes{0};
    uint32_t chunks{0};
    Time start;
    Time end;
};

/**
 * \ingroup wafer
 * Chunk-level message transport over ns-3 NetDevices. A message of B bytes is cut into
 * n = max(min(ceil(B / MaxChunkSize), ports x MaxChunksPerLane), min(ports, B / MinChunkSize))
 * near-equal chunks, striped
 * round-robin over the sender's ports (the first port rotating from message to message), sent
 * as packets that carry only a size and a ChunkTag, and reassembled at the receiver. Links
 * serialise, propagate and queue each chunk; switches store and forward it. Delivery means the
 * last byte of the last chunk has arrived.
 */
class MessageTransport : public Object
{
  public:
    /// Called when a message is fully delivered.
    typedef Callback<void, const TransferRecord&> DeliveredCallback;

    static TypeId GetTypeId();
    MessageTransport();

    /// Make \p node an endpoint whose off-node ports are \p ports (used in order).
    void AddEndpoint(Ptr<Node> node, const std::vector<Ptr<NetDevice>>& ports);

    /**
     * Send \p bytes from endpoint \p srcNode to endpoint \p dstNode.
     * \return the message id
     */
    uint64_t Send(uint32_t srcNode,
                  uint32_t dstNode,
                  uint64_t bytes,
                  DeliveredCallback onDelivered);

    /// Number of chunks a message of \p bytes is cut into on \p ports ports.
    uint32_t ChunkCount(uint64_t bytes, uint32_t ports) const;

    /**
     * Closed form of an uncontended message through one store-and-forward switch: with k chunks
     * of c bytes on the busiest lane, (k + 1) * (c + framing) * 8 / rate + 2 * delay + hop.
     * \param framingBytes bytes the device adds per chunk (2 for PointToPointNetDevice)
     */
    Time IdealSwitchedTime(uint64_t bytes,
                           uint32_t ports,
                           double rateBps,
                           Time linkDelay,
                           Time hopLatency,
                           uint32_t framingBytes = 2) const;

    /// Messages sent but not yet delivered.
    size_t InFlight() const;

    /// Signature of the MessageDelivered trace source.
    typedef void (*DeliveredTracedCallback)(const TransferRecord& record);

  protected:
    void DoDispose() override;

  private:
    struct Pending
    {
        TransferRecord record;
        uint64_t remaining{0};
        DeliveredCallback onDelivered;
    };

    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);

    uint32_t m_maxChunkSize;
    uint32_t m_maxChunksPerLane;
    uint32_t m_minChunkSize;
    uint64_t m_nextId{1};
    std::map<uint32_t, std::vector<Ptr<NetDevice>>> m_ports;
    std::map<uint32_t, uint32_t> m_nextPort;
    std::unordered_map<uint64_t, Pending> m_pending;
    TracedCallback<const TransferRecord&> m_deliveredTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_MESSAGE_TRANSPORT_H
