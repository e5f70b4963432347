/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWEEP_WORKSPACE_H
#define WAFER_SWEEP_WORKSPACE_H

#include "sweep-index.h"
#include "sweep-point.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A sweep's output folder: points/<stem>.json (materialised scenarios), points/<stem>.h5
 * (results), points/<stem>.log (wafer-sim's output) and the index. It decides which points are
 * complete, builds the wafer-sim command of each point, and keeps the index up to date. One
 * wafer-sweep at a time holds the folder (a lock file).
 */
class SweepWorkspace
{
  public:
    /// \param simProgram path of the wafer-sim binary
    SweepWorkspace(const SweepSpec& spec,
                   std::vector<SweepPoint> points,
                   const std::string& outDir,
                   const std::string& simProgram);
    ~SweepWorkspace();

    /**
     * Create the folders, take the lock, write the scenario files (atomically; unchanged ones
     * are left alone), carry over job ids and wall times from an existing index, and check every
     * point's result (Refresh(\p collecting)).
     * \throws std::runtime_error if the folder cannot be written or another sweep holds it.
     */
    void Prepare(bool collecting);

    /**
     * Check every point's result. A complete, valid result makes it done. Otherwise, when
     * \p collecting (after a scheduler ran the points), a point whose log ends in an error or
     * whose result is broken is failed, and one with neither keeps its state; when not
     * collecting, it becomes pending (a failed one stays failed, with its error) and a broken
     * result is removed; either way it is run again.
     */
    void Refresh(bool collecting);

    /// Ids of the points that are not done, in order.
    std::vector<size_t> Unfinished() const;
    const std::vector<SweepPoint>& Points() const;
    SweepIndexEntry& Entry(size_t id);
    const SweepIndex& Index() const;
    const std::string& OutDir() const;

    std::string ScenarioPath(size_t id) const;
    std::string ResultPath(size_t id) const;
    std::string LogPath(size_t id) const;
    /// wafer-sim's arguments for point \p id (argv[0] is the program).
    std::vector<std::string> Command(size_t id) const;
    /// The same as one shell command line, its output going to the point's log.
    std::string ShellCommand(size_t id) const;

    /// Decide a finished local run: done if its result is valid, else failed with the reason.
    void Finish(size_t id, int exitCode, int signal, double wallS);

    /// Write index.json and index.csv (atomically).
    void WriteIndex() const;

  private:
    std::vector<SweepPoint> m_points;
    std::string m_outDir;
    std::string m_sim;
    SweepIndex m_index;
    int m_lockFd{-1};
};

/// \p text quoted for a POSIX shell (single quotes).
std::string ShellQuote(const std::string& text);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWEEP_WORKSPACE_H
