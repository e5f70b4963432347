/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stats-report.h"

#include "csv-field.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
std::string
Number(double v, const char* format)
{
    if (std::isnan(v))
    {
        return "-";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string
Pad(const std::string& s, size_t width)
{
    return s.size() >= width ? s.substr(0, width) : s + std::string(width - s.size(), ' ');
}

std::string
PadLeft(const std::string& s, size_t width)
{
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string
CsvNumber(double v)
{
    return std::isnan(v) ? "" : Number(v, "%.9g");
}
} // namespace

std::string
FormatStatsTable(const AnalysisTable& table)
{
    std::vector<size_t> widths;
    for (size_t k = 0; k < table.keys.size(); ++k)
    {
        size_t w = table.keys[k].size();
        for (const auto& g : table.groups)
        {
            w = std::max(w, g.values[k].size());
        }
        widths.push_back(std::min<size_t>(w, 40));
    }
    std::ostringstream os;
    for (size_t m = 0; m < table.metrics.size(); ++m)
    {
        const MetricInfo& info = table.metrics[m];
        os << info.AxisLabel() << " [" << info.name << ", per "
           << (info.perRequest ? "request" : "run") << "]\n";
        std::string header;
        for (size_t k = 0; k < table.keys.size(); ++k)
        {
            header += Pad(table.keys[k], widths[k]) + "  ";
        }
        header += PadLeft("runs", 5) + PadLeft("samples", 9) + PadLeft("mean", 11)
                  + PadLeft("p50", 11) + PadLeft("p90", 11) + PadLeft("p99", 11)
                  + "   95% CI of mean";
        os << "  " << header << "\n";
        for (size_t g = 0; g < table.groups.size(); ++g)
        {
            const MetricStats& s = table.stats[g][m];
            const double k = info.scale;
            std::string line;
            for (size_t c = 0; c < table.keys.size(); ++c)
            {
                line += Pad(table.groups[g].values[c], widths[c]) + "  ";
            }
            line += PadLeft(std::to_string(s.runs), 5) + PadLeft(std::to_string(s.summary.count), 9)
                    + PadLeft(Number(s.summary.mean * k, "%.4g"), 11)
                    + PadLeft(Number(s.summary.p50 * k, "%.4g"), 11)
                    + PadLeft(Number(s.summary.p90 * k, "%.4g"), 11)
                    + PadLeft(Number(s.summary.p99 * k, "%.4g"), 11);
            line += std::isnan(s.ci.low) ? "   -"
                                         : "   [" + Number(s.ci.low * k, "%.4g") + ", "
                                               + Number(s.ci.high * k, "%.4g") + "]";
            os << "  " << line << "\n";
        }
        os << "\n";
    }
    return os.str();
}

std::string
FormatStatsCsv(const AnalysisTable& table)
{
    std::ostringstream os;
    for (const auto& k : table.keys)
    {
        os << CsvField(k) << ",";
    }
    os << "metric,unit,kind,runs,samples,mean,p50,p90,p99,ci95_low,ci95_high\n";
    for (size_t g = 0; g < table.groups.size(); ++g)
    {
        for (size_t m = 0; m < table.metrics.size(); ++m)
        {
            const MetricStats& s = table.stats[g][m];
            for (const auto& v : table.groups[g].values)
            {
                os << CsvField(v) << ",";
            }
            os << table.metrics[m].name << "," << CsvField(table.metrics[m].siUnit) << ","
               << (table.metrics[m].perRequest ? "request" : "run") << "," << s.runs << ","
               << s.summary.count << "," << CsvNumber(s.summary.mean) << ","
               << CsvNumber(s.summary.p50) << "," << CsvNumber(s.summary.p90) << ","
               << CsvNumber(s.summary.p99) << "," << CsvNumber(s.ci.low) << ","
               << CsvNumber(s.ci.high) << "\n";
        }
    }
    return os.str();
}

} // namespace wafer
} // namespace ns3
