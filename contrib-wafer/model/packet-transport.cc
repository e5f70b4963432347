/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "packet-transport.h"

#include "chunk-tag.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferPacketTransport");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(PacketTransport);

namespace
{
/// The device at the other end of \p device's point-to-point cable.
Ptr<NetDevice>
Peer(Ptr<NetDevice> device)
{
    Ptr<Channel> ch = device->GetChannel();
    return ch->GetDevice(0) == device ? ch->GetDevice(1) : ch->GetDevice(0);
}
} // namespace

TypeId
PacketTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::PacketTransport")
              .SetParent<MessageTransport>()
              .SetGroupName("Wafer")
              .AddConstructor<PacketTransport>()
              .AddAttribute("Port",
                            "UDP port of every endpoint.",
                            UintegerValue(7000),
                            MakeUintegerAccessor(&PacketTransport::m_port),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("Window",
                            "Datagrams a sender keeps in a port's device queue at most.",
                            UintegerValue(16),
                            MakeUintegerAccessor(&PacketTransport::m_window),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

PacketTransport::PacketTransport() :
    m_port(7000),
    m_window(16)
{
    NS_LOG_FUNCTION(this);
}

std::string
PacketTransport::Fidelity() const
{
    NS_LOG_FUNCTION(this);
    return "packet";
}

void
PacketTransport::DoInstall()
{
    NS_LOG_FUNCTION(this);
    // IPv4 on every node of the fabric.
    std::set<uint32_t> nodes;
    for (const auto& link : m_fabric->Links())
    {
        NS_ABORT_MSG_UNLESS(link.device, "packet fidelity needs devices on every link");
        nodes.insert(link.from);
        nodes.insert(link.to);
    }
    NodeContainer all;
    for (uint32_t id : nodes)
    {
        all.Add(NodeList::GetNode(id));
    }
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(all);

    // A /30 per cable; remember each link's peer address (the next hop) and interface.
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    std::map<const NetDevice*, Ipv4Address> addressOf;
    for (const auto& link : m_fabric->Links())
    {
        if (addressOf.count(PeekPointer(link.device)))
        {
            continue;
        }
        Ptr<NetDevice> peer = Peer(link.device);
        NetDeviceContainer pair(link.device, peer);
        Ipv4InterfaceContainer ifs = addresses.Assign(pair);
        addresses.NewNetwork();
        addressOf[PeekPointer(link.device)] = ifs.GetAddress(0);
        addressOf[PeekPointer(peer)] = ifs.GetAddress(1);
    }
    // Lane i of an endpoint is addressed at its port i. A sender with more ports than the
    // receiver stripes over lanes the receiver has no port of: each such lane gets an address
    // of its own (a /32 on the port the fabric's last hop delivers it to, lane mod ports), so
    // that its packets follow that lane's path, as at the other fidelities.
    std::map<std::pair<uint32_t, uint32_t>, Ptr<NetDevice>> portDevice;
    uint32_t lanes = 0;
    for (const auto& link : m_fabric->Links())
    {
        if (m_fabric->IsEndpoint(link.from))
        {
            m_laneAddress[{link.from, link.port}] = addressOf[PeekPointer(link.device)];
            portDevice[{link.from, link.port}] = link.device;
            lanes = std::max(lanes, link.port + 1);
        }
    }
    Ipv4AddressHelper laneAddresses("11.0.0.0", "255.0.0.0");
    for (uint32_t dst : m_fabric->Endpoints())
    {
        const uint32_t ports = m_fabric->Ports(dst);
        Ptr<Ipv4> ipv4 = NodeList::GetNode(dst)->GetObject<Ipv4>();
        for (uint32_t lane = ports; lane < lanes; ++lane)
        {
            const Ipv4Address a = laneAddresses.NewAddress();
            const int32_t i = ipv4->GetInterfaceForDevice(portDevice[{dst, lane % ports}]);
            ipv4->AddAddress(i, Ipv4InterfaceAddress(a, Ipv4Mask::GetOnes()));
            m_laneAddress[{dst, lane}] = a;
        }
    }
    Ipv4StaticRoutingHelper routing;
    for (uint32_t n : nodes)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        Ptr<Ipv4StaticRouting> table = routing.GetStaticRouting(ipv4);
        for (uint32_t dst : m_fabric->Endpoints())
        {
            if (dst == n)
            {
                continue;
            }
            for (uint32_t lane = 0; lane < lanes; ++lane)
            {
                const FabricLink& out = m_fabric->Link(m_fabric->NextLink(n, dst, lane));
                table->AddHostRouteTo(m_laneAddress[{dst, lane}],
                                      addressOf[PeekPointer(Peer(out.device))],
                                      ipv4->GetInterfaceForDevice(out.device));
            }
        }
    }
    // Initialise the stacks now (traffic control scans its devices), so that messages can be
    // sent before the simulation starts.
    for (uint32_t n : nodes)
    {
        NodeList::GetNode(n)->Initialize();
    }
    // One UDP socket per endpoint, and backpressure from every port's queue.
    for (uint32_t ep : m_fabric->Endpoints())
    {
        Ptr<Socket> s = Socket::CreateSocket(NodeList::GetNode(ep), UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
        s->SetRecvCallback(MakeCallback(&PacketTransport::Receive, this));
        m_sockets[ep] = s;
    }
    for (const auto& link : m_fabric->Links())
    {
        Ptr<PointToPointNetDevice> dev = DynamicCast<PointToPointNetDevice>(link.device);
        const uint32_t id = link.id;
        dev->GetQueue()->TraceConnectWithoutContext(
            "Dequeue", MakeCallback(&PacketTransport::OnDequeue, this).Bind(id));
        // The fabric holds the devices: their callbacks must not hold the fabric (a reference
        // cycle that nothing would free).
        NetworkFabric* fabric = PeekPointer(m_fabric);
        dev->TraceConnectWithoutContext("PhyTxBegin",
                                        MakeCallback(&NetworkFabric::OnTx, fabric).Bind(id));
        dev->TraceConnectWithoutContext("MacTxDrop",
                                        MakeCallback(&NetworkFabric::OnDrop, fabric).Bind(id));
    }
}

uint32_t
PacketTransport::DoSend(uint64_t id,
                        uint32_t /* src */,
                        uint32_t dst,
                        const std::vector<Lane>& lanes)
{
    NS_LOG_FUNCTION(this);
    uint32_t datagrams = 0;
    for (const Lane& lane : lanes)
    {
        m_backlog[lane.path->front()].push_back(Backlog{id, dst, lane.lane, lane.bytes});
        datagrams += Frames(lane.bytes);
        Refill(lane.path->front());
    }
    return datagrams;
}

void
PacketTransport::OnDequeue(uint32_t link, Ptr<const Packet> /* packet */)
{
    NS_LOG_FUNCTION(this);
    // Not from inside the device's own dequeue: refill once it has finished.
    Simulator::ScheduleNow(&PacketTransport::Refill, this, link);
}

void
PacketTransport::Refill(uint32_t link)
{
    NS_LOG_FUNCTION(this);
    auto& queue = m_backlog[link];
    const FabricLink& l = m_fabric->Link(link);
    Ptr<PointToPointNetDevice> dev = DynamicCast<PointToPointNetDevice>(l.device);
    while (!queue.empty() && dev->GetQueue()->GetNPackets() < m_window)
    {
        Backlog& b = queue.front();
        const uint64_t payload = std::min<uint64_t>(b.left, m_frameBytes - m_headerBytes);
        b.left -= payload;
        Ptr<Packet> p = Create<Packet>(static_cast<uint32_t>(payload));
        ChunkTag tag;
        tag.messageId = b.message;
        tag.srcNode = l.from;
        tag.dstNode = b.dst;
        tag.stripe = b.lane;
        tag.payload = payload;
        p->AddPacketTag(tag);
        m_sockets[l.from]->SendTo(p, 0, InetSocketAddress(m_laneAddress[{b.dst, b.lane}], m_port));
        if (b.left == 0)
        {
            queue.pop_front();
        }
    }
}

void
PacketTransport::Receive(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this);
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        ChunkTag tag;
        NS_ABORT_MSG_UNLESS(p->PeekPacketTag(tag), "a datagram without a tag");
        Arrived(tag.messageId, tag.payload);
    }
}

void
PacketTransport::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sockets.clear();
    m_backlog.clear();
    MessageTransport::DoDispose();
}

} // namespace wafer
} // namespace ns3
