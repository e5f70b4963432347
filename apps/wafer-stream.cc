/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-stream: weight streaming from MemoryX through SwarmX. Runs a "wafer-streaming/1" study
// (inference: a sweep over batch sizes against resident serving; training: a sweep over CS
// system counts), prints a table and writes one HDF5 result file (/points, /layers, /summary).
//
//   build/bin/wafer-stream --scenario=FILE --out=FILE.h5 [--quiet] [--ns3::Class::Attr=VALUE ...]

#include "cli-args.h"

#include "ns3/hdf5-result-writer.h"
#include "ns3/input-error.h"
#include "ns3/nstime.h"
#include "ns3/run-progress.h"
#include "ns3/streaming-run.h"
#include "ns3/unused-overrides.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

using namespace ns3::wafer;

namespace
{

/// Column \p name of row \p r as text.
std::string
Cell(const ResultTable& t, const std::string& name, size_t r)
{
    const auto& c = t.Columns().at(t.Find(name));
    char buf[64];
    switch (c.type)
    {
    case ResultTable::Type::String:
        return c.s.at(r);
    case ResultTable::Type::Int64:
        return std::to_string(c.i.at(r));
    default:
        std::snprintf(buf, sizeof(buf), "%.4g", c.f.at(r));
        return buf;
    }
}

const char* kUsage
    = "usage: wafer-stream --scenario=FILE --out=FILE.h5 [--quiet] [--progress]\n"
      "       [--ns3::Class::Attr=VALUE ...]\n"
      "On a terminal a progress line (simulated time, points done, events/s, time\n"
      "left) shows on stderr; --quiet hides it, --progress shows it elsewhere too.\n";
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-stream", kUsage, Introspection::Ns3);
        rc >= 0)
    {
        return rc;
    }
    const auto wallStart = std::chrono::steady_clock::now();
    try
    {
        CliArgs args(argc, argv, {"scenario", "out"}, {"quiet", "progress"});
        args.Require("scenario");
        const std::string out = args.Require("out");
        const StreamingScenario scenario = StreamingScenario::LoadFile(args.Get("scenario"));
        CheckOutputFile(out, {args.Get("scenario")});
        WarnUnusedOverrides(
            "wafer-stream", args, scenario.path, scenario.attributes, ModelsInRun::Of(scenario));
        if (RunProgress::Wanted(args.Flag("quiet"), args.Flag("progress")))
        {
            RunProgress::Install(); // watches the runs, never reorders them
        }
        const std::vector<ResultTable> tables = StreamingRun::Run(scenario, args.Attributes());
        const double wallS
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
        RunMetadata meta;
        meta.text = {{"program", "wafer-stream"},
                     {"program_version", WAFER_VERSION},
                     {"ns3_version", "3.37"},
                     {"scenario_path", scenario.path},
                     {"scenario", scenario.text},
                     {"model", scenario.model},
                     {"device", scenario.device},
                     {"mode", scenario.mode},
                     {"fidelity", scenario.fidelity}};
        meta.text.emplace_back("attribute_overrides", args.AttributesText());
        meta.numbers = {{"wall_time_s", wallS}};
        CreateOutputFolder(out);
        WriteResultFile(out, meta, tables);
        if (!args.Flag("quiet"))
        {
            const ResultTable& p = tables.front();
            const bool inference = scenario.mode == "inference";
            std::printf("%s: %s on %s, weight streaming (%s)\n",
                        scenario.name.c_str(),
                        scenario.model.c_str(),
                        scenario.device.c_str(),
                        scenario.mode.c_str());
            const std::vector<std::string> cols
                = inference ? std::vector<std::string>{"batch",
                                                       "pass_s",
                                                       "compute_s",
                                                       "exposed_stream_s",
                                                       "tokens_per_s_per_system",
                                                       "resident_tokens_per_s_per_wafer",
                                                       "streamed_over_resident",
                                                       "memory_fits"}
                            : std::vector<std::string>{"systems",
                                                       "pass_s",
                                                       "compute_s",
                                                       "exposed_stream_s",
                                                       "tail_s",
                                                       "tokens_per_s",
                                                       "scaling_efficiency"};
            for (const auto& c : cols)
            {
                std::printf("%16.16s ", c.c_str());
            }
            std::printf("\n");
            for (size_t r = 0; r < p.Rows(); ++r)
            {
                for (const auto& c : cols)
                {
                    std::printf("%16s ", Cell(p, c, r).c_str());
                }
                std::printf("\n");
            }
            std::printf("results: %s (%.1f s wall)\n", out.c_str(), wallS);
        }
        return 0;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-stream", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-stream: failure: " << e.what() << std::endl;
        return 1;
    }
}
