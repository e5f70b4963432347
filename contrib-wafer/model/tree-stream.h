/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_TREE_STREAM_H
#define WAFER_TREE_STREAM_H

#include "message-transport.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Data pipelined in chunks along a tree of endpoints, hop by hop over a MessageTransport: the
 * engine of the tree all-reduce (NetworkCollective), of SwarmX's weight broadcast and of its
 * in-network gradient reduction.
 *
 * - Broadcast: the root holds every chunk; a node forwards chunk c to each child once it has it.
 * - Reduce: a node sends chunk c to its parent once chunk c of every child has arrived (leaves at
 *   once), so every link carries the data once (in-network reduction). Without reduction
 *   (SetReduction(false)) a node forwards its children's chunks unreduced: chunk c up a link
 *   carries chunk bytes x the leaves below.
 * - AllReduce: Reduce, and the root broadcasts chunk c as soon as it has reduced it.
 *
 * Sends are in chunk order with at most Window chunks in flight per link direction; a node's
 * first send in each direction waits \p startOverhead (launch cost). A Source callback may gate
 * the root's chunks (e.g. reads from a weight store). One operation per object.
 */
class TreeStream
{
  public:
    enum class Mode
    {
        Broadcast,
        Reduce,
        AllReduce,
    };
    /// Asked for chunk c of the root's data; must call the given callback once it is ready.
    typedef Callback<void, uint32_t, uint64_t, Callback<void>> SourceCallback;

    /**
     * \param transport the network
     * \param nodes ns-3 node id of every tree position
     * \param parent parent position of every position (-1: the root)
     */
    TreeStream(Ptr<MessageTransport> transport,
               std::vector<uint32_t> nodes,
               std::vector<int32_t> parent);

    void SetChunkBytes(uint64_t bytes);
    void SetWindow(uint32_t chunks);
    void SetStartOverhead(Time overhead);
    void SetReduction(bool inNetwork);
    void SetSource(SourceCallback source);
    void SetKind(TransferKind kind);

    /// Move \p bytes; \p done gets the duration.
    void Start(Mode mode, uint64_t bytes, Callback<void, Time> done);

    /// Depth of the tree (links from the root to the deepest leaf).
    uint32_t Depth() const;

  private:
    void Pump(uint32_t node);
    void Arrived(uint32_t from, uint32_t to, uint32_t chunk, bool up);
    bool Launched(Time& ready, uint32_t node);
    void SourceReady(uint32_t chunk);
    void RequestSource();
    void Complete();

    Ptr<MessageTransport> m_transport;
    std::vector<uint32_t> m_nodes;
    std::vector<int32_t> m_parent;
    std::vector<std::vector<uint32_t>> m_children;
    std::vector<uint32_t> m_leavesBelow;
    uint64_t m_chunkBytes{1 << 20};
    uint32_t m_window{2};
    Time m_startOverhead;
    bool m_reduction{true};
    SourceCallback m_source;
    TransferKind m_kind{TransferKind::Other};

    Mode m_mode{Mode::Broadcast};
    Time m_start;
    Callback<void, Time> m_done;
    std::vector<uint64_t> m_chunk; ///< bytes of every chunk
    uint64_t m_outstanding{0};     ///< chunk arrivals still to come before completion
    uint32_t m_sourceNext{0};      ///< next chunk to ask the source for
    bool m_sourceBusy{false};
    // Per node: children's copies of each chunk received; next chunk up; sends in flight up.
    std::vector<std::vector<uint32_t>> m_upArrived;
    std::vector<uint32_t> m_upNext;
    std::vector<uint32_t> m_upInFlight;
    // Per node: chunks it holds for the broadcast; per child edge: next chunk, in flight.
    std::vector<std::vector<bool>> m_have;
    std::vector<std::vector<uint32_t>> m_downNext;
    std::vector<std::vector<uint32_t>> m_downInFlight;
    std::vector<Time> m_upReady;
    std::vector<Time> m_downReady;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_TREE_STREAM_H
