/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SEQUENCE_TABLE_H
#define WAFER_SEQUENCE_TABLE_H

#include "llm-request.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A serving engine's own state of one request's sequence: what it needs to schedule it, none of
 * which is a result.
 */
struct SequenceState
{
    uint32_t generated{0};   ///< output tokens so far
    bool offloaded{false};   ///< its KV is in the KV store now
    bool preempted{false};   ///< out of decode, waiting for its KV to leave and come back
    bool admitted{false};    ///< holds KV and a sequence slot (admitted, not finished)
    bool prefillHeld{false}; ///< split: holds KV space on the prefill stages (its prefill or
                             ///< its KV move is under way)
};

/**
 * \ingroup wafer
 * The requests one engine serves, by index (the order they were submitted in): each request's
 * record (its input, and its outcome as it happens) beside the engine's state of its sequence.
 * The engine and its collaborators share one table; only records leave the engine.
 */
class SequenceTable
{
  public:
    /// Add a request; \return its index.
    uint32_t Add(const LlmRequest& request)
    {
        m_records.push_back(request);
        m_states.emplace_back();
        return m_records.size() - 1;
    }

    LlmRequest& Record(uint32_t i)
    {
        return m_records[i];
    }

    const LlmRequest& Record(uint32_t i) const
    {
        return m_records[i];
    }

    SequenceState& State(uint32_t i)
    {
        return m_states[i];
    }

    const SequenceState& State(uint32_t i) const
    {
        return m_states[i];
    }

    /// Tokens of KV the sequence holds now: its prompt and what it has generated.
    double Context(uint32_t i) const
    {
        return double(m_records[i].inputTokens) + m_states[i].generated;
    }

    const std::vector<LlmRequest>& Records() const
    {
        return m_records;
    }

    uint32_t Size() const
    {
        return m_records.size();
    }

  private:
    std::vector<LlmRequest> m_records;
    std::vector<SequenceState> m_states;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SEQUENCE_TABLE_H
