/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CHILD_PROCESS_H
#define WAFER_CHILD_PROCESS_H

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How a child process ended: exit code, or the signal that killed it.
 */
struct ChildExit
{
    pid_t pid{0};
    int code{-1};  ///< exit code, -1 if killed by a signal
    int signal{0}; ///< signal number, 0 if it exited
};

/**
 * \ingroup wafer
 * Start \p argv (argv[0] a path) with posix_spawn in a process group of its own, so a Ctrl-C at
 * the terminal reaches only the parent, which decides. Standard output and error go to
 * \p logPath (truncated), standard input comes from \p inputPath.
 * \throws std::runtime_error if it cannot be started.
 */
pid_t SpawnChild(const std::vector<std::string>& argv,
                 const std::string& logPath,
                 const std::string& inputPath = "/dev/null");

/// A finished child, without blocking; nullopt if none has finished.
std::optional<ChildExit> ReapChild();

/// Wait for child \p pid (retrying when a signal interrupts the wait).
ChildExit WaitChild(pid_t pid);

/// Send SIGTERM to the process group of child \p pid.
void TerminateChild(pid_t pid);

/// The last non-empty line of a text file ("" if none), at most 300 characters.
std::string LastLine(const std::string& path);

/// Folder of the running program (from /proc/self/exe), for finding its sibling programs.
std::string ProgramFolder();

} // namespace wafer
} // namespace ns3

#endif // WAFER_CHILD_PROCESS_H
