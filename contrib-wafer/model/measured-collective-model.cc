/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "measured-collective-model.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferMeasuredCollectiveModel");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(MeasuredCollectiveModel);

TypeId
MeasuredCollectiveModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::MeasuredCollectiveModel")
                            .SetParent<CollectiveModel>()
                            .SetGroupName("Wafer")
                            .AddConstructor<MeasuredCollectiveModel>();
    return tid;
}

void
MeasuredCollectiveModel::SetSamples(uint32_t ranks,
                                    double bandwidth,
                                    std::vector<CollectiveSample> samples)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(samples.size() < 2, "MeasuredCollectiveModel: needs at least two sizes");
    NS_ABORT_MSG_UNLESS(std::is_sorted(samples.begin(),
                                       samples.end(),
                                       [](const CollectiveSample& a, const CollectiveSample& b)
                                       {
                                           return a.bytes < b.bytes;
                                       }),
                        "MeasuredCollectiveModel: sizes must increase");
    m_ranks = ranks;
    m_bandwidth = bandwidth;
    m_samples = std::move(samples);
}

const std::vector<CollectiveSample>&
MeasuredCollectiveModel::Samples() const
{
    NS_LOG_FUNCTION(this);
    return m_samples;
}

void
MeasuredCollectiveModel::Check(uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(ranks == m_ranks && std::abs(bandwidth - m_bandwidth) <= 1e-9 * bandwidth,
                        "MeasuredCollectiveModel: asked about another domain than measured");
}

double
MeasuredCollectiveModel::Lookup(double bytes,
                                uint32_t ranks,
                                double bandwidth,
                                double CollectiveSample::*field) const
{
    NS_LOG_FUNCTION(this);
    if (ranks < 2)
    {
        return 0.0;
    }
    Check(ranks, bandwidth);
    return Interpolate(bytes, field);
}

double
MeasuredCollectiveModel::Interpolate(double bytes, double CollectiveSample::*field) const
{
    NS_LOG_FUNCTION(this);
    // The segment holding bytes (the first or last one beyond the grid).
    auto hi = std::lower_bound(m_samples.begin(),
                               m_samples.end(),
                               bytes,
                               [](const CollectiveSample& s, double b)
                               {
                                   return s.bytes < b;
                               });
    if (hi == m_samples.begin())
    {
        ++hi;
    }
    if (hi == m_samples.end())
    {
        --hi;
    }
    const CollectiveSample& a = *(hi - 1);
    const CollectiveSample& b = *hi;
    const double f = (bytes - a.bytes) / (b.bytes - a.bytes);
    return std::max(0.0, a.*field + f * (b.*field - a.*field));
}

double
MeasuredCollectiveModel::RingAllReduceS(double bytes, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    return Lookup(bytes, ranks, bandwidth, &CollectiveSample::ringS);
}

double
MeasuredCollectiveModel::TreeAllReduceS(double bytes, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    return Lookup(bytes, ranks, bandwidth, &CollectiveSample::treeS);
}

double
MeasuredCollectiveModel::AllToAllS(double bytesPerRank, uint32_t ranks, double bandwidth) const
{
    NS_LOG_FUNCTION(this);
    return Lookup(bytesPerRank, ranks, bandwidth, &CollectiveSample::allToAllS);
}

void
MeasuredCollectiveModel::SetExpertAllToAll(const ExpertGroup& group,
                                           const std::vector<double>& seconds)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(seconds.size() == m_samples.size(),
                        "MeasuredCollectiveModel: an expert all-to-all time for every size");
    for (size_t i = 0; i < seconds.size(); ++i)
    {
        m_samples[i].expertAllToAllS = seconds[i];
    }
    m_expertGroup = group;
}

double
MeasuredCollectiveModel::ExpertAllToAllS(double bytesPerRank, const ExpertGroup& group) const
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(m_expertGroup && m_expertGroup->nodes == group.nodes
                            && m_expertGroup->ranksPerNode == group.ranksPerNode,
                        "MeasuredCollectiveModel: asked about another expert group than measured");
    return Interpolate(bytesPerRank, &CollectiveSample::expertAllToAllS);
}

std::string
MeasuredCollectiveModel::Source() const
{
    NS_LOG_FUNCTION(this);
    return "simulated";
}

} // namespace wafer
} // namespace ns3
