/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "chunk-transport.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferChunkTransport");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(ChunkTransport);

TypeId
ChunkTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::ChunkTransport")
              .SetParent<MessageTransport>()
              .SetGroupName("Wafer")
              .AddConstructor<ChunkTransport>()
              .AddAttribute("Accuracy",
                            "Bound on the store-and-forward error of chunking, as a fraction of a "
                            "lane's transmission time: chunks per lane = ceil(links / Accuracy). "
                            "0: one frame per chunk.",
                            DoubleValue(0.01),
                            MakeDoubleAccessor(&ChunkTransport::m_accuracy),
                            MakeDoubleChecker<double>(0.0, 1.0));
    return tid;
}

ChunkTransport::ChunkTransport() :
    m_accuracy(0.01)
{
    NS_LOG_FUNCTION(this);
}

ChunkTransport::~ChunkTransport() = default;

std::string
ChunkTransport::Fidelity() const
{
    NS_LOG_FUNCTION(this);
    return "chunk";
}

uint64_t
ChunkTransport::ChunksPerLane(uint64_t bytes, uint32_t links) const
{
    NS_LOG_FUNCTION(this);
    const uint64_t frames = Frames(bytes);
    if (m_accuracy <= 0)
    {
        return frames;
    }
    const auto wanted = static_cast<uint64_t>(std::ceil(links / m_accuracy));
    // A chunk's wire bytes are a 32-bit count (ns-3 packets and transmission times): keep it
    // below 2^31 bytes.
    const uint64_t bySize = bytes / (uint64_t(1) << 31) + 1;
    return std::min(frames, std::max<uint64_t>({1, wanted, bySize}));
}

std::vector<uint64_t>
ChunkTransport::ChunkPayloads(uint64_t bytes, uint32_t links) const
{
    NS_LOG_FUNCTION(this);
    const uint64_t per = m_frameBytes - m_headerBytes;
    const uint64_t frames = Frames(bytes);
    const uint64_t k = ChunksPerLane(bytes, links);
    std::vector<uint64_t> out(k);
    uint64_t left = bytes;
    for (uint64_t j = 0; j < k; ++j)
    {
        const uint64_t chunkFrames = frames / k + (j < frames % k ? 1 : 0);
        out[j] = (j + 1 == k) ? left : std::min(left, chunkFrames * per);
        left -= out[j];
    }
    return out;
}

uint64_t
ChunkTransport::UnitWireBytes(uint64_t bytes, uint32_t links) const
{
    NS_LOG_FUNCTION(this);
    const uint64_t frames = Frames(bytes);
    const uint64_t k = ChunksPerLane(bytes, links);
    const uint64_t per = m_frameBytes - m_headerBytes;
    const uint64_t chunkFrames = (frames + k - 1) / k; // the largest chunk
    const uint64_t payload = std::min(bytes, chunkFrames * per);
    return WireBytes(payload, Frames(payload));
}

const ChunkTransport::LaneShape&
ChunkTransport::Shape(uint64_t bytes, uint32_t links)
{
    NS_LOG_FUNCTION(this);
    // The lanes of a message differ by one byte at most, and consecutive messages often have
    // the same size: the last two shapes are kept.
    for (LaneShape& s : m_shapes)
    {
        if (s.bytes == bytes && s.links == links)
        {
            return s;
        }
    }
    std::swap(m_shapes[0], m_shapes[1]);
    LaneShape& s = m_shapes[0];
    s.bytes = bytes;
    s.links = links;
    s.wire.clear();
    s.wireBytes = 0;
    s.frames = 0;
    for (uint64_t payload : ChunkPayloads(bytes, links))
    {
        const uint64_t f = Frames(payload);
        s.wire.push_back(static_cast<uint32_t>(WireBytes(payload, f)));
        s.wireBytes += s.wire.back();
        s.frames += f;
    }
    return s;
}

void
ChunkTransport::DoInstall()
{
    NS_LOG_FUNCTION(this);
    m_servers.clear();
    m_servers.resize(m_fabric->Links().size());
    m_txCaches.clear();
    m_txCacheOfRate.clear();
    for (size_t l = 0; l < m_servers.size(); ++l)
    {
        // The rate and delay the link's devices would have (FabricHelper::Cable).
        const FabricLink& link = m_fabric->Link(l);
        m_servers[l].rate = DataRate(uint64_t(link.rateBps));
        m_servers[l].delay = link.delay.GetTimeStep();
        UseTxCache(m_servers[l]);
    }
}

void
ChunkTransport::UseTxCache(Server& s)
{
    NS_LOG_FUNCTION(this);
    const uint64_t bps = s.rate.GetBitRate();
    auto it = m_txCacheOfRate.find(bps);
    if (it == m_txCacheOfRate.end())
    {
        it = m_txCacheOfRate.emplace(bps, m_txCaches.size()).first;
        m_txCaches.emplace_back(Server::kTxCacheSize); // moving a cache keeps its entries' place
    }
    s.txCache = m_txCaches[it->second].data();
}

int64_t
ChunkTransport::TxTime(Server& s, uint32_t wireBytes) const
{
    NS_LOG_FUNCTION(this);
    Server::TxEntry& e = s.txCache[wireBytes & (Server::kTxCacheSize - 1)];
    if (e.wire != wireBytes)
    {
        // ns-3's own arithmetic (a 128-bit division): what a device would take.
        e.wire = wireBytes;
        e.time = s.rate.CalculateBytesTxTime(wireBytes).GetTimeStep();
    }
    return e.time;
}

uint32_t
ChunkTransport::DoSend(uint64_t id, uint32_t src, uint32_t dst, const std::vector<Lane>& lanes)
{
    NS_LOG_FUNCTION(this);
    uint32_t chunks = 0;
    if (m_spareMessages.empty())
    {
        m_messages.push_back(std::make_unique<Message>());
        m_spareMessages.push_back(m_messages.back().get());
    }
    Message* m = m_spareMessages.back();
    m_spareMessages.pop_back();
    m->id = id;
    m->payload = 0;
    m->trains.clear();
    m->at = -1;
    m->dirty = false;
    m->live = true;
    m->detours = 0;
    for (const Lane& lane : lanes)
    {
        m->payload += lane.bytes;
        Train* t = Launch(m, lane.lane, lane.bytes, *lane.path, true);
        t->src = src;
        t->dst = dst;
        chunks += t->wire.size();
    }
    Settle();
    return chunks;
}

ChunkTransport::Train*
ChunkTransport::Launch(
    Message* m, uint32_t lane, uint64_t bytes, const std::vector<uint32_t>& path, bool countTx)
{
    NS_LOG_FUNCTION(this);
    if (m_spare.empty())
    {
        m_trains.push_back(std::make_unique<Train>());
        m_spare.push_back(m_trains.back().get());
    }
    Train* t = m_spare.back();
    m_spare.pop_back();
    t->message = m;
    m->trains.push_back(t);
    t->delivered = -1;
    t->lane = lane;
    t->bytes = bytes;
    const LaneShape& shape = Shape(bytes, path.size());
    t->wire.assign(shape.wire.begin(), shape.wire.end());
    const size_t k = t->wire.size();
    t->hops.resize(path.size());
    for (uint32_t i = 0; i < t->hops.size(); ++i)
    {
        Hop& h = t->hops[i];
        h.train = t;
        h.index = i;
        h.link = path[i];
        h.arrived = false;
        h.settled = 0;
        h.listed = false;
        h.cap = UINT32_MAX;
        h.reach.clear();
        h.leave.clear();
        if (countTx)
        {
            // Every chunk crosses every link of the path once.
            m_fabric->CountTx(h.link, shape.wireBytes, shape.frames);
        }
    }
    // Every chunk is queued at the first link now, in order.
    t->hops[0].reach.assign(k, Simulator::Now().GetTimeStep());
    Arrive(&t->hops[0]);
    return t;
}

void
ChunkTransport::Arrive(Hop* hop)
{
    NS_LOG_FUNCTION(this);
    Server& s = m_servers[hop->link];
    hop->arrived = true;
    hop->settled = 0;
    hop->scheduled = false;
    hop->leave.resize(hop->reach.size());
    hop->listed = true;
    s.trains.push_back(hop);
    if (!s.dirty)
    {
        s.dirty = true;
        m_dirty.push_back(hop->link);
    }
}

void
ChunkTransport::Settle()
{
    NS_LOG_FUNCTION(this);
    const int64_t now = Simulator::Now().GetTimeStep();
    while (!m_dirty.empty())
    {
        const uint32_t link = m_dirty.front();
        m_dirty.pop_front();
        m_servers[link].dirty = false;
        Update(link, now);
    }
    for (Message* m : m_replan)
    {
        m->dirty = false;
        if (m->detours > 0)
        {
            // A lane lost on a failed link is still to be sent again: no delivery yet.
            Simulator::Remove(m->delivery);
            m->at = -1;
            continue;
        }
        int64_t last = 0;
        for (const Train* t : m->trains)
        {
            last = std::max(last, t->delivered);
        }
        if (last != m->at)
        {
            Simulator::Remove(m->delivery); // not left queued as a cancelled event
            m->at = last;
            m->delivery
                = Simulator::Schedule(TimeStep(last - now), &ChunkTransport::Deliver, this, m);
        }
    }
    m_replan.clear();
}

void
ChunkTransport::Update(uint32_t link, int64_t now)
{
    NS_LOG_FUNCTION(this);
    Server& s = m_servers[link];
    // Chunks that reached the link by now were scheduled when no later arrival was known, and
    // no arrival came since (it would have scheduled the link again): they keep their place.
    // After a change of rate only those that started keep theirs (Rerate counted them).
    const bool rerated = s.rerated;
    s.rerated = false;
    int64_t free = s.pastEnd;
    // Trains whose chunks have all reached the link leave its list (filtered in place).
    std::vector<Hop*>& listed = s.trains;
    size_t kept = 0;
    for (Hop* h : listed)
    {
        const uint32_t k = h->reach.size();
        while (!rerated && h->scheduled && h->settled < k && h->reach[h->settled] <= now)
        {
            ++h->settled;
        }
        if (h->settled > 0)
        {
            free = std::max(free, h->leave[h->settled - 1]);
        }
        if (h->settled == k)
        {
            s.pastEnd = std::max(s.pastEnd, h->leave[k - 1]);
            h->listed = false;
        }
        else
        {
            listed[kept++] = h;
        }
    }
    listed.resize(kept);
    if (listed.size() == 1)
    {
        // The common case, one train on the link: its chunks in order, no one else to look at.
        Hop* h = listed[0];
        uint32_t changed = UINT32_MAX;
        if (!h->scheduled)
        {
            h->scheduled = true;
            changed = h->settled;
        }
        const uint32_t k = h->reach.size();
        const int64_t* reach = h->reach.data();
        int64_t* leave = h->leave.data();
        const uint32_t* wire = h->train->wire.data();
        uint32_t lastWire = 0; // chunks come in two sizes: look the time up when it changes
        int64_t tx = 0;
        for (uint32_t i = h->settled; i < k; ++i)
        {
            if (wire[i] != lastWire)
            {
                lastWire = wire[i];
                tx = TxTime(s, lastWire);
            }
            free = std::max(reach[i], free) + tx;
            if (leave[i] != free)
            {
                leave[i] = free;
                changed = std::min(changed, i);
            }
        }
        if (changed != UINT32_MAX)
        {
            MoveOn(h, changed);
        }
        return;
    }
    // The others, first come first served (in the order their trains arrived on a tie).
    m_next.resize(listed.size());
    m_changed.assign(listed.size(), UINT32_MAX);
    for (size_t j = 0; j < listed.size(); ++j)
    {
        m_next[j] = listed[j]->settled;
    }
    while (true)
    {
        int pick = -1;
        for (size_t j = 0; j < listed.size(); ++j)
        {
            if (m_next[j] < listed[j]->reach.size()
                && (pick < 0 || listed[j]->reach[m_next[j]] < listed[pick]->reach[m_next[pick]]))
            {
                pick = j;
            }
        }
        if (pick < 0)
        {
            break;
        }
        Hop* h = listed[pick];
        if (!h->scheduled)
        {
            // Its first departures: every one moves on, whatever leave held before.
            h->scheduled = true;
            m_changed[pick] = m_next[pick];
        }
        // With one train left, serve the rest of it without looking at the others again.
        const uint32_t last = listed.size() == 1 ? h->reach.size() : m_next[pick] + 1;
        for (uint32_t i = m_next[pick]; i < last; ++i)
        {
            const int64_t end = std::max(h->reach[i], free) + TxTime(s, h->train->wire[i]);
            free = end;
            if (h->leave[i] != end)
            {
                h->leave[i] = end;
                m_changed[pick] = std::min(m_changed[pick], i);
            }
        }
        m_next[pick] = last;
    }
    // MoveOn only marks other links dirty (a path never crosses a link twice) or lists trains
    // there: this link's list and the scratch space stay as they are.
    for (size_t j = 0; j < listed.size(); ++j)
    {
        if (m_changed[j] != UINT32_MAX)
        {
            MoveOn(listed[j], m_changed[j]);
        }
    }
}

void
ChunkTransport::MoveOn(Hop* hop, uint32_t from)
{
    NS_LOG_FUNCTION(this);
    Train* t = hop->train;
    const Server& s = m_servers[hop->link];
    if (hop->index + 1 == t->hops.size())
    {
        // The destination: the lane is there with its last chunk.
        t->delivered = hop->leave.back() + s.delay;
        if (!t->message->dirty)
        {
            t->message->dirty = true;
            m_replan.push_back(t->message);
        }
        return;
    }
    Hop* n = &t->hops[hop->index + 1];
    const uint32_t k = std::min<uint32_t>(hop->leave.size(), n->cap);
    if (from >= k)
    {
        return; // chunks that a failed link stopped further on
    }
    n->reach.resize(k);
    for (uint32_t i = from; i < k; ++i)
    {
        n->reach[i] = hop->leave[i] + s.delay;
    }
    if (!n->arrived)
    {
        // The train is on the next link's list from now on, before its first chunk gets
        // there: every arrival there is known before it happens, so no event is needed.
        Arrive(n);
        return;
    }
    Server& ns = m_servers[n->link];
    if (!ns.dirty)
    {
        ns.dirty = true;
        m_dirty.push_back(n->link);
    }
}

void
ChunkTransport::Deliver(Message* message)
{
    NS_LOG_FUNCTION(this);
    // Every chunk has left every link of its path: the trains' places on them are history.
    for (Train* train : message->trains)
    {
        for (Hop& h : train->hops)
        {
            if (!h.listed)
            {
                continue; // left the link's list when its last chunk reached the link
            }
            Server& s = m_servers[h.link];
            auto it = std::find(s.trains.begin(), s.trains.end(), &h);
            s.pastEnd = std::max(s.pastEnd, h.leave.back());
            s.trains.erase(it);
            h.listed = false;
        }
        m_spare.push_back(train);
    }
    message->live = false;
    m_spareMessages.push_back(message);
    Arrived(message->id, message->payload);
}

void
ChunkTransport::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& m : m_messages)
    {
        m->delivery.Cancel();
    }
    m_messages.clear();
    m_spareMessages.clear();
    m_trains.clear();
    m_spare.clear();
    m_servers.clear();
    m_txCaches.clear();
    m_txCacheOfRate.clear();
    m_noPath.clear();
    m_dirty.clear();
    MessageTransport::DoDispose();
}

} // namespace wafer
} // namespace ns3
