/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PREEMPTION_POLICY_H
#define WAFER_PREEMPTION_POLICY_H

#include "sequence-table.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * When and whom a serving engine with a KV store preempts. Once the head of the admission queue
 * has waited PreemptAfter for KV space, and no idle sequence is left whose KV could move to the
 * store instead, one running sequence of a microbatch that has just finished a decode step gives
 * way: its KV moves to the store, and it comes back once that no longer keeps the head out. This
 * class chooses the member with the most tokens left to generate (the first on ties); subclasses
 * may choose otherwise.
 */
class PreemptionPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// Whether preemption is on at all (PreemptAfter > 0).
    bool Enabled() const;
    /// Whether a head that has waited \p waitedS seconds may make a running sequence give way.
    bool Due(double waitedS) const;
    /// The position in \p members (not empty) of the sequence that gives way.
    virtual size_t Victim(const std::vector<uint32_t>& members, const SequenceTable& table) const;

  private:
    Time m_preemptAfter;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PREEMPTION_POLICY_H
