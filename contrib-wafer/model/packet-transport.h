/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PACKET_TRANSPORT_H
#define WAFER_PACKET_TRANSPORT_H

#include "message-transport.h"

#include "ns3/ipv4-address.h"
#include "ns3/packet.h"
#include "ns3/socket.h"

#include <deque>
#include <map>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Packet fidelity, for validation on small cases: real ns-3 packets through the ns-3 Internet
 * stack. Every fabric node gets IPv4 (switches and relaying ring devices forward at the IP layer),
 * every cable a /30 subnet, and every node a host route per (destination, lane) that follows the
 * fabric's lane routing, so datagrams take exactly the chunk and flow levels' paths. A lane is
 * sent as UDP datagrams of FrameBytes (a jumbo frame) from one socket per endpoint; a sender
 * keeps at most Window datagrams in a port's device queue, as a NIC ring would, so that long
 * transfers do not hold millions of packets in memory.
 */
class PacketTransport : public MessageTransport
{
  public:
    static TypeId GetTypeId();
    PacketTransport();

    std::string Fidelity() const override;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;
    void DoDispose() override;

  private:
    /// Bytes of one message lane still to hand to the socket.
    struct Backlog
    {
        uint64_t message{0};
        uint32_t dst{0};
        uint32_t lane{0};
        uint64_t left{0};
    };

    /// Hand datagrams of port \p link's backlog to the socket while its queue has room.
    void Refill(uint32_t link);
    void OnDequeue(uint32_t link, Ptr<const Packet> packet);
    void Receive(Ptr<Socket> socket);

    uint16_t m_port;
    uint32_t m_window;
    std::map<uint32_t, Ptr<Socket>> m_sockets;                          ///< by endpoint node
    std::map<std::pair<uint32_t, uint32_t>, Ipv4Address> m_laneAddress; ///< (node, lane)
    std::map<uint32_t, std::deque<Backlog>> m_backlog;                  ///< by first link
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PACKET_TRANSPORT_H
