/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Link faults at chunk fidelity: a link that changes rate serves again what has not started on
// it; a link that goes down cuts the trains on it, and what did not cross it is sent again on
// the lane's new path (see ChunkTransport's class comment).
#include "chunk-transport.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferChunkTransportFaults");
namespace wafer
{

void
ChunkTransport::DoLinkState(uint32_t link, double upShare)
{
    NS_LOG_FUNCTION(this << link << upShare);
    if (link >= m_servers.size())
    {
        return;
    }
    const int64_t now = Simulator::Now().GetTimeStep();
    // The fabric changes both directions of a cable before it tells of either, and a message
    // sent from this call may take the other direction: both are brought up to date now (the
    // second call finds nothing left to do).
    for (uint32_t l : {link, m_fabric->Link(link).reverse})
    {
        if (l >= m_servers.size())
        {
            continue;
        }
        if (upShare == 0)
        {
            Evacuate(l, now);
        }
        Rerate(l, now);
    }
    if (upShare > 0)
    {
        // A path may exist again for lanes that found none.
        std::vector<Detour> waiting;
        waiting.swap(m_noPath);
        for (const Detour& d : waiting)
        {
            Resume(d);
        }
    }
    Settle();
}

uint32_t
ChunkTransport::Started(Hop* hop, int64_t now)
{
    NS_LOG_FUNCTION(this);
    if (!hop->scheduled)
    {
        return 0;
    }
    // First come first served: a train's chunks start on a link in order, each a transmission
    // time (at the rate they were scheduled with) before it leaves.
    Server& s = m_servers[hop->link];
    const uint32_t k = hop->leave.size();
    if (s.rate.GetBitRate() == 0)
    {
        return k; // a link that is down holds only chunks that crossed it before it failed
    }
    uint32_t i = 0;
    while (i < k && hop->leave[i] - TxTime(s, hop->train->wire[i]) < now)
    {
        ++i;
    }
    return i;
}

void
ChunkTransport::Unlist(Hop* hop)
{
    NS_LOG_FUNCTION(this);
    if (!hop->listed)
    {
        return;
    }
    std::vector<Hop*>& trains = m_servers[hop->link].trains;
    trains.erase(std::find(trains.begin(), trains.end(), hop));
    hop->listed = false;
}

void
ChunkTransport::Evacuate(uint32_t link, int64_t now)
{
    NS_LOG_FUNCTION(this << link);
    const Server& failed = m_servers[link];
    for (const auto& owned : m_messages)
    {
        Message* m = owned.get();
        if (!m->live)
        {
            continue;
        }
        // By index: a train that no chunk is left of leaves the list.
        for (size_t ti = 0; ti < m->trains.size();)
        {
            Train* t = m->trains[ti];
            auto at = std::find_if(t->hops.begin(),
                                   t->hops.end(),
                                   [link](const Hop& h)
                                   {
                                       return h.link == link;
                                   });
            if (at == t->hops.end() || !at->arrived)
            {
                ++ti;
                continue;
            }
            Hop& cut = *at;
            const uint32_t p = cut.index;
            // Chunks bound for the link; those whole at the next node by now crossed it, those
            // started on it but not there are lost on the wire, the rest never left.
            const uint32_t n = cut.reach.size();
            uint32_t crossed = 0;
            while (crossed < n && cut.scheduled && cut.leave[crossed] + failed.delay <= now)
            {
                ++crossed;
            }
            // Chunks an earlier fault further on already took off the train are not cut again.
            const uint32_t bound = std::min<uint32_t>(n, t->hops.back().cap);
            if (crossed >= bound)
            {
                Unlist(&cut); // nothing more crosses the link: it need not be served
                ++ti;
                continue;
            }
            const uint32_t started = std::max(crossed, Started(&cut, now));
            const std::vector<uint64_t> payloads = ChunkPayloads(t->bytes, t->hops.size());
            Detour d;
            d.message = m;
            d.src = t->src;
            d.dst = t->dst;
            d.lane = t->lane;
            d.failedLink = link;
            d.failedAt = now;
            // The wire counters keep what crossed each link: the chunks that never started on
            // the failed link leave its count, and those that did not cross it leave the
            // counts of the links after it; the links before it carry them all.
            uint64_t unsentWire = 0;
            uint64_t unsentFrames = 0;
            uint64_t cutWire = 0;
            uint64_t cutFrames = 0;
            for (uint32_t i = crossed; i < bound; ++i)
            {
                const uint64_t frames = Frames(payloads[i]);
                d.payload += payloads[i];
                cutWire += t->wire[i];
                cutFrames += frames;
                if (i < started)
                {
                    d.resentWire += t->wire[i];
                }
                else
                {
                    unsentWire += t->wire[i];
                    unsentFrames += frames;
                }
            }
            std::vector<uint32_t> after;
            for (uint32_t q = p + 1; q < t->hops.size(); ++q)
            {
                after.push_back(t->hops[q].link);
            }
            MoveWireBytes(m->id, {link}, {}, unsentWire, unsentFrames, 0);
            MoveWireBytes(m->id, after, {}, cutWire, cutFrames, 0);
            // From the failed link on, the train holds the chunks that crossed it.
            for (uint32_t q = p; q < t->hops.size(); ++q)
            {
                Hop& h = t->hops[q];
                h.cap = std::min(h.cap, crossed);
                if (q == p || crossed == 0)
                {
                    Unlist(&h);
                }
                if (h.reach.size() > crossed)
                {
                    h.reach.resize(crossed);
                    h.leave.resize(crossed);
                    h.settled = std::min(h.settled, crossed);
                    Server& s = m_servers[h.link];
                    if (h.listed && !s.dirty)
                    {
                        s.dirty = true; // the room the cut chunks held goes to others
                        m_dirty.push_back(h.link);
                    }
                }
            }
            const Hop& last = t->hops.back();
            t->delivered = crossed == 0 ? -1 : last.leave[crossed - 1] + m_servers[last.link].delay;
            if (!m->dirty)
            {
                m->dirty = true;
                m_replan.push_back(m);
            }
            m->detours += 1;
            Simulator::Schedule(
                TimeStep(m_rerouteDelay.GetTimeStep()), &ChunkTransport::Resume, this, d);
            if (crossed == 0 && p == 0)
            {
                // No chunk of it is anywhere: the train is free again.
                m->trains.erase(m->trains.begin() + ti);
                m_spare.push_back(t);
                continue;
            }
            ++ti;
        }
    }
}

void
ChunkTransport::Rerate(uint32_t link, int64_t now)
{
    NS_LOG_FUNCTION(this << link);
    Server& s = m_servers[link];
    const auto bps = static_cast<uint64_t>(m_fabric->Link(link).rateBps);
    if (bps == s.rate.GetBitRate())
    {
        return;
    }
    if (bps > 0 && s.rate.GetBitRate() > 0)
    {
        // Chunks that started keep their departures (at the old rate); every other chunk on
        // the link, queued or still to come, is served again at the new one. Trains whose
        // chunks have all reached the link are back on its list if some have not started.
        // (A link coming back up has none: Evacuate cut every train on it.)
        int64_t pastEnd = std::min(s.pastEnd, now);
        for (const auto& owned : m_messages)
        {
            if (!owned->live)
            {
                continue;
            }
            for (Train* t : owned->trains)
            {
                for (Hop& h : t->hops)
                {
                    if (h.link != link || h.reach.empty() || !h.scheduled)
                    {
                        continue;
                    }
                    const uint32_t started = Started(&h, now);
                    if (started > 0)
                    {
                        pastEnd = std::max(pastEnd, h.leave[started - 1]);
                    }
                    h.settled = started;
                    if (started < h.reach.size() && !h.listed)
                    {
                        h.listed = true;
                        s.trains.push_back(&h);
                    }
                }
            }
        }
        s.pastEnd = pastEnd;
    }
    s.rate = DataRate(bps);
    if (bps == 0)
    {
        return; // down: Evacuate took every train off it
    }
    UseTxCache(s);
    s.rerated = true;
    if (!s.dirty)
    {
        s.dirty = true;
        m_dirty.push_back(link);
    }
}

void
ChunkTransport::Resume(Detour d)
{
    NS_LOG_FUNCTION(this);
    const std::vector<uint32_t>& path = m_fabric->Path(d.src, d.dst, d.lane);
    if (path.empty())
    {
        m_noPath.push_back(d); // faults cut every way: it goes when a link comes back
        return;
    }
    Message* m = d.message;
    Train* t = Launch(m, d.lane, d.payload, path, false);
    t->src = d.src;
    t->dst = d.dst;
    uint64_t wire = 0;
    for (uint32_t w : t->wire)
    {
        wire += w;
    }
    MoveWireBytes(m->id, {}, path, wire, Frames(d.payload), 0);
    m->detours -= 1;
    if (!m->dirty)
    {
        m->dirty = true; // delivered with its last lane, this one included
        m_replan.push_back(m);
    }
    const int64_t now = Simulator::Now().GetTimeStep();
    m_reroutedTrace(d.failedLink, d.resentWire, TimeStep(now - d.failedAt));
    Settle();
}

} // namespace wafer
} // namespace ns3
