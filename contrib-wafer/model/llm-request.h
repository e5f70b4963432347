/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LLM_REQUEST_H
#define WAFER_LLM_REQUEST_H

#include <cstdint>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One inference request (its input fields) and what happened to it (the rest): the record a
 * serving engine reports; its own scheduling state is elsewhere (SequenceState). Times are
 * simulation seconds; -1 = not reached.
 */
struct LlmRequest
{
    uint64_t id{0};
    double arrivalS{0};
    uint32_t inputTokens{0};
    uint32_t outputTokens{0};
    /// Conversation it continues (-1: none): its prompt holds the previous turn's context.
    int64_t session{-1};

    bool rejected{false};
    std::string rejectReason; ///< "context_limit" or "kv_capacity" when rejected
    /// Failed: admitted or queued, then lost to a fault the deployment could not recover from.
    bool failed{false};
    std::string failReason;   ///< "device_lost" (in service or queued) or "replica_drained"
    double failedS{-1};       ///< when it failed
    double admittedS{-1};     ///< KV reserved, prefill queued
    double firstTokenS{-1};   ///< prefill done at the last stage: the first output token
    double doneS{-1};         ///< last output token
    double kvTransferS{-1};   ///< prefill/decode split: first KV byte sent to last received
    uint64_t kvBytes{0};      ///< prefill/decode split: KV bytes moved
    double kvDoneS{-1};       ///< prefill/decode split: the last KV byte arrived
    uint32_t offloads{0};     ///< times its KV moved to the KV store (and back)
    double reloadS{0};        ///< time spent reloading its KV from the store
    uint32_t preemptions{0};  ///< times it was taken out of decode to make room (see PreemptAfter)
    uint32_t cachedPrefix{0}; ///< prompt tokens whose KV came back from the store (not prefilled)
    uint32_t replica{0};      ///< the replica that served it (RequestRouter)
    uint32_t routerQueue{0};  ///< its replica's unfinished requests when the router chose it

    /// Time to first token: arrival to first output token.
    double TtftS() const;
    /// Time per output token after the first: (done - first) / (output - 1); 0 for one token.
    double TpotS() const;
    /// End to end: arrival to last token.
    double E2eS() const;
    /// Arrival to admission (waiting for KV space or a sequence slot).
    double QueueS() const;
    /// Admission to first token: the prefill, with its queueing at the stages.
    double PrefillS() const;
    /// Split: first token to the last KV byte at the decode stages (the KV latency not hidden
    /// behind the prefill); -1 without a split.
    double KvWaitS() const;
    bool Done() const;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LLM_REQUEST_H
