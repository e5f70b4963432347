/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "flow-transport.h"

#include "slot-pool.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferFlowTransport");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(FlowTransport);

TypeId
FlowTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::FlowTransport")
                            .SetParent<MessageTransport>()
                            .SetGroupName("Wafer")
                            .AddConstructor<FlowTransport>();
    return tid;
}

FlowTransport::FlowTransport() {}

std::string
FlowTransport::Fidelity() const
{
    NS_LOG_FUNCTION(this);
    return "flow";
}

size_t
FlowTransport::ActiveFlows() const
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    size_t n = 0;
    for (uint32_t f : m_live)
    {
        n += m_flows[f].end > now;
    }
    return n;
}

void
FlowTransport::DoInstall()
{
    NS_LOG_FUNCTION(this);
}

uint32_t
FlowTransport::DoSend(uint64_t id, uint32_t src, uint32_t dst, const std::vector<Lane>& lanes)
{
    NS_LOG_FUNCTION(this);
    const size_t links = m_fabric->Links().size();
    if (m_linkFlows.size() != links)
    {
        // Links added since the last message: state for them; flows on the others stay.
        const size_t known = m_rate.size();
        m_linkFlows.resize(links);
        m_linkMark.resize(links, 0);
        m_capacity.resize(links, 0);
        m_open.resize(links, 0);
        m_rate.resize(links);
        for (size_t l = known; l < links; ++l)
        {
            m_rate[l] = m_fabric->Link(l).rateBps;
        }
    }
    FinishDrained(); // flows drained by now leave before the new ones join
    // A second message at the same instant (the sends of a collective step) defers the rates to
    // one re-allocation after them: rates only matter once time moves on, and re-allocating at
    // every one of n (n - 1) all-to-all sends was quadratic. One message alone keeps its single
    // re-allocation and no extra event.
    const Time now = Simulator::Now();
    const bool batch = m_lastSend == now && m_sentAtInstant;
    m_lastSend = now;
    m_sentAtInstant = true;

    const uint32_t slot = TakeSlot(m_messages, m_freeMessages);
    Message& msg = m_messages[slot];
    msg = Message();
    msg.id = id;
    msg.lanesLeft = lanes.size();
    msg.fresh = true;
    m_fresh.push_back(slot);
    ++m_unplanned;
    msg.src = src;
    msg.dst = dst;
    for (const Lane& lane : lanes)
    {
        msg.payload += lane.bytes;
        const uint64_t frames = Frames(lane.bytes);
        const uint64_t wire = WireBytes(lane.bytes, frames);
        for (uint32_t l : *lane.path)
        {
            // Wire bytes per link, counted as frames, as the packet level would.
            m_fabric->CountTx(l, wire, frames);
        }
        StartFlow(slot, lane.lane, lane.bytes, wire * 8.0, lane.path);
    }
    if (!batch)
    {
        Reallocate();
    }
    else if (!m_deferred.IsRunning())
    {
        Simulator::Remove(m_next);
        m_deferred = Simulator::ScheduleNow(&FlowTransport::Reallocate, this);
    }
    return lanes.size();
}

uint32_t
FlowTransport::StartFlow(uint32_t slot,
                         uint32_t lane,
                         uint64_t laneBytes,
                         double bits,
                         const std::vector<uint32_t>* path)
{
    NS_LOG_FUNCTION(this);
    const uint32_t fi = TakeSlot(m_flows, m_freeFlows);
    Flow& f = m_flows[fi];
    f = Flow();
    f.message = slot;
    f.bits = bits;
    f.totalBits = bits;
    f.since = Simulator::Now();
    f.end = Time::Max(); // until it has a rate
    f.path = path;
    f.lane = lane;
    f.laneBytes = laneBytes;
    double slowest = std::numeric_limits<double>::infinity();
    Time delays;
    for (uint32_t l : *path)
    {
        const FabricLink& link = m_fabric->Link(l);
        delays += link.delay;
        slowest = std::min(slowest, link.rateBps);
        m_linkFlows[l].push_back(fi);
        m_dirty.push_back(l);
    }
    f.tail = delays + m_seconds((path->size() - 1) * UnitWireBytes(laneBytes, 0) * 8.0 / slowest);
    m_live.push_back(fi);
    return fi;
}

void
FlowTransport::Leave(uint32_t fi)
{
    NS_LOG_FUNCTION(this);
    for (uint32_t l : *m_flows[fi].path)
    {
        auto& on = m_linkFlows[l];
        on.erase(std::find(on.begin(), on.end(), fi));
        m_dirty.push_back(l);
    }
}

void
FlowTransport::FinishDrained()
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    size_t kept = 0;
    for (size_t i = 0; i < m_live.size(); ++i)
    {
        const uint32_t fi = m_live[i];
        Flow& f = m_flows[fi];
        if (f.end > now)
        {
            m_live[kept++] = fi;
            continue;
        }
        Leave(fi);
        m_freeFlows.push_back(fi);
        // One delivery per message, when its last lane's last byte has crossed the path; a
        // planned message has its delivery already.
        Message& msg = m_messages[f.message];
        msg.arrival = std::max(msg.arrival, f.end + f.tail);
        if (--msg.lanesLeft == 0 && !msg.planned)
        {
            --m_unplanned;
            msg.delivery
                = Simulator::Schedule(msg.arrival - now, &FlowTransport::Deliver, this, f.message);
        }
    }
    m_live.resize(kept);
}

void
FlowTransport::Reallocate()
{
    NS_LOG_FUNCTION(this);
    // The flows linked to the dirty links, directly or through other flows: the only ones whose
    // max-min rates can have changed.
    ++m_stamp;
    m_group.clear();
    m_groupLinks.clear();
    for (uint32_t l : m_dirty)
    {
        if (m_linkMark[l] != m_stamp)
        {
            m_linkMark[l] = m_stamp;
            m_groupLinks.push_back(l);
        }
    }
    m_dirty.clear();
    for (size_t i = 0; i < m_groupLinks.size(); ++i)
    {
        for (uint32_t fi : m_linkFlows[m_groupLinks[i]])
        {
            Flow& f = m_flows[fi];
            if (f.mark == m_stamp)
            {
                continue;
            }
            f.mark = m_stamp;
            f.fill = -1;
            m_group.push_back(fi);
            for (uint32_t k : *f.path)
            {
                if (m_linkMark[k] != m_stamp)
                {
                    m_linkMark[k] = m_stamp;
                    m_groupLinks.push_back(k);
                }
            }
        }
    }
    // Progressive filling: the most constrained link fixes the rate of its flows, repeatedly.
    for (uint32_t l : m_groupLinks)
    {
        m_capacity[l] = m_rate[l];
        m_open[l] = m_linkFlows[l].size();
    }
    size_t unfixed = m_group.size();
    while (unfixed > 0)
    {
        double share = std::numeric_limits<double>::infinity();
        for (uint32_t l : m_groupLinks)
        {
            if (m_open[l] > 0)
            {
                share = std::min(share, m_capacity[l] / m_open[l]);
            }
        }
        // Every link at the smallest share is a bottleneck: fix all their flows in one round
        // (symmetric lanes would otherwise take one round each).
        const double limit = share * (1 + 1e-12);
        for (uint32_t l : m_groupLinks)
        {
            if (m_open[l] == 0 || m_capacity[l] / m_open[l] > limit)
            {
                continue;
            }
            for (uint32_t fi : m_linkFlows[l])
            {
                Flow& f = m_flows[fi];
                if (f.fill >= 0)
                {
                    continue;
                }
                f.fill = share;
                --unfixed;
                for (uint32_t k : *f.path)
                {
                    m_capacity[k] = std::max(0.0, m_capacity[k] - share);
                    --m_open[k];
                }
            }
        }
    }
    // A flow whose rate changed keeps the bits it has left from now on; the others keep their
    // end. A message's planned delivery holds only while each of its lanes is alone.
    const Time now = Simulator::Now();
    for (uint32_t fi : m_group)
    {
        Flow& f = m_flows[fi];
        bool alone = true;
        for (uint32_t l : *f.path)
        {
            alone = alone && m_linkFlows[l].size() == 1;
        }
        Message& msg = m_messages[f.message];
        if (!alone || (msg.planned && f.fill != f.rateBps))
        {
            // Sharing a link, or alone on a link whose capacity changed (a fault).
            msg.fresh = false; // not to be planned
            Unplan(msg);
        }
        if (f.fill == f.rateBps)
        {
            continue;
        }
        if (f.rateBps > 0)
        {
            f.bits = std::max(0.0, f.bits - f.rateBps * (now - f.since).GetSeconds());
        }
        f.since = now;
        f.rateBps = f.fill;
        // Rounded up to the next picosecond: the flow has drained when its end comes.
        f.end = f.rateBps > 0
                    ? now + PicoSeconds(static_cast<int64_t>(std::ceil(f.bits / f.rateBps * 1e12)))
                    : Time::Max();
    }
    // New messages with every lane alone on its path: their delivery is known now.
    for (uint32_t fi : m_group)
    {
        const Flow& f = m_flows[fi];
        Message& msg = m_messages[f.message];
        if (msg.fresh && f.end == Time::Max())
        {
            msg.fresh = false; // a lane without a rate (a link down): its end is not known
        }
        if (msg.fresh)
        {
            msg.planAt = std::max(msg.planAt, f.end + f.tail);
        }
    }
    for (uint32_t slot : m_fresh)
    {
        Message& msg = m_messages[slot];
        if (msg.fresh)
        {
            msg.planned = true;
            --m_unplanned;
            msg.fresh = false;
            msg.delivery
                = Simulator::Schedule(msg.planAt - now, &FlowTransport::Deliver, this, slot);
        }
    }
    m_fresh.clear();
    PlanNextEnd();
}

void
FlowTransport::Unplan(Message& msg)
{
    NS_LOG_FUNCTION(this);
    if (msg.planned)
    {
        msg.planned = false;
        ++m_unplanned;
        Simulator::Remove(msg.delivery);
    }
}

void
FlowTransport::DoLinkState(uint32_t link, double upShare)
{
    NS_LOG_FUNCTION(this);
    if (link >= m_rate.size())
    {
        return; // no message has been sent yet: the first reads the fabric's rates
    }
    FinishDrained(); // flows drained by now are not affected
    // The fabric changes both directions of a cable before it tells of either, and a message
    // sent from this call may take the other one: both rates are taken now.
    for (uint32_t l : {link, m_fabric->Link(link).reverse})
    {
        if (l < m_rate.size())
        {
            m_rate[l] = m_fabric->Link(l).rateBps;
            m_dirty.push_back(l);
        }
    }
    if (upShare == 0)
    {
        Evacuate(link);
    }
    else
    {
        // A path may exist again for lanes that found none.
        std::vector<Detour> waiting;
        waiting.swap(m_noPath);
        for (const Detour& d : waiting)
        {
            Resume(d);
        }
    }
    Reallocate();
}

void
FlowTransport::Evacuate(uint32_t link)
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    const std::vector<uint32_t> moving = m_linkFlows[link];
    for (uint32_t fi : moving)
    {
        const Flow& f = m_flows[fi];
        Detour d;
        d.message = f.message;
        d.lane = f.lane;
        d.laneBytes = f.laneBytes;
        d.leftBits = f.rateBps > 0
                         ? std::max(0.0, f.bits - f.rateBps * (now - f.since).GetSeconds())
                         : f.bits;
        // Go-back-N from the last acknowledged byte: what was sent within a round trip (twice
        // the one-way tail) is lost with the link and sent again.
        d.resendBits = std::min(f.totalBits - d.leftBits, f.rateBps * 2 * f.tail.GetSeconds());
        d.oldPath = f.path;
        d.failedLink = link;
        d.failedAt = now;
        Leave(fi);
        m_live.erase(std::find(m_live.begin(), m_live.end(), fi));
        m_freeFlows.push_back(fi);
        // Its delivery waits for the detour: neither planned now nor by the re-allocation of
        // the instant it was sent in (a lane that finds no path could wait past it).
        Unplan(m_messages[f.message]);
        m_messages[f.message].fresh = false;
        Simulator::Schedule(m_rerouteDelay, &FlowTransport::Resume, this, d);
    }
}

void
FlowTransport::Resume(Detour d)
{
    NS_LOG_FUNCTION(this);
    const Message& msg = m_messages[d.message];
    const std::vector<uint32_t>& path = m_fabric->Path(msg.src, msg.dst, d.lane);
    if (path.empty())
    {
        m_noPath.push_back(d); // faults cut every way: it goes when a link comes back
        return;
    }
    FinishDrained();
    const double bits = d.leftBits + d.resendBits;
    StartFlow(d.message, d.lane, d.laneBytes, bits, &path);
    const uint64_t leftWire = static_cast<uint64_t>(std::ceil(d.leftBits / 8));
    const uint64_t resent = static_cast<uint64_t>(std::ceil(d.resendBits / 8));
    MoveWireBytes(msg.id, *d.oldPath, path, leftWire, Frames(leftWire), resent);
    m_reroutedTrace(d.failedLink, resent, Simulator::Now() - d.failedAt);
    Reallocate();
}

void
FlowTransport::PlanNextEnd()
{
    NS_LOG_FUNCTION(this);
    // Taken out of the scheduler rather than cancelled: a cancelled event stays queued and is
    // still taken (and counted) at its time, and every flow start re-plans the next end.
    Simulator::Remove(m_next);
    if (m_unplanned == 0)
    {
        return; // every message in flight has its delivery planned
    }
    Time soonest = Time::Max();
    for (uint32_t fi : m_live)
    {
        const Flow& f = m_flows[fi];
        if (!m_messages[f.message].planned)
        {
            soonest = std::min(soonest, f.end);
        }
    }
    if (soonest != Time::Max())
    {
        m_next = Simulator::Schedule(soonest - Simulator::Now(), &FlowTransport::OnFlowEnd, this);
    }
}

void
FlowTransport::OnFlowEnd()
{
    NS_LOG_FUNCTION(this);
    FinishDrained();
    Reallocate();
}

void
FlowTransport::Deliver(uint32_t slot)
{
    NS_LOG_FUNCTION(this);
    // Every lane has drained; those of a planned message may still be on their links.
    if (m_messages[slot].lanesLeft > 0)
    {
        FinishDrained();
    }
    const Message& msg = m_messages[slot];
    const uint64_t id = msg.id;
    const uint64_t payload = msg.payload;
    m_freeMessages.push_back(slot);
    Arrived(id, payload);
}

void
FlowTransport::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_next.Cancel();
    m_deferred.Cancel();
    for (Message& msg : m_messages)
    {
        msg.delivery.Cancel();
    }
    m_flows.clear();
    m_live.clear();
    m_messages.clear();
    m_linkFlows.clear();
    m_noPath.clear();
    MessageTransport::DoDispose();
}

} // namespace wafer
} // namespace ns3
