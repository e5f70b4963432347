/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "progress-bar.h"

#include <cstdio>

namespace ns3
{
namespace wafer
{

ProgressBar::ProgressBar(size_t total, bool interactive, bool enabled) :
    m_total(total),
    m_interactive(interactive),
    m_enabled(enabled && total > 0),
    m_start(std::chrono::steady_clock::now()),
    m_lastDraw(m_start)
{
}

std::string
ProgressBar::Clock(double seconds)
{
    const long s = seconds < 0 ? 0 : static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
    {
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    }
    else
    {
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    }
    return buf;
}

std::string
ProgressBar::Status(size_t finished, size_t failed, size_t running, size_t total, double elapsedS)
{
    std::string eta = "--:--";
    if (finished > 0 && finished <= total)
    {
        eta = Clock(elapsedS / finished * (total - finished));
    }
    char buf[160];
    std::snprintf(buf,
                  sizeof buf,
                  "%zu/%zu points, %zu failed, %zu running, %s elapsed, ETA %s",
                  finished,
                  total,
                  failed,
                  running,
                  Clock(elapsedS).c_str(),
                  eta.c_str());
    return buf;
}

void
ProgressBar::Update(size_t finished, size_t failed, size_t running, bool force)
{
    m_finished = finished;
    m_failed = failed;
    m_running = running;
    if (!m_enabled)
    {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (m_interactive)
    {
        if (force || now - m_lastDraw > std::chrono::milliseconds(200))
        {
            m_lastDraw = now;
            Draw();
        }
        return;
    }
    const size_t milestone = m_total ? finished * 10 / m_total : 10;
    if (milestone > m_lastMilestone)
    {
        m_lastMilestone = milestone;
        Draw();
    }
}

void
ProgressBar::Draw()
{
    const double elapsed
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const std::string status = Status(m_finished, m_failed, m_running, m_total, elapsed);
    if (!m_interactive)
    {
        std::fprintf(stderr, "wafer-sweep: %s\n", status.c_str());
        return;
    }
    const size_t width = 30;
    const size_t filled = m_total ? m_finished * width / m_total : width;
    std::string bar(filled, '#');
    bar += std::string(width - filled, '-');
    std::fprintf(stderr, "\r[%s] %s\033[K", bar.c_str(), status.c_str());
    std::fflush(stderr);
    m_drawn = true;
}

void
ProgressBar::Message(const std::string& line)
{
    if (m_interactive && m_drawn)
    {
        std::fprintf(stderr, "\r\033[K");
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    if (m_enabled && m_interactive && m_drawn)
    {
        Draw();
    }
}

void
ProgressBar::Finish()
{
    if (!m_enabled)
    {
        return;
    }
    if (m_interactive)
    {
        Draw();
        std::fprintf(stderr, "\n");
    }
    else if (m_lastMilestone < 10)
    {
        Draw();
    }
}

} // namespace wafer
} // namespace ns3
