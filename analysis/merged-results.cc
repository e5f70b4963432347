/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "merged-results.h"

#include "ns3/hdf5-result-writer.h"
#include "ns3/result-column-docs.h"
#include "ns3/result-table.h"

#include <algorithm>
#include <limits>
#include <set>

namespace ns3
{
namespace wafer
{

const char* const kAnalysisSchemaVersion = "wafer-analysis/1";

namespace
{
size_t
Width(const std::vector<std::string>& values, size_t atLeast)
{
    size_t w = atLeast;
    for (const auto& v : values)
    {
        w = std::max(w, v.size() + 1);
    }
    return w;
}

std::string
Join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& i : items)
    {
        out += (out.empty() ? "" : ",") + i;
    }
    return out;
}

std::vector<std::string>
MetricNames(const AnalysisTable& table)
{
    std::vector<std::string> names;
    for (const auto& m : table.metrics)
    {
        names.push_back(m.name);
    }
    return names;
}

/// One string column per group key, wide enough for its values; returns their indexes.
std::vector<size_t>
AddKeyColumns(ResultTable& t, const AnalysisTable& table)
{
    std::vector<size_t> cols;
    for (size_t k = 0; k < table.keys.size(); ++k)
    {
        std::vector<std::string> values;
        for (const auto& g : table.groups)
        {
            values.push_back(g.values[k]);
        }
        cols.push_back(t.AddString(table.keys[k], Width(values, 2)));
    }
    return cols;
}

ResultTable
StatsTable(const AnalysisTable& table)
{
    ResultTable t("stats",
                  "One row per group and metric; mean and percentiles over the pooled samples, "
                  "ci95 from the runs' means (Student t); stored units.");
    const std::vector<size_t> keyCols = AddKeyColumns(t, table);
    const size_t cMetric = t.AddString("metric", Width(MetricNames(table), 2));
    const size_t cKind = t.AddString("kind", 8);
    const size_t cRuns = t.AddInt("runs");
    const size_t cSamples = t.AddInt("samples");
    const size_t cMean = t.AddFloat("mean");
    const size_t cP50 = t.AddFloat("p50");
    const size_t cP90 = t.AddFloat("p90");
    const size_t cP99 = t.AddFloat("p99");
    const size_t cLow = t.AddFloat("ci95_low");
    const size_t cHigh = t.AddFloat("ci95_high");
    for (size_t g = 0; g < table.groups.size(); ++g)
    {
        for (size_t m = 0; m < table.metrics.size(); ++m)
        {
            const MetricStats& s = table.stats[g][m];
            for (size_t k = 0; k < keyCols.size(); ++k)
            {
                t.Set(keyCols[k], table.groups[g].values[k]);
            }
            t.Set(cMetric, table.metrics[m].name);
            t.Set(cKind, std::string(table.metrics[m].perRequest ? "request" : "run"));
            t.Set(cRuns, static_cast<int64_t>(s.runs));
            t.Set(cSamples, static_cast<int64_t>(s.summary.count));
            t.Set(cMean, s.summary.mean);
            t.Set(cP50, s.summary.p50);
            t.Set(cP90, s.summary.p90);
            t.Set(cP99, s.summary.p99);
            t.Set(cLow, s.ci.low);
            t.Set(cHigh, s.ci.high);
        }
    }
    return t;
}

ResultTable
RunsTable(const std::vector<RunRecord>& runs, const AnalysisTable& table)
{
    ResultTable t("runs",
                  "One row per input file: its group, seed, group values and every "
                  "/summary field (NaN where a file lacks one).");
    std::vector<std::string> paths;
    std::set<std::string> fields;
    for (const auto& r : runs)
    {
        paths.push_back(r.path);
        for (const auto& [k, v] : r.summary)
        {
            fields.insert(k);
        }
    }
    std::vector<size_t> groupOf(runs.size(), 0);
    for (size_t g = 0; g < table.groups.size(); ++g)
    {
        for (size_t r : table.groups[g].runs)
        {
            groupOf[r] = g;
        }
    }
    const size_t cFile = t.AddString("file", Width(paths, 2));
    const size_t cGroup = t.AddInt("group");
    const size_t cSeed = t.AddInt("seed");
    const std::vector<size_t> keyCols = AddKeyColumns(t, table);
    std::vector<std::pair<std::string, size_t>> fieldCols;
    for (const auto& f : fields)
    {
        if (std::find(table.keys.begin(), table.keys.end(), f) == table.keys.end() && f != "file"
            && f != "group" && f != "seed")
        {
            fieldCols.emplace_back(f, t.AddFloat(f));
            // A /summary field of the inputs: its unit and meaning are those of wafer-sim's.
            const ColumnDoc* doc = FindColumnDoc("wafer-sim", "summary", f);
            t.Describe(fieldCols.back().second,
                       doc ? doc->unit : "",
                       "The run's /summary field " + f + (doc ? ": " + doc->description : "."));
        }
    }
    for (size_t r = 0; r < runs.size(); ++r)
    {
        t.Set(cFile, runs[r].path);
        t.Set(cGroup, static_cast<int64_t>(groupOf[r]));
        t.Set(cSeed, static_cast<int64_t>(runs[r].seed));
        for (size_t k = 0; k < keyCols.size(); ++k)
        {
            t.Set(keyCols[k], table.groups[groupOf[r]].values[k]);
        }
        for (const auto& [f, col] : fieldCols)
        {
            auto it = runs[r].summary.find(f);
            t.Set(col,
                  it == runs[r].summary.end() ? std::numeric_limits<double>::quiet_NaN()
                                              : it->second);
        }
    }
    return t;
}

ResultTable
SamplesTable(const std::vector<RunRecord>& runs, const AnalysisTable& table)
{
    ResultTable t("request_samples",
                  "Every per-request sample used: run (row of /runs), metric, value (stored "
                  "units).");
    t.SetCompressed(true);
    const size_t cRun = t.AddInt("run");
    const size_t cMetric = t.AddString("metric", Width(MetricNames(table), 2));
    const size_t cValue = t.AddFloat("value");
    for (size_t r = 0; r < runs.size(); ++r)
    {
        for (const auto& m : table.metrics)
        {
            if (!m.perRequest)
            {
                continue;
            }
            for (double v : runs[r].Samples(m))
            {
                t.Set(cRun, static_cast<int64_t>(r));
                t.Set(cMetric, m.name);
                t.Set(cValue, v);
            }
        }
    }
    return t;
}
} // namespace

void
WriteMergedResults(const std::string& path,
                   const std::vector<RunRecord>& runs,
                   const AnalysisTable& table)
{
    RunMetadata meta;
    meta.text = {{"program", "wafer-analyze"},
                 {"program_version", WAFER_VERSION},
                 {"group_keys", Join(table.keys)},
                 {"metrics", Join(MetricNames(table))}};
    meta.integers = {{"inputs", static_cast<int64_t>(runs.size())}};
    WriteTableFile(path,
                   kAnalysisSchemaVersion,
                   meta,
                   {StatsTable(table), RunsTable(runs, table), SamplesTable(runs, table)});
}

} // namespace wafer
} // namespace ns3
