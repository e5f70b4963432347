/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CHUNK_TRANSPORT_H
#define WAFER_CHUNK_TRANSPORT_H

#include "message-transport.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Chunk fidelity: each lane of a message is cut into k chunks of whole frames; every link serves
 * the chunks that reach it first come, first served, and every node on the way stores a chunk
 * whole and forwards it on its lane's next link (store and forward), with ns-3's transmission
 * times (DataRate::CalculateBytesTxTime of a chunk's wire bytes) and the link's delay.
 *
 * k = min(frames of the lane, ceil(links on the path / Accuracy)): store-and-forward of a chunk
 * instead of a frame adds (links - 1) chunk times, at most about Accuracy of the lane's
 * transmission time. Accuracy 0 sends one frame per chunk.
 *
 * The chunks of a lane travel as a train, listed on every link of its path when it is sent;
 * each link computes its chunks' departures in the order they reach it, rather than simulating
 * them one by one, so a message costs one event per lane (its delivery) whatever its size and
 * path. When another train is listed on a link, or a listed train's chunks will reach it at other
 * times, the link's schedule is computed again from that moment (chunks that reached it by then
 * keep their departures) and what changed moves on to the next links. The result is that of
 * chunk-by-chunk first-come first-served queueing: equal to the same chunks through ns-3
 * NetDevices and queues (DeviceChunkTransport), but for the order of chunks that reach a link at
 * the same picosecond, which follows the order trains were sent in.
 *
 * Link faults (chunk-transport-faults.cc): a link whose rate changes (lanes of its cable lost or
 * back) serves at the new rate every chunk that has not started on it; the chunk being sent
 * finishes at the old rate. A link that goes down loses the chunks on the wire and those still
 * to cross it; the chunks that crossed it go on. The source sends the lost and unsent payload
 * again, as a new train on the lane's new path, after RerouteDelay (selective repeat: the
 * receiver has every chunk that crossed). Chunks already past the source and short of the
 * failed link keep their places on the links before it, as frames already queued in switches
 * would, and go no further.
 */
class ChunkTransport : public MessageTransport
{
  public:
    static TypeId GetTypeId();
    ChunkTransport();
    ~ChunkTransport() override;

    /// Chunks a lane of \p bytes uses over \p links links.
    uint64_t ChunksPerLane(uint64_t bytes, uint32_t links) const;

    std::string Fidelity() const override;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;
    uint64_t UnitWireBytes(uint64_t bytes, uint32_t links) const override;
    void DoDispose() override;
    void DoLinkState(uint32_t link, double upShare) override;

    /// The payload of each chunk of a lane of \p bytes over \p links links: whole frames per
    /// chunk, so the wire bytes equal those of frame-by-frame sending.
    std::vector<uint64_t> ChunkPayloads(uint64_t bytes, uint32_t links) const;

  private:
    struct Train;
    struct Message;

    /// One train's chunks on one link of its path.
    struct Hop
    {
        Train* train{nullptr};
        uint32_t index{0}; ///< position on the path
        uint32_t link{0};  ///< link id
        // Times in ns-3 time steps (Time::GetTimeStep): plain integers in the inner loops.
        std::vector<int64_t> reach; ///< when each chunk is whole at the link's sender
        std::vector<int64_t> leave; ///< when each chunk's last bit has left on the link
        bool arrived{false};        ///< listed on its link once (it stays so until reused)
        uint32_t settled{0};        ///< chunks that reached the link before the last update
        bool scheduled{false};      ///< leave holds departures (the link has updated since)
        bool listed{false};         ///< on the link's list of trains
        /// Chunks that will cross this link: all of them, but past a failed link only those
        /// that crossed it before it failed.
        uint32_t cap{UINT32_MAX};
    };

    /// The chunks of one lane of one message, on every link of its path.
    struct Train
    {
        Message* message{nullptr};
        std::vector<uint32_t> wire; ///< wire bytes of each chunk
        std::vector<Hop> hops;
        int64_t delivered{-1}; ///< when its last chunk reaches the destination (-1: none will)
        uint32_t src{0};       ///< endpoints and lane (a detour takes the lane's new path)
        uint32_t dst{0};
        uint32_t lane{0};
        uint64_t bytes{0}; ///< the lane's payload (ChunkPayloads gives each chunk's)
    };

    /// The trains of one message: it is delivered, in one event, with its last lane.
    struct Message
    {
        uint64_t id{0};
        uint64_t payload{0};
        std::vector<Train*> trains;
        EventId delivery;
        int64_t at{-1};      ///< when the delivery event is
        bool dirty{false};   ///< a train's delivery time changed since the event was planned
        bool live{false};    ///< sent and not yet delivered
        uint32_t detours{0}; ///< lanes waiting to be sent again (no delivery before they are)
    };

    /// What a failed link left of a lane: sent again on the lane's new path after a delay.
    struct Detour
    {
        Message* message{nullptr};
        uint32_t src{0};
        uint32_t dst{0};
        uint32_t lane{0};
        uint64_t payload{0};    ///< bytes of the chunks lost or not sent
        uint64_t resentWire{0}; ///< wire bytes of the chunks lost on the wire
        uint32_t failedLink{0};
        int64_t failedAt{0};
    };

    /// A link's first-come first-served server.
    struct Server
    {
        DataRate rate;
        int64_t delay{0};
        /// Transmission times by wire bytes, direct-mapped (a lane's chunks come in two sizes),
        /// shared by the links of one rate so that it stays in cache.
        struct TxEntry
        {
            uint32_t wire{0};
            int64_t time{0};
        };
        static constexpr uint32_t kTxCacheSize = 64; ///< a power of two: indexed by a mask
        TxEntry* txCache{nullptr};
        std::vector<Hop*> trains; ///< trains with chunks that may still move on this link
        int64_t pastEnd{0};       ///< last departure of the trains no longer listed
        bool dirty{false};
        bool rerated{false}; ///< the rate changed: chunks not started are served again
    };

    /// List \p hop's train on its link (its chunks' reach times are known).
    void Arrive(Hop* hop);
    /// Schedule a link again from now: chunks that reached it by now keep their departures;
    /// the others are served in arrival order after them.
    void Update(uint32_t link, int64_t now);
    /// Pass \p hop's departures from chunk \p from on to the next link (or the destination).
    void MoveOn(Hop* hop, uint32_t from);
    /// Update every link marked dirty, in order, until nothing changes; then plan the delivery
    /// of every message whose lanes' times changed.
    void Settle();
    /// The last chunk of \p message's last lane reached the destination.
    void Deliver(Message* message);
    int64_t TxTime(Server& s, uint32_t wireBytes) const;
    /// A spare train for a lane of \p bytes of \p m over \p path, its chunks at the first link
    /// now; counts its wire bytes on the path's links unless \p countTx is false.
    Train* Launch(
        Message* m, uint32_t lane, uint64_t bytes, const std::vector<uint32_t>& path, bool countTx);
    /// Point \p s at the transmission-time cache of its rate (made if new).
    void UseTxCache(Server& s);

    // Faults (chunk-transport-faults.cc).
    /// Cut every live train at \p link (down): what did not cross it is sent again.
    void Evacuate(uint32_t link, int64_t now);
    /// \p link changed rate: chunks not yet started on it are served again at the new rate.
    void Rerate(uint32_t link, int64_t now);
    /// Send a detoured lane on its new path (or wait for one).
    void Resume(Detour d);
    /// Take \p hop off its link's list.
    void Unlist(Hop* hop);
    /// Chunks of \p hop whose transmission started before \p now (by its link's old rate).
    uint32_t Started(Hop* hop, int64_t now);

    /// The chunks of a lane of some size over some number of links.
    struct LaneShape
    {
        uint64_t bytes{0};
        uint32_t links{0}; ///< 0: empty
        std::vector<uint32_t> wire;
        uint64_t wireBytes{0};
        uint64_t frames{0};
    };
    const LaneShape& Shape(uint64_t bytes, uint32_t links);
    LaneShape m_shapes[2];

    std::vector<Server> m_servers;                        ///< by link id
    std::vector<std::vector<Server::TxEntry>> m_txCaches; ///< one per distinct link rate
    std::map<uint64_t, size_t> m_txCacheOfRate;           ///< bit/s -> m_txCaches index
    std::vector<Detour> m_noPath; ///< detoured lanes with no path yet (until a link is back)
    /// Every train ever made; those delivered wait in m_spare to carry another lane (their
    /// vectors keep their capacity: no allocation per message once warm).
    std::vector<std::unique_ptr<Train>> m_trains;
    std::vector<Train*> m_spare;
    std::vector<std::unique_ptr<Message>> m_messages; ///< pooled the same way
    std::vector<Message*> m_spareMessages;
    std::vector<Message*> m_replan; ///< messages whose delivery must be planned again
    std::deque<uint32_t> m_dirty;
    // Scratch space of Update (kept to avoid allocations per update).
    std::vector<uint32_t> m_next;
    std::vector<uint32_t> m_changed;
    double m_accuracy;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_CHUNK_TRANSPORT_H
