/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-analyze: statistics over many result files (a sweep's index, a folder, a glob or files),
// grouped by the swept parameters, as a terminal table, CSV, one merged HDF5 file and gnuplot
// plots (PNG and SVG). docs/sweeps.md describes it.

#include "analysis-plots.h"
#include "atomic-file.h"
#include "cli-args.h"
#include "group-statistics.h"
#include "input-set.h"
#include "merged-results.h"
#include "result-file.h"
#include "run-grouping.h"
#include "stats-report.h"

#include "ns3/hdf5-result-writer.h"
#include "ns3/input-error.h"
#include "ns3/output-temp.h"

#include <boost/algorithm/string.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

using namespace ns3::wafer;
namespace fs = std::filesystem;

namespace
{
const char* kUsage
    = "usage: wafer-analyze INPUT... [--metrics=a,b] [--group-by=a,b] [--out=DIR]\n"
      "                     [--csv=FILE] [--h5=FILE] [--plots=DIR] [--no-plots] [--quiet]\n"
      "                     [--x=KEY|METRIC] [--series=a,b] [--plot-metrics=a,b]\n"
      "                     [--plot-stat=mean|p50|p90|p99] [--log-y] [--title=TEXT]\n"
      "                     [--where=key=value,...]\n"
      "INPUT: a sweep output folder or its index.json (its points that are done, grouped by the\n"
      "swept parameters), a folder of .h5 files, a glob (\"results/*.h5\") or result files\n"
      "(grouped by the scenario fields and attributes that differ between them).\n"
      "  --metrics     per-request columns of /requests (ttft_s, tpot_s, e2e_s, queue_s, ...) or\n"
      "                per-run fields of /summary (summary.tokens_per_s, energy_per_token_j,\n"
      "                tokens_per_s_per_accelerator, tokens_per_s_per_user,\n"
      "                io_bandwidth_bytes_per_s, ...); default ttft_s,tpot_s,e2e_s,tokens_per_s,\n"
      "                energy_per_token_j,network_energy_per_token_j\n"
      "  --group-by    scenario fields (dotted paths), ns-3 attributes or sweep parameters;\n"
      "                'none' for one group\n"
      "  --where       keep only runs whose parameters have these values\n"
      "  --out=DIR     writes DIR/stats.csv, DIR/analysis.h5 and DIR/plots/ (gnuplot)\n"
      "Statistics per group and metric: mean, p50, p90, p99 over the pooled samples and the 95%\n"
      "Student-t interval of the mean across the group's runs (seeds). Exit codes: 0 success,\n"
      "1 failure, 2 bad input (including a file of another schema or missing a dataset).\n";

const char* kDefaultMetrics
    = "ttft_s,tpot_s,e2e_s,tokens_per_s,energy_per_token_j,network_energy_per_token_j";

std::vector<std::string>
SplitList(const std::string& text)
{
    std::vector<std::string> items;
    if (text.empty())
    {
        return items;
    }
    boost::algorithm::split(items, text, boost::is_any_of(","));
    for (auto& i : items)
    {
        boost::algorithm::trim(i);
        if (i.empty())
        {
            throw InputError("empty name in list '" + text + "'");
        }
    }
    return items;
}
} // namespace

int
main(int argc, char** argv)
{
    if (const int rc = CommonOptions(argc, argv, "wafer-analyze", kUsage, Introspection::None);
        rc >= 0)
    {
        return rc;
    }
    const auto start = std::chrono::steady_clock::now();
    try
    {
        std::vector<std::string> inputs;
        std::vector<char*> rest = {argv[0]};
        for (int i = 1; i < argc; ++i)
        {
            (std::string(argv[i]).rfind("--", 0) == 0 ? rest.push_back(argv[i])
                                                      : inputs.push_back(argv[i]));
        }
        CliArgs args(static_cast<int>(rest.size()),
                     rest.data(),
                     {"metrics",
                      "group-by",
                      "out",
                      "csv",
                      "h5",
                      "plots",
                      "x",
                      "series",
                      "plot-metrics",
                      "plot-stat",
                      "title",
                      "where"},
                     {"no-plots", "quiet", "log-y"});
        if (!args.Attributes().empty())
        {
            throw InputError("--" + args.Attributes().front().first + ": unknown option");
        }
        if (inputs.empty())
        {
            throw InputError("no result files given (see --help)");
        }
        std::vector<MetricInfo> metrics;
        std::vector<std::string> requestFields;
        std::vector<std::string> summaryFields;
        for (const auto& spec : SplitList(args.Get("metrics", kDefaultMetrics)))
        {
            metrics.push_back(DescribeMetric(spec));
            (metrics.back().perRequest ? requestFields : summaryFields)
                .push_back(metrics.back().name);
        }
        PlotOptions plot;
        plot.x = args.Get("x", "");
        plot.series = SplitList(args.Get("series", ""));
        if (args.Has("plot-metrics"))
        {
            plot.metrics = SplitList(args.Get("plot-metrics"));
        }
        plot.stat = args.Get("plot-stat", "mean");
        plot.logY = args.Flag("log-y");
        plot.titlePrefix = args.Has("title") ? args.Get("title") + ": " : "";
        const bool drawing = (args.Has("plots") || args.Has("out")) && !args.Flag("no-plots");
        for (const auto& spec : drawing ? plot.metrics : std::vector<std::string>{})
        {
            const MetricInfo m = DescribeMetric(spec);
            auto& list = m.perRequest ? requestFields : summaryFields;
            if (std::find(list.begin(), list.end(), m.name) == list.end())
            {
                list.push_back(m.name);
            }
        }

        const InputSet set = ResolveInputs(inputs);
        if (set.files.empty())
        {
            throw InputError("no completed results to analyse (" + std::to_string(set.notDone)
                             + " sweep points not done)");
        }
        std::vector<RunRecord> runs;
        runs.reserve(set.files.size());
        for (const auto& f : set.files)
        {
            try
            {
                const ResultFile file(f.path);
                if (f.matched && !file.HasSchema(kResultSchemaVersion))
                {
                    // A glob or folder that also holds other HDF5 files (an analysis.h5, ...).
                    std::cerr << "wafer-analyze: warning: " << f.path
                              << ": not a result file (schema_version is not "
                              << kResultSchemaVersion << "): skipped\n";
                    continue;
                }
                if (f.matched && file.HasAttribute("program")
                    && file.StringAttribute("program") != "wafer-sim")
                {
                    // Same schema, other tables: a weight-streaming study beside serving runs.
                    std::cerr << "wafer-analyze: warning: " << f.path << ": written by "
                              << file.StringAttribute("program").substr(0, 40)
                              << ", not a serving run of wafer-sim: skipped\n";
                    continue;
                }
                runs.push_back(LoadRun(f.path, requestFields, summaryFields));
            }
            catch (const ResultFileError& e)
            {
                throw InputError(e.what());
            }
            runs.back().parameters = f.parameters;
        }
        if (runs.empty())
        {
            throw InputError("no result files among the " + std::to_string(set.files.size())
                             + " files given (every one was skipped)");
        }
        // --where=key=value,...: keep only the runs with those parameter values.
        for (const auto& condition : SplitList(args.Get("where", "")))
        {
            const auto eq = condition.find('=');
            if (eq == std::string::npos || eq == 0)
            {
                throw InputError("--where: '" + condition + "' is not key=value");
            }
            const std::string key = condition.substr(0, eq);
            const std::string value = condition.substr(eq + 1);
            runs.erase(std::remove_if(runs.begin(),
                                      runs.end(),
                                      [&](const RunRecord& r)
                                      {
                                          return ParameterValue(r, key) != value;
                                      }),
                       runs.end());
            if (runs.empty())
            {
                throw InputError("--where: no result has " + condition);
            }
        }
        const double readS
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        std::vector<std::string> keys;
        bool keepOrder = false;
        if (args.Has("group-by"))
        {
            keys = args.Get("group-by") == "none" ? std::vector<std::string>{}
                                                  : SplitList(args.Get("group-by"));
            keepOrder = set.allFromIndex;
        }
        else if (set.allFromIndex)
        {
            keys = set.indexParameters;
            keepOrder = true;
        }
        else
        {
            keys = VaryingParameters(runs);
        }
        const AnalysisTable table = BuildAnalysis(runs, keys, metrics, keepOrder);

        if (!args.Flag("quiet"))
        {
            std::cout << FormatStatsTable(table);
        }
        // The report is written into a temporary folder and moved into --out when complete, so
        // a failure or an interruption never leaves half a report.
        const std::string out = args.Get("out", "");
        std::optional<OutputTempDir> report;
        if (!out.empty())
        {
            report.emplace(out);
        }
        const std::string base = report ? report->Path() : "";
        std::vector<std::string> wrote;
        const std::string csv = args.Get("csv", out.empty() ? "" : base + "/stats.csv");
        if (!csv.empty())
        {
            WriteFileAtomically(csv, FormatStatsCsv(table));
            wrote.push_back(args.Get("csv", out + "/stats.csv"));
        }
        const std::string h5 = args.Get("h5", out.empty() ? "" : base + "/analysis.h5");
        if (!h5.empty())
        {
            WriteMergedResults(h5, runs, table);
            wrote.push_back(args.Get("h5", out + "/analysis.h5"));
        }
        const std::string plots = args.Get("plots", out.empty() ? "" : base + "/plots");
        if (!plots.empty() && !args.Flag("no-plots"))
        {
            fs::create_directories(plots);
            const std::string gnuplot = FindGnuplot();
            size_t drawn = 0;
            const auto figures = BuildFigures(runs, table, plot);
            for (const auto& [stem, figure] : figures)
            {
                figure.Write(plots, stem);
                if (!gnuplot.empty())
                {
                    const std::string problem = DrawFigure(gnuplot, plots, stem);
                    if (!problem.empty())
                    {
                        std::cerr << "wafer-analyze: failure: " << problem << std::endl;
                        return 1;
                    }
                    ++drawn;
                }
            }
            if (gnuplot.empty())
            {
                std::cerr << "wafer-analyze: note: gnuplot is not installed; wrote the .gp "
                             "scripts and .dat files to "
                          << plots << " but drew no plots" << std::endl;
            }
            wrote.push_back(args.Get("plots", out + "/plots") + "/ (" + std::to_string(drawn)
                            + " plots, PNG and SVG)");
        }
        if (report)
        {
            report->Commit();
        }
        const double totalS
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!args.Flag("quiet") || !wrote.empty())
        {
            std::fprintf(stderr,
                         "wafer-analyze: %zu result files in %zu groups%s; read in %.2f s, "
                         "total %.2f s\n",
                         runs.size(),
                         table.groups.size(),
                         set.notDone ? (", " + std::to_string(set.notDone)
                                        + " sweep points not done skipped")
                                           .c_str()
                                     : "",
                         readS,
                         totalS);
            for (const auto& w : wrote)
            {
                std::fprintf(stderr, "  wrote %s\n", w.c_str());
            }
        }
        return 0;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-analyze", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-analyze: failure: " << e.what() << std::endl;
        return 1;
    }
}
