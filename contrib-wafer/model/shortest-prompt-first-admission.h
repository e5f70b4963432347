/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SHORTEST_PROMPT_FIRST_ADMISSION_H
#define WAFER_SHORTEST_PROMPT_FIRST_ADMISSION_H

#include "admission-policy.h"

#include <set>
#include <tuple>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Shortest prompt first: the waiting request with the fewest prompt tokens is admitted next
 * (ties: arrival order). Short prompts overtake long ones that arrived earlier, which lowers the
 * mean time to first token when prompts queue, at the risk of starving long prompts under
 * sustained load. Like FcfsAdmission, the head blocks the others while it waits for KV space.
 */
class ShortestPromptFirstAdmission : public AdmissionPolicy
{
  public:
    static TypeId GetTypeId();

    void Add(uint32_t request, const SequenceTable& table) override;
    bool Empty() const override;
    uint32_t Head() const override;
    void PopHead() override;

  private:
    /// (prompt tokens, arrival number, request): the set's order is the order of service.
    std::set<std::tuple<uint32_t, uint64_t, uint32_t>> m_waiting;
    uint64_t m_arrivals{0};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SHORTEST_PROMPT_FIRST_ADMISSION_H
