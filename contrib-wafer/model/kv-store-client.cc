/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "kv-store-client.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferKvStoreClient");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(KvStoreClient);

TypeId
KvStoreClient::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::KvStoreClient")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<KvStoreClient>()
              .AddAttribute("KeepSessions",
                            "When a request of a session (multi-turn conversation) finishes, its "
                            "KV cache moves to the store; the session's next turn reloads it and "
                            "prefills only the new tokens (prefix reuse). The oldest sessions are "
                            "evicted when the store is full.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&KvStoreClient::m_keepSessions),
                            MakeBooleanChecker())
              .AddTraceSource("Offloaded",
                              "A request's KV cache reached the store: a waiting or preempted "
                              "sequence's, or a finished session turn's.",
                              MakeTraceSourceAccessor(&KvStoreClient::m_offloadTrace),
                              "ns3::wafer::KvStoreClient::KvMoveTracedCallback")
              .AddTraceSource("Fetched",
                              "A request's KV cache came back from the store: a sequence "
                              "reloaded for decode, or a session's cached prefix.",
                              MakeTraceSourceAccessor(&KvStoreClient::m_fetchTrace),
                              "ns3::wafer::KvStoreClient::KvMoveTracedCallback");
    return tid;
}

void
KvStoreClient::Setup(const LlmCostModel& model,
                     Ptr<MessageTransport> transport,
                     SequenceTable* table,
                     Ptr<KvBudget> budget,
                     const std::vector<KvHolder>& stages,
                     uint32_t node,
                     double capacityBytes)
{
    NS_LOG_FUNCTION(this);
    m_model = &model;
    m_transport = transport;
    m_table = table;
    m_budget = budget;
    m_stages = stages;
    m_node = node;
    m_capacity = capacityBytes;
}

void
KvStoreClient::SetCallbacks(SequenceCallback offloaded,
                            SequenceCallback reloaded,
                            SequenceCallback sessionSaved,
                            SequenceCallback sessionReloaded)
{
    NS_LOG_FUNCTION(this);
    m_offloaded = offloaded;
    m_reloaded = reloaded;
    m_sessionSaved = sessionSaved;
    m_sessionReloaded = sessionReloaded;
}

bool
KvStoreClient::KeepsSessions() const
{
    NS_LOG_FUNCTION(this);
    return m_keepSessions;
}

bool
KvStoreClient::Offloading() const
{
    NS_LOG_FUNCTION(this);
    return m_offloading;
}

bool
KvStoreClient::Fits(double tokens) const
{
    NS_LOG_FUNCTION(this);
    return !(m_used + m_model->KvBytes(tokens) > m_capacity);
}

bool
KvStoreClient::InTransit(uint32_t sequence) const
{
    NS_LOG_FUNCTION(this);
    return m_moves.count(sequence) > 0;
}

DecodeBatcher::Offer
KvStoreClient::OfferPlace(uint32_t sequence, const LlmRequest* head) const
{
    NS_LOG_FUNCTION(this);
    const SequenceState& s = m_table->State(sequence);
    const LlmRequest& r = m_table->Record(sequence);
    if (s.preempted && (!s.offloaded || (head && !m_budget->FitsWith(*head, &r))))
    {
        return DecodeBatcher::Offer::Wait;
    }
    if (!s.offloaded)
    {
        return DecodeBatcher::Offer::Join;
    }
    if (InTransit(sequence) && m_offloading)
    {
        return DecodeBatcher::Offer::Wait; // still on its way to the store
    }
    return m_budget->ServingFits(r) ? DecodeBatcher::Offer::Reload : DecodeBatcher::Offer::Wait;
}

int64_t
KvStoreClient::Victim(const std::vector<uint32_t>& members,
                      const std::deque<uint32_t>& idle,
                      const LlmRequest& head,
                      const PreemptionPolicy& policy) const
{
    NS_LOG_FUNCTION(this);
    if (!policy.Enabled() || m_offloading
        || !policy.Due(Simulator::Now().GetSeconds() - head.arrivalS))
    {
        return -1;
    }
    for (uint32_t id : idle)
    {
        if (!m_table->State(id).offloaded)
        {
            return -1; // an idle sequence can make room without stopping a running one
        }
    }
    if (m_budget->Fits(head))
    {
        return -1; // the head waits for a sequence slot, not for KV space
    }
    const size_t victim = policy.Victim(members, *m_table);
    return Fits(m_table->Context(members[victim])) ? int64_t(victim) : -1;
}

void
KvStoreClient::MaybeOffload(const std::deque<uint32_t>& idle)
{
    NS_LOG_FUNCTION(this);
    if (m_offloading)
    {
        return;
    }
    // The most recently queued idle sequence whose KV is still on the stages.
    for (auto it = idle.rbegin(); it != idle.rend(); ++it)
    {
        SequenceState& s = m_table->State(*it);
        if (s.offloaded)
        {
            continue;
        }
        if (!Fits(m_table->Context(*it)))
        {
            return;
        }
        s.offloaded = true;
        m_offloading = true;
        MoveKv(*it, true);
        return;
    }
}

void
KvStoreClient::Reload(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    MoveKv(sequence, false);
}

void
KvStoreClient::MoveKv(uint32_t sequence, bool toStore)
{
    NS_LOG_FUNCTION(this << sequence << toStore);
    NS_LOG_INFO("KV of sequence " << sequence << (toStore ? " to" : " from") << " the store");
    Transfer(sequence,
             toStore ? MoveKind::Offload : MoveKind::Reload,
             m_table->Context(sequence),
             [this, sequence, toStore](Time first, Time last, uint64_t bytes)
             {
                 LlmRequest& r = m_table->Record(sequence);
                 if (toStore)
                 {
                     // The sequence's space is free once its KV has left every stage; it goes
                     // to the head of the admission queue first.
                     m_budget->ReserveServing(r, -1);
                     m_used += bytes;
                     r.offloads += 1;
                     m_offloading = false;
                     m_offloaded(sequence);
                 }
                 else
                 {
                     m_used -= bytes;
                     m_table->State(sequence).offloaded = false;
                     r.reloadS += (last - first).GetSeconds();
                     m_reloaded(sequence);
                 }
             });
}

KvStoreClient::Move&
KvStoreClient::Transfer(uint32_t sequence,
                        MoveKind kind,
                        double context,
                        std::function<void(Time, Time, uint64_t)> then)
{
    NS_LOG_FUNCTION(this);
    const KvHolder store{m_node, 0, m_model->Layers()};
    const uint64_t moveId = ++m_moveIds;
    const bool toStore = kind == MoveKind::Offload || kind == MoveKind::SessionSave;
    auto done = [this, sequence, moveId, toStore, then](Time first, Time last, uint64_t bytes)
    {
        (toStore ? m_offloadTrace : m_fetchTrace)(m_table->Record(sequence), first, last, bytes);
        m_moves.at(sequence).finished = true;
        // Destroy the finished transfer after this callback, unless a newer one replaced it.
        Simulator::ScheduleNow(
            [this, sequence, moveId]()
            {
                auto it = m_moves.find(sequence);
                if (it != m_moves.end() && it->second.id == moveId)
                {
                    m_moves.erase(it);
                }
            });
        then(first, last, bytes);
    };
    auto move = std::make_unique<KvCacheTransfer>(*m_model,
                                                  m_transport,
                                                  toStore ? std::vector<KvHolder>{store} : m_stages,
                                                  context,
                                                  KvCacheTransfer::Granularity::Whole,
                                                  toStore ? m_stages.size() : 1,
                                                  done);
    KvCacheTransfer* raw = move.get();
    Move& entry = m_moves[sequence];
    entry = Move();
    entry.id = moveId;
    entry.kind = kind;
    entry.transfer = std::move(move);
    if (toStore)
    {
        for (const KvHolder& h : m_stages)
        {
            raw->Send(h);
        }
    }
    else
    {
        raw->Send(store);
    }
    return entry;
}

void
KvStoreClient::SaveSession(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    const LlmRequest& r = m_table->Record(sequence);
    const double tokens = double(r.inputTokens) + r.outputTokens;
    const double bytes = m_model->KvBytes(tokens);
    // A newer turn replaces the session's older copy; the oldest sessions make room.
    DropSession(r.session);
    while (m_used + bytes > m_capacity && !m_sessionOrder.empty())
    {
        DropSession(m_sessionOrder.front());
    }
    if (m_used + bytes > m_capacity)
    {
        m_budget->ReserveServing(r, -1); // too large for the store: dropped
        return;
    }
    m_used += bytes;
    const int64_t session = r.session;
    Move& move = Transfer(sequence,
                          MoveKind::SessionSave,
                          tokens,
                          [this, sequence, session, tokens, bytes](Time, Time, uint64_t)
                          {
                              m_budget->ReserveServing(m_table->Record(sequence), -1);
                              DropSession(session); // a copy saved meanwhile is older than this one
                              m_sessions[session] = {tokens, bytes}; // its space was reserved above
                              m_sessionOrder.push_back(session);
                              m_sessionSaved(sequence);
                          });
    move.session = session;
    move.copy = {tokens, bytes};
}

void
KvStoreClient::DropSession(int64_t session)
{
    NS_LOG_FUNCTION(this);
    auto it = m_sessions.find(session);
    if (it == m_sessions.end())
    {
        return;
    }
    m_used -= it->second.bytes;
    m_sessions.erase(it);
    m_sessionOrder.erase(std::find(m_sessionOrder.begin(), m_sessionOrder.end(), session));
}

bool
KvStoreClient::ReloadSession(uint32_t sequence)
{
    NS_LOG_FUNCTION(this << sequence);
    LlmRequest& r = m_table->Record(sequence);
    auto it = m_sessions.find(r.session);
    if (it == m_sessions.end())
    {
        return false;
    }
    const SessionKv cached = it->second;
    if (cached.tokens >= r.inputTokens)
    {
        DropSession(r.session); // the prompt does not extend that context: stale
        return false;
    }
    // The store's copy moves back to the stages; its space is free once it has left.
    m_sessions.erase(it);
    m_sessionOrder.erase(std::find(m_sessionOrder.begin(), m_sessionOrder.end(), r.session));
    Move& move = Transfer(sequence,
                          MoveKind::SessionReload,
                          cached.tokens,
                          [this, sequence, cached](Time first, Time last, uint64_t)
                          {
                              LlmRequest& q = m_table->Record(sequence);
                              m_used -= cached.bytes;
                              q.cachedPrefix = static_cast<uint32_t>(cached.tokens);
                              q.reloadS += (last - first).GetSeconds();
                              m_sessionReloaded(sequence);
                          });
    move.session = r.session;
    move.copy = cached;
    return true;
}

std::vector<uint32_t>
KvStoreClient::StagesLost()
{
    NS_LOG_FUNCTION(this);
    std::set<uint32_t> kept;
    for (auto& [sequence, move] : m_moves)
    {
        if (move.finished)
        {
            continue; // done: its effects stand
        }
        move.transfer->Cancel();
        m_abandoned.push_back(std::move(move.transfer));
        SequenceState& s = m_table->State(sequence);
        const LlmRequest& r = m_table->Record(sequence);
        switch (move.kind)
        {
        case MoveKind::Offload:
            // Its source is gone: the KV never got whole to the store (its space there is
            // taken only on arrival), and what was on the stages is lost.
            s.offloaded = false;
            m_offloading = false;
            break;
        case MoveKind::Reload:
            // The store keeps its copy; the space taken on the stages for it is free again.
            m_budget->ReserveServing(r, -1);
            kept.insert(sequence);
            break;
        case MoveKind::SessionSave:
            // The finished turn's KV never got whole to the store: no session copy.
            m_used -= move.copy.bytes;
            m_budget->ReserveServing(r, -1);
            break;
        case MoveKind::SessionReload:
            // The prefix is in the store again, for the turn's next admission.
            m_sessions[move.session] = move.copy;
            m_sessionOrder.push_back(move.session);
            break;
        }
    }
    m_moves.clear();
    for (uint32_t i = 0; i < m_table->Size(); ++i)
    {
        const SequenceState& s = m_table->State(i);
        if (s.admitted && s.offloaded)
        {
            kept.insert(i); // whole in the store (an offload in transit was undone above)
        }
    }
    return {kept.begin(), kept.end()};
}

void
KvStoreClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_transport = nullptr;
    m_budget = nullptr;
    m_moves.clear();
    m_offloadTrace = TracedCallback<const LlmRequest&, Time, Time, uint64_t>();
    m_fetchTrace = TracedCallback<const LlmRequest&, Time, Time, uint64_t>();
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
