/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "shortest-prompt-first-admission.h"

namespace ns3
{
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(ShortestPromptFirstAdmission);

TypeId
ShortestPromptFirstAdmission::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::ShortestPromptFirstAdmission")
                            .SetParent<AdmissionPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<ShortestPromptFirstAdmission>();
    return tid;
}

void
ShortestPromptFirstAdmission::Add(uint32_t request, const SequenceTable& table)
{
    m_waiting.emplace(table.Record(request).inputTokens, m_arrivals++, request);
}

bool
ShortestPromptFirstAdmission::Empty() const
{
    return m_waiting.empty();
}

uint32_t
ShortestPromptFirstAdmission::Head() const
{
    return std::get<2>(*m_waiting.begin());
}

void
ShortestPromptFirstAdmission::PopHead()
{
    m_waiting.erase(m_waiting.begin());
}

} // namespace wafer
} // namespace ns3
