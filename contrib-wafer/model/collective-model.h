/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_COLLECTIVE_MODEL_H
#define WAFER_COLLECTIVE_MODEL_H

#include "expert-group.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Collectives inside a scale-up domain (GPUs behind NVSwitch), in closed form (the alpha-beta
 * model of NCCL's algorithms), with B the per-GPU bandwidth each way and alpha the step latency:
 * - ring all-reduce of S bytes over n ranks: 2 (n - 1) alpha + 2 (n - 1) / n x S / B;
 * - tree all-reduce (pipelined double binary tree): 2 ceil(log2 n) alpha + 2 S / B;
 * - "best" takes the faster of the two, as NCCL's tuner does;
 * - all-to-all of S bytes per rank: alpha + (n - 1) / n x S / B (each rank sends S / n to each
 *   other rank through a non-blocking switch);
 * - expert all-to-all across N nodes of t ranks (ExpertGroup, DeepEP-style): the scale-out phase
 *   alpha + (N - 1) x ToEachNode(S) / B_out, then, with t > 1, the NVLink phase
 *   alpha + (t - 1) x ToEachRank(S) / B_up, S being the activations of one rank's tokens.
 * MeasuredCollectiveModel replaces the closed forms by times simulated on the domain's network.
 */
class CollectiveModel : public Object
{
  public:
    static TypeId GetTypeId();
    CollectiveModel();

    /// Seconds to all-reduce \p bytes over \p ranks ranks with \p bandwidth bytes/s per rank,
    /// by the Algorithm attribute.
    double AllReduceS(double bytes, uint32_t ranks, double bandwidth) const;
    virtual double RingAllReduceS(double bytes, uint32_t ranks, double bandwidth) const;
    virtual double TreeAllReduceS(double bytes, uint32_t ranks, double bandwidth) const;
    /// Seconds for an all-to-all in which every rank holds \p bytesPerRank bytes.
    virtual double AllToAllS(double bytesPerRank, uint32_t ranks, double bandwidth) const;
    /// Seconds for one dispatch (or combine) of an expert group across nodes, in which every
    /// rank holds \p bytesPerRank bytes of token activations.
    virtual double ExpertAllToAllS(double bytesPerRank, const ExpertGroup& group) const;
    /// "closed-form", or "simulated" for times measured on a network.
    virtual std::string Source() const;

    /// ring, tree or best.
    std::string GetAlgorithm() const;

  private:
    std::string m_algorithm;
    Time m_stepLatency;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_COLLECTIVE_MODEL_H
