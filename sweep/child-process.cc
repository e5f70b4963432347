/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "child-process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace ns3
{
namespace wafer
{

namespace
{
ChildExit
Decode(pid_t pid, int status)
{
    ChildExit e;
    e.pid = pid;
    if (WIFEXITED(status))
    {
        e.code = WEXITSTATUS(status);
    }
    else if (WIFSIGNALED(status))
    {
        e.signal = WTERMSIG(status);
    }
    return e;
}
} // namespace

pid_t
SpawnChild(const std::vector<std::string>& argv,
           const std::string& logPath,
           const std::string& inputPath)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, inputPath.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    // The child starts with default signal handling, whatever the parent installed.
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    for (const auto& a : argv)
    {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
    {
        throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(rc));
    }
    return pid;
}

std::optional<ChildExit>
ReapChild()
{
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0)
    {
        return std::nullopt;
    }
    return Decode(pid, status);
}

ChildExit
WaitChild(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
    {
        if (errno != EINTR)
        {
            return ChildExit{pid, -1, 0};
        }
    }
    return Decode(pid, status);
}

void
TerminateChild(pid_t pid)
{
    ::kill(-pid, SIGTERM);
}

std::string
LastLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::string last;
    while (std::getline(in, line))
    {
        if (line.find_first_not_of(" \t\r") != std::string::npos)
        {
            last = line;
        }
    }
    return last.size() > 300 ? last.substr(0, 297) + "..." : last;
}

std::string
ProgramFolder()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

} // namespace wafer
} // namespace ns3
