/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SCENARIO_FAULTS_H
#define WAFER_SCENARIO_FAULTS_H

#include "json-fields.h"
#include "result-table.h"

#include "ns3/device-fault.h"
#include "ns3/link-fault-injector.h"
#include "ns3/straggler-compute.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The scenario's faults, by kind (each kind's model reads its own list).
 */
struct ScenarioFaults
{
    std::vector<StragglerFault> stragglers;
    std::vector<LinkFaultSpec> links; ///< random ones with unset figures (< 0) take the link's
    std::vector<DeviceFault> devices;
};

/**
 * \ingroup wafer
 * The scenario's `faults` section: a list of objects, each with a `kind`. Kinds:
 * - `straggler`: `stage` (index in its pipeline), `pool` ("decode", the default, or "prefill"),
 *   `replica` (default 0), `start_s`, `duration_s`, `slowdown` (>= 1).
 * - `device`: `stage` (of the decode pipeline), `pool`, `replica` (default 0), `start_s`,
 * `detect_s` (default 10), `spare` (default true): the device is lost and a spare takes over after
 * detection and loading the stage's weights; without a spare the replica is drained.
 * - `link`: `link` (a cable, by the name of either direction as in /links), `start_s`,
 *   `duration_s`, `lanes_lost` (omitted: the whole cable is down).
 * - `switch`: `switch` (a switch, by its name in /links: switch, leaf0, spine1, ...), `start_s`,
 *   `duration_s`: every cable on it is down.
 * - `link_failures`: random failures over every cable from `start_s` for `duration_s` (default:
 *   the whole run), at the link preset's rate times `rate_scale`; `cable_mtbf_hours`,
 *   `flap_share`, `flap_s` and `repair_s` replace the preset's figures.
 */
ScenarioFaults ReadFaults(const JsonFields& scenario);

/// Faults that name a stage the deployment does not have (or a prefill pool it has not), and
/// link faults at a fidelity that does not model them, are input errors.
void CheckFaultTargets(const ScenarioFaults& faults,
                       uint32_t decodeStages,
                       uint32_t prefillStages,
                       const std::string& fidelity,
                       uint32_t replicas = 1);

/// /faults: one row per fault, with its effect on the run (stragglers, device losses, then link
/// faults); with \p replicas (more than one) a target names its replica.
ResultTable FaultTable(const std::vector<StragglerFault>& stragglers,
                       const std::vector<DeviceFault>& devices,
                       const std::vector<LinkFaultRecord>& links,
                       bool replicas = false);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SCENARIO_FAULTS_H
