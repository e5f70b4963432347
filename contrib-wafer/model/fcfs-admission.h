/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FCFS_ADMISSION_H
#define WAFER_FCFS_ADMISSION_H

#include "admission-policy.h"

#include <deque>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * First come, first served: requests are admitted in arrival order, and the oldest blocks the
 * others while it waits for KV space (no overtaking).
 */
class FcfsAdmission : public AdmissionPolicy
{
  public:
    static TypeId GetTypeId();

    void Add(uint32_t request, const SequenceTable& table) override;
    /// Ahead of those that arrived after it was first admitted: it goes first again.
    void Return(uint32_t request, const SequenceTable& table) override;
    bool Empty() const override;
    uint32_t Head() const override;
    void PopHead() override;

  private:
    std::deque<uint32_t> m_waiting;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_FCFS_ADMISSION_H
