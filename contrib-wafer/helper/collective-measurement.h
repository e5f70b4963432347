/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_COLLECTIVE_MEASUREMENT_H
#define WAFER_COLLECTIVE_MEASUREMENT_H

#include "resolved-scenario.h"
#include "result-table.h"

#include "ns3/collective-model.h"
#include "ns3/llm-request.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The collective models of a deployment's two pipelines, and the /collectives table when they
 * were simulated.
 */
struct PoolCollectives
{
    Ptr<CollectiveModel> decode;
    Ptr<CollectiveModel> prefill;
    ResultTable table; ///< /collectives: no rows when nothing was simulated
};

/**
 * \ingroup wafer
 * The first step of a serving run with tensor parallelism: the collectives of each
 * tensor-parallel pipeline, simulated on a scale-up domain of its own (ns-3 nodes behind one
 * switch, see ScaleUpDomainHelper) from 1 KiB up to the largest activation the \p requests can
 * produce, or the closed forms where the scenario asks for them or a stage is one device. Each
 * measurement runs, and destroys, a simulation of its own: call this before building the
 * cluster.
 */
PoolCollectives MeasureCollectives(const ResolvedScenario& scenario,
                                   const std::vector<LlmRequest>& requests);

} // namespace wafer
} // namespace ns3

#endif // WAFER_COLLECTIVE_MEASUREMENT_H
