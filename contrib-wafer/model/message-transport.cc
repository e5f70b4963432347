/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "message-transport.h"

#include "input-error.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferMessageTransport");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(MessageTransport);

std::string
ToString(TransferKind kind)
{
    switch (kind)
    {
    case TransferKind::Activation:
        return "activation";
    case TransferKind::Token:
        return "token";
    case TransferKind::KvCache:
        return "kv";
    case TransferKind::Other:
        return "other";
    }
    return "other";
}

TypeId
MessageTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::MessageTransport")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddAttribute("FrameBytes",
                            "IP packet size on the wire (MTU): 9,000-byte jumbo frames.",
                            UintegerValue(9000),
                            MakeUintegerAccessor(&MessageTransport::m_frameBytes),
                            MakeUintegerChecker<uint32_t>(64, 65535))
              .AddAttribute("HeaderBytes",
                            "Header bytes per frame inside the MTU (IPv4 20 + UDP 8).",
                            UintegerValue(28),
                            MakeUintegerAccessor(&MessageTransport::m_headerBytes),
                            MakeUintegerChecker<uint32_t>(0, 1024))
              .AddAttribute("RerouteDelay",
                            "From a link failing to its lanes resuming on surviving paths "
                            "(detection, routing update, retransmission timeout).",
                            TimeValue(MilliSeconds(1)),
                            MakeTimeAccessor(&MessageTransport::m_rerouteDelay),
                            MakeTimeChecker(Seconds(0)))
              .AddTraceSource("LaneRerouted",
                              "A lane of a message left a failed link for a surviving path.",
                              MakeTraceSourceAccessor(&MessageTransport::m_reroutedTrace),
                              "ns3::wafer::MessageTransport::ReroutedTracedCallback")
              .AddTraceSource("MessageDelivered",
                              "A message's last byte arrived at its destination.",
                              MakeTraceSourceAccessor(&MessageTransport::m_deliveredTrace),
                              "ns3::wafer::MessageTransport::DeliveredTracedCallback");
    return tid;
}

MessageTransport::MessageTransport() :
    m_rerouteDelay(MilliSeconds(1)),
    m_frameBytes(9000),
    m_headerBytes(28)
{
    NS_LOG_FUNCTION(this);
}

void
MessageTransport::Install(Ptr<NetworkFabric> fabric)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_frameBytes <= m_headerBytes, "FrameBytes must exceed HeaderBytes");
    m_fabric = fabric;
    m_routes.clear();
    // The fabric does not own the transport: a raw pointer, disconnected in DoDispose.
    m_fabric->TraceConnectWithoutContext("LinkState",
                                         MakeCallback(&MessageTransport::OnLinkState, this));
    DoInstall();
}

Ptr<NetworkFabric>
MessageTransport::GetFabric() const
{
    NS_LOG_FUNCTION(this);
    return m_fabric;
}

uint64_t
MessageTransport::Frames(uint64_t payload) const
{
    NS_LOG_FUNCTION(this);
    const uint64_t per = m_frameBytes - m_headerBytes;
    return std::max<uint64_t>(1, (payload + per - 1) / per);
}

uint64_t
MessageTransport::WireBytes(uint64_t payload, uint64_t frames) const
{
    NS_LOG_FUNCTION(this);
    return payload + frames * (m_headerBytes + 2);
}

uint32_t
MessageTransport::LaneCount(uint64_t bytes, uint32_t ports) const
{
    NS_LOG_FUNCTION(this);
    return static_cast<uint32_t>(std::min<uint64_t>(ports, Frames(bytes)));
}

uint64_t
MessageTransport::UnitWireBytes(uint64_t bytes, uint32_t /* links */) const
{
    NS_LOG_FUNCTION(this);
    return WireBytes(std::min<uint64_t>(bytes, m_frameBytes - m_headerBytes), 1);
}

Time
MessageTransport::UncontendedTime(uint32_t src, uint32_t dst, uint64_t bytes) const
{
    NS_LOG_FUNCTION(this);
    const uint32_t ports = m_fabric->Ports(src);
    const uint32_t lanes = LaneCount(bytes, ports);
    const uint64_t laneBytes = (bytes + lanes - 1) / lanes; // the largest lane
    double worst = 0;
    for (uint32_t lane = 0; lane < ports; ++lane)
    {
        const auto path = m_fabric->Path(src, dst, lane);
        const uint64_t wire = WireBytes(laneBytes, Frames(laneBytes));
        const uint64_t unit = UnitWireBytes(laneBytes, path.size());
        double t = 0;
        double slowest = 1e300;
        for (uint32_t l : path)
        {
            const auto& link = m_fabric->Link(l);
            t += link.delay.GetSeconds();
            slowest = std::min(slowest, link.rateBps);
        }
        t += wire * 8.0 / slowest + (path.size() - 1) * unit * 8.0 / slowest;
        worst = std::max(worst, t);
    }
    return Seconds(worst);
}

uint64_t
MessageTransport::Send(uint32_t src,
                       uint32_t dst,
                       uint64_t bytes,
                       TransferKind kind,
                       DeliveredCallback onDelivered,
                       uint64_t tag)
{
    NS_LOG_FUNCTION(this << src << dst << bytes);
    NS_ABORT_MSG_IF(bytes == 0, "a message needs at least one byte");
    Waiting m{m_nextId++, src, dst, bytes, kind, Simulator::Now(), onDelivered, tag};
    if (!SendNow(m))
    {
        m_stalled.push_back(m); // faults cut every way: it goes when a path comes back
    }
    return m.id;
}

bool
MessageTransport::SendNow(const Waiting& m)
{
    NS_LOG_FUNCTION(this);
    const uint32_t src = m.src;
    const uint32_t dst = m.dst;
    const uint64_t bytes = m.bytes;
    const uint64_t id = m.id;
    const Route& route = RouteOf(src, dst);
    // Faults may leave some lanes (or none) with a path: the message is striped over those.
    const bool degraded = route.degraded;
    const uint32_t ports = degraded ? route.usable.size() : route.ports;
    if (ports == 0)
    {
        return false;
    }
    const uint32_t n = LaneCount(bytes, ports);
    uint32_t& first = *route.nextPort;
    // The scratch lanes are taken for the call (a transport that sent from inside DoSend would
    // find none and make its own), and their capacity kept for the next message.
    std::vector<Lane> lanes;
    lanes.swap(m_lanes);
    lanes.resize(n);
    double energy = 0;
    const uint64_t base = bytes / n;
    const uint64_t extra = bytes % n;
    uint64_t laneBytes = 0; // no lane is empty
    uint64_t wire = 0;
    for (uint32_t j = 0; j < n; ++j)
    {
        Lane& lane = lanes[j];
        lane.lane = degraded ? route.usable[(first + j) % ports] : (first + j) % ports;
        lane.bytes = base + (j < extra ? 1 : 0);
        lane.path = route.paths[lane.lane];
        if (lane.bytes != laneBytes)
        {
            // Lanes differ by one byte at most: two sizes to frame.
            laneBytes = lane.bytes;
            wire = WireBytes(lane.bytes, Frames(lane.bytes));
        }
        for (uint32_t l : *lane.path)
        {
            energy += wire * 8.0 * m_fabric->Link(l).pjPerBit * 1e-12;
        }
    }
    first = (first + n) % route.ports;
    if (wire * 8.0 > kMaxInputSeconds * route.slowestBps)
    {
        // Found by fuzzing: at 1 bit/s a message outlasted what ns-3's Time holds and the run
        // never ended. Nothing a run may span (1e6 s) lets such a message arrive.
        char text[200];
        std::snprintf(text,
                      sizeof text,
                      "a message of %llu bytes takes %.3g s on a %.3g bit/s link, past the 1e6 s "
                      "a run may span (link rate too low)",
                      static_cast<unsigned long long>(bytes),
                      wire * 8.0 / route.slowestBps,
                      route.slowestBps);
        StopRunWithInputError(std::string("network: ") + text);
        m_lanes.swap(lanes);
        return true; // never delivered: the run ends after this event
    }

    Pending& p = Slot(id);
    p.record = TransferRecord();
    p.record.id = id;
    p.record.srcNode = src;
    p.record.dstNode = dst;
    p.record.bytes = bytes;
    p.record.lanes = n;
    p.record.hops = lanes[0].path->size();
    p.record.kind = m.kind;
    p.record.start = m.since;
    p.record.energyJ = energy;
    p.record.tag = m.tag;
    p.remaining = bytes;
    p.onDelivered = m.onDelivered;
    p.record.chunks = DoSend(id, src, dst, lanes);
    m_lanes.swap(lanes);
    return true;
}

const MessageTransport::Route&
MessageTransport::RouteOf(uint32_t src, uint32_t dst)
{
    NS_LOG_FUNCTION(this);
    const uint64_t key = (uint64_t(src) << 32) | dst;
    auto it = m_routes.find(key);
    if (it != m_routes.end())
    {
        return it->second;
    }
    NS_ABORT_MSG_IF(!m_fabric->IsEndpoint(src) || !m_fabric->IsEndpoint(dst),
                    "messages go between endpoints");
    NS_ABORT_MSG_IF(src == dst, "a message needs two different endpoints");
    Route& r = m_routes[key];
    r.ports = m_fabric->Ports(src);
    r.nextPort = &m_nextPort[src]; // map nodes stay put
    for (uint32_t lane = 0; lane < r.ports; ++lane)
    {
        r.paths.push_back(&m_fabric->Path(src, dst, lane)); // so do the fabric's paths
        // A lane whose own port is down, or that has no path, carries nothing new.
        if (r.paths.back()->empty() || !m_fabric->FirstHopUp(src, dst, lane))
        {
            r.degraded = true;
            continue;
        }
        r.usable.push_back(lane);
        for (uint32_t l : *r.paths.back())
        {
            const double rate = m_fabric->Link(l).rateBps;
            r.slowestBps = r.slowestBps == 0 ? rate : std::min(r.slowestBps, rate);
        }
    }
    return r;
}

MessageTransport::Pending*
MessageTransport::Find(uint64_t id)
{
    if (id < m_firstId)
    {
        auto it = m_old.find(id);
        return it == m_old.end() ? nullptr : &it->second;
    }
    if (id - m_firstId >= m_span)
    {
        return nullptr;
    }
    Pending& p = m_pending[(id - m_firstId + m_firstSlot) & (m_pending.size() - 1)];
    return p.live ? &p : nullptr;
}

MessageTransport::Pending&
MessageTransport::Slot(uint64_t id)
{
    ++m_inFlight;
    if (id < m_firstId)
    {
        // A message that waited for a path while later ones came and went.
        Pending& p = m_old[id];
        NS_ABORT_MSG_IF(p.live, "message " << id << " sent twice");
        p.live = true;
        return p;
    }
    uint64_t offset = id - m_firstId;
    if (offset >= m_pending.size() && m_ringLive * 2 < m_pending.size())
    {
        // Few live messages hold a long ring open (a slow KV move, one that waited for a
        // path): the oldest move out to m_old, so that memory follows the messages in flight
        // rather than the messages sent since the oldest of them.
        const size_t mask = m_pending.size() - 1;
        const uint64_t shift
            = std::max<uint64_t>(offset + 1 - m_pending.size(), m_pending.size() / 4);
        for (uint64_t i = 0; i < shift && m_span > 0; ++i)
        {
            Pending& oldest = m_pending[m_firstSlot];
            if (oldest.live)
            {
                m_old.emplace(m_firstId, std::move(oldest));
                oldest = Pending();
                --m_ringLive;
            }
            m_firstSlot = (m_firstSlot + 1) & mask;
            ++m_firstId;
            --m_span;
        }
        SkipDelivered();
        if (m_span == 0)
        {
            m_firstId = id; // every earlier id is delivered, stalled or in m_old
        }
        offset = id - m_firstId;
    }
    if (offset >= m_pending.size())
    {
        // Grow to a power of two that holds it, keeping the ring's order from m_firstId.
        size_t size = std::max<size_t>(m_pending.size(), 64);
        while (size <= offset)
        {
            size *= 2;
        }
        std::vector<Pending> grown(size);
        for (uint64_t i = 0; i < m_span; ++i)
        {
            grown[i] = std::move(m_pending[(m_firstSlot + i) & (m_pending.size() - 1)]);
        }
        m_pending.swap(grown);
        m_firstSlot = 0;
    }
    m_span = std::max(m_span, offset + 1);
    Pending& p = m_pending[(m_firstSlot + offset) & (m_pending.size() - 1)];
    NS_ABORT_MSG_IF(p.live, "message " << id << " sent twice");
    p.live = true;
    ++m_ringLive;
    return p;
}

void
MessageTransport::SkipDelivered()
{
    const size_t mask = m_pending.size() - 1;
    while (m_span > 0 && !m_pending[m_firstSlot].live)
    {
        m_firstSlot = (m_firstSlot + 1) & mask;
        ++m_firstId;
        --m_span;
    }
}

void
MessageTransport::Arrived(uint64_t id, uint64_t payloadBytes)
{
    NS_LOG_FUNCTION(this << id << payloadBytes);
    Pending* found = Find(id);
    NS_ABORT_MSG_IF(found == nullptr, "bytes of unknown message " << id);
    Pending& p = *found;
    NS_ABORT_MSG_IF(payloadBytes > p.remaining, "more bytes than sent for message " << id);
    p.remaining -= payloadBytes;
    if (p.remaining > 0)
    {
        return;
    }
    p.record.end = Simulator::Now();
    const TransferRecord record = p.record;
    const DeliveredCallback cb = p.onDelivered;
    --m_inFlight;
    if (id < m_firstId)
    {
        m_old.erase(id);
    }
    else
    {
        p.onDelivered = DeliveredCallback();
        p.live = false;
        --m_ringLive;
        SkipDelivered(); // the ring starts at its oldest message in flight
    }
    m_deliveredTrace(record);
    if (!cb.IsNull())
    {
        cb(record);
    }
}

size_t
MessageTransport::InFlight() const
{
    NS_LOG_FUNCTION(this);
    return m_inFlight + m_stalled.size();
}

size_t
MessageTransport::Stalled() const
{
    NS_LOG_FUNCTION(this);
    return m_stalled.size();
}

void
MessageTransport::OnLinkState(uint32_t link, double upShare)
{
    NS_LOG_FUNCTION(this << link << upShare);
    m_routes.clear(); // the paths they point to stay valid, but new messages take new ones
    DoLinkState(link, upShare);
    std::vector<Waiting> waiting;
    waiting.swap(m_stalled);
    for (const Waiting& m : waiting)
    {
        if (!SendNow(m))
        {
            m_stalled.push_back(m);
        }
    }
}

void
MessageTransport::DoLinkState(uint32_t /* link */, double /* upShare */)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG(Fidelity() << " fidelity does not model link faults");
}

void
MessageTransport::MoveWireBytes(uint64_t id,
                                const std::vector<uint32_t>& from,
                                const std::vector<uint32_t>& to,
                                uint64_t wireBytes,
                                uint64_t frames,
                                uint64_t resentBytes)
{
    NS_LOG_FUNCTION(this);
    // Counted on every link of a lane's path when it was sent: the bytes that never crossed
    // the old links leave their counters; the new path carries them and those sent again.
    double joules = 0;
    for (uint32_t l : from)
    {
        FabricLink& link = m_fabric->MutableLink(l);
        link.bytes -= std::min(link.bytes, wireBytes);
        link.frames -= std::min(link.frames, frames);
        joules -= wireBytes * 8.0 * link.pjPerBit * 1e-12;
    }
    const uint64_t carried = wireBytes + resentBytes;
    const uint64_t per = m_frameBytes;
    for (uint32_t l : to)
    {
        m_fabric->CountTx(l, carried, frames + (resentBytes + per - 1) / per);
        joules += carried * 8.0 * m_fabric->Link(l).pjPerBit * 1e-12;
    }
    if (Pending* p = Find(id))
    {
        p->record.energyJ += joules;
    }
}

void
MessageTransport::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_pending.clear();
    m_firstSlot = 0;
    m_span = 0;
    m_inFlight = 0;
    m_ringLive = 0;
    m_old.clear();
    m_stalled.clear();
    m_routes.clear();
    if (m_fabric)
    {
        m_fabric->TraceDisconnectWithoutContext("LinkState",
                                                MakeCallback(&MessageTransport::OnLinkState, this));
    }
    m_fabric = nullptr;
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
