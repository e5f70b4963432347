/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_GNUPLOT_FIGURE_H
#define WAFER_GNUPLOT_FIGURE_H

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A 2-D figure drawn by gnuplot: named series of points with optional error bars, on a numeric or
 * categorical x axis. Write() leaves <stem>.dat and <stem>.gp beside each other, and Draw() runs
 * gnuplot on the script, which writes <stem>.png and <stem>.svg.
 */
class GnuplotFigure
{
  public:
    struct Point
    {
        double x{0};
        double y{0};
        double low{0};     ///< error bar bottom (= y for none)
        double high{0};    ///< error bar top (= y for none)
        std::string label; ///< written beside the point (the frontier's), or nothing
    };

    struct Series
    {
        std::string title;
        std::vector<Point> points;
    };

    std::string title;
    std::string xLabel;
    std::string yLabel;
    std::string keyTitle; ///< heading of the legend (what the series differ in)
    bool logX{false};
    bool logY{false};
    bool errorBars{false};
    /// Category names for a categorical x axis (x = 0, 1, ... index them); empty: numeric.
    std::vector<std::string> categories;
    std::vector<Series> series;

    /// The gnuplot script for files named \p stem (PNG then SVG of the same plot).
    std::string Script(const std::string& stem) const;
    /// The data file: one block per series (x y low high), blocks separated by two blank lines.
    std::string Data() const;
    /// Write <dir>/<stem>.gp and <dir>/<stem>.dat. \throws std::runtime_error.
    void Write(const std::string& dir, const std::string& stem) const;
};

/// The gnuplot program on PATH, or "" if there is none.
std::string FindGnuplot();

/**
 * \ingroup wafer
 * Run \p gnuplot on <dir>/<stem>.gp in \p dir.
 * \return empty on success, else the reason (its exit status and last output line)
 */
std::string DrawFigure(const std::string& gnuplot, const std::string& dir, const std::string& stem);

} // namespace wafer
} // namespace ns3

#endif // WAFER_GNUPLOT_FIGURE_H
