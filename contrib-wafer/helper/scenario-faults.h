/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SCENARIO_FAULTS_H
#define WAFER_SCENARIO_FAULTS_H

#include "json-fields.h"
#include "result-table.h"

#include "ns3/straggler-compute.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The scenario's `faults` section: a list of objects, each with a `kind`. Kinds:
 * - `straggler`: `stage` (index in its pipeline), `pool` ("decode", the default, or "prefill"),
 *   `start_s`, `duration_s`, `slowdown` (>= 1).
 */
std::vector<StragglerFault> ReadFaults(const JsonFields& scenario);

/// Faults that name a stage the deployment does not have are input errors.
void CheckFaultTargets(const std::vector<StragglerFault>& faults,
                       uint32_t decodeStages,
                       uint32_t prefillStages);

/// /faults: one row per fault, with its effect on the run.
ResultTable FaultTable(const std::vector<StragglerFault>& faults);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SCENARIO_FAULTS_H
