/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "collective-model.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/string.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferCollectiveModel");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(CollectiveModel);

TypeId
CollectiveModel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::CollectiveModel")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<CollectiveModel>()
              .AddAttribute("Algorithm",
                            "All-reduce algorithm: ring, tree or best (the faster of the two).",
                            StringValue("best"),
                            MakeStringAccessor(&CollectiveModel::m_algorithm),
                            MakeStringChecker())
              .AddAttribute("StepLatency",
                            "Latency of one collective step through the scale-up switch "
                            "(an assumption: about 1 us through NVSwitch, launch included).",
                            TimeValue(MicroSeconds(1)),
                            MakeTimeAccessor(&CollectiveModel::m_stepLatency),
                            MakeTimeChecker(Seconds(0)));
    return tid;
}

CollectiveModel::CollectiveModel() :
    m_algorithm("best"),
    m_stepLatency(MicroSeconds(1))
{
    NS_LOG_FUNCTION(this);
}

double
CollectiveModel::RingAllReduceS(double bytes, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    if (ranks < 2)
    {
        return 0.0;
    }
    const double n = ranks;
    return 2 * (n - 1) * m_stepLatency.GetSeconds() + 2 * (n - 1) / n * bytes / bandwidth;
}

double
CollectiveModel::TreeAllReduceS(double bytes, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    if (ranks < 2)
    {
        return 0.0;
    }
    return 2 * std::ceil(std::log2(double(ranks))) * m_stepLatency.GetSeconds()
           + 2 * bytes / bandwidth;
}

double
CollectiveModel::AllToAllS(double bytesPerRank, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    if (ranks < 2)
    {
        return 0.0;
    }
    const double n = ranks;
    return m_stepLatency.GetSeconds() + (n - 1) / n * bytesPerRank / bandwidth;
}

double
CollectiveModel::ExpertAllToAllS(double bytesPerRank, const ExpertGroup& group) const
{
    NS_LOG_FUNCTION(this);
    const double alpha = m_stepLatency.GetSeconds();
    double s = 0;
    if (group.nodes > 1)
    {
        s += alpha + (group.nodes - 1) * group.ToEachNode(bytesPerRank) / group.scaleOutBytesPerS;
    }
    if (group.ranksPerNode > 1)
    {
        s += alpha
             + (group.ranksPerNode - 1) * group.ToEachRank(bytesPerRank) / group.scaleUpBytesPerS;
    }
    return s;
}

std::string
CollectiveModel::Source() const
{
    NS_LOG_FUNCTION(this);
    return "closed-form";
}

std::string
CollectiveModel::GetAlgorithm() const
{
    NS_LOG_FUNCTION(this);
    return m_algorithm;
}

double
CollectiveModel::AllReduceS(double bytes, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    if (m_algorithm == "ring")
    {
        return RingAllReduceS(bytes, ranks, bandwidth);
    }
    if (m_algorithm == "tree")
    {
        return TreeAllReduceS(bytes, ranks, bandwidth);
    }
    NS_ABORT_MSG_UNLESS(m_algorithm == "best", "CollectiveModel::Algorithm: ring, tree or best");
    return std::min(RingAllReduceS(bytes, ranks, bandwidth),
                    TreeAllReduceS(bytes, ranks, bandwidth));
}

} // namespace wafer
} // namespace ns3
