/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-scenario.h"

#include "input-schema.h"
#include "json-fields.h"
#include "scenario-fields.h"

#include "ns3/input-error.h"
#include "ns3/transport-fidelity.h"

#include <fstream>
#include <sstream>

namespace ns3
{
namespace wafer
{

namespace
{
std::vector<uint32_t>
PositiveList(const JsonFields& f, const std::string& key, int64_t max)
{
    const auto& v = f.Raw(key);
    if (!v.is_array() || v.empty())
    {
        throw InputError(f.Where(key) + ": must be a non-empty array of whole numbers");
    }
    std::vector<uint32_t> out;
    for (const auto& e : v)
    {
        if (!e.is_number_integer() || e.get<int64_t>() < 1 || e.get<int64_t>() > max)
        {
            throw InputError(f.Where(key) + ": every entry must be a whole number from 1 to "
                             + std::to_string(max));
        }
        out.push_back(e.get<uint32_t>());
    }
    return out;
}

} // namespace

StreamingScenario
StreamingScenario::LoadFile(const std::string& path)
{
    StreamingScenario s;
    s.path = path;
    {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        s.text = text.str();
    }
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields f(doc, path + ": streaming");
    CheckSchema(f, "wafer-streaming/1");
    f.OnlyKeys({"schema",
                "name",
                "description",
                "model",
                "device",
                "weights",
                "kv",
                "mode",
                "fidelity",
                "swarmx",
                "inference",
                "training",
                "attributes",
                "catalogs"});
    s.name = f.String("name");
    s.model = f.String("model");
    s.device = f.String("device", "wse-3");
    const std::string w = f.String("weights", "native");
    if (w != "native")
    {
        s.weights = ParsePrecision(w, f.Where("weights"));
    }
    s.kv = ParsePrecision(f.String("kv", "bf16"), f.Where("kv"));
    s.mode = f.String("mode");
    if (s.mode != "inference" && s.mode != "training")
    {
        throw InputError(f.Where("mode") + ": must be inference or training");
    }
    s.fidelity = f.String("fidelity", "flow");
    TransportFidelity::Get(s.fidelity, f.Where("fidelity"), {"flow", "chunk"});
    if (f.Has("swarmx"))
    {
        JsonFields x = f.Object("swarmx");
        x.OnlyKeys(
            {"fanout", "link", "ports", "hop_latency_s", "chunk_bytes", "in_network_reduction"});
        s.fanout = static_cast<uint32_t>(x.Count("fanout", 2, 1024, 4));
        if (x.Has("link"))
        {
            s.link = x.String("link");
        }
        s.ports = static_cast<uint32_t>(x.Count("ports", 1, 4096, 0));
        s.hopLatencyS = x.NonNegative("hop_latency_s", 5e-6);
        s.chunkBytes = x.Positive("chunk_bytes", 4 << 20);
        s.inNetworkReduction = x.Bool("in_network_reduction", true);
    }
    if (s.mode == "inference")
    {
        JsonFields i = f.Object("inference");
        i.OnlyKeys({"phase", "batches", "context_tokens", "prompt_tokens", "break_even_fraction"});
        s.phase = i.String("phase", "decode");
        if (s.phase != "decode" && s.phase != "prefill")
        {
            throw InputError(i.Where("phase") + ": must be decode or prefill");
        }
        s.batches = PositiveList(i, "batches", 100000000);
        s.contextTokens = i.Positive("context_tokens", 1024);
        s.promptTokens = i.Positive("prompt_tokens", 1024);
        s.breakEvenFraction = i.Positive("break_even_fraction", 0.9);
    }
    else
    {
        JsonFields t = f.Object("training");
        t.OnlyKeys({"systems", "sequences_per_system", "sequence_tokens"});
        // Cerebras' largest cluster configuration: 2,048 CS-3.
        s.systems = PositiveList(t, "systems", 2048);
        s.sequencesPerSystem = static_cast<uint32_t>(t.Count("sequences_per_system", 1, 1 << 20));
        s.sequenceTokens = t.Positive("sequence_tokens");
    }
    if (f.Has("catalogs"))
    {
        ReadCatalogFiles(f.Object("catalogs"), path, &s.deviceFiles, &s.modelFiles, &s.linkFiles);
    }
    s.attributes = ReadAttributesMap(f);
    return s;
}

} // namespace wafer
} // namespace ns3
