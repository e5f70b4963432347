/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DEVICE_CHUNK_TRANSPORT_H
#define WAFER_DEVICE_CHUNK_TRANSPORT_H

#include "chunk-transport.h"

#include "ns3/node.h"
#include "ns3/packet.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The chunk level through ns-3's own devices, as a reference: every chunk is an ns-3 packet that
 * carries only a size and a ChunkTag through the fabric's PointToPointNetDevices and drop-tail
 * queues, and every node on the way stores it whole and forwards it on its lane's next link.
 * ChunkTransport computes the same queueing (first come, first served, store and forward, the
 * same transmission times) without packets, and tests/fidelity-test.cc holds the two together.
 * It is slow (two events and a packet copy per chunk and link): for validation only.
 */
class DeviceChunkTransport : public ChunkTransport
{
  public:
    static TypeId GetTypeId();

    std::string Fidelity() const override;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;

  private:
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);
    void Transmit(uint32_t link, Ptr<Packet> chunk);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DEVICE_CHUNK_TRANSPORT_H
