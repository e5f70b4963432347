/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "flow-transport.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace ns3
{
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
    return "flow";
}

size_t
FlowTransport::ActiveFlows() const
{
    return m_flows.size();
}

void
FlowTransport::DoInstall()
{
}

uint32_t
FlowTransport::DoSend(uint64_t id,
                      uint32_t /* src */,
                      uint32_t /* dst */,
                      const std::vector<Lane>& lanes)
{
    Update(); // drain at the old rates before the new flows join
    // A second message at the same instant (the sends of a collective step) defers the rates to
    // one re-allocation after them: rates only matter once time moves on, and re-allocating at
    // every one of n (n - 1) all-to-all sends was quadratic. One message alone keeps its single
    // re-allocation and no extra event.
    const bool batch = m_lastSend == Simulator::Now() && m_sentAtInstant;
    m_lastSend = Simulator::Now();
    m_sentAtInstant = true;
    MessageState& msg = m_messages[id];
    msg.lanesLeft = lanes.size();
    for (const Lane& lane : lanes)
    {
        Flow f;
        f.message = id;
        f.payload = lane.bytes;
        msg.payload += lane.bytes;
        const uint64_t frames = Frames(lane.bytes);
        const uint64_t wire = WireBytes(lane.bytes, frames);
        f.remainingBits = wire * 8.0;
        f.path = lane.path;
        double slowest = std::numeric_limits<double>::infinity();
        Time delays;
        for (uint32_t l : *lane.path)
        {
            const FabricLink& link = m_fabric->Link(l);
            delays += link.delay;
            slowest = std::min(slowest, link.rateBps);
            // Wire bytes per link, counted as frames, as the packet level would.
            m_fabric->CountTx(l, wire, frames);
        }
        f.tail = delays
                 + Seconds((lane.path->size() - 1) * UnitWireBytes(lane.bytes, 0) * 8.0 / slowest);
        m_flows.push_back(std::move(f));
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

void
FlowTransport::Update()
{
    const Time now = Simulator::Now();
    const double dt = (now - m_lastUpdate).GetSeconds();
    m_lastUpdate = now;
    if (dt <= 0)
    {
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < m_flows.size(); ++i)
    {
        Flow& f = m_flows[i];
        f.remainingBits -= f.rateBps * dt;
        // Below a picosecond at its rate the flow has drained (time is kept in picoseconds).
        if (f.remainingBits > f.rateBps * 1e-12)
        {
            if (kept != i)
            {
                m_flows[kept] = std::move(f);
            }
            ++kept;
            continue;
        }
        // One delivery per message, when its last lane's last byte has crossed the path.
        MessageState& msg = m_messages[f.message];
        msg.arrival = std::max(msg.arrival, now + f.tail);
        if (--msg.lanesLeft == 0)
        {
            const uint64_t id = f.message;
            const uint64_t payload = msg.payload;
            Simulator::Schedule(msg.arrival - now,
                                [this, id, payload]()
                                {
                                    Arrived(id, payload);
                                });
            m_messages.erase(id);
        }
    }
    m_flows.resize(kept, Flow());
}

void
FlowTransport::Reallocate()
{
    // Taken out of the scheduler rather than cancelled: a cancelled event stays queued and is
    // still taken (and counted) at its time, and every flow start re-plans the next end.
    Simulator::Remove(m_next);
    if (m_flows.empty())
    {
        return;
    }
    const size_t links = m_fabric->Links().size();
    if (m_capacity.size() != links)
    {
        m_capacity.assign(links, 0);
        m_open.assign(links, 0);
        m_users.assign(links, {});
    }
    // Progressive filling: the most constrained link fixes the rate of its flows, repeatedly.
    m_activeLinks.clear();
    for (Flow& f : m_flows)
    {
        f.rateBps = -1;
        for (uint32_t l : *f.path)
        {
            if (m_users[l].empty())
            {
                m_activeLinks.push_back(l);
                m_capacity[l] = m_fabric->Link(l).rateBps;
                m_open[l] = 0;
            }
            m_users[l].push_back(&f);
            ++m_open[l];
        }
    }
    size_t unfixed = m_flows.size();
    while (unfixed > 0)
    {
        double share = std::numeric_limits<double>::infinity();
        for (uint32_t l : m_activeLinks)
        {
            if (m_open[l] > 0)
            {
                share = std::min(share, m_capacity[l] / m_open[l]);
            }
        }
        // Every link at the smallest share is a bottleneck: fix all their flows in one round
        // (symmetric lanes would otherwise take one round each).
        const double limit = share * (1 + 1e-12);
        for (uint32_t l : m_activeLinks)
        {
            if (m_open[l] == 0 || m_capacity[l] / m_open[l] > limit)
            {
                continue;
            }
            for (Flow* f : m_users[l])
            {
                if (f->rateBps >= 0)
                {
                    continue;
                }
                f->rateBps = share;
                --unfixed;
                for (uint32_t k : *f->path)
                {
                    m_capacity[k] = std::max(0.0, m_capacity[k] - share);
                    --m_open[k];
                }
            }
        }
    }
    double soonest = std::numeric_limits<double>::infinity();
    for (const Flow& f : m_flows)
    {
        soonest = std::min(soonest, f.remainingBits / f.rateBps);
    }
    for (uint32_t l : m_activeLinks)
    {
        m_users[l].clear();
    }
    // Round up to the next picosecond so that the flow has drained when the event runs.
    const Time at = PicoSeconds(static_cast<int64_t>(std::ceil(soonest * 1e12)));
    m_next = Simulator::Schedule(at, &FlowTransport::OnFlowEnd, this);
}

void
FlowTransport::OnFlowEnd()
{
    Update();
    Reallocate();
}

void
FlowTransport::DoDispose()
{
    m_next.Cancel();
    m_deferred.Cancel();
    m_flows.clear();
    m_messages.clear();
    m_users.clear();
    MessageTransport::DoDispose();
}

} // namespace wafer
} // namespace ns3
