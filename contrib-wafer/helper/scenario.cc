/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scenario.h"

#include "json-fields.h"

#include "ns3/input-error.h"

#include <fstream>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
std::string
Resolve(const std::string& base, const std::string& file)
{
    if (file.empty() || file[0] == '/')
    {
        return file;
    }
    const auto slash = base.rfind('/');
    return slash == std::string::npos ? file : base.substr(0, slash + 1) + file;
}

std::string
Number(double v)
{
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
}

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
                "scale_up"});
    if (f.String("schema") != "wafer-scenario/1")
    {
        throw InputError(f.Where("schema") + ": expected \"wafer-scenario/1\"");
    }
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
    s.seed = f.Count("seed", 1, UINT32_MAX, 1);
    s.tensorParallel = static_cast<uint32_t>(f.Count("tensor_parallel", 1, 1024, 1));
    s.expertParallel = f.Bool("expert_parallel", false);
    if (s.expertParallel && s.tensorParallel < 2)
    {
        throw InputError(f.Where("expert_parallel")
                         + ": needs a scale-up domain (tensor_parallel of 2 or more)");
    }
    if (f.Has("scale_up"))
    {
        JsonFields su = f.Object("scale_up");
        su.OnlyKeys({"collectives", "link", "switch_latency_s", "fidelity"});
        s.scaleUp.collectives = su.String("collectives", "simulated");
        if (s.scaleUp.collectives != "simulated" && s.scaleUp.collectives != "closed-form")
        {
            throw InputError(su.Where("collectives") + ": must be simulated or closed-form");
        }
        s.scaleUp.link = su.String("link", "nvlink5");
        s.scaleUp.switchLatencyS = su.NonNegative("switch_latency_s", 2.5e-7);
        s.scaleUp.fidelity = su.String("fidelity", "flow");
        if (s.scaleUp.fidelity != "flow" && s.scaleUp.fidelity != "chunk"
            && s.scaleUp.fidelity != "packet")
        {
            throw InputError(su.Where("fidelity") + ": must be flow, chunk or packet");
        }
    }
    s.fidelity = f.String("fidelity", "chunk");
    if (s.fidelity != "flow" && s.fidelity != "chunk" && s.fidelity != "packet")
    {
        throw InputError(f.Where("fidelity") + ": must be flow, chunk or packet");
    }
    if (f.Has("prefill_pool"))
    {
        JsonFields pp = f.Object("prefill_pool");
        pp.OnlyKeys({"wafers", "kv_transfer", "device", "tensor_parallel"});
        if (pp.Has("device"))
        {
            s.prefillDevice = pp.String("device");
        }
        s.prefillTensorParallel = static_cast<uint32_t>(pp.Count("tensor_parallel", 1, 1024, 1));
        s.prefillWafers = static_cast<uint32_t>(pp.Count("wafers", 1, 100000));
        s.kvTransfer = pp.String("kv_transfer", "per-layer");
        if (s.kvTransfer != "whole" && s.kvTransfer != "per-layer")
        {
            throw InputError(pp.Where("kv_transfer") + ": must be whole or per-layer");
        }
    }
    if (f.Has("kv_store"))
    {
        JsonFields ks = f.Object("kv_store");
        ks.OnlyKeys({"device", "sessions"});
        s.kvStore = ks.String("device", "kvss");
        if (ks.Bool("sessions", false))
        {
            if (s.prefillWafers > 0)
            {
                throw InputError(ks.Where("sessions")
                                 + ": prefix reuse needs prefill and decode on one pipeline "
                                   "(no prefill_pool)");
            }
            s.attributes.emplace_back("ns3::wafer::KvStoreClient::KeepSessions", "true");
        }
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
        JsonFields c = f.Object("catalogs");
        c.OnlyKeys({"devices", "models", "links"});
        for (const auto& [key, list] : {std::pair{"devices", &s.deviceFiles},
                                        std::pair{"models", &s.modelFiles},
                                        std::pair{"links", &s.linkFiles}})
        {
            if (!c.Has(key))
            {
                continue;
            }
            const auto& arr = c.Raw(key);
            if (!arr.is_array())
            {
                throw InputError(c.Where(key) + ": must be an array of file names");
            }
            for (const auto& item : arr)
            {
                if (!item.is_string())
                {
                    throw InputError(c.Where(key) + ": must be an array of file names");
                }
                list->push_back(Resolve(path, item.get<std::string>()));
            }
        }
    }

    if (f.Has("network"))
    {
        JsonFields n = f.Object("network");
        n.OnlyKeys({"topology",
                    "ports_per_device",
                    "link",
                    "length_m",
                    "port_rate_bps",
                    "endpoint_latency_s",
                    "energy_pj_per_bit",
                    "hop_latency_s",
                    "transit_latency_s",
                    "devices_per_leaf",
                    "spines",
                    "oversubscription",
                    "chunk_accuracy",
                    "frame_bytes",
                    "face_area_mm2"});
        auto set = [&s](const std::string& attribute, const std::string& value)
        {
            s.attributes.emplace_back(attribute, value);
        };
        if (n.Has("topology"))
        {
            const std::string t = n.String("topology");
            if (t != "single-switch" && t != "leaf-spine" && t != "ring")
            {
                throw InputError(n.Where("topology")
                                 + ": must be single-switch, leaf-spine or ring");
            }
            set("ns3::wafer::NetworkFabric::Topology", t);
        }
        s.portsPerDevice = static_cast<uint32_t>(n.Count("ports_per_device", 1, 4096, 0));
        if (n.Has("link"))
        {
            s.link = n.String("link");
        }
        if (n.Has("length_m"))
        {
            set("ns3::wafer::LinkTechnology::Length", Number(n.NonNegative("length_m", 0.0)));
        }
        if (n.Has("port_rate_bps"))
        {
            set("ns3::wafer::LinkTechnology::LaneRate", Number(n.Positive("port_rate_bps")));
            set("ns3::wafer::LinkTechnology::LanesPerPort", "1");
        }
        if (n.Has("endpoint_latency_s"))
        {
            set("ns3::wafer::LinkTechnology::EndpointLatency",
                Number(n.NonNegative("endpoint_latency_s", 0.0)) + "s");
        }
        if (n.Has("energy_pj_per_bit"))
        {
            set("ns3::wafer::LinkTechnology::EnergyPerBit",
                Number(n.NonNegative("energy_pj_per_bit", 0.0)));
        }
        if (n.Has("hop_latency_s"))
        {
            set("ns3::wafer::NetworkFabric::SwitchLatency",
                Number(n.NonNegative("hop_latency_s", 0.0)) + "s");
        }
        if (n.Has("transit_latency_s"))
        {
            set("ns3::wafer::NetworkFabric::WaferTransitLatency",
                Number(n.NonNegative("transit_latency_s", 0.0)) + "s");
        }
        if (n.Has("devices_per_leaf"))
        {
            set("ns3::wafer::NetworkFabric::DevicesPerLeaf",
                std::to_string(n.Count("devices_per_leaf", 1, 100000)));
        }
        if (n.Has("spines"))
        {
            set("ns3::wafer::NetworkFabric::Spines", std::to_string(n.Count("spines", 0, 100000)));
        }
        if (n.Has("oversubscription"))
        {
            const double o = n.Positive("oversubscription");
            if (o < 1)
            {
                throw InputError(n.Where("oversubscription") + ": must be >= 1");
            }
            set("ns3::wafer::NetworkFabric::Oversubscription", Number(o));
        }
        if (n.Has("chunk_accuracy"))
        {
            set("ns3::wafer::ChunkTransport::Accuracy", Number(n.NonNegative("chunk_accuracy", 0)));
        }
        if (n.Has("face_area_mm2"))
        {
            set("ns3::wafer::LinkTechnology::FaceArea", Number(n.Positive("face_area_mm2")));
        }
        if (n.Has("frame_bytes"))
        {
            set("ns3::wafer::MessageTransport::FrameBytes",
                std::to_string(n.Count("frame_bytes", 64, 65535)));
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
        s.traceFile = Resolve(path, wl.String("trace"));
    }
    else
    {
        JsonFields g = wl.Object("generator");
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
        gen.requests = static_cast<uint32_t>(g.Count("requests", 1, 10000000));
        gen.input = ParseLength(g.Object("input_tokens"));
        gen.output = ParseLength(g.Object("output_tokens"));
        s.generator = gen;
    }

    if (f.Has("serving"))
    {
        JsonFields sv = f.Object("serving");
        sv.OnlyKeys({"max_sequences",
                     "microbatches",
                     "max_batch",
                     "prefill_chunk_tokens",
                     "layer_pipelining",
                     "preempt_after_s"});
        if (sv.Has("preempt_after_s"))
        {
            if (!s.kvStore)
            {
                throw InputError(sv.Where("preempt_after_s")
                                 + ": preempted KV goes to a KV store: add kv_store");
            }
            std::ostringstream v;
            v.precision(17);
            v << sv.NonNegative("preempt_after_s", 0.0) << "s";
            s.attributes.emplace_back("ns3::wafer::PreemptionPolicy::PreemptAfter", v.str());
        }
        if (sv.Has("prefill_chunk_tokens"))
        {
            s.attributes.emplace_back(
                "ns3::wafer::StagePipeline::PrefillChunkTokens",
                std::to_string(sv.Count("prefill_chunk_tokens", 0, UINT32_MAX)));
        }
        if (sv.Has("max_batch"))
        {
            s.attributes.emplace_back("ns3::wafer::DecodeBatcher::MaxBatch",
                                      std::to_string(sv.Count("max_batch", 0, UINT32_MAX)));
        }
        if (sv.Has("max_sequences"))
        {
            s.attributes.emplace_back("ns3::wafer::AdmissionPolicy::MaxSequences",
                                      std::to_string(sv.Count("max_sequences", 0, UINT32_MAX)));
        }
        if (sv.Has("microbatches"))
        {
            s.attributes.emplace_back("ns3::wafer::DecodeBatcher::Microbatches",
                                      std::to_string(sv.Count("microbatches", 0, 100000)));
        }
        if (sv.Has("layer_pipelining"))
        {
            s.attributes.emplace_back("ns3::wafer::PipelineServingEngine::LayerPipelining",
                                      sv.Bool("layer_pipelining", false) ? "true" : "false");
        }
    }

    if (f.Has("attributes"))
    {
        JsonFields a = f.Object("attributes");
        for (const auto& [key, value] : f.Raw("attributes").items())
        {
            (void) value;
            const auto& v = f.Raw("attributes").at(key);
            if (!v.is_string() && !v.is_number() && !v.is_boolean())
            {
                throw InputError(a.Where(key) + ": must be a string, number or boolean");
            }
            s.attributes.emplace_back(key, v.is_string() ? v.get<std::string>() : v.dump());
        }
    }
    return s;
}

} // namespace wafer
} // namespace ns3
