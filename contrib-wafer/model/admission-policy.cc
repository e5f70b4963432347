/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "admission-policy.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferAdmissionPolicy");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(AdmissionPolicy);

TypeId
AdmissionPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::AdmissionPolicy")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddAttribute("MaxSequences",
                            "Most sequences admitted at once (0: limited by KV space only).",
                            UintegerValue(0),
                            MakeUintegerAccessor(&AdmissionPolicy::m_maxSequences),
                            MakeUintegerChecker<uint32_t>());
    return tid;
}

bool
AdmissionPolicy::SlotFree(uint32_t running) const
{
    NS_LOG_FUNCTION(this);
    return m_maxSequences == 0 || running < m_maxSequences;
}

} // namespace wafer
} // namespace ns3
