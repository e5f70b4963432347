/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "straggler-compute.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferStragglerCompute");
namespace wafer
{

StragglerCompute::StragglerCompute(std::unique_ptr<StageCompute> inner,
                                   std::vector<StragglerFault*> faults) :
    m_inner(std::move(inner)),
    m_faults(std::move(faults))
{
    NS_LOG_FUNCTION(this);
}

StageTiming
StragglerCompute::Decode(const DecodeBatch& batch) const
{
    NS_LOG_FUNCTION(this);
    return Slowed(m_inner->Decode(batch));
}

StageTiming
StragglerCompute::Prefill(double tokens, double priorContext, uint32_t sequences) const
{
    NS_LOG_FUNCTION(this);
    return Slowed(m_inner->Prefill(tokens, priorContext, sequences));
}

const StageAssignment&
StragglerCompute::Assignment() const
{
    NS_LOG_FUNCTION(this);
    return m_inner->Assignment();
}

StageTiming
StragglerCompute::Slowed(StageTiming t) const
{
    NS_LOG_FUNCTION(this);
    const double now = Simulator::Now().GetSeconds();
    double factor = 1;
    for (StragglerFault* f : m_faults)
    {
        if (now >= f->startS && now < f->startS + f->durationS)
        {
            factor *= f->slowdown;
            f->stepsSlowed += 1;
            f->extraBusyS += t.occupancyS * (f->slowdown - 1);
        }
    }
    if (factor != 1)
    {
        t.latencyS *= factor;
        t.occupancyS *= factor;
        t.collectiveS *= factor;
        t.maxKernelS *= factor;
    }
    return t;
}

} // namespace wafer
} // namespace ns3
