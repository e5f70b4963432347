/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_INPUT_SET_H
#define WAFER_INPUT_SET_H

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One result file to analyse, with the sweep parameters its index gives (if it came from one).
 */
struct InputFile
{
    std::string path;
    nlohmann::json parameters = nlohmann::json::object();
    bool fromIndex{false};
    bool matched{false}; ///< found by a glob or in a folder, not named on the command line
};

/**
 * \ingroup wafer
 * The result files named on a command line.
 */
struct InputSet
{
    std::vector<InputFile> files;
    std::vector<std::string> indexParameters; ///< swept parameters of the indexes, in order
    size_t notDone{0};                        ///< index points skipped: failed or not run
    bool allFromIndex{false};
};

/**
 * \ingroup wafer
 * Resolve inputs: a sweep index (index.json), a folder (its index.json if it has one, else every
 * *.h5 below it, sorted), a glob pattern (`results/` then `*.h5`, expanded here when the shell did
 * not) or a result file. From an index, only points marked done are taken.
 * \throws InputError "<argument>: <reason>" when an input matches nothing or is unreadable.
 */
InputSet ResolveInputs(const std::vector<std::string>& arguments);

} // namespace wafer
} // namespace ns3

#endif // WAFER_INPUT_SET_H
