/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_STREAMING_RUN_H
#define WAFER_STREAMING_RUN_H

#include "result-table.h"
#include "streaming-scenario.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Runs every point of a StreamingScenario, each in a simulation of its own (MemoryX, SwarmX and
 * the wafers as ns-3 nodes, WeightStreamingEngine), and returns the tables /points, /layers (the
 * last point's timeline) and /summary.
 */
class StreamingRun
{
  public:
    /// \param overrides --ns3::Class::Attribute=value settings of the command line
    static std::vector<ResultTable> Run(const StreamingScenario& scenario,
                                        const AttributeTexts& overrides);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_STREAMING_RUN_H
