/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sweep-workspace.h"

#include "atomic-file.h"
#include "child-process.h"
#include "result-validation.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

std::string
ShellQuote(const std::string& text)
{
    if (!text.empty()
        && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                  "-_./=:,+@%")
               == std::string::npos)
    {
        return text;
    }
    std::string out = "'";
    for (char c : text)
    {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

SweepWorkspace::SweepWorkspace(const SweepSpec& spec,
                               std::vector<SweepPoint> points,
                               const std::string& outDir,
                               const std::string& simProgram) :
    m_points(std::move(points)),
    m_outDir(fs::absolute(outDir).lexically_normal().string()),
    m_sim(fs::absolute(simProgram).lexically_normal().string())
{
    while (m_outDir.size() > 1 && m_outDir.back() == '/')
    {
        m_outDir.pop_back();
    }
    m_index.sweep = spec.Path();
    m_index.name = spec.Name();
    m_index.parameterNames = spec.ParameterNames();
    for (const auto& p : m_points)
    {
        SweepIndexEntry e;
        e.id = p.id;
        e.parameters = p.ParameterObject();
        e.seed = p.seed;
        e.scenario = "points/" + p.stem + ".json";
        e.result = "points/" + p.stem + ".h5";
        e.status = "pending";
        m_index.points.push_back(e);
    }
}

SweepWorkspace::~SweepWorkspace()
{
    if (m_lockFd >= 0)
    {
        ::close(m_lockFd);
    }
}

void
SweepWorkspace::Prepare(bool collecting)
{
    std::error_code ec;
    fs::create_directories(m_outDir + "/points", ec);
    if (ec)
    {
        throw std::runtime_error(m_outDir + ": cannot create folder: " + ec.message());
    }
    // Close-on-exec: a child holding the lock would keep it after the sweep was killed.
    m_lockFd
        = ::open((m_outDir + "/.wafer-sweep.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_lockFd < 0 || ::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0)
    {
        throw std::runtime_error(m_outDir + ": another wafer-sweep is working in this folder");
    }
    // Keep what an earlier run learnt about unchanged points (job ids, wall times).
    std::map<std::string, SweepIndexEntry> earlier;
    if (fs::exists(m_outDir + "/index.json"))
    {
        try
        {
            for (const auto& e : SweepIndex::Load(m_outDir + "/index.json").points)
            {
                earlier[e.result] = e;
            }
        }
        catch (const std::exception&)
        {
            // An unreadable index is rebuilt from the results themselves.
        }
    }
    for (size_t id = 0; id < m_points.size(); ++id)
    {
        const std::string path = ScenarioPath(id);
        std::string current;
        try
        {
            current = ReadTextFile(path);
        }
        catch (const std::exception&)
        {
        }
        if (current != m_points[id].scenarioText)
        {
            WriteFileAtomically(path, m_points[id].scenarioText);
        }
        auto it = earlier.find(m_index.points[id].result);
        if (it != earlier.end())
        {
            m_index.points[id].status = it->second.status;
            m_index.points[id].error = it->second.error;
            m_index.points[id].wallS = it->second.wallS;
            m_index.points[id].job = it->second.job;
        }
    }
    Refresh(collecting);
}

void
SweepWorkspace::Refresh(bool collecting)
{
    for (size_t id = 0; id < m_points.size(); ++id)
    {
        SweepIndexEntry& e = m_index.points[id];
        const std::string reason = CheckResultFile(ResultPath(id), m_points[id].Expected());
        if (reason.empty())
        {
            e.status = "done";
            e.error.clear();
            continue;
        }
        const std::string log = LastLine(LogPath(id));
        if (collecting)
        {
            if (reason != "missing")
            {
                e.status = "failed";
                e.error = "result " + reason;
            }
            else if (!log.empty())
            {
                e.status = "failed";
                e.error = log;
            }
            continue;
        }
        if (reason != "missing")
        {
            // A broken or stale file: remove it so the point is run again.
            std::remove(ResultPath(id).c_str());
            e.error = "earlier result " + reason + "; redone";
        }
        else if (e.status == "done")
        {
            e.error = "result missing; redone";
        }
        else if (e.status == "failed")
        {
            continue; // keeps its error; it is run again with the others not done
        }
        e.status = "pending";
    }
}

std::vector<size_t>
SweepWorkspace::Unfinished() const
{
    std::vector<size_t> ids;
    for (const auto& e : m_index.points)
    {
        if (e.status != "done")
        {
            ids.push_back(e.id);
        }
    }
    return ids;
}

const std::vector<SweepPoint>&
SweepWorkspace::Points() const
{
    return m_points;
}

SweepIndexEntry&
SweepWorkspace::Entry(size_t id)
{
    return m_index.points.at(id);
}

const SweepIndex&
SweepWorkspace::Index() const
{
    return m_index;
}

const std::string&
SweepWorkspace::OutDir() const
{
    return m_outDir;
}

std::string
SweepWorkspace::ScenarioPath(size_t id) const
{
    return m_outDir + "/points/" + m_points.at(id).stem + ".json";
}

std::string
SweepWorkspace::ResultPath(size_t id) const
{
    return m_outDir + "/points/" + m_points.at(id).stem + ".h5";
}

std::string
SweepWorkspace::LogPath(size_t id) const
{
    return m_outDir + "/points/" + m_points.at(id).stem + ".log";
}

std::vector<std::string>
SweepWorkspace::Command(size_t id) const
{
    const SweepPoint& p = m_points.at(id);
    std::vector<std::string> argv = {m_sim,
                                     "--scenario=" + ScenarioPath(id),
                                     "--out=" + ResultPath(id),
                                     "--seed=" + std::to_string(p.seed),
                                     "--quiet"};
    for (const auto& [k, v] : p.attributes)
    {
        argv.push_back("--" + k + "=" + v);
    }
    return argv;
}

std::string
SweepWorkspace::ShellCommand(size_t id) const
{
    std::string line;
    for (const auto& a : Command(id))
    {
        line += (line.empty() ? "" : " ") + ShellQuote(a);
    }
    return line + " >" + ShellQuote(LogPath(id)) + " 2>&1";
}

void
SweepWorkspace::Finish(size_t id, int exitCode, int signal, double wallS)
{
    SweepIndexEntry& e = m_index.points.at(id);
    e.wallS = wallS;
    e.job.clear();
    if (exitCode == 0)
    {
        const std::string reason = CheckResultFile(ResultPath(id), m_points[id].Expected());
        e.status = reason.empty() ? "done" : "failed";
        e.error = reason.empty() ? "" : "result " + reason;
        std::error_code ec;
        if (reason.empty() && fs::file_size(LogPath(id), ec) == 0 && !ec)
        {
            fs::remove(LogPath(id), ec); // --quiet: nothing to keep
        }
        return;
    }
    e.status = "failed";
    if (signal != 0)
    {
        e.error = "wafer-sim killed by signal " + std::to_string(signal);
        return;
    }
    const std::string last = LastLine(LogPath(id));
    e.error = last.empty() ? "wafer-sim exited with code " + std::to_string(exitCode) : last;
}

void
SweepWorkspace::WriteIndex() const
{
    m_index.Write(m_outDir);
}

} // namespace wafer
} // namespace ns3
