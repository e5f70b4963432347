/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gnuplot-figure.h"

#include "atomic-file.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

namespace
{
/// A string for a gnuplot script, in double quotes.
std::string
Quoted(const std::string& text)
{
    std::string out = "\"";
    for (char c : text)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}
} // namespace

std::string
GnuplotFigure::Data() const
{
    std::ostringstream os;
    os.precision(10);
    for (size_t s = 0; s < series.size(); ++s)
    {
        if (s > 0)
        {
            os << "\n\n";
        }
        os << "# " << series[s].title << "\n";
        for (const auto& p : series[s].points)
        {
            os << p.x << " " << p.y << " " << p.low << " " << p.high << " " << Quoted(p.label)
               << "\n";
        }
    }
    return os.str();
}

std::string
GnuplotFigure::Script(const std::string& stem) const
{
    // The legend goes below the plot, in as many columns as its entries' width allows, and the
    // figure grows by its rows: it never covers a line, however many series there are.
    size_t longest = keyTitle.size() / 3;
    bool labels = false;
    for (const auto& s : series)
    {
        longest = std::max(longest, s.title.size());
        for (const auto& p : s.points)
        {
            labels = labels || !p.label.empty();
        }
    }
    const size_t columns = longest > 40 ? 2 : longest > 24 ? 3 : 4;
    const size_t rows = (series.size() + columns - 1) / columns;
    const size_t height = 620 + 22 * (rows + 3);
    std::ostringstream os;
    os << "# Drawn by wafer-analyze: gnuplot " << stem << ".gp writes " << stem << ".png and "
       << stem << ".svg\n"
       << "set terminal pngcairo size 1100," << height << " noenhanced font 'Sans,11'\n"
       << "set output '" << stem << ".png'\n"
       << "set title " << Quoted(title) << "\n"
       << "set xlabel " << Quoted(xLabel) << "\n"
       << "set ylabel " << Quoted(yLabel) << "\n"
       << "set grid\n"
       << "set key outside below center nobox maxcols " << columns
       << " title "
       // A blank first line: gnuplot's margin misses rotated tic labels, and the heading would
       // sit on the x label.
       << "\"\\n"
       << Quoted(keyTitle).substr(1) << "\n"
       << "set border 3\nset tics nomirror\n";
    if (logX)
    {
        os << "set logscale x\n";
    }
    if (logY)
    {
        os << "set logscale y\n";
    }
    if (!categories.empty())
    {
        os << "set xrange [-0.5:" << categories.size() - 0.5 << "]\nset xtics (";
        for (size_t k = 0; k < categories.size(); ++k)
        {
            os << (k ? ", " : "") << Quoted(categories[k]) << " " << k;
        }
        os << ") rotate by -20\n";
    }
    os << "plot ";
    for (size_t s = 0; s < series.size(); ++s)
    {
        os << (s ? ", \\\n     " : "") << "'" << stem << ".dat' index " << s
           << (errorBars ? " using 1:2:3:4 with yerrorlines" : " using 1:2 with linespoints")
           << " linewidth 2 pointsize 1.2 title " << Quoted(series[s].title);
        if (labels)
        {
            os << ", \\\n     '" << stem << ".dat' index " << s
               << " using 1:2:5 with labels offset char 0.6,0.6 left font ',9' notitle";
        }
    }
    if (series.empty())
    {
        os << "NaN notitle";
    }
    os << "\nset terminal svg size 1100," << height << " dynamic noenhanced font 'Sans,11'\n"
       << "set output '" << stem << ".svg'\n"
       << "replot\n"
       << "unset output\n";
    return os.str();
}

void
GnuplotFigure::Write(const std::string& dir, const std::string& stem) const
{
    WriteFileAtomically(dir + "/" + stem + ".dat", Data());
    WriteFileAtomically(dir + "/" + stem + ".gp", Script(stem));
}

std::string
FindGnuplot()
{
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
    {
        const std::string candidate = (dir.empty() ? "." : dir) + "/gnuplot";
        if (::access(candidate.c_str(), X_OK) == 0)
        {
            return candidate;
        }
    }
    return "";
}

std::string
DrawFigure(const std::string& gnuplot, const std::string& dir, const std::string& stem)
{
    const std::string log = dir + "/" + stem + ".log";
    // gnuplot runs in the figure's folder (its script names its outputs relative to it): every
    // other path is made absolute first, or a relative --out would be taken from there.
    const std::string cmd = "cd '" + fs::absolute(dir).string() + "' && '"
                            + fs::absolute(gnuplot).string() + "' '" + stem + ".gp' >'"
                            + fs::absolute(log).string() + "' 2>&1";
    const int status = std::system(cmd.c_str());
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0
                    && fs::exists(dir + "/" + stem + ".png")
                    && fs::exists(dir + "/" + stem + ".svg");
    std::string last;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
    {
        if (!line.empty())
        {
            last = line;
        }
    }
    in.close();
    if (ok)
    {
        std::error_code ec;
        fs::remove(log, ec);
        return "";
    }
    return "gnuplot failed on " + dir + "/" + stem + ".gp: " + last;
}

} // namespace wafer
} // namespace ns3
