/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "expert-group.h"

namespace ns3
{
namespace wafer
{

double
ExpertGroup::NeedShare(uint32_t experts, uint32_t active, uint32_t held)
{
    // Probability that none of the active experts is among the held ones, drawn one by one.
    double none = 1.0;
    for (uint32_t i = 0; i < active && none > 0; ++i)
    {
        const double left = double(experts) - i;
        none *= left > held ? (left - held) / left : 0.0;
    }
    return 1.0 - none;
}

ExpertGroup
ExpertGroup::For(uint32_t experts, uint32_t active, uint32_t nodes, uint32_t ranksPerNode)
{
    ExpertGroup g;
    g.nodes = nodes;
    g.ranksPerNode = ranksPerNode;
    const uint32_t perRank = experts / (nodes * ranksPerNode);
    g.nodeShare = NeedShare(experts, active, perRank * ranksPerNode);
    g.rankShare = NeedShare(experts, active, perRank);
    return g;
}

uint32_t
ExpertGroup::Ranks() const
{
    return nodes * ranksPerNode;
}

double
ExpertGroup::ToEachNode(double bytesPerRank) const
{
    return bytesPerRank * nodeShare;
}

double
ExpertGroup::ToEachRank(double bytesPerRank) const
{
    return nodes * bytesPerRank * rankShare;
}

} // namespace wafer
} // namespace ns3
