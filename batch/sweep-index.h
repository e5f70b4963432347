/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWEEP_INDEX_H
#define WAFER_SWEEP_INDEX_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Schema of a sweep's index file.
extern const char* const kSweepIndexSchema;

/**
 * \ingroup wafer
 * One point of a sweep in its index: parameter values, seed, files and state.
 */
struct SweepIndexEntry
{
    size_t id{0};
    nlohmann::json parameters = nlohmann::json::object(); ///< name -> value, the swept ones
    uint64_t seed{1};
    std::string scenario; ///< materialised scenario file, relative to the index's folder
    std::string result;   ///< HDF5 result file, relative to the index's folder
    std::string status;   ///< pending, running, submitted, done or failed
    std::string error;    ///< why it failed (one line), or why a result was redone
    double wallS{0};      ///< wall-clock seconds of its last local run (0 if unknown)
    std::string job;      ///< scheduler job id it was submitted with, if any
};

/**
 * \ingroup wafer
 * The index of a sweep's output folder (index.json, with index.csv beside it): point ->
 * parameters -> result file -> status. Written atomically whenever it changes.
 */
struct SweepIndex
{
    std::string sweep;                       ///< the sweep file, as given
    std::string name;                        ///< the sweep's name
    std::vector<std::string> parameterNames; ///< swept parameters, in the sweep's order
    std::vector<SweepIndexEntry> points;

    nlohmann::json ToJson() const;
    std::string ToCsv() const;
    /// Write <dir>/index.json and <dir>/index.csv atomically.
    void Write(const std::string& dir) const;
    /// Count of points with \p status.
    size_t Count(const std::string& status) const;

    /// \throws InputError "<path>: <field>: <reason>" for a file that is not a sweep index.
    static SweepIndex Load(const std::string& path);
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWEEP_INDEX_H
