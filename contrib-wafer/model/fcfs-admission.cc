/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fcfs-admission.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferFcfsAdmission");
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
    NS_LOG_FUNCTION(this);
    m_waiting.push_back(request);
}

void
FcfsAdmission::Return(uint32_t request, const SequenceTable&)
{
    NS_LOG_FUNCTION(this);
    m_waiting.push_front(request);
}

bool
FcfsAdmission::Empty() const
{
    NS_LOG_FUNCTION(this);
    return m_waiting.empty();
}

uint32_t
FcfsAdmission::Head() const
{
    NS_LOG_FUNCTION(this);
    return m_waiting.front();
}

void
FcfsAdmission::PopHead()
{
    NS_LOG_FUNCTION(this);
    m_waiting.pop_front();
}

} // namespace wafer
} // namespace ns3
