/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ADMISSION_POLICY_H
#define WAFER_ADMISSION_POLICY_H

#include "sequence-table.h"

#include "ns3/object.h"

#include <cstdint>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Which waiting request a serving engine tries to admit next. Requests that arrived and were not
 * rejected wait here; the engine admits the head while it fits in KV space and a sequence slot
 * is free (MaxSequences), and otherwise lets it wait at the head, so that a policy decides the
 * order of service. Subclasses define the order (FcfsAdmission, ShortestPromptFirstAdmission).
 */
class AdmissionPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// A request arrived: it waits for admission.
    virtual void Add(uint32_t request, const SequenceTable& table) = 0;
    /// An admitted request lost its KV (a device loss) and waits again; by default as if it
    /// had just arrived.
    virtual void Return(uint32_t request, const SequenceTable& table)
    {
        Add(request, table);
    }
    /// Whether no request waits.
    virtual bool Empty() const = 0;
    /// The request to admit next (only when not Empty).
    virtual uint32_t Head() const = 0;
    /// The head was admitted.
    virtual void PopHead() = 0;

    /// Whether another sequence may start while \p running are in flight (MaxSequences).
    bool SlotFree(uint32_t running) const;

  private:
    uint32_t m_maxSequences{0};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_ADMISSION_POLICY_H
