/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PROGRESS_BAR_H
#define WAFER_PROGRESS_BAR_H

#include <chrono>
#include <cstddef>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Progress of a batch of runs on standard error. On a terminal it redraws one line (bar, counts,
 * elapsed time and ETA); otherwise it prints a plain line at every tenth of the work, so logs
 * stay readable. ETA = elapsed / finished x remaining.
 */
class ProgressBar
{
  public:
    /// \param interactive redraw one line (a terminal); else print milestone lines
    /// \param enabled print anything at all
    ProgressBar(size_t total, bool interactive, bool enabled);

    /// Record the state; redraws at most every 0.2 s unless \p force.
    void Update(size_t finished, size_t failed, size_t running, bool force = false);
    /// Print a line of its own (a failure, a note) without breaking the bar.
    void Message(const std::string& line);
    /// Final redraw and newline.
    void Finish();

    /// "1:05" or "2:03:10".
    static std::string Clock(double seconds);
    /// The line shown for a state, without the bar (for tests).
    static std::string Status(
        size_t finished, size_t failed, size_t running, size_t total, double elapsedS);

  private:
    void Draw();

    size_t m_total;
    bool m_interactive;
    bool m_enabled;
    size_t m_finished{0};
    size_t m_failed{0};
    size_t m_running{0};
    size_t m_lastMilestone{0};
    bool m_drawn{false};
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_PROGRESS_BAR_H
