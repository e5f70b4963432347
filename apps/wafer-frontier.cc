/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-frontier: the throughput-interactivity frontier of a deployment. For each concurrency c
// it runs the scenario's deployment with at most c sequences in flight (MaxSequences = c) on a
// closed batch of requests, and writes tokens/s per accelerator against tokens/s per user
// (1 / mean time per output token) as CSV.
//
//   build/bin/wafer-frontier --scenario=FILE [--concurrency=1,2,4,8,16,32] [--requests=64]
//                            [--input=1024] [--output=256] [--out=FILE.csv]

#include "atomic-file.h"
#include "cli-args.h"

#include "ns3/input-error.h"
#include "ns3/nstime.h"
#include "ns3/resolved-scenario.h"
#include "ns3/scenario.h"
#include "ns3/serving-run.h"
#include "ns3/uinteger.h"

#include <boost/algorithm/string.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

using namespace ns3::wafer;

namespace
{
double
Get(const RunMetrics::Summary& s, const std::string& name)
{
    return RunMetrics::Value(s, name);
}
const char* kUsage = "usage: wafer-frontier --scenario=FILE [--concurrency=1,2,4,8,16,32]\n"
                     "       [--requests=64] [--input=1024] [--output=256] [--out=FILE.csv]\n"
                     "       [--fidelity=flow|chunk|packet] [--ns3::Class::Attr=VALUE ...]\n";
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-frontier", kUsage, Introspection::Ns3);
        rc >= 0)
    {
        return rc;
    }
    try
    {
        CliArgs args(argc,
                     argv,
                     {"scenario", "concurrency", "requests", "input", "output", "out", "fidelity"},
                     {});
        if (!args.Has("scenario"))
        {
            throw InputError("--scenario: missing (see --help)");
        }
        Scenario file = Scenario::LoadFile(args.Get("scenario"));
        if (args.Has("out"))
        {
            CheckOutputFile(args.Get("out"), {args.Get("scenario")});
        }
        std::vector<std::string> levels;
        boost::algorithm::split(
            levels, args.Get("concurrency", "1,2,4,8,16,32"), boost::is_any_of(","));
        RequestGenerator gen;
        gen.arrival = "burst";
        gen.requests = static_cast<uint32_t>(
            args.Has("requests") ? args.GetCount("requests", 1, 1000000) : 64);
        gen.input = LengthDistribution{
            "fixed",
            double(args.Has("input") ? args.GetCount("input", 1, 10000000) : 1024),
            1,
            0,
            0,
            0,
            {}};
        gen.output = LengthDistribution{
            "fixed",
            double(args.Has("output") ? args.GetCount("output", 1, 10000000) : 256),
            1,
            0,
            0,
            0,
            {}};
        file.recordTransfers = "none";
        ResolveOptions options = ResolveOptionsFrom(args);
        options.workload = gen;
        CatalogSet catalogs;
        const ResolvedScenario base = ResolveScenario(file, options, catalogs);
        std::ostringstream csv;
        csv << "concurrency,tokens_per_s,tokens_per_s_per_accelerator,tokens_per_s_per_user,"
               "tpot_mean_s,ttft_mean_s,accelerators\n";
        // All levels are checked before the first run.
        std::vector<unsigned long> concurrency;
        for (const auto& level : levels)
        {
            char* end = nullptr;
            const unsigned long c = std::strtoul(level.c_str(), &end, 10);
            if (level.empty() || *end != '\0' || c == 0 || level[0] == '-')
            {
                throw InputError("--concurrency: must be whole numbers >= 1 separated by commas");
            }
            concurrency.push_back(c);
        }
        for (const unsigned long c : concurrency)
        {
            ResolvedScenario level = base;
            level.settings.Set("ns3::wafer::AdmissionPolicy::MaxSequences",
                               ns3::UintegerValue(c),
                               "--concurrency",
                               AttributeSettings::Origin::User);
            const ServingRunResult r = ServingRun::Run(level);
            const auto& m = r.summary;
            csv << c << "," << Get(m, "tokens_per_s") << ","
                << Get(m, "tokens_per_s_per_accelerator") << "," << Get(m, "tokens_per_s_per_user")
                << "," << Get(m, "tpot_mean_s") << "," << Get(m, "ttft_mean_s") << ","
                << Get(m, "accelerators") << "\n";
        }
        if (args.Has("out"))
        {
            // Checked and removed on failure or interruption, like every result file.
            WriteFileAtomically(args.Get("out"), csv.str());
        }
        std::cout << csv.str();
        return 0;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-frontier", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-frontier: failure: " << e.what() << std::endl;
        return 1;
    }
}
