/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "network-fabric.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferNetworkFabric");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(NetworkFabric);

TypeId
NetworkFabric::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::NetworkFabric")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<NetworkFabric>()
              .AddAttribute("Topology",
                            "single-switch (every device on one switch), leaf-spine (devices on "
                            "leaves, leaves on spines), ring (each device cabled to its two "
                            "neighbours, no switch) or rail-optimized (port r of every device on "
                            "a leaf of rail r, leaves on spines).",
                            StringValue("single-switch"),
                            MakeStringAccessor(&NetworkFabric::m_topology),
                            MakeStringChecker())
              .AddAttribute("SwitchLatency",
                            "Latency of one switch hop. Default: ~5 us per Ethernet switch hop on "
                            "KV paths, as quoted in SemiAnalysis, 'Cerebras - Faster Tokens "
                            "Please' (2026).",
                            TimeValue(MicroSeconds(5)),
                            MakeTimeAccessor(&NetworkFabric::m_switchLatency),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("WaferTransitLatency",
                            "Latency of forwarding through a device in a ring (its NIC relays "
                            "traffic between neighbours); an assumption, no public figure.",
                            TimeValue(MicroSeconds(1)),
                            MakeTimeAccessor(&NetworkFabric::m_waferTransitLatency),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute(
                  "DevicesPerLeaf",
                  "leaf-spine: devices under one leaf switch; rail-optimized: devices in a "
                  "group (port r of each on the group's leaf of rail r).",
                  UintegerValue(4),
                  MakeUintegerAccessor(&NetworkFabric::m_devicesPerLeaf),
                  MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("Spines",
                            "leaf-spine, rail-optimized: spine switches (0: as many as a leaf has "
                            "uplinks, at "
                            "most 16).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&NetworkFabric::m_spines),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("Oversubscription",
                            "leaf-spine, rail-optimized: leaf downlink over uplink bandwidth (1: "
                            "non-blocking).",
                            DoubleValue(1.0),
                            MakeDoubleAccessor(&NetworkFabric::m_oversubscription),
                            MakeDoubleChecker<double>(1.0))
              .AddTraceSource("LinkState",
                              "A link failed, lost lanes or was repaired (its share of lanes up).",
                              MakeTraceSourceAccessor(&NetworkFabric::m_linkStateTrace),
                              "ns3::wafer::NetworkFabric::LinkStateTracedCallback")
              .AddTraceSource("LinkTx",
                              "Wire bytes were put on a link: at packet fidelity as each frame "
                              "leaves; at flow and chunk fidelity when a message's lane is sent "
                              "over its path (its bytes then cross the link over the message's "
                              "transfer time). Sum over a window for link utilisation.",
                              MakeTraceSourceAccessor(&NetworkFabric::m_linkTxTrace),
                              "ns3::wafer::NetworkFabric::LinkTxTracedCallback");
    return tid;
}

NetworkFabric::NetworkFabric() :
    m_topology("single-switch"),
    m_switchLatency(MicroSeconds(5)),
    m_waferTransitLatency(MicroSeconds(1)),
    m_devicesPerLeaf(4),
    m_spines(0),
    m_oversubscription(1.0)
{
    NS_LOG_FUNCTION(this);
}

Time
NetworkFabric::TransitLatency(uint32_t node) const
{
    NS_LOG_FUNCTION(this);
    auto it = m_transit.find(node);
    return it == m_transit.end() ? Time(0) : it->second;
}

void
NetworkFabric::SetTransitLatency(uint32_t node, Time latency)
{
    NS_LOG_FUNCTION(this);
    m_transit[node] = latency;
}

uint32_t
NetworkFabric::AddLink(FabricLink link)
{
    NS_LOG_FUNCTION(this);
    link.id = m_links.size();
    link.baseRateBps = link.rateBps;
    if (link.device)
    {
        m_deviceLinks[PeekPointer(link.device)] = link.id;
    }
    m_links.push_back(link);
    return link.id;
}

void
NetworkFabric::AddEndpoint(uint32_t node, const std::vector<uint32_t>& ports)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(ports.empty(), "an endpoint needs at least one port");
    m_endpoints[node] = ports;
    m_paths.clear();
}

void
NetworkFabric::AddRoute(uint32_t node, uint32_t dst, const std::vector<uint32_t>& links)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(links.empty(), "a route needs at least one link");
    m_routes[{node, dst}] = links;
    m_paths.clear();
}

namespace
{
/// The \p lane-th (modulo) of \p candidates, skipping links that are down.
uint32_t
PickLane(const std::vector<uint32_t>& candidates,
         uint32_t lane,
         const std::vector<FabricLink>& links,
         bool anyDown)
{
    const uint32_t pick = candidates[lane % candidates.size()];
    if (!anyDown || links[pick].upShare > 0)
    {
        return pick; // the healthy fabric's choice, untouched
    }
    uint32_t up = 0;
    for (uint32_t l : candidates)
    {
        up += links[l].upShare > 0;
    }
    if (up == 0)
    {
        return NetworkFabric::kNoLink;
    }
    uint32_t k = lane % up;
    for (uint32_t l : candidates)
    {
        if (links[l].upShare > 0 && k-- == 0)
        {
            return l;
        }
    }
    return NetworkFabric::kNoLink;
}
} // namespace

uint32_t
NetworkFabric::NextLink(uint32_t node, uint32_t dst, uint32_t lane) const
{
    NS_LOG_FUNCTION(this);
    if (node == dst)
    {
        NS_ABORT_MSG("no link from a node to itself");
    }
    const bool anyDown = m_linksDown > 0;
    auto r = m_routes.find({node, dst});
    if (r != m_routes.end())
    {
        return PickLane(r->second, lane, m_links, anyDown); // a switch, or a relaying endpoint
    }
    auto ep = m_endpoints.find(node);
    NS_ABORT_MSG_IF(ep == m_endpoints.end(), "node " << node << " has no route to " << dst);
    return PickLane(ep->second, lane, m_links, anyDown); // an endpoint sends lane i on port i
}

const std::vector<uint32_t>&
NetworkFabric::Path(uint32_t src, uint32_t dst, uint32_t lane) const
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(src >= (1u << 21) || dst >= (1u << 21), "node ids beyond 2^21");
    const uint64_t key
        = (uint64_t(src) << 42) | (uint64_t(dst) << 21) | uint64_t(lane % Ports(src));
    auto cached = m_paths.find(key);
    if (cached != m_paths.end())
    {
        return *cached->second;
    }
    std::vector<uint32_t> path;
    uint32_t node = src;
    while (node != dst)
    {
        const uint32_t l = NextLink(node, dst, lane);
        if (l == kNoLink)
        {
            path.clear(); // cut off by faults
            break;
        }
        path.push_back(l);
        node = m_links[l].to;
        NS_ABORT_MSG_IF(path.size() > m_links.size(), "routing loop towards " << dst);
    }
    const std::vector<uint32_t>* kept = &*m_distinctPaths.insert(std::move(path)).first;
    m_paths[key] = kept;
    return *kept;
}

void
NetworkFabric::SetCableUpShare(uint32_t id, double upShare)
{
    NS_LOG_FUNCTION(this << id << upShare);
    NS_ABORT_MSG_IF(upShare < 0 || upShare > 1, "a link's share of lanes up is from 0 to 1");
    const uint32_t reverse = m_links.at(id).reverse;
    for (uint32_t l : {id, reverse})
    {
        if (l >= m_links.size())
        {
            continue; // a link added alone has no reverse
        }
        FabricLink& link = m_links[l];
        m_linksDown += (upShare == 0) - (link.upShare == 0);
        link.upShare = upShare;
        link.rateBps = link.baseRateBps * upShare;
    }
    // Paths are taken anew; those in use stay valid (m_distinctPaths) for the flows on them.
    m_paths.clear();
    for (uint32_t l : {id, reverse})
    {
        if (l < m_links.size())
        {
            m_linkStateTrace(l, upShare);
        }
    }
}

bool
NetworkFabric::FirstHopUp(uint32_t node, uint32_t dst, uint32_t lane) const
{
    NS_LOG_FUNCTION(this);
    auto r = m_routes.find({node, dst});
    const std::vector<uint32_t>& candidates = r != m_routes.end() ? r->second : PortLinks(node);
    return m_links[candidates[lane % candidates.size()]].upShare > 0;
}

bool
NetworkFabric::IsUp(uint32_t link) const
{
    NS_LOG_FUNCTION(this);
    return m_links.at(link).upShare > 0;
}

uint32_t
NetworkFabric::LinksDown() const
{
    NS_LOG_FUNCTION(this);
    return m_linksDown;
}

uint32_t
NetworkFabric::Ports(uint32_t node) const
{
    NS_LOG_FUNCTION(this);
    auto it = m_endpoints.find(node);
    NS_ABORT_MSG_IF(it == m_endpoints.end(), "node " << node << " is not an endpoint");
    return it->second.size();
}

const std::vector<uint32_t>&
NetworkFabric::PortLinks(uint32_t node) const
{
    NS_LOG_FUNCTION(this);
    auto it = m_endpoints.find(node);
    NS_ABORT_MSG_IF(it == m_endpoints.end(), "node " << node << " is not an endpoint");
    return it->second;
}

bool
NetworkFabric::IsEndpoint(uint32_t node) const
{
    NS_LOG_FUNCTION(this);
    return m_endpoints.count(node) > 0;
}

std::vector<uint32_t>
NetworkFabric::Endpoints() const
{
    NS_LOG_FUNCTION(this);
    std::vector<uint32_t> out;
    for (const auto& e : m_endpoints)
    {
        out.push_back(e.first);
    }
    return out;
}

const FabricLink&
NetworkFabric::Link(uint32_t id) const
{
    NS_LOG_FUNCTION(this);
    return m_links.at(id);
}

FabricLink&
NetworkFabric::MutableLink(uint32_t id)
{
    NS_LOG_FUNCTION(this);
    return m_links.at(id);
}

const std::vector<FabricLink>&
NetworkFabric::Links() const
{
    NS_LOG_FUNCTION(this);
    return m_links;
}

int
NetworkFabric::LinkOfDevice(Ptr<const NetDevice> device) const
{
    NS_LOG_FUNCTION(this);
    auto it = m_deviceLinks.find(PeekPointer(device));
    return it == m_deviceLinks.end() ? -1 : static_cast<int>(it->second);
}

void
NetworkFabric::CountTx(uint32_t link, uint64_t wireBytes, uint64_t frames)
{
    NS_LOG_FUNCTION(this);
    m_links[link].bytes += wireBytes;
    m_links[link].frames += frames;
    m_linkTxTrace(link, wireBytes);
}

void
NetworkFabric::OnTx(uint32_t link, Ptr<const Packet> packet)
{
    NS_LOG_FUNCTION(this);
    CountTx(link, packet->GetSize());
}

void
NetworkFabric::OnDrop(uint32_t link, Ptr<const Packet> /* packet */)
{
    NS_LOG_FUNCTION(this);
    m_links[link].drops += 1;
}

std::string
NetworkFabric::GetTopology() const
{
    NS_LOG_FUNCTION(this);
    return m_topology;
}

Time
NetworkFabric::GetSwitchLatency() const
{
    NS_LOG_FUNCTION(this);
    return m_switchLatency;
}

Time
NetworkFabric::GetWaferTransitLatency() const
{
    NS_LOG_FUNCTION(this);
    return m_waferTransitLatency;
}

uint32_t
NetworkFabric::GetDevicesPerLeaf() const
{
    NS_LOG_FUNCTION(this);
    return m_devicesPerLeaf;
}

uint32_t
NetworkFabric::GetSpines() const
{
    NS_LOG_FUNCTION(this);
    return m_spines;
}

double
NetworkFabric::GetOversubscription() const
{
    NS_LOG_FUNCTION(this);
    return m_oversubscription;
}

void
NetworkFabric::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& l : m_links)
    {
        l.device = nullptr;
    }
    m_deviceLinks.clear();
    // Sinks may hold what holds this fabric (it is aggregated to a node).
    m_linkStateTrace = TracedCallback<uint32_t, double>();
    m_linkTxTrace = TracedCallback<uint32_t, uint64_t>();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
