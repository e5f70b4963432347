/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-analyze: statistics against closed forms, grouping, outputs, plots and clear errors for
// files of another schema or missing datasets.

#include "input-set.h"
#include "run-grouping.h"
#include "sample-stats.h"
#include "test-util.h"

#include "ns3/hdf5-result-writer.h"
#include "ns3/result-table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

using namespace wafertest;
using namespace ns3::wafer;

namespace
{
/**
 * A synthetic result file: \p ttft per request (request k rejected when \p rejectLast and it is
 * the last), tokens_per_s in /summary, model and a microbatches field in the stored scenario.
 */
void
WriteRun(const std::string& path,
         const std::string& model,
         int microbatches,
         int64_t seed,
         const std::vector<double>& ttft,
         double tokensPerS,
         const std::string& schema = kResultSchemaVersion,
         bool withSummary = true)
{
    ResultTable req("requests", "synthetic");
    const size_t cT = req.AddFloat("ttft_s");
    const size_t cP = req.AddFloat("tpot_s");
    const size_t cO = req.AddInt("output_tokens");
    const size_t cR = req.AddInt("rejected");
    for (size_t k = 0; k < ttft.size(); ++k)
    {
        req.Set(cT, ttft[k]);
        req.Set(cP, 0.01 * (k + 1));
        req.Set(cO, int64_t(k == 0 ? 1 : 10)); // the first has no time per output token
        req.Set(cR, int64_t(0));
    }
    req.Set(cT, -1.0); // a rejected request: ignored
    req.Set(cP, -1.0);
    req.Set(cO, int64_t(10));
    req.Set(cR, int64_t(1));
    ResultTable sum("summary", "synthetic");
    sum.Set(sum.AddFloat("tokens_per_s"), tokensPerS);
    sum.Set(sum.AddFloat("accelerators"), 2.0);
    sum.Set(sum.AddFloat("tpot_mean_s"), 0.02);
    RunMetadata meta;
    const std::string scenario = R"({"model": ")" + model + R"(", "name": "x", "serving": )"
                                 + R"({"microbatches": )" + std::to_string(microbatches) + "}}";
    meta.text = {{"scenario", scenario}, {"attribute_overrides", ""}};
    meta.integers = {{"seed", seed}};
    std::vector<ResultTable> tables = {req};
    if (withSummary)
    {
        tables.push_back(sum);
    }
    WriteTableFile(path, schema, meta, tables);
}

/// stats.csv rows by "group|metric" -> column -> value.
std::map<std::string, std::map<std::string, std::string>>
ReadStats(const std::string& csv, size_t keys)
{
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string cell; std::getline(hs, cell, ',');)
    {
        header.push_back(cell);
    }
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line))
    {
        std::vector<std::string> cells;
        std::stringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');)
        {
            cells.push_back(cell);
        }
        cells.resize(header.size());
        std::string key;
        for (size_t k = 0; k < keys; ++k)
        {
            key += cells[k] + "|";
        }
        key += cells[keys];
        for (size_t c = 0; c < header.size(); ++c)
        {
            rows[key][header[c]] = cells[c];
        }
    }
    return rows;
}

double
Num(const std::string& s)
{
    return std::stod(s);
}
} // namespace

TEST(AnalysisStats, PercentilesAndMeanClosedForm)
{
    // 1..10: mean 5.5; linear interpolation: p50 = 5.5, p90 = 9.1, p99 = 9.91.
    std::vector<double> v = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
    const SampleSummary s = Summarise(v);
    EXPECT_EQ(s.count, 10u);
    EXPECT_DOUBLE_EQ(s.mean, 5.5);
    EXPECT_DOUBLE_EQ(s.p50, 5.5);
    EXPECT_NEAR(s.p90, 9.1, 1e-12);
    EXPECT_NEAR(s.p99, 9.91, 1e-12);
    EXPECT_TRUE(std::isnan(Summarise({}).mean));
}

TEST(AnalysisStats, StudentTInterval)
{
    // Tabulated t(0.975, dof).
    EXPECT_NEAR(StudentT975(1), 12.706204736, 1e-6);
    EXPECT_NEAR(StudentT975(2), 4.302652730, 1e-6);
    EXPECT_NEAR(StudentT975(9), 2.262157163, 1e-6);
    EXPECT_NEAR(StudentT975(1000), 1.962339, 1e-5);
    // {2, 4, 6}: mean 4, s = 2, half width = t(2) * 2 / sqrt(3).
    const ConfidenceInterval ci = MeanConfidence95({2, 4, 6});
    const double half = 4.302652729911275 * 2 / std::sqrt(3.0);
    EXPECT_NEAR(ci.low, 4 - half, 1e-9);
    EXPECT_NEAR(ci.high, 4 + half, 1e-9);
    EXPECT_TRUE(std::isnan(MeanConfidence95({3}).low));
    const ConfidenceInterval same = MeanConfidence95({5, 5, 5});
    EXPECT_DOUBLE_EQ(same.low, 5);
    EXPECT_DOUBLE_EQ(same.high, 5);
}

TEST(AnalysisRun, GroupsSeedsAndMatchesClosedForms)
{
    const std::string dir = TempDir("analysis-closed");
    // Model a: three seeds; their TTFT means are 2, 4 and 6 (each run has samples m-1, m, m+1).
    for (int seed = 1; seed <= 3; ++seed)
    {
        const double m = 2.0 * seed;
        WriteRun(dir + "/a" + std::to_string(seed) + ".h5",
                 "a",
                 4,
                 seed,
                 {m - 1, m, m + 1},
                 100.0 * seed);
    }
    // Model b: two seeds with TTFT 1..10 split in halves.
    WriteRun(dir + "/b1.h5", "b", 4, 1, {1, 2, 3, 4, 5}, 50);
    WriteRun(dir + "/b2.h5", "b", 4, 2, {6, 7, 8, 9, 10}, 70);
    const RunOutput r = RunProgram("wafer-analyze",
                                   "'" + dir
                                       + "/*.h5' --metrics=ttft_s,tpot_s,tokens_per_s "
                                         "--out="
                                       + dir + "/report --no-plots");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // Only "model" differs between the files, so it is the one group key.
    const auto rows = ReadStats(dir + "/report/stats.csv", 1);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    const auto& a = rows.at("a|ttft_s");
    EXPECT_EQ(a.at("runs"), "3");
    EXPECT_EQ(a.at("samples"), "9") << "the rejected request is left out";
    EXPECT_DOUBLE_EQ(Num(a.at("mean")), 4);
    // Pooled {1,2,3,3,4,5,5,6,7}: p50 = 4, p90 = 6 + 0.2 * 1 = 6.2, p99 = 6 + 0.92 = 6.92.
    EXPECT_NEAR(Num(a.at("p50")), 4, 1e-9);
    EXPECT_NEAR(Num(a.at("p90")), 6.2, 1e-9);
    EXPECT_NEAR(Num(a.at("p99")), 6.92, 1e-9);
    const double half = 4.302652729911275 * 2 / std::sqrt(3.0);
    EXPECT_NEAR(Num(a.at("ci95_low")), 4 - half, 1e-6);
    EXPECT_NEAR(Num(a.at("ci95_high")), 4 + half, 1e-6);
    EXPECT_EQ(a.at("unit"), "s");
    EXPECT_EQ(a.at("kind"), "request");

    const auto& b = rows.at("b|ttft_s");
    EXPECT_DOUBLE_EQ(Num(b.at("mean")), 5.5);
    EXPECT_NEAR(Num(b.at("p90")), 9.1, 1e-9);
    // Run means 3 and 8: half width t(1) * s / sqrt(2), s = 5 / sqrt(2).
    const double halfB = 12.706204736174707 * (5 / std::sqrt(2.0)) / std::sqrt(2.0);
    EXPECT_NEAR(Num(b.at("ci95_low")), 5.5 - halfB, 1e-6);

    // tpot: the one-token request has none: per run {0.02, 0.03}.
    EXPECT_EQ(rows.at("a|tpot_s").at("samples"), "6");
    EXPECT_NEAR(Num(rows.at("a|tpot_s").at("mean")), 0.025, 1e-12);

    // A per-run metric: one sample per run.
    const auto& t = rows.at("a|tokens_per_s");
    EXPECT_EQ(t.at("samples"), "3");
    EXPECT_EQ(t.at("kind"), "run");
    EXPECT_DOUBLE_EQ(Num(t.at("mean")), 200);
    EXPECT_DOUBLE_EQ(Num(t.at("p50")), 200);

    // The table and the merged file.
    EXPECT_NE(r.out.find("TTFT (ms) [ttft_s, per request]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("4000"), std::string::npos) << "mean shown in ms";
    const std::string h5 = dir + "/report/analysis.h5";
    EXPECT_EQ(StringAttribute(h5, "schema_version"), "wafer-analysis/1");
    EXPECT_EQ(ReadField(h5, "/stats", "mean").size(), 6u);
    EXPECT_EQ(ReadField(h5, "/runs", "tokens_per_s").size(), 5u);
    EXPECT_EQ(ReadField(h5, "/request_samples", "value").size(), 9u + 10 + 6 + 8);
}

TEST(AnalysisRun, GroupByAndNoneOverrideTheDetectedKeys)
{
    const std::string dir = TempDir("analysis-groupby");
    WriteRun(dir + "/x1.h5", "a", 1, 1, {1}, 10);
    WriteRun(dir + "/x2.h5", "a", 2, 1, {3}, 10);
    WriteRun(dir + "/x3.h5", "b", 2, 1, {5}, 10);
    RunOutput r = RunProgram("wafer-analyze", dir + " --metrics=ttft_s --csv=" + dir + "/s.csv");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto rows = ReadStats(dir + "/s.csv", 2);
    EXPECT_EQ(rows.size(), 3u) << "model and serving.microbatches both vary";
    EXPECT_TRUE(rows.count("a|2|ttft_s"));
    r = RunProgram("wafer-analyze",
                   dir + " --metrics=ttft_s --group-by=serving.microbatches --csv=" + dir
                       + "/s.csv");
    rows = ReadStats(dir + "/s.csv", 1);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_DOUBLE_EQ(Num(rows.at("2|ttft_s").at("mean")), 4);
    r = RunProgram("wafer-analyze",
                   dir + " --metrics=ttft_s --group-by=none --csv=" + dir + "/s.csv");
    EXPECT_NE(r.out.find("runs"), std::string::npos);
    std::ifstream in(dir + "/s.csv");
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header.rfind("metric,unit,kind,runs,samples,mean", 0), 0u) << header;
}

TEST(AnalysisRun, OtherSchemaOrMissingDatasetIsAOneLineError)
{
    const std::string dir = TempDir("analysis-bad");
    WriteRun(dir + "/ok.h5", "a", 1, 1, {1}, 10);
    WriteRun(dir + "/old.h5", "a", 1, 2, {1}, 10, "wafer-results/0");
    RunOutput r = RunProgram("wafer-analyze", dir + "/ok.h5 " + dir + "/old.h5 --metrics=ttft_s");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err,
              "wafer-analyze: error: " + dir
                  + "/old.h5: schema_version is 'wafer-results/0', expected "
                    "'wafer-results/1'\n");
    WriteRun(dir + "/nosum.h5", "a", 1, 3, {1}, 10, kResultSchemaVersion, false);
    r = RunProgram("wafer-analyze", dir + "/ok.h5 " + dir + "/nosum.h5 --metrics=ttft_s");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "wafer-analyze: error: " + dir + "/nosum.h5: missing dataset /summary\n");
    r = RunProgram("wafer-analyze", dir + "/ok.h5 --metrics=summary.no_such_field");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("ok.h5: /summary has no field 'no_such_field'"), std::string::npos)
        << r.err;
    WriteFile(dir + "/text.h5", "hello\n");
    r = RunProgram("wafer-analyze", dir + "/ok.h5 --metrics=e2e_s");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("ok.h5: /requests has no field 'e2e_s'"), std::string::npos) << r.err;
    r = RunProgram("wafer-analyze", dir + "/text.h5");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("text.h5: not an HDF5 file"), std::string::npos) << r.err;
    r = RunProgram("wafer-analyze", "'" + dir + "/nothing*.h5'");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("matches no file"), std::string::npos) << r.err;

    // A glob or folder that also catches files of another schema (a merged analysis.h5) skips
    // them with a warning; named on the command line, such a file stays an error (above).
    const std::string mixed = TempDir("analysis-mixed");
    WriteRun(mixed + "/a.h5", "a", 1, 1, {1}, 10);
    WriteRun(mixed + "/b.h5", "a", 1, 2, {3}, 10);
    WriteRun(mixed + "/merged.h5", "a", 1, 3, {1}, 10, "wafer-analysis/1");
    for (const std::string& input : {"'" + mixed + "/*.h5'", mixed})
    {
        r = RunProgram("wafer-analyze", input + " --metrics=ttft_s");
        EXPECT_EQ(r.exitCode, 0) << r.err;
        EXPECT_EQ(r.err.rfind("wafer-analyze: warning: " + mixed
                                  + "/merged.h5: not a result file (schema_version is not "
                                    "wafer-results/1): skipped\n",
                              0),
                  0u)
            << r.err;
        EXPECT_NE((r.out + r.err).find("2 result files"), std::string::npos) << r.out << r.err;
    }
    r = RunProgram("wafer-analyze", "'" + mixed + "/m*.h5' --quiet");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("error: no result files among the 1 files given"), std::string::npos)
        << r.err;
}

std::vector<std::string>
Sorted(std::vector<std::string> v)
{
    std::sort(v.begin(), v.end());
    return v;
}

TEST(AnalysisRun, AFailedReportLeavesNoHalfFolder)
{
    // Found by fuzzing: a failure after the CSV was written left a half-written report folder.
    const std::string dir = TempDir("analysis-half");
    WriteRun(dir + "/a.h5", "a", 1, 1, {1, 2}, 10);
    const std::string report = dir + "/report";
    RunOutput r = RunProgram("wafer-analyze",
                             dir + "/a.h5 --metrics=ttft_s --no-plots --out=" + report
                                 + " --h5=/proc/no/analysis.h5");
    EXPECT_NE(r.exitCode, 0);
    EXPECT_EQ(Sorted(ListDir(dir)), std::vector<std::string>{"a.h5"}) << r.err;
    // A complete report appears whole; a second one replaces its files and keeps the user's.
    r = RunProgram("wafer-analyze", dir + "/a.h5 --metrics=ttft_s --no-plots --out=" + report);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(Sorted(ListDir(report)), (std::vector<std::string>{"analysis.h5", "stats.csv"}));
    WriteFile(report + "/notes.txt", "mine");
    WriteFile(report + "/stats.csv", "stale");
    r = RunProgram("wafer-analyze", dir + "/a.h5 --metrics=ttft_s --no-plots --out=" + report);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(Sorted(ListDir(report)),
              (std::vector<std::string>{"analysis.h5", "notes.txt", "stats.csv"}));
    std::ifstream csv(report + "/stats.csv");
    const std::string text((std::istreambuf_iterator<char>(csv)), {});
    EXPECT_NE(text.find("ttft_s"), std::string::npos) << text;
    EXPECT_EQ(Sorted(ListDir(dir)), (std::vector<std::string>{"a.h5", "report"}));
}

TEST(AnalysisRun, CorruptResultFileIsRefusedNotCrashed)
{
    // Found by fuzz-result: a result file whose /requests declares a field of another float
    // type crashed inside HDF5's type conversion. Only the types results have are read.
    const RunOutput r = RunProgram(
        "wafer-analyze", SourcePath("fuzz/regressions/result/long-double-member") + " --quiet");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("/requests has a field of a type results never have"), std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(AnalysisRun, SweepIndexGroupsAndPlots)
{
    const std::string dir = TempDir("analysis-sweep");
    WriteFile(dir + "/base.json",
              R"({"schema": "wafer-scenario/1", "name": "tiny", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 20, "requests": 4,
    "input_tokens": {"dist": "fixed", "value": 256}, "output_tokens": {"dist": "uniform", "min": 2, "max": 9}}}})");
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "name": "plots", "base": "base.json",
                  "grid": {"network.link": ["ethernet-100g-dac", "photonic-face-15t"],
                           "serving.microbatches": [1, 2]}, "replications": 2})");
    ASSERT_EQ(RunProgram("wafer-sweep", dir + "/sweep.json --out=" + dir + "/out").exitCode, 0);
    const RunOutput r = RunProgram(
        "wafer-analyze", dir + "/out --out=" + dir + "/report --x=network.link --title=Test");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // Groups come in the sweep's order, keyed by the swept parameters.
    const auto rows = ReadStats(dir + "/report/stats.csv", 2);
    EXPECT_EQ(rows.size(), 4u * 6);
    EXPECT_EQ(rows.at("ethernet-100g-dac|1|ttft_s").at("runs"), "2");
    EXPECT_LT(r.out.find("ethernet-100g-dac  1"), r.out.find("photonic-face-15t  1")) << r.out;
    for (const char* stem : {"ttft_s", "tpot_s", "energy_per_token_j", "frontier"})
    {
        const std::string base = dir + "/report/plots/" + std::string(stem);
        EXPECT_TRUE(Exists(base + ".gp")) << stem;
        EXPECT_TRUE(Exists(base + ".dat")) << stem;
        if (Exists("/usr/bin/gnuplot"))
        {
            EXPECT_GT(std::filesystem::file_size(base + ".png"), 1000u) << stem;
            EXPECT_GT(std::filesystem::file_size(base + ".svg"), 1000u) << stem;
        }
    }
    std::ifstream gp(dir + "/report/plots/ttft_s.gp");
    const std::string script((std::istreambuf_iterator<char>(gp)), {});
    EXPECT_NE(script.find("set title \"Test: TTFT against link technology"), std::string::npos)
        << script;
    EXPECT_NE(script.find("set ylabel \"TTFT (ms)\""), std::string::npos);
    EXPECT_NE(script.find("title \"1\""), std::string::npos) << "a series per microbatch count";
    // The README's form, relative paths from the working folder: gnuplot runs in the plots
    // folder, and its log was once looked for relative to that (every plot then failed).
    const std::string relative = "cd '" + dir + "' && '" + std::string(WAFER_BIN_DIR)
                                 + "/wafer-analyze' out --out=rel-report --quiet >/dev/null";
    ASSERT_EQ(std::system(relative.c_str()), 0);
    EXPECT_TRUE(Exists(dir + "/rel-report/plots/ttft_s.gp"));
    if (Exists("/usr/bin/gnuplot"))
    {
        EXPECT_GT(std::filesystem::file_size(dir + "/rel-report/plots/ttft_s.png"), 1000u);
    }
    if (!Exists("/usr/bin/gnuplot"))
    {
        GTEST_SKIP() << "gnuplot is not installed: checked the scripts, not the images";
    }
}

TEST(AnalysisRun, PlotLegendsSayOnlyWhatSeparatesTheLines)
{
    // Microbatches and the kernel overhead are zipped: they vary together, so one of them tells
    // the lines apart and the legend names only it; the scenario name never varies.
    const std::string dir = TempDir("analysis-legend");
    WriteFile(dir + "/base.json",
              R"({"schema": "wafer-scenario/1", "name": "tiny", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 20, "requests": 4,
    "input_tokens": {"dist": "fixed", "value": 256}, "output_tokens": {"dist": "fixed", "value": 8}}}})");
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "name": "legend", "base": "base.json",
                  "grid": {"network.link": ["ethernet-100g-dac", "photonic-face-15t"]},
                  "zip": {"serving.microbatches": [1, 2],
                          "ns3::wafer::RooflineEngine::KernelOverhead": ["5us", "20ms"]}})");
    ASSERT_EQ(RunProgram("wafer-sweep", dir + "/sweep.json --out=" + dir + "/out").exitCode, 0);
    const RunOutput r = RunProgram("wafer-analyze",
                                   dir + "/out --out=" + dir
                                       + "/report --x=network.link --quiet --group-by=network.link,"
                                         "serving.microbatches,ns3::wafer::RooflineEngine::"
                                         "KernelOverhead,name");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::ifstream gp(dir + "/report/plots/ttft_s.gp");
    const std::string script((std::istreambuf_iterator<char>(gp)), {});
    const size_t key = script.find("set key");
    ASSERT_NE(key, std::string::npos) << script;
    const std::string keyLine = script.substr(key, script.find('\n', key) - key);
    EXPECT_NE(keyLine.find("outside below"), std::string::npos) << keyLine;
    EXPECT_EQ(keyLine.find("KernelOverhead"), std::string::npos) << keyLine;
    EXPECT_EQ(keyLine.find("name"), std::string::npos) << keyLine;
    EXPECT_NE(script.find("title \"1\""), std::string::npos) << script;
    EXPECT_NE(script.find("title \"2\""), std::string::npos) << script;
    // A 20 ms kernel overhead against 5 us puts the TTFTs decades apart: a log axis.
    EXPECT_NE(script.find("set logscale y"), std::string::npos) << script;
    // The frontier's points carry the link they were run on.
    std::ifstream frontier(dir + "/report/plots/frontier.dat");
    const std::string data((std::istreambuf_iterator<char>(frontier)), {});
    EXPECT_NE(data.find("\"ethernet-100g-dac\""), std::string::npos) << data;
}
