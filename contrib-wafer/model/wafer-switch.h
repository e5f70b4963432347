/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWITCH_H
#define WAFER_SWITCH_H

#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <map>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A store-and-forward Ethernet switch for chunks. A chunk is received whole (its last bit has
 * arrived), waits HopLatency (lookup and pipeline), then joins the egress port's queue. The
 * egress port towards a destination is the one with the chunk's stripe index, so a message striped
 * over N ports keeps its N lanes end to end and contention shows in the egress queues.
 */
class WaferSwitch : public Object
{
  public:
    static TypeId GetTypeId();
    WaferSwitch();

    /// Take over forwarding on \p node: every chunk arriving on any of its devices is switched.
    void Install(Ptr<Node> node);

    /// Ports of this switch that lead to node \p dstNodeId.
    void AddRoute(uint32_t dstNodeId, const std::vector<Ptr<NetDevice>>& ports);

    Time GetHopLatency() const;

  protected:
    void DoDispose() override;

  private:
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);
    void Forward(Ptr<NetDevice> egress, Ptr<Packet> packet, uint16_t protocol);

    Time m_hopLatency;
    Ptr<Node> m_node;
    std::map<uint32_t, std::vector<Ptr<NetDevice>>> m_routes;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWITCH_H
