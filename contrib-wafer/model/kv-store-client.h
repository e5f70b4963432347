/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_KV_STORE_CLIENT_H
#define WAFER_KV_STORE_CLIENT_H

#include "decode-batcher.h"
#include "kv-budget.h"
#include "kv-cache-transfer.h"
#include "preemption-policy.h"
#include "sequence-table.h"

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

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
 * A serving engine's use of a KV store node (the CS-3's KVSS: a CPU server with DDR5) on the
 * fabric. Offload: when a request waits for KV space, the KV cache of a sequence that is idle
 * (waiting for a decode place) moves to the store and frees the decode stages; it is reloaded,
 * again over the network, when a place frees up. One offload at a time. Sessions (KeepSessions):
 * a finished turn of a multi-turn conversation leaves its KV in the store, and the session's next
 * turn reloads it and prefills only its new tokens; the oldest sessions are evicted when the
 * store is full.
 *
 * Transfers go between the store and every decode stage, each holding its layers' share.
 */
class KvStoreClient : public Object
{
  public:
    static TypeId GetTypeId();

    typedef Callback<void, uint32_t> SequenceCallback;
    /// Signature of the Offloaded and Fetched trace sources: the request whose KV moved, when
    /// its first byte left and its last byte arrived, and the KV payload bytes.
    typedef void (*KvMoveTracedCallback)(const LlmRequest& request,
                                         Time first,
                                         Time last,
                                         uint64_t bytes);

    /**
     * \param stages the decode stages' KV holders
     * \param node the store's ns-3 node id
     * \param capacityBytes the store's memory
     */
    void Setup(const LlmCostModel& model,
               Ptr<MessageTransport> transport,
               SequenceTable* table,
               Ptr<KvBudget> budget,
               const std::vector<KvHolder>& stages,
               uint32_t node,
               double capacityBytes);
    /**
     * \param offloaded a sequence's KV has left the decode stages for the store
     * \param reloaded a sequence's KV is back on the decode stages
     * \param sessionSaved a finished turn's KV has reached the store
     * \param sessionReloaded a session's cached prefix is back: its new tokens may be prefilled
     */
    void SetCallbacks(SequenceCallback offloaded,
                      SequenceCallback reloaded,
                      SequenceCallback sessionSaved,
                      SequenceCallback sessionReloaded);

    /// Whether finished session turns keep their KV in the store.
    bool KeepsSessions() const;
    /// Whether an offload is under way.
    bool Offloading() const;
    /// Whether \p tokens tokens of KV fit in the store's free space.
    bool Fits(double tokens) const;
    /// Whether \p sequence's KV is on its way to or from the store.
    bool InTransit(uint32_t sequence) const;

    /**
     * Whether \p sequence, first in line for a decode place, may take it now: a preempted one
     * only once its KV has left and its return no longer keeps \p head (the head of the
     * admission queue, or nullptr) out; an offloaded one reloads first, when the decode stages
     * have room for its KV.
     */
    DecodeBatcher::Offer OfferPlace(uint32_t sequence, const LlmRequest* head) const;
    /**
     * After a decode step, the position in \p members of the sequence that gives way to
     * \p head under \p policy, or -1: only when the head has waited long enough, no \p idle
     * sequence's KV could move instead, the head waits for KV space (not a slot) and the
     * victim's KV fits in the store.
     */
    int64_t Victim(const std::vector<uint32_t>& members,
                   const std::deque<uint32_t>& idle,
                   const LlmRequest& head,
                   const PreemptionPolicy& policy) const;

    /// Offload the most recently queued of the \p idle sequences whose KV is still on the
    /// stages, if the store has room and no offload is under way.
    void MaybeOffload(const std::deque<uint32_t>& idle);
    /// Move an offloaded sequence's KV back to the decode stages (its space there is reserved).
    void Reload(uint32_t sequence);
    /// Keep a finished session turn's KV in the store (its space on the stages stays reserved
    /// until it has left).
    void SaveSession(uint32_t sequence);
    /// Start reloading the cached prefix of \p sequence's session; false if there is none.
    bool ReloadSession(uint32_t sequence);

    /**
     * A decode stage's device is lost, and with it every KV cache on the stages and every move
     * to or from them: moves to the store are void (an offload's sequence keeps its KV on the
     * stages, lost with them; a finished turn's session copy is dropped), moves from the store
     * stop with the store's copy intact (a reload's space on the stages is given back; a
     * session's prefix is in the store again). Nothing of a voided move calls back.
     * \return the admitted sequences whose KV is whole in the store (offloaded, or reloading):
     *         they keep it, and reload it when offered a decode place
     */
    std::vector<uint32_t> StagesLost();

  protected:
    void DoDispose() override;

  private:
    /// Move \p sequence's KV between the decode stages and the store and call back.
    void MoveKv(uint32_t sequence, bool toStore);
    /// What a move in transit is for.
    enum class MoveKind
    {
        Offload,       ///< an idle sequence's KV to the store
        Reload,        ///< an offloaded sequence's KV back to the stages
        SessionSave,   ///< a finished turn's KV to the store
        SessionReload, ///< a session's cached prefix back to the stages
    };
    /// Session moves: the session and its copy's size.
    struct SessionKv
    {
        double tokens{0};
        double bytes{0};
    };
    /// A move under way.
    struct Move
    {
        uint64_t id{0};
        MoveKind kind{MoveKind::Offload};
        std::unique_ptr<KvCacheTransfer> transfer;
        bool finished{false}; ///< its callback ran (it is destroyed right after)
        int64_t session{-1};
        SessionKv copy; ///< a session move's copy
    };
    /// Move \p context tokens of \p sequence's KV to or from the store (by \p kind); \p then
    /// gets the first and last byte times and the bytes. \return the move
    Move& Transfer(uint32_t sequence,
                   MoveKind kind,
                   double context,
                   std::function<void(Time, Time, uint64_t)> then);
    /// Forget a session's copy in the store.
    void DropSession(int64_t session);

    bool m_keepSessions;
    const LlmCostModel* m_model{nullptr};
    Ptr<MessageTransport> m_transport;
    SequenceTable* m_table{nullptr};
    Ptr<KvBudget> m_budget;
    std::vector<KvHolder> m_stages;
    uint32_t m_node{0};
    double m_capacity{0};
    double m_used{0};
    bool m_offloading{false};
    /// Transfers under way, by sequence.
    std::map<uint32_t, Move> m_moves;
    uint64_t m_moveIds{0};
    /// Transfers a device loss voided, kept while their messages may still arrive.
    std::vector<std::unique_ptr<KvCacheTransfer>> m_abandoned;
    /// A session's KV in the store (the tokens it covers and its bytes), by session.
    std::map<int64_t, SessionKv> m_sessions;
    std::deque<int64_t> m_sessionOrder; ///< oldest first
    SequenceCallback m_offloaded;
    SequenceCallback m_reloaded;
    SequenceCallback m_sessionSaved;
    SequenceCallback m_sessionReloaded;
    TracedCallback<const LlmRequest&, Time, Time, uint64_t> m_offloadTrace;
    TracedCallback<const LlmRequest&, Time, Time, uint64_t> m_fetchTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_KV_STORE_CLIENT_H
