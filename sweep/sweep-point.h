/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWEEP_POINT_H
#define WAFER_SWEEP_POINT_H

#include "sweep-spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

struct ExpectedRun;

/**
 * \ingroup wafer
 * One run of a sweep: its parameter values, the scenario it materialises, its ns-3 attribute
 * overrides and seed. Its files are named by a hash of exactly those, so a point that changes
 * gets new files and one that does not keeps its result.
 */
struct SweepPoint
{
    size_t id{0};
    std::vector<std::pair<std::string, nlohmann::json>> parameters; ///< varied values, in order
    uint64_t seed{1};
    std::string scenarioText; ///< the materialised scenario file's text
    std::vector<std::pair<std::string, std::string>> attributes; ///< --Name=value overrides
    std::string stem; ///< file name stem: 16 hex digits of the content hash
    /// Whether its seed changes anything: false for a fixed trace without random faults.
    bool seedMatters{true};

    /// The overrides as wafer-sim records them: "--Name=value" separated by spaces.
    std::string AttributeOverrides() const;
    /// The parameters as a JSON object (for the index).
    nlohmann::json ParameterObject() const;
    /// "network.link=cpo-800g, model=llama-3.1-70b, seed 2" for messages.
    std::string Describe() const;
    /// What its result file must record.
    ExpectedRun Expected() const;
};

/**
 * \ingroup wafer
 * Every point of \p spec (grid x zip groups x seeds; the first grid axis varies slowest, seeds
 * fastest), each checked as wafer-sim checks its input before running: the scenario loader,
 * model, device and link names, and attribute names and values.
 * \throws InputError "<sweep file>: point K (...): <field>: <reason>" for the first bad point.
 */
std::vector<SweepPoint> ExpandSweep(const SweepSpec& spec);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWEEP_POINT_H
