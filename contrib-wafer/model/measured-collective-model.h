/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_MEASURED_COLLECTIVE_MODEL_H
#define WAFER_MEASURED_COLLECTIVE_MODEL_H

#include "collective-model.h"

#include <optional>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One row of collective times measured on a simulated scale-up domain.
 */
struct CollectiveSample
{
    double bytes{0};     ///< all-reduce size, or bytes per rank of the all-to-all
    double ringS{0};     ///< ring all-reduce
    double treeS{0};     ///< double-binary-tree all-reduce
    double allToAllS{0}; ///< all-to-all
    /// Expert all-to-all across nodes (ExpertAllToAll), bytes being one rank's activations;
    /// measured only for a pool whose experts span nodes.
    double expertAllToAllS{0};
};

/**
 * \ingroup wafer
 * Collective times of one scale-up domain, measured by NetworkCollective on the domain's
 * simulated network (see ScaleUpDomainHelper) at a grid of sizes, and interpolated linearly in
 * bytes between them (beyond the last size: extended along the last two). A domain's network
 * carries nothing but its own collectives, so a collective's time depends only on its size and
 * one measurement per size serves every layer of every batch.
 */
class MeasuredCollectiveModel : public CollectiveModel
{
  public:
    static TypeId GetTypeId();

    /// The domain: \p ranks ranks of \p bandwidth bytes/s each, and its measured \p samples
    /// (at least two, by increasing size).
    void SetSamples(uint32_t ranks, double bandwidth, std::vector<CollectiveSample> samples);
    const std::vector<CollectiveSample>& Samples() const;
    /// The expert all-to-all of \p group, measured at each sample's size (after SetSamples).
    void SetExpertAllToAll(const ExpertGroup& group, const std::vector<double>& seconds);

    double RingAllReduceS(double bytes, uint32_t ranks, double bandwidth) const override;
    double TreeAllReduceS(double bytes, uint32_t ranks, double bandwidth) const override;
    double AllToAllS(double bytesPerRank, uint32_t ranks, double bandwidth) const override;
    double ExpertAllToAllS(double bytesPerRank, const ExpertGroup& group) const override;
    std::string Source() const override;

  private:
    double Interpolate(double bytes, double CollectiveSample::*field) const;
    /// Interpolate(bytes, field) for the measured domain; 0 for a single rank.
    double Lookup(double bytes,
                  uint32_t ranks,
                  double bandwidth,
                  double CollectiveSample::*field) const;
    void Check(uint32_t ranks, double bandwidth) const;

    uint32_t m_ranks{0};
    double m_bandwidth{0};
    std::vector<CollectiveSample> m_samples;
    std::optional<ExpertGroup> m_expertGroup;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_MEASURED_COLLECTIVE_MODEL_H
