/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "analysis-plots.h"

#include "ns3/input-error.h"

#include <algorithm>
#include <cmath>
#include <map>

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

/// Where each group sits on the x axis and in which series.
struct Layout
{
    std::vector<double> x;           ///< per group
    std::vector<std::string> series; ///< per group: series title
    std::vector<std::string> seriesOrder;
    std::vector<std::string> categories;
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
        for (size_t k = 0; k < table.keys.size(); ++k)
        {
            if (static_cast<int>(k) != xIdx && !(xIdx < 0 && k == 0))
            {
                seriesKeys.push_back(table.keys[k]);
            }
        }
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
    for (const auto& g : table.groups)
    {
        std::string title;
        for (const auto& k : seriesKeys)
        {
            title += (title.empty() ? "" : ", ") + g.values[KeyIndex(table.keys, k)];
        }
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
        f.logY = options.logY;
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
            points.push_back(p);
        }
        GnuplotFigure f = Assemble(l,
                                   points,
                                   options.titlePrefix
                                       + "Throughput-interactivity frontier (one point per group)",
                                   user.AxisLabel(),
                                   acc.AxisLabel());
        f.logX = options.logY;
        f.logY = options.logY;
        figures.emplace_back("frontier", f);
    }
    return figures;
}

} // namespace wafer
} // namespace ns3
