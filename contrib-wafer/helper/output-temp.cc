/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "output-temp.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace ns3
{
namespace wafer
{

namespace
{
// Paths the signal handler removes: fixed storage, since a handler may not allocate.
constexpr int kSlots = 8;
constexpr size_t kPathMax = 4096;
char g_paths[kSlots][kPathMax];
volatile sig_atomic_t g_used[kSlots];

extern "C" void
RemoveTempsAndResignal(int sig)
{
    for (int i = 0; i < kSlots; ++i)
    {
        if (g_used[i])
        {
            unlink(g_paths[i]);
        }
    }
    // End the way the signal would have ended the process.
    signal(sig, SIG_DFL);
    raise(sig);
}

void
InstallHandlers()
{
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
    {
        struct sigaction old = {};
        sigaction(sig, nullptr, &old);
        if (old.sa_handler != SIG_DFL)
        {
            // Ignored (SIGHUP under nohup), ours already, or the program's own (wafer-sweep
            // stops its workers and cleans up itself): left as it is.
            continue;
        }
        struct sigaction sa = {};
        sa.sa_handler = RemoveTempsAndResignal;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, nullptr);
    }
}
} // namespace

void
RemoveStaleTemps(const std::string& output)
{
    namespace fs = std::filesystem;
    fs::path out(output);
    if (out.filename().empty())
    {
        out = out.parent_path(); // "report/" names the folder "report"
    }
    const fs::path folder = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    const std::string prefix = out.filename().string() + ".tmp.";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
    {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
        {
            continue;
        }
        const std::string digits = name.substr(prefix.size());
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos
            || digits.size() > 9)
        {
            continue;
        }
        const auto pid = static_cast<pid_t>(std::stol(digits));
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
        {
            fs::remove_all(entry.path(), ec);
        }
    }
}

OutputTemp::OutputTemp(const std::string& output) :
    m_output(output),
    m_path(output + ".tmp." + std::to_string(::getpid())),
    m_slot(-1)
{
    RemoveStaleTemps(output);
    InstallHandlers();
    for (int i = 0; i < kSlots && m_path.size() < kPathMax; ++i)
    {
        if (!g_used[i])
        {
            std::memcpy(g_paths[i], m_path.c_str(), m_path.size() + 1);
            g_used[i] = 1;
            m_slot = i;
            break;
        }
    }
}

OutputTemp::~OutputTemp()
{
    if (m_slot >= 0)
    {
        g_used[m_slot] = 0;
    }
    std::remove(m_path.c_str());
}

const std::string&
OutputTemp::Path() const
{
    return m_path;
}

void
OutputTemp::Commit()
{
    if (std::rename(m_path.c_str(), m_output.c_str()) != 0)
    {
        throw std::runtime_error(m_output + ": cannot rename temporary file into place");
    }
}

namespace
{
std::string
TrimSlashes(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
    {
        path.pop_back();
    }
    return path;
}
} // namespace

OutputTempDir::OutputTempDir(const std::string& folder) :
    m_folder(TrimSlashes(folder)),
    m_path(m_folder + ".tmp." + std::to_string(::getpid()))
{
    namespace fs = std::filesystem;
    RemoveStaleTemps(m_folder);
    std::error_code ec;
    fs::remove_all(m_path, ec);
    if (!fs::create_directories(m_path, ec) || ec)
    {
        throw std::runtime_error(m_folder + ": cannot make temporary folder " + m_path + ": "
                                 + ec.message());
    }
}

OutputTempDir::~OutputTempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

const std::string&
OutputTempDir::Path() const
{
    return m_path;
}

void
OutputTempDir::Commit()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(m_folder, ec))
    {
        // The usual case: the whole folder appears at once.
        fs::rename(m_path, m_folder, ec);
        if (ec)
        {
            throw std::runtime_error(
                m_folder + ": cannot rename temporary folder into place: " + ec.message());
        }
        return;
    }
    for (const auto& entry : fs::directory_iterator(m_path))
    {
        const fs::path target = fs::path(m_folder) / entry.path().filename();
        if (fs::is_directory(target, ec))
        {
            // A folder cannot be renamed over a non-empty one: move the old one aside first.
            const fs::path old = target.string() + ".old." + std::to_string(::getpid());
            fs::remove_all(old, ec);
            fs::rename(target, old, ec);
            fs::rename(entry.path(), target, ec);
            fs::remove_all(old);
        }
        else
        {
            fs::rename(entry.path(), target, ec);
        }
        if (ec)
        {
            throw std::runtime_error(target.string() + ": cannot move into place: " + ec.message());
        }
    }
    fs::remove(m_path, ec);
}

} // namespace wafer
} // namespace ns3
