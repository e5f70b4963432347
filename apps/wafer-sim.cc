/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-sim: run one scenario, print a summary, write one HDF5 result file.

#include "cli-args.h"

#include "ns3/device-catalog.h"
#include "ns3/hdf5-result-writer.h"
#include "ns3/input-error.h"
#include "ns3/llm-catalog.h"
#include "ns3/nstime.h"
#include "ns3/resolved-scenario.h"
#include "ns3/run-progress.h"
#include "ns3/scenario.h"
#include "ns3/serving-run.h"
#include "ns3/unused-overrides.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

using namespace ns3::wafer;

namespace
{
const char* kUsage
    = "usage: wafer-sim --scenario=FILE --out=FILE.h5 [--seed=N] [--fidelity=flow|chunk|packet]\n"
      "                 [--RngSeed=N] [--RngRun=N] [--pcap=PREFIX] [--quiet] [--progress]\n"
      "                 [--log=LEVEL]\n"
      "                 [--ns3::Class::Attribute=VALUE ...]\n"
      "       wafer-sim --list-models | --list-devices\n"
      "Runs a serving scenario (see docs/scenarios.md), prints a summary and writes HDF5\n"
      "(contrib-wafer/doc/hdf5-schema.md). Attribute overrides win over the scenario file. Exit "
      "codes:\n"
      "0 success, 1 internal failure, 2 bad input. --RngSeed=N is --seed=N; --RngRun=N is ns-3's\n"
      "run number (default 1): the same seed on other substreams, for independent replications.\n"
      "On a terminal a progress line (simulated time, requests ended, events/s, time left) shows "
      "on\n"
      "stderr; --quiet hides it, --progress shows it elsewhere too. It never changes results.\n";

double
Get(const RunMetrics::Summary& s, const std::string& name)
{
    return RunMetrics::Value(s, name);
}

void
PrintSummary(const ResolvedScenario& sc, const ServingRunResult& r, double wallS)
{
    const auto& s = r.summary;
    const auto tp = static_cast<unsigned>(Get(s, "tensor_parallel"));
    const std::string replicas
        = sc.replicas > 1 ? std::to_string(sc.replicas) + " replicas of " : std::string();
    const uint32_t nodes = sc.decode.expertNodes;
    const std::string device
        = tp > 1 ? std::to_string(tp) + "-way " + sc.deviceName + " domain" : sc.deviceName;
    const std::string stages
        = replicas
          + (nodes > 1 ? std::to_string(r.wafers) + " x " + std::to_string(nodes) + " " + device
                             + "s (experts across them)"
                       : std::to_string(r.wafers) + " x " + device);
    std::printf("wafer-sim: %s: %s on %s, %s fidelity, seed %llu\n",
                sc.name.c_str(),
                sc.modelName.c_str(),
                stages.c_str(),
                r.fidelity.c_str(),
                static_cast<unsigned long long>(r.seed));
    std::printf("  %-28s %.0f completed, %.0f rejected\n",
                "requests",
                Get(s, "completed"),
                Get(s, "rejected"));
    std::printf("  %-28s %.1f tokens/s (%.1f per accelerator)\n",
                "output throughput",
                Get(s, "tokens_per_s"),
                Get(s, "tokens_per_s_per_accelerator"));
    std::printf("  %-28s p50 %.3f ms, p99 %.3f ms\n",
                "TTFT",
                Get(s, "ttft_p50_s") * 1e3,
                Get(s, "ttft_p99_s") * 1e3);
    std::printf("  %-28s p50 %.3f ms, p99 %.3f ms\n",
                "time per output token",
                Get(s, "tpot_p50_s") * 1e3,
                Get(s, "tpot_p99_s") * 1e3);
    std::printf("  %-28s p50 %.3f s, p99 %.3f s\n",
                "end-to-end latency",
                Get(s, "e2e_p50_s"),
                Get(s, "e2e_p99_s"));
    std::printf("  %-28s mean %.1f %%, max %.1f %%\n",
                "stage utilisation",
                100 * Get(s, "stage_utilisation_mean"),
                100 * Get(s, "stage_utilisation_max"));
    std::printf("  %-28s %.3f J per token (network %.3g J per token), $%.2f per million tokens\n",
                "energy and cost",
                Get(s, "energy_per_token_j"),
                Get(s, "network_energy_per_token_j"),
                Get(s, "usd_per_mtok"));
    std::printf("  %-28s %.3f GB, busiest link %.2f %%\n",
                "link traffic",
                Get(s, "link_bytes") / 1e9,
                100 * Get(s, "link_utilisation_max"));
    std::printf("  %-28s %.3f s simulated, %llu events, %.2f s wall\n",
                "run",
                r.simTimeS,
                static_cast<unsigned long long>(r.events),
                wallS);
}
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-sim", kUsage, Introspection::Ns3); rc >= 0)
    {
        return rc;
    }
    const auto wallStart = std::chrono::steady_clock::now();
    try
    {
        CliArgs args(argc,
                     argv,
                     {"scenario", "out", "seed", "RngSeed", "RngRun", "log", "fidelity", "pcap"},
                     {"list-models", "list-devices", "quiet", "progress"});
        // Progress and diagnostics go to stderr; the summary table to stdout.
        spdlog::set_default_logger(spdlog::stderr_logger_st("wafer-sim"));
        const auto level = spdlog::level::from_str(args.Get("log", "warn"));
        if (level == spdlog::level::off && args.Get("log", "warn") != "off")
        {
            throw InputError("--log: must be trace, debug, info, warn, error or off");
        }
        spdlog::set_level(level);
        if (args.Flag("list-models") || args.Flag("list-devices"))
        {
            const auto names = args.Flag("list-models") ? LlmCatalog::Load().Names()
                                                        : DeviceCatalog::Load().Names();
            for (const auto& n : names)
            {
                std::cout << n << "\n";
            }
            return 0;
        }
        args.Require("scenario");
        const std::string out = args.Require("out");
        const Scenario file = Scenario::LoadFile(args.Get("scenario"));
        std::vector<std::string> inputs{args.Get("scenario"), file.traceFile.value_or("")};
        for (const auto* files : {&file.deviceFiles, &file.modelFiles, &file.linkFiles})
        {
            inputs.insert(inputs.end(), files->begin(), files->end());
        }
        CheckOutputFile(out, inputs);
        spdlog::info("scenario {}: {} on {}", file.name, file.model, file.device);
        CatalogSet catalogs;
        const ResolvedScenario scenario = ResolveScenario(file, ResolveOptionsFrom(args), catalogs);
        WarnUnusedOverrides(
            "wafer-sim", args, file.path, file.attributes, ModelsInRun::Of(scenario));
        // A progress line on a terminal: a scheduler that watches, never one that reorders.
        const ServingRunResult result
            = ServingRun::Run(scenario,
                              args.Get("pcap", ""),
                              RunProgress::Wanted(args.Flag("quiet"), args.Flag("progress"))
                                  ? RunProgress::SchedulerType()
                                  : "");
        for (size_t s = 0; s < result.placement.size(); ++s)
        {
            const auto& a = result.placement[s];
            spdlog::info("stage {}: layers {}-{}, {:.2f} GB weights, {:.2f} GB free",
                         s,
                         a.firstLayer,
                         a.firstLayer + a.layerCount - 1,
                         a.weightBytes / 1e9,
                         a.FreeBytes() / 1e9);
        }
        const double wallS
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

        RunMetadata meta;
        meta.text = {{"program", "wafer-sim"},
                     {"program_version", WAFER_VERSION},
                     {"ns3_version", "3.37"},
                     {"scenario_path", scenario.path},
                     {"scenario", scenario.text},
                     {"model", scenario.modelName},
                     {"device", scenario.deviceName}};
        meta.text.emplace_back("attribute_overrides", args.AttributesText());
        meta.text.emplace_back("fidelity", result.fidelity);
        meta.integers = {{"seed", int64_t(result.seed)}, {"rng_run", int64_t(result.run)}};
        meta.numbers = {{"wall_time_s", wallS},
                        {"wall_events_per_s", result.events / std::max(wallS, 1e-9)},
                        {"wall_sim_s_per_s", result.simTimeS / std::max(wallS, 1e-9)}};
        CreateOutputFolder(out);
        WriteResultFile(out, meta, result.tables);
        if (!args.Flag("quiet"))
        {
            PrintSummary(scenario, result, wallS);
            std::printf("  %-28s %s\n", "results", out.c_str());
        }
        return 0;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-sim", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-sim: failure: " << e.what() << std::endl;
        return 1;
    }
}
