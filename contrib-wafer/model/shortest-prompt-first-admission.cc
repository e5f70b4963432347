/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "shortest-prompt-first-admission.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferShortestPromptFirstAdmission");
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
    NS_LOG_FUNCTION(this);
    m_waiting.emplace(table.Record(request).inputTokens, m_arrivals++, request);
}

bool
ShortestPromptFirstAdmission::Empty() const
{
    NS_LOG_FUNCTION(this);
    return m_waiting.empty();
}

uint32_t
ShortestPromptFirstAdmission::Head() const
{
    NS_LOG_FUNCTION(this);
    return std::get<2>(*m_waiting.begin());
}

void
ShortestPromptFirstAdmission::PopHead()
{
    NS_LOG_FUNCTION(this);
    m_waiting.erase(m_waiting.begin());
}

} // namespace wafer
} // namespace ns3
