/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "preemption-policy.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferPreemptionPolicy");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(PreemptionPolicy);

TypeId
PreemptionPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::PreemptionPolicy")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<PreemptionPolicy>()
              .AddAttribute("PreemptAfter",
                            "With a KV store: once the head of the admission queue has waited "
                            "this long for KV space and no idle sequence is left to offload, "
                            "preempt the running sequence with the most tokens left at its next "
                            "decode step and offload its KV (0: never preempt).",
                            TimeValue(Seconds(0)),
                            MakeTimeAccessor(&PreemptionPolicy::m_preemptAfter),
                            MakeTimeChecker(Seconds(0)));
    return tid;
}

bool
PreemptionPolicy::Enabled() const
{
    NS_LOG_FUNCTION(this);
    return !m_preemptAfter.IsZero();
}

bool
PreemptionPolicy::Due(double waitedS) const
{
    NS_LOG_FUNCTION(this);
    return !(waitedS < m_preemptAfter.GetSeconds());
}

size_t
PreemptionPolicy::Victim(const std::vector<uint32_t>& members, const SequenceTable& table) const
{
    NS_LOG_FUNCTION(this);
    auto left = [&table](uint32_t id)
    {
        return table.Record(id).outputTokens - table.State(id).generated;
    };
    const auto victim = std::max_element(members.begin(),
                                         members.end(),
                                         [&left](uint32_t a, uint32_t b)
                                         {
                                             return left(a) < left(b);
                                         });
    return victim - members.begin();
}

} // namespace wafer
} // namespace ns3
