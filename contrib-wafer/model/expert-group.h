/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_EXPERT_GROUP_H
#define WAFER_EXPERT_GROUP_H

#include <cstdint>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * An expert-parallel group across nodes: the routed experts of an MoE layer sharded evenly over
 * Nodes x RanksPerNode ranks (GPUs), each node a scale-up domain (NVLink), the nodes joined by
 * the ranks' scale-out NICs. Attention stays tensor-parallel inside a node and data-parallel
 * across the nodes (each node serves its share of the batch).
 *
 * Dispatch runs DeepEP-style in two phases: a rank sends each of its tokens once to every
 * other node that holds one of the token's experts, over the scale-out NIC to the rank of the
 * same index there (same rail); that rank forwards it over NVLink once to each rank of its node
 * that holds one of the token's experts. Combine is the reverse, with the same volumes. Each
 * token picks its k experts uniformly and without repetition among the E routed experts, so a
 * set of s experts is needed by a token with probability 1 - prod_{i<k} (E - s - i) / (E - i).
 */
struct ExpertGroup
{
    uint32_t nodes{1};           ///< nodes (scale-up domains) in the group
    uint32_t ranksPerNode{1};    ///< ranks of a node (its tensor-parallel degree)
    double nodeShare{0};         ///< share of a rank's tokens that one other node needs
    double rankShare{0};         ///< share of a node's tokens that one of its ranks needs
    double scaleOutBytesPerS{0}; ///< one rank's scale-out bandwidth, each way
    double scaleUpBytesPerS{0};  ///< one rank's scale-up bandwidth, each way

    /// The shares for \p experts routed experts of which a token picks \p active.
    static ExpertGroup For(uint32_t experts,
                           uint32_t active,
                           uint32_t nodes,
                           uint32_t ranksPerNode);
    /// Probability that a token's \p active experts of \p experts include one of \p held.
    static double NeedShare(uint32_t experts, uint32_t active, uint32_t held);

    uint32_t Ranks() const;
    /// Scale-out bytes one rank sends to each other node, for \p bytesPerRank of its tokens.
    double ToEachNode(double bytesPerRank) const;
    /// Scale-up bytes one rank forwards to each other rank of its node: what the Nodes ranks of
    /// its index (its own included) sent to its node, for \p bytesPerRank each.
    double ToEachRank(double bytesPerRank) const;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_EXPERT_GROUP_H
