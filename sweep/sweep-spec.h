/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWEEP_SPEC_H
#define WAFER_SWEEP_SPEC_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Schema of sweep files.
extern const char* const kSweepSchema;

/**
 * \ingroup wafer
 * One varied (or fixed) parameter of a sweep: a dotted scenario field ("network.link") or an
 * ns-3 attribute ("ns3::wafer::RooflineEngine::KernelOverhead"), with its values.
 */
struct SweepAxis
{
    std::string name;
    std::string where; ///< where the sweep file gives it, for messages: "grid.network.link"
    std::vector<nlohmann::json> values;

    /// ns-3 attributes have "::" in their name; everything else is a scenario field path.
    bool IsAttribute() const;
};

/**
 * \ingroup wafer
 * A sweep file (schema "wafer-sweep/1", docs/sweeps.md): a base scenario, fixed settings, a grid
 * (every combination), zipped lists (taken together, row by row) and seeds. Loading checks the
 * file's structure; SweepPoints() checks each point's scenario.
 */
class SweepSpec
{
  public:
    /// \throws InputError "<file>: <field>: <reason>".
    static SweepSpec LoadFile(const std::string& path);

    const std::string& Path() const;
    const std::string& Name() const;
    /// The base scenario, with its relative paths (trace, catalogs) made absolute.
    const nlohmann::json& Base() const;
    /// Fixed settings applied to every point, before the varied ones.
    const std::vector<SweepAxis>& Fixed() const;
    /// Grid axes, in the file's order (the first varies slowest).
    const std::vector<SweepAxis>& Grid() const;
    /// Zip groups: the axes of a group have equal lengths and advance together.
    const std::vector<std::vector<SweepAxis>>& Zips() const;
    const std::vector<uint64_t>& Seeds() const;
    /// Names of the varied parameters: the grid's, then the zip groups', in order.
    std::vector<std::string> ParameterNames() const;
    /// Points before seeds: product of grid lengths and zip-group lengths.
    size_t Configurations() const;

  private:
    std::string m_path;
    std::string m_name;
    nlohmann::json m_base;
    std::vector<SweepAxis> m_fixed;
    std::vector<SweepAxis> m_grid;
    std::vector<std::vector<SweepAxis>> m_zips;
    std::vector<uint64_t> m_seeds;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWEEP_SPEC_H
