/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_OUTPUT_TEMP_H
#define WAFER_OUTPUT_TEMP_H

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The temporary file an output is written to before it is renamed into place:
 * "<output>.tmp.<pid>". While it exists, SIGINT, SIGTERM and SIGHUP remove it before the process
 * ends as the signal says (unless the program handles or ignores the signal itself); a process
 * killed outright (SIGKILL) leaves it, and the next writer of the same output removes the
 * temporary files of processes that no longer exist.
 */
class OutputTemp
{
  public:
    /// Claim the temporary path of \p output (removing stale ones of dead processes first).
    explicit OutputTemp(const std::string& output);
    /// Removes the file if it is still there (a failed write), and forgets it.
    ~OutputTemp();
    OutputTemp(const OutputTemp&) = delete;
    OutputTemp& operator=(const OutputTemp&) = delete;

    const std::string& Path() const;
    /// Rename the temporary file onto the output. \throws std::runtime_error if it fails.
    void Commit();

  private:
    std::string m_output;
    std::string m_path;
    int m_slot;
};

/**
 * \ingroup wafer
 * A folder of outputs (a report) written whole or not at all: its files are written into
 * "<folder>.tmp.<pid>/", and Commit moves them into the folder (created if missing, each entry
 * replacing the one of the same name by a rename, other entries left alone). A failure before
 * Commit removes the temporary folder; one left by a process killed outright is removed by the
 * next writer of the same folder.
 */
class OutputTempDir
{
  public:
    /// \throws std::runtime_error if the temporary folder cannot be made.
    explicit OutputTempDir(const std::string& folder);
    ~OutputTempDir();
    OutputTempDir(const OutputTempDir&) = delete;
    OutputTempDir& operator=(const OutputTempDir&) = delete;

    const std::string& Path() const;
    /// Move every entry of the temporary folder into the folder. \throws std::runtime_error.
    void Commit();

  private:
    std::string m_folder;
    std::string m_path;
};

/// Remove "<output>.tmp.<pid>" files (and folders) whose process no longer exists.
void RemoveStaleTemps(const std::string& output);

} // namespace wafer
} // namespace ns3

#endif // WAFER_OUTPUT_TEMP_H
