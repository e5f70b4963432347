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
    for (const Lane& lane : lanes)
    {
        Flow f;
        f.message = id;
        f.payload = lane.bytes;
        const uint64_t frames = Frames(lane.bytes);
        const uint64_t wire = WireBytes(lane.bytes, frames);
        f.remainingBits = wire * 8.0;
        f.path = lane.path;
        double slowest = std::numeric_limits<double>::infinity();
        Time delays;
        for (uint32_t l : lane.path)
        {
            const FabricLink& link = m_fabric->Link(l);
            delays += link.delay;
            slowest = std::min(slowest, link.rateBps);
            // Wire bytes per link, counted as frames, as the packet level would.
            m_fabric->CountTx(l, wire, frames);
        }
        f.tail = delays
                 + Seconds((lane.path.size() - 1) * UnitWireBytes(lane.bytes, 0) * 8.0 / slowest);
        m_flows[m_nextFlow++] = f;
    }
    Reallocate();
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
    std::vector<uint64_t> done;
    for (auto& [fid, f] : m_flows)
    {
        f.remainingBits -= f.rateBps * dt;
        // Below a picosecond at its rate the flow has drained (time is kept in picoseconds).
        if (f.remainingBits <= f.rateBps * 1e-12)
        {
            done.push_back(fid);
        }
    }
    for (uint64_t fid : done)
    {
        const Flow f = m_flows[fid];
        m_flows.erase(fid);
        Simulator::Schedule(f.tail,
                            [this, f]()
                            {
                                Arrived(f.message, f.payload);
                            });
    }
}

void
FlowTransport::Reallocate()
{
    m_next.Cancel();
    if (m_flows.empty())
    {
        return;
    }
    // Progressive filling: the most constrained link fixes the rate of its flows, repeatedly.
    std::map<uint32_t, double> capacity;
    std::map<uint32_t, std::vector<uint64_t>> users;
    for (auto& [fid, f] : m_flows)
    {
        f.rateBps = -1;
        for (uint32_t l : f.path)
        {
            capacity[l] = m_fabric->Link(l).rateBps;
            users[l].push_back(fid);
        }
    }
    size_t unfixed = m_flows.size();
    while (unfixed > 0)
    {
        double share = std::numeric_limits<double>::infinity();
        uint32_t bottleneck = 0;
        for (const auto& [l, flows] : users)
        {
            size_t open = 0;
            for (uint64_t fid : flows)
            {
                open += m_flows[fid].rateBps < 0 ? 1 : 0;
            }
            if (open > 0 && capacity[l] / open < share)
            {
                share = capacity[l] / open;
                bottleneck = l;
            }
        }
        for (uint64_t fid : users[bottleneck])
        {
            Flow& f = m_flows[fid];
            if (f.rateBps >= 0)
            {
                continue;
            }
            f.rateBps = share;
            --unfixed;
            for (uint32_t l : f.path)
            {
                capacity[l] = std::max(0.0, capacity[l] - share);
            }
        }
    }
    double soonest = std::numeric_limits<double>::infinity();
    for (const auto& [fid, f] : m_flows)
    {
        soonest = std::min(soonest, f.remainingBits / f.rateBps);
    }
    // Round up to the next picosecond so that the flow has drained when the event runs.
    const Time at = PicoSeconds(static_cast<int64_t>(std::ceil(soonest * 1e12)));
    m_next = Simulator::Schedule(at,
                                 [this]()
                                 {
                                     Update();
                                     Reallocate();
                                 });
}

void
FlowTransport::DoDispose()
{
    m_next.Cancel();
    m_flows.clear();
    MessageTransport::DoDispose();
}

} // namespace wafer
} // namespace ns3
