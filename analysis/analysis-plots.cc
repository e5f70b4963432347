/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "analysis-plots.h"

#include "ns3/input-error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace ns3
{
namespace wafer
{

namespace
{
int
KeyIndex(const std::vector<std::string>& keys, const std::string& key)
{
    const auto it = std::find(keys.begin(), keys.end(), key);
    return it == keys.end() ? -1 : static_cast<int>(it - keys.begin());
}

double
Stat(const MetricStats& s, const std::string& stat)
{
    return stat == "p50"   ? s.summary.p50
           : stat == "p90" ? s.summary.p90
           : stat == "p99" ? s.summary.p99
                           : s.summary.mean;
}

/// The values of \p keys in group \p g, joined.
std::string
Projection(const AnalysisTable& table, const RunGroup& g, const std::vector<std::string>& keys)
{
    std::string out;
    for (const auto& k : keys)
    {
        out += (out.empty() ? "" : ", ") + g.values[KeyIndex(table.keys, k)];
    }
    return out;
}

/// Distinct values of \p keys over the groups.
size_t
Distinct(const AnalysisTable& table, const std::vector<std::string>& keys)
{
    std::set<std::string> seen;
    for (const auto& g : table.groups)
    {
        seen.insert(Projection(table, g, keys));
    }
    return seen.size();
}

/// The fewest of \p candidates that still tell every series apart, in their order: keys that
/// do not vary go, and so do keys that follow from others (a scenario's name fixes its model,
/// precision and devices), so the legend says only what separates its lines.
std::vector<std::string>
DistinguishingKeys(const AnalysisTable& table, const std::vector<std::string>& candidates)
{
    const size_t wanted = Distinct(table, candidates);
    std::vector<std::string> chosen;
    while (Distinct(table, chosen) < wanted)
    {
        std::string best;
        size_t bestCount = 0;
        size_t bestWidth = 0;
        for (const auto& k : candidates)
        {
            if (std::find(chosen.begin(), chosen.end(), k) != chosen.end())
            {
                continue;
            }
            std::vector<std::string> with = chosen;
            with.push_back(k);
            const size_t count = Distinct(table, with);
            size_t width = 0;
            for (const auto& g : table.groups)
            {
                width = std::max(width, g.values[KeyIndex(table.keys, k)].size());
            }
            if (count > bestCount || (count == bestCount && width < bestWidth))
            {
                best = k;
                bestCount = count;
                bestWidth = width;
            }
        }
        chosen.push_back(best);
    }
    std::vector<std::string> ordered; // in the table's order, as the user swept them
    for (const auto& k : candidates)
    {
        if (std::find(chosen.begin(), chosen.end(), k) != chosen.end())
        {
            ordered.push_back(k);
        }
    }
    return ordered;
}

/// \p text cut to \p width characters with "..." (legend entries and headings stay readable).
std::string
Shortened(const std::string& text, size_t width)
{
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

/// Whether \p points are all positive and span two decades or more: on a linear axis the
/// lower series would lie flat on zero under the error bars of the upper ones.
bool
SpansDecades(const std::vector<GnuplotFigure::Point>& points)
{
    double lo = INFINITY;
    double hi = 0;
    for (const auto& p : points)
    {
        if (!std::isfinite(p.y))
        {
            continue;
        }
        if (!(p.low > 0) || !(p.y > 0))
        {
            return false;
        }
        lo = std::min(lo, p.y);
        hi = std::max(hi, p.y);
    }
    return hi > 0 && hi / lo >= 100;
}

/// Drop the labels of points too close to an already labelled one (within 15 % of the x span
/// and 4 % of the y span, on the axes' own scales) so that the labels left can be read.
void
ThinLabels(GnuplotFigure& f)
{
    auto scaled = [](double v, bool log)
    {
        return log ? std::log10(std::max(v, 1e-300)) : v;
    };
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const auto& s : f.series)
    {
        for (const auto& p : s.points)
        {
            x0 = std::min(x0, scaled(p.x, f.logX));
            x1 = std::max(x1, scaled(p.x, f.logX));
            y0 = std::min(y0, scaled(p.y, f.logY));
            y1 = std::max(y1, scaled(p.y, f.logY));
        }
    }
    const double dx = std::max(x1 - x0, 1e-300) * 0.15; // a label runs to the right
    const double dy = std::max(y1 - y0, 1e-300) * 0.04;
    std::vector<std::pair<double, double>> kept;
    for (auto& s : f.series)
    {
        for (auto& p : s.points)
        {
            const double x = scaled(p.x, f.logX);
            const double y = scaled(p.y, f.logY);
            const bool crowded
                = std::any_of(kept.begin(),
                              kept.end(),
                              [&](const auto& k)
                              {
                                  return std::abs(k.first - x) < dx && std::abs(k.second - y) < dy;
                              });
            if (crowded)
            {
                p.label.clear();
            }
            else if (!p.label.empty())
            {
                kept.emplace_back(x, y);
            }
        }
    }
}

/// Where each group sits on the x axis and in which series.
struct Layout
{
    std::vector<double> x;           ///< per group
    std::vector<std::string> series; ///< per group: series title
    std::vector<std::string> seriesOrder;
    std::vector<std::string> categories;
    std::vector<std::string> xText; ///< per group: its x key's value (frontier labels)
    std::string xLabel;
    std::string xName; ///< xLabel without its unit, for titles
    std::string keyTitle;
    bool logX{false};
};

Layout
MakeLayout(const std::vector<RunRecord>& runs, const AnalysisTable& table, const PlotOptions& o)
{
    Layout l;
    const std::string xKey = !o.x.empty() ? o.x : (table.keys.empty() ? "" : table.keys.front());
    const int xIdx = KeyIndex(table.keys, xKey);
    std::vector<std::string> seriesKeys = o.series;
    for (const auto& k : seriesKeys)
    {
        if (KeyIndex(table.keys, k) < 0)
        {
            throw InputError("--series: '" + k + "' is not a group key");
        }
    }
    if (o.series.empty())
    {
        std::vector<std::string> others;
        for (size_t k = 0; k < table.keys.size(); ++k)
        {
            if (static_cast<int>(k) != xIdx && !(xIdx < 0 && k == 0))
            {
                others.push_back(table.keys[k]);
            }
        }
        seriesKeys = DistinguishingKeys(table, others);
    }
    // x positions
    if (xIdx >= 0)
    {
        l.xLabel = ParameterLabel(xKey);
        l.xName = l.xLabel;
        bool numeric = true;
        for (const auto& g : table.groups)
        {
            double v = 0;
            numeric = numeric && ParseNumber(g.values[xIdx], v);
        }
        for (const auto& g : table.groups)
        {
            double v = 0;
            if (numeric)
            {
                ParseNumber(g.values[xIdx], v);
            }
            else
            {
                auto it = std::find(l.categories.begin(), l.categories.end(), g.values[xIdx]);
                v = static_cast<double>(it - l.categories.begin());
                if (it == l.categories.end())
                {
                    l.categories.push_back(g.values[xIdx]);
                }
            }
            l.x.push_back(v);
            l.xText.push_back(Shortened(g.values[xIdx], 24));
        }
    }
    else if (!xKey.empty())
    {
        const MetricInfo m = DescribeMetric(xKey);
        if (m.perRequest)
        {
            throw InputError("--x: '" + xKey + "' is neither a group key nor a per-run metric");
        }
        l.xLabel = m.AxisLabel();
        l.xName = m.label;
        for (const auto& g : table.groups)
        {
            const MetricStats s = GroupMetric(runs, g, m);
            if (s.summary.count == 0)
            {
                throw InputError("--x: '" + xKey + "' is neither a group key nor a per-run metric");
            }
            l.x.push_back(s.summary.mean * m.scale);
            char text[48];
            std::snprintf(text, sizeof text, "%.4g %s", l.x.back(), m.unit.c_str());
            l.xText.push_back(text);
        }
    }
    else
    {
        l.xLabel = "group";
        l.xName = "group";
        for (size_t g = 0; g < table.groups.size(); ++g)
        {
            l.x.push_back(static_cast<double>(g));
        }
    }
    if (l.categories.empty() && !l.x.empty())
    {
        const auto [lo, hi] = std::minmax_element(l.x.begin(), l.x.end());
        l.logX = *lo > 0 && *hi / *lo >= 20;
    }
    // series
    for (const auto& k : seriesKeys)
    {
        l.keyTitle += (l.keyTitle.empty() ? "" : ", ") + ParameterLabel(k);
    }
    l.keyTitle = Shortened(l.keyTitle, 100);
    for (const auto& g : table.groups)
    {
        std::string title = Shortened(Projection(table, g, seriesKeys), 48);
        title = title.empty() ? "all runs" : title;
        if (std::find(l.seriesOrder.begin(), l.seriesOrder.end(), title) == l.seriesOrder.end())
        {
            l.seriesOrder.push_back(title);
        }
        l.series.push_back(title);
    }
    return l;
}

GnuplotFigure
Assemble(const Layout& l,
         const std::vector<GnuplotFigure::Point>& points,
         const std::string& title,
         const std::string& xLabel,
         const std::string& yLabel)
{
    GnuplotFigure f;
    f.title = title;
    f.xLabel = xLabel;
    f.yLabel = yLabel;
    f.keyTitle = l.keyTitle;
    for (const auto& name : l.seriesOrder)
    {
        GnuplotFigure::Series s;
        s.title = name;
        for (size_t g = 0; g < points.size(); ++g)
        {
            if (l.series[g] == name && std::isfinite(points[g].y) && std::isfinite(points[g].x))
            {
                s.points.push_back(points[g]);
            }
        }
        std::sort(s.points.begin(),
                  s.points.end(),
                  [](const auto& a, const auto& b)
                  {
                      return a.x < b.x;
                  });
        if (!s.points.empty())
        {
            f.series.push_back(s);
        }
    }
    return f;
}
} // namespace

std::vector<std::pair<std::string, GnuplotFigure>>
BuildFigures(const std::vector<RunRecord>& runs,
             const AnalysisTable& table,
             const PlotOptions& options)
{
    if (options.stat != "mean" && options.stat != "p50" && options.stat != "p90"
        && options.stat != "p99")
    {
        throw InputError("--plot-stat: must be mean, p50, p90 or p99 (got '" + options.stat + "')");
    }
    const Layout l = MakeLayout(runs, table, options);
    std::vector<std::pair<std::string, GnuplotFigure>> figures;
    for (const auto& spec : options.metrics)
    {
        const MetricInfo m = DescribeMetric(spec);
        std::vector<GnuplotFigure::Point> points;
        bool anyInterval = false;
        for (size_t g = 0; g < table.groups.size(); ++g)
        {
            const MetricStats s = GroupMetric(runs, table.groups[g], m);
            GnuplotFigure::Point p;
            p.x = l.x[g];
            p.y = Stat(s, options.stat) * m.scale;
            const bool interval = options.stat == "mean" && std::isfinite(s.ci.low);
            anyInterval = anyInterval || interval;
            p.low = interval ? s.ci.low * m.scale : p.y;
            p.high = interval ? s.ci.high * m.scale : p.y;
            points.push_back(p);
        }
        const std::string what = options.stat == "mean"
                                     ? (anyInterval ? "mean, bars: 95% CI over seeds" : "mean")
                                     : options.stat;
        GnuplotFigure f
            = Assemble(l,
                       points,
                       options.titlePrefix + m.label + " against " + l.xName + " (" + what + ")",
                       l.xLabel,
                       m.AxisLabel());
        f.categories = l.categories;
        f.logX = l.logX;
        f.errorBars = anyInterval;
        f.logY = options.logY || SpansDecades(points);
        std::string stem = m.name;
        std::replace(stem.begin(), stem.end(), '.', '-');
        figures.emplace_back(stem, f);
    }
    if (options.frontier)
    {
        const MetricInfo user = DescribeMetric("tokens_per_s_per_user");
        const MetricInfo acc = DescribeMetric("tokens_per_s_per_accelerator");
        std::vector<GnuplotFigure::Point> points;
        for (const auto& g : table.groups)
        {
            GnuplotFigure::Point p;
            p.x = GroupMetric(runs, g, user).summary.mean;
            p.y = GroupMetric(runs, g, acc).summary.mean;
            p.low = p.high = p.y;
            // What moves the point along its line: the x key's value.
            p.label = l.xText.empty() ? "" : l.xText[points.size()];
            points.push_back(p);
        }
        GnuplotFigure f = Assemble(l,
                                   points,
                                   options.titlePrefix
                                       + "Throughput-interactivity frontier (one point per group)",
                                   user.AxisLabel(),
                                   acc.AxisLabel());
        f.logX = options.logY;
        f.logY = options.logY || SpansDecades(points);
        ThinLabels(f);
        figures.emplace_back("frontier", f);
    }
    return figures;
}

} // namespace wafer
} // namespace ns3
