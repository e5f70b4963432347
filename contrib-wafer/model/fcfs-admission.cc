/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fcfs-admission.h"

namespace ns3
{
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(FcfsAdmission);

TypeId
FcfsAdmission::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::FcfsAdmission")
                            .SetParent<AdmissionPolicy>()
                            .SetGroupName("Wafer")
                            .AddConstructor<FcfsAdmission>();
    return tid;
}

void
FcfsAdmission::Add(uint32_t request, const SequenceTable&)
{
    m_waiting.push_back(request);
}

void
FcfsAdmission::Return(uint32_t request, const SequenceTable&)
{
    m_waiting.push_front(request);
}

bool
FcfsAdmission::Empty() const
{
    return m_waiting.empty();
}

uint32_t
FcfsAdmission::Head() const
{
    return m_waiting.front();
}

void
FcfsAdmission::PopHead()
{
    m_waiting.pop_front();
}

} // namespace wafer
} // namespace ns3
