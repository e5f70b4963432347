/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_NETWORK_COLLECTIVE_H
#define WAFER_NETWORK_COLLECTIVE_H

#include "message-transport.h"
#include "tree-stream.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Collectives executed message by message over a MessageTransport, among a set of endpoints
 * (the GPUs of a scale-up domain), so that their time is what the network gives: link rates,
 * lane striping, switch latency and contention at the chosen fidelity.
 *
 * - Ring all-reduce of S bytes over n ranks: 2 (n - 1) synchronous steps; in each, every rank
 *   sends S / n bytes to its successor, and the step ends when all n have arrived.
 * - Tree all-reduce: NCCL's double binary tree. Two trees each carry half of S, cut into
 *   chunks of TreeChunkBytes; a rank sends chunk c up once it holds chunk c of all its children,
 *   the root starts sending chunk c down once it has reduced it, and inner ranks forward it on
 *   arrival, so reduction and broadcast overlap. Tree 2 is tree 1 shifted by one rank, so that
 *   tree 1's leaves are inner ranks of tree 2.
 * - All-to-all of S bytes per rank: every rank sends S / n bytes to every other rank at once.
 *
 * Every step (ring) or tree level sender (tree) and the all-to-all start pay StepOverhead: the
 * launch and synchronisation cost that the network does not model.
 * One collective runs at a time.
 */
class NetworkCollective : public Object
{
  public:
    /// Called with the collective's duration when it completes.
    typedef Callback<void, Time> DoneCallback;

    static TypeId GetTypeId();
    NetworkCollective();

    /// Run over \p transport among the endpoints \p ranks (ns-3 node ids, ring order).
    void Setup(Ptr<MessageTransport> transport, const std::vector<uint32_t>& ranks);

    void RingAllReduce(uint64_t bytes, DoneCallback done);
    void TreeAllReduce(uint64_t bytes, DoneCallback done);
    void AllToAll(uint64_t bytesPerRank, DoneCallback done);

    /// Signature of CollectiveStarted: the collective ("ring_all_reduce", "tree_all_reduce" or
    /// "all_to_all") and its size (all-reduce bytes, or bytes per rank of an all-to-all).
    typedef void (*StartedTracedCallback)(const std::string& kind, uint64_t bytes);
    /// Signature of CollectiveDone: the same, and how long it took.
    typedef void (*DoneTracedCallback)(const std::string& kind, uint64_t bytes, Time duration);

    /// Parent (or -1 for the root) of every rank in binary tree \p tree (0 or 1) of \p n ranks.
    static std::vector<int32_t> TreeParents(uint32_t n, uint32_t tree);

  protected:
    void DoDispose() override;

  private:
    void Begin(const char* kind, uint64_t bytes, DoneCallback done);
    void Finish();
    void RingStep();
    void RingArrived();

    Ptr<MessageTransport> m_transport;
    std::vector<uint32_t> m_ranks;
    Time m_stepOverhead;
    uint64_t m_treeChunkBytes;
    uint32_t m_treeWindow;

    bool m_busy{false};
    Time m_start;
    std::string m_kind;
    uint64_t m_bytes{0};
    TracedCallback<const std::string&, uint64_t> m_startedTrace;
    TracedCallback<const std::string&, uint64_t, Time> m_doneTrace;
    DoneCallback m_done;
    uint32_t m_outstanding{0};
    // Ring.
    uint32_t m_ringStep{0};
    uint64_t m_ringPiece{0};
    // Tree: the two trees of the running all-reduce.
    std::vector<std::unique_ptr<TreeStream>> m_trees;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_NETWORK_COLLECTIVE_H
