/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scenario.h"

#include "input-schema.h"
#include "json-fields.h"
#include "request-source.h"
#include "scenario-faults.h"
#include "scenario-fields.h"

#include "ns3/input-error.h"
#include "ns3/transport-fidelity.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <set>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
LengthDistribution
ParseLength(const JsonFields& f)
{
    LengthDistribution d;
    d.kind = f.String("dist");
    if (d.kind == "fixed")
    {
        f.OnlyKeys({"dist", "value"});
        d.value = f.Count("value", 1, UINT32_MAX);
    }
    else if (d.kind == "uniform")
    {
        f.OnlyKeys({"dist", "min", "max"});
        d.min = f.Count("min", 1, UINT32_MAX);
        d.max = f.Count("max", 1, UINT32_MAX);
        if (d.max < d.min)
        {
            throw InputError(f.Where("max") + ": must be >= min");
        }
    }
    else if (d.kind == "lognormal")
    {
        f.OnlyKeys({"dist", "median", "sigma", "min", "max"});
        d.median = f.Positive("median");
        d.sigma = f.NonNegative("sigma", 0.0);
        d.min = f.Count("min", 1, UINT32_MAX, 1);
        d.max = f.Count("max", 1, UINT32_MAX);
        if (d.max < d.min)
        {
            throw InputError(f.Where("max") + ": must be >= min");
        }
    }
    else if (d.kind == "agentic")
    {
        f.OnlyKeys({"dist"});
        d = LengthDistribution::Agentic();
    }
    else
    {
        throw InputError(f.Where("dist") + ": must be fixed, uniform, lognormal or agentic");
    }
    return d;
}
RequestGenerator
ParseGenerator(const JsonFields& g)
{
    g.OnlyKeys(
        {"arrival", "rate_per_s", "burstiness", "requests", "input_tokens", "output_tokens"});
    RequestGenerator gen;
    gen.arrival = g.String("arrival", "poisson");
    if (gen.arrival != "poisson" && gen.arrival != "gamma" && gen.arrival != "burst")
    {
        throw InputError(g.Where("arrival") + ": must be poisson, gamma or burst");
    }
    gen.ratePerS = gen.arrival != "burst" ? g.Positive("rate_per_s") : 1.0;
    gen.burstiness = gen.arrival == "gamma" ? g.Positive("burstiness", 2.0) : 1.0;
    gen.requests = static_cast<uint32_t>(g.Count("requests", 1, kMaxRequests));
    if (gen.requests / gen.ratePerS > kMaxInputSeconds)
    {
        throw InputError(g.Where("rate_per_s") + ": the requests would arrive over more than 1e6 "
                         + "seconds (requests / rate_per_s)");
    }
    gen.input = ParseLength(g.Object("input_tokens"));
    gen.output = ParseLength(g.Object("output_tokens"));
    return gen;
}
} // namespace

Scenario
Scenario::LoadFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw InputError(path + ": cannot open file");
    }
    std::stringstream text;
    text << in.rdbuf();
    return LoadText(path, text.str());
}

Scenario
Scenario::LoadText(const std::string& path, const std::string& text)
{
    Scenario s;
    s.path = path;
    s.text = text;
    const nlohmann::json doc = JsonFields::ParseText(path, text);
    JsonFields f(doc, path + ": scenario");
    CheckSchema(f, "wafer-scenario/1");
    f.OnlyKeys({"schema",
                "name",
                "description",
                "model",
                "device",
                "wafers",
                "weights",
                "kv",
                "activations",
                "kv_reserve_bytes",
                "network",
                "fidelity",
                "output",
                "prefill_pool",
                "tensor_parallel",
                "kv_store",
                "workload",
                "serving",
                "seed",
                "attributes",
                "catalogs",
                "expert_parallel",
                "expert_parallel_nodes",
                "faults",
                "scale_up",
                "replicas"});
    s.name = f.String("name");
    s.description = f.String("description", "");
    s.model = f.String("model");
    s.device = f.String("device");
    s.wafers = static_cast<uint32_t>(f.Count("wafers", 1, 100000, 0));
    const std::string w = f.String("weights", "native");
    if (w != "native")
    {
        s.weights = ParsePrecision(w, f.Where("weights"));
    }
    s.kv = ParsePrecision(f.String("kv", "bf16"), f.Where("kv"));
    s.activations = ParsePrecision(f.String("activations", "bf16"), f.Where("activations"));
    s.kvReserveBytes = f.NonNegative("kv_reserve_bytes", 0.0);
    s.seed = f.Count("seed", 1, kMaxSeed, 1);
    s.tensorParallel = static_cast<uint32_t>(f.Count("tensor_parallel", 1, 1024, 1));
    s.expertParallel = f.Bool("expert_parallel", false);
    s.expertNodes = static_cast<uint32_t>(f.Count("expert_parallel_nodes", 1, kMaxExpertNodes, 1));
    if (s.expertParallel && s.tensorParallel < 2 && s.expertNodes < 2)
    {
        throw InputError(f.Where("expert_parallel")
                         + ": needs a scale-up domain (tensor_parallel of 2 or more) or "
                           "expert_parallel_nodes of 2 or more");
    }
    if (s.expertNodes > 1 && !s.expertParallel)
    {
        throw InputError(f.Where("expert_parallel_nodes") + ": needs expert_parallel");
    }
    if (f.Has("scale_up"))
    {
        JsonFields su = f.Object("scale_up");
        su.OnlyKeys({"collectives", "link", "switch_latency_s", "fidelity"});
        const std::string collectives = su.String("collectives", "simulated");
        if (collectives != "simulated" && collectives != "closed-form")
        {
            throw InputError(su.Where("collectives") + ": must be simulated or closed-form");
        }
        s.scaleUp.simulated = collectives == "simulated";
        s.scaleUp.link = su.String("link", "nvlink5");
        s.scaleUp.switchLatencyS = su.NonNegative("switch_latency_s", 2.5e-7);
        s.scaleUp.fidelity = su.String("fidelity", "flow");
        TransportFidelity::Get(s.scaleUp.fidelity, su.Where("fidelity"));
    }
    s.fidelity = f.String("fidelity", "chunk");
    TransportFidelity::Get(s.fidelity, f.Where("fidelity"));
    if (f.Has("prefill_pool"))
    {
        JsonFields pp = f.Object("prefill_pool");
        pp.OnlyKeys(
            {"wafers", "kv_transfer", "device", "tensor_parallel", "expert_parallel_nodes"});
        if (pp.Has("device"))
        {
            s.prefillDevice = pp.String("device");
        }
        s.prefillTensorParallel = static_cast<uint32_t>(pp.Count("tensor_parallel", 1, 1024, 1));
        s.prefillWafers = static_cast<uint32_t>(pp.Count("wafers", 1, 100000));
        s.prefillExpertNodes
            = static_cast<uint32_t>(pp.Count("expert_parallel_nodes", 1, kMaxExpertNodes, 1));
        if (s.prefillExpertNodes > 1 && !s.expertParallel)
        {
            throw InputError(pp.Where("expert_parallel_nodes") + ": needs expert_parallel");
        }
        const std::string kvTransfer = pp.String("kv_transfer", "per-layer");
        if (kvTransfer != "whole" && kvTransfer != "per-layer")
        {
            throw InputError(pp.Where("kv_transfer") + ": must be whole or per-layer");
        }
        s.kvTransferPerLayer = kvTransfer == "per-layer";
    }
    for (const auto& [ranks, where] :
         {std::make_pair(s.tensorParallel, f.Where("tensor_parallel")),
          std::make_pair(s.prefillTensorParallel, f.Where("prefill_pool") + ".tensor_parallel")})
    {
        // Found by fuzzing: 1,024 ranks ran for hours. The measurement simulates every message
        // of every collective, a number that grows with the square of the ranks (72: ~12 s).
        if (ranks > kMaxSimulatedRanks && s.scaleUp.simulated)
        {
            throw InputError(where + ": " + std::to_string(ranks) + " ranks are more than the "
                             + std::to_string(kMaxSimulatedRanks)
                             + " whose collectives are simulated; set scale_up.collectives to "
                               "closed-form for larger domains");
        }
    }
    for (const auto& [ranks, where] :
         {std::make_pair(s.tensorParallel * s.expertNodes, f.Where("expert_parallel_nodes")),
          std::make_pair(s.prefillTensorParallel * s.prefillExpertNodes,
                         f.Where("prefill_pool") + ".expert_parallel_nodes")})
    {
        if (ranks > kMaxSimulatedExpertRanks && s.scaleUp.simulated)
        {
            throw InputError(where + ": " + std::to_string(ranks) + " expert-parallel ranks are "
                             + "more than the " + std::to_string(kMaxSimulatedExpertRanks)
                             + " whose all-to-alls are simulated; set scale_up.collectives to "
                               "closed-form for larger groups");
        }
    }
    if (f.Has("kv_store"))
    {
        JsonFields ks = f.Object("kv_store");
        ks.OnlyKeys({"device", "sessions"});
        s.kvStore = ks.String("device", "kvss");
        if (ks.Bool("sessions", false) && s.prefillWafers > 0)
        {
            throw InputError(ks.Where("sessions")
                             + ": prefix reuse needs prefill and decode on one pipeline "
                               "(no prefill_pool)");
        }
        ReadAttributeFields(ks, KvStoreFields(), s.fields);
    }
    if (f.Has("output"))
    {
        JsonFields o = f.Object("output");
        o.OnlyKeys({"transfers"});
        s.recordTransfers = o.String("transfers", "all");
        if (s.recordTransfers != "all" && s.recordTransfers != "kv" && s.recordTransfers != "none")
        {
            throw InputError(o.Where("transfers") + ": must be all, kv or none");
        }
    }

    if (f.Has("catalogs"))
    {
        ReadCatalogFiles(f.Object("catalogs"), path, &s.deviceFiles, &s.modelFiles, &s.linkFiles);
    }

    if (f.Has("network"))
    {
        JsonFields n = f.Object("network");
        std::set<std::string> keys = {"ports_per_device", "link"};
        for (const auto& field : NetworkFields())
        {
            keys.insert(field.key);
        }
        n.OnlyKeys(keys);
        s.portsPerDevice = static_cast<uint32_t>(n.Count("ports_per_device", 1, 4096, 0));
        if (n.Has("link"))
        {
            s.link = n.String("link");
        }
        ReadAttributeFields(n, NetworkFields(), s.fields);
        if (n.Has("port_rate_bps"))
        {
            // The rate is per port: one lane of that rate.
            s.fields.Set("ns3::wafer::LinkTechnology::LanesPerPort",
                         UintegerValue(1),
                         n.Where("port_rate_bps"));
        }
    }

    JsonFields wl = f.Object("workload");
    wl.OnlyKeys({"trace", "generator"});
    if (wl.Has("trace") == wl.Has("generator"))
    {
        throw InputError(wl.Where("trace") + ": give exactly one of trace or generator");
    }
    if (wl.Has("trace"))
    {
        s.traceFile = ResolvePath(path, wl.String("trace"));
    }
    else
    {
        s.generator = ParseGenerator(wl.Object("generator"));
    }

    if (f.Has("serving"))
    {
        JsonFields sv = f.Object("serving");
        std::set<std::string> keys;
        for (const auto& field : ServingFields())
        {
            keys.insert(field.key);
        }
        sv.OnlyKeys(keys);
        if (sv.Has("preempt_after_s") && !s.kvStore)
        {
            throw InputError(sv.Where("preempt_after_s")
                             + ": preempted KV goes to a KV store: add kv_store");
        }
        ReadAttributeFields(sv, ServingFields(), s.fields);
    }

    if (f.Has("replicas"))
    {
        JsonFields rp = f.Object("replicas");
        rp.OnlyKeys({"count", "router"});
        s.replicas = static_cast<uint32_t>(rp.Count("count", 1, kMaxReplicas, 1));
        ReadAttributeFields(rp, ReplicaFields(), s.fields);
    }
    s.faults = ReadFaults(f);
    s.attributes = ReadAttributesMap(f);
    return s;
}

} // namespace wafer
} // namespace ns3
