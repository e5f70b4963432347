/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "child-process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
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
    // Everything the child needs is made before fork: between fork and exec it may only call
    // async-signal-safe functions.
    std::vector<char*> args;
    for (const auto& a : argv)
    {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
    {
        throw std::runtime_error(std::string("cannot start a child: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0)
    {
        const int err = errno;
        ::close(report[0]);
        ::close(report[1]);
        throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(err));
    }
    if (pid == 0)
    {
        // Its own process group (a terminal's Ctrl-C reaches the sweep only, which stops its
        // children itself), default signal handling whatever the parent installed, and death
        // with the sweep: killed outright, the sweep could not stop it otherwise.
        ::setpgid(0, 0);
        struct sigaction dfl = {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        ::sigaction(SIGINT, &dfl, nullptr);
        ::sigaction(SIGTERM, &dfl, nullptr);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
        {
            ::_exit(127); // the sweep died before the line above
        }
        const int in = ::open(inputPath.c_str(), O_RDONLY);
        const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || log < 0 || ::dup2(in, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0)
        {
            const int err = errno;
            (void) !::write(report[1], &err, sizeof err);
            ::_exit(127);
        }
        ::close(in);
        ::close(log);
        ::execve(args[0], args.data(), environ);
        const int err = errno;
        (void) !::write(report[1], &err, sizeof err);
        ::_exit(127);
    }
    // The report pipe closes on exec: nothing to read means the program started.
    ::close(report[1]);
    int err = 0;
    const ssize_t n = ::read(report[0], &err, sizeof err);
    ::close(report[0]);
    if (n == sizeof err)
    {
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(err));
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
