/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-request.h"

namespace ns3
{
namespace wafer
{

double
LlmRequest::TtftS() const
{
    return firstTokenS < 0 ? -1 : firstTokenS - arrivalS;
}

double
LlmRequest::TpotS() const
{
    if (doneS < 0)
    {
        return -1;
    }
    return outputTokens > 1 ? (doneS - firstTokenS) / (outputTokens - 1) : 0.0;
}

double
LlmRequest::E2eS() const
{
    return doneS < 0 ? -1 : doneS - arrivalS;
}

double
LlmRequest::QueueS() const
{
    return admittedS < 0 ? -1 : admittedS - arrivalS;
}

double
LlmRequest::PrefillS() const
{
    return firstTokenS < 0 ? -1 : firstTokenS - admittedS;
}

double
LlmRequest::KvWaitS() const
{
    return kvDoneS < 0 ? -1 : kvDoneS - firstTokenS;
}

bool
LlmRequest::Done() const
{
    return doneS >= 0;
}

} // namespace wafer
} // namespace ns3
