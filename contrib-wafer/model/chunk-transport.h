/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CHUNK_TRANSPORT_H
#define WAFER_CHUNK_TRANSPORT_H

#include "message-transport.h"

#include "ns3/node.h"
#include "ns3/packet.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Chunk fidelity: each lane of a message is cut into k chunks of whole frames, sent as ns-3
 * packets that carry only a size and a ChunkTag through the fabric's PointToPointNetDevices and
 * queues; every node on the way stores a chunk whole and forwards it on its lane's next link.
 *
 * k = min(frames of the lane, ceil(links on the path / Accuracy)): store-and-forward of a chunk
 * instead of a frame adds (links - 1) chunk times, at most about Accuracy of the lane's
 * transmission time, while the event count stays independent of the message size. Accuracy 0
 * sends one frame per chunk: packet granularity on bare devices, without an IP stack.
 */
class ChunkTransport : public MessageTransport
{
  public:
    static TypeId GetTypeId();
    ChunkTransport();

    /// Chunks a lane of \p bytes uses over \p links links.
    uint64_t ChunksPerLane(uint64_t bytes, uint32_t links) const;

    std::string Fidelity() const override;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;
    uint64_t UnitWireBytes(uint64_t bytes, uint32_t links) const override;

  private:
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);
    void Transmit(uint32_t link, Ptr<Packet> chunk);

    double m_accuracy;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_CHUNK_TRANSPORT_H
