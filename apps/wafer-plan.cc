/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-plan: the analytical answer for a model on a device, without simulation.

#include "cli-args.h"

#include "ns3/device-catalog.h"
#include "ns3/input-error.h"
#include "ns3/link-catalog.h"
#include "ns3/llm-catalog.h"
#include "ns3/nstime.h"
#include "ns3/plan-report.h"
#include "ns3/scenario.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>

using namespace ns3::wafer;

namespace
{
const char* kUsage
    = "usage: wafer-plan --model=NAME --device=NAME [--wafers=N] [--context=TOKENS]\n"
      "                  [--weights=native|bf16|fp8|fp4|...] [--kv=bf16|fp8|...]\n"
      "                  [--link=PRESET] [--tp=N] [--ep-nodes=N] [--format=table|json]\n"
      "                  [--devices-file=F] [--models-file=F] [--links-file=F]\n"
      "                  [--ns3::Class::Attribute=VALUE ...]\n"
      "       wafer-plan --list-models | --list-devices | --list-links\n"
      "Placement, memory, KV-cache size and transfer time, and single-stream decode speed from\n"
      "the calibrated roofline engine. Exit codes: 0 success, 1 internal failure, 2 bad input.\n";
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-plan", kUsage, Introspection::Ns3); rc >= 0)
    {
        return rc;
    }
    try
    {
        CliArgs args(argc,
                     argv,
                     {"model",
                      "device",
                      "wafers",
                      "context",
                      "weights",
                      "kv",
                      "format",
                      "link",
                      "tp",
                      "ep-nodes",
                      "devices-file",
                      "models-file",
                      "links-file"},
                     {"list-models", "list-devices", "list-links"});
        std::vector<std::string> deviceFiles;
        std::vector<std::string> modelFiles;
        if (args.Has("devices-file"))
        {
            deviceFiles.push_back(args.Get("devices-file"));
        }
        if (args.Has("models-file"))
        {
            modelFiles.push_back(args.Get("models-file"));
        }
        std::vector<std::string> linkFiles;
        if (args.Has("links-file"))
        {
            linkFiles.push_back(args.Get("links-file"));
        }
        const LinkCatalog links = LinkCatalog::Load(linkFiles);
        const DeviceCatalog devices = DeviceCatalog::Load(deviceFiles);
        const LlmCatalog models = LlmCatalog::Load(modelFiles);
        if (args.Flag("list-models") || args.Flag("list-devices") || args.Flag("list-links"))
        {
            const auto names = args.Flag("list-models")    ? models.Names()
                               : args.Flag("list-devices") ? devices.Names()
                                                           : links.Names();
            for (const auto& n : names)
            {
                std::cout << n << "\n";
            }
            return 0;
        }
        if (!args.Has("model"))
        {
            throw InputError("--model: missing (see --list-models)");
        }
        if (!args.Has("device"))
        {
            throw InputError("--device: missing (see --list-devices)");
        }
        const std::string format = args.Get("format", "table");
        if (format != "table" && format != "json")
        {
            throw InputError("--format: must be table or json (got '" + format + "')");
        }

        PlanRequest req;
        req.model = args.Get("model");
        req.device = args.Get("device");
        if (args.Has("wafers"))
        {
            req.wafers = static_cast<uint32_t>(args.GetCount("wafers", 1, 100000));
        }
        if (args.Has("context"))
        {
            req.context = double(args.GetCount("context", 1, 1ULL << 40));
        }
        const std::string w = args.Get("weights", "native");
        if (w != "native")
        {
            req.weights = ParsePrecision(w, "--weights");
        }
        req.kv = ParsePrecision(args.Get("kv", "bf16"), "--kv");
        if (args.Has("link"))
        {
            req.link = args.Get("link");
        }
        if (args.Has("tp"))
        {
            req.tp = static_cast<uint32_t>(args.GetCount("tp", 1, 1024));
        }
        if (args.Has("ep-nodes"))
        {
            req.epNodes = static_cast<uint32_t>(args.GetCount("ep-nodes", 1, kMaxExpertNodes));
        }
        const PlanReport plan = MakePlan(
            req, devices.Get(req.device), models.Get(req.model), links, args.Attributes());
        std::cout << (format == "json" ? plan.ToJson() : plan.ToTable());
        return 0;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-plan", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-plan: failure: " << e.what() << std::endl;
        return 1;
    }
}
