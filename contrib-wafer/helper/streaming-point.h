/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STREAMING_POINT_H
#define WAFER_STREAMING_POINT_H

#include "attribute-settings.h"
#include "streaming-scenario.h"

#include "ns3/weight-streaming-engine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What one weight-streamed pass (or training step) measured.
 */
struct StreamingPoint
{
    double passS{0};               ///< the pass, until the last item's update
    double computeS{0};            ///< the items' compute, summed
    double streamS{0};             ///< the items' broadcasts, summed
    double exposedS{0};            ///< compute waiting for weights: last compute end - compute
    double tailS{0};               ///< after the last compute: reductions and updates
    std::string tier;              ///< the MemoryX tier holding the weights
    std::vector<StreamItem> items; ///< each item's timeline
};

/**
 * \ingroup wafer
 * Runs one point of a weight-streaming study in a simulation of its own: MemoryX, the SwarmX
 * tree and the CS systems as ns-3 nodes (SwarmXHelper, configured by the study's attribute
 * settings), the items streamed through them by a WeightStreamingEngine.
 */
class StreamingPointHelper
{
  public:
    /// \param ports ports of every tree edge
    StreamingPointHelper(const StreamingScenario& study,
                         const AttributeSettings& settings,
                         uint32_t ports);

    /// Stream \p items to \p systems systems from a MemoryX holding \p storeBytes.
    /// \throws InputError if MemoryX cannot hold them.
    StreamingPoint Run(uint32_t systems,
                       const std::vector<StreamItem>& items,
                       double storeBytes) const;

  private:
    const StreamingScenario& m_study;
    AttributeSettings m_settings;
    uint32_t m_ports;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STREAMING_POINT_H
