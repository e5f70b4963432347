/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "network-validation.h"

#include "fabric-helper.h"
#include "input-schema.h"
#include "json-fields.h"
#include "run-progress.h"
#include "run-simulation.h"

#include "ns3/chunk-transport.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/input-error.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace ns3
{
namespace wafer
{

namespace
{
/// Reset the kernel's peak-RSS mark (Linux >= 4.0) so each run reports its own peak.
void
ResetPeakRss()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

uint64_t
PeakRssKb()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key)
    {
        if (key == "VmHWM:")
        {
            uint64_t kb = 0;
            in >> kb;
            return kb;
        }
        std::string rest;
        std::getline(in, rest);
    }
    return 0;
}
} // namespace

NetCaseResult
RunNetCase(const NetCase& c, const std::string& fidelity)
{
    Config::Reset();
    RunProgress::KeepInstalled();
    ResetPeakRss();
    const auto wallStart = std::chrono::steady_clock::now();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue(c.topology));
    h.SetFabricAttribute("SwitchLatency", TimeValue(Seconds(c.switchLatencyS)));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(c.devicesPerLeaf));
    h.SetLinkAttribute("LaneRate", DoubleValue(c.portRateBps));
    h.SetLinkAttribute("LanesPerPort", UintegerValue(1));
    h.SetLinkAttribute("EndpointLatency", TimeValue(NanoSeconds(100)));
    h.SetLinkAttribute("PropagationPerMetre", TimeValue(NanoSeconds(5)));
    h.SetLinkAttribute("Length", DoubleValue(2.0));
    std::string f = fidelity;
    if (fidelity == "bare")
    {
        // Packet granularity without the IP stack: one frame per chunk through ns-3's devices.
        h.SetTransportAttribute("Accuracy", DoubleValue(0.0));
        f = "chunk-devices";
    }
    Cluster cluster = h.Install(c.devices, c.ports, "d", f);
    const auto nodes = cluster.NodeIds();

    NetCaseResult r;
    std::vector<double> ends(c.messages.size(), -1);
    for (size_t i = 0; i < c.messages.size(); ++i)
    {
        const auto& m = c.messages[i];
        if (m.measured)
        {
            r.idealS.push_back(
                cluster.transport->UncontendedTime(nodes[m.src], nodes[m.dst], m.bytes)
                    .GetSeconds());
        }
        Simulator::Schedule(Seconds(m.startS),
                            [&cluster, &nodes, &ends, m, i]()
                            {
                                cluster.transport->Send(nodes[m.src],
                                                        nodes[m.dst],
                                                        m.bytes,
                                                        TransferKind::Other,
                                                        [&ends, i](const TransferRecord& t)
                                                        {
                                                            ends[i] = t.end.GetSeconds();
                                                        });
                            });
    }
    RunSimulation();
    r.events = Simulator::GetEventCount();
    Simulator::Destroy();
    for (size_t i = 0; i < c.messages.size(); ++i)
    {
        if (c.messages[i].measured)
        {
            r.completionS.push_back(ends[i] - c.messages[i].startS);
        }
    }
    r.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    r.peakRssKb = PeakRssKb();
    return r;
}

std::vector<NetCase>
ValidationCases()
{
    std::vector<NetCase> cases;
    // Sizes from one frame to 48 MB: small activations, token ids and KV-cache-sized transfers.
    const std::vector<uint64_t> sizes = {4, 16384, 1 << 20, 48ULL << 20};

    NetCase one;
    one.name = "1-hop";
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        one.messages.push_back({0, 1, sizes[i], 0.01 * i, true});
    }
    cases.push_back(one);

    NetCase three = one;
    three.name = "3-hop";
    three.topology = "leaf-spine";
    three.devicesPerLeaf = 1; // each device on its own leaf: leaf, spine, leaf
    cases.push_back(three);

    NetCase incast;
    incast.name = "8-to-1 incast";
    incast.devices = 9;
    for (uint32_t s = 1; s <= 8; ++s)
    {
        incast.messages.push_back({s, 0, 8ULL << 20, 0.0, true});
    }
    cases.push_back(incast);
    return cases;
}

namespace
{
/// Latest start of a message in a case: well inside ns-3's Time (picoseconds in 64 bits).
const double kLatestStartS = 1e6;
/// A petabyte: hours on any link, past what a net case is for, and far inside uint64.
const double kMaxMessageBytes = 1e15;

/// A message's size in whole bytes (at least one), `bytes` times \p scale.
uint64_t
MessageBytes(const JsonFields& m, double scale)
{
    const double bytes = m.Positive("bytes") * scale;
    if (bytes > kMaxMessageBytes)
    {
        throw InputError(m.Where("bytes") + ": more than 1e15 bytes"
                         + (scale != 1.0 ? std::string(" once scaled") : std::string()));
    }
    return static_cast<uint64_t>(std::max(1.0, bytes));
}
} // namespace

NetCase
LoadNetCase(const std::string& path, double scaleBytes)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields f(doc, path);
    CheckSchema(f, "wafer-netcase/1");
    f.OnlyKeys({"schema",
                "name",
                "description",
                "topology",
                "devices",
                "ports",
                "devices_per_leaf",
                "port_rate_bps",
                "hop_latency_s",
                "messages",
                "background"});
    NetCase c;
    c.name = f.String("name");
    c.topology = f.String("topology", "single-switch");
    c.devices = static_cast<uint32_t>(f.Count("devices", 2, 100000));
    c.ports = static_cast<uint32_t>(f.Count("ports", 1, 4096, 12));
    c.devicesPerLeaf = static_cast<uint32_t>(f.Count("devices_per_leaf", 1, 100000, 1));
    // Bounds that keep every time of the case inside ns-3's picosecond Time (about 106 days)
    // and a frame's transmission time above a picosecond.
    auto within = [&f](const std::string& key, double value, double lo, double hi, const char* why)
    {
        if (value < lo || value > hi)
        {
            std::ostringstream os;
            os << f.Where(key) << ": must be in [" << lo << ", " << hi << "] " << why;
            throw InputError(os.str());
        }
        return value;
    };
    c.portRateBps = within("port_rate_bps",
                           f.Positive("port_rate_bps", 100e9),
                           1e6,
                           1e14,
                           "bit/s (1 Mb/s to 100 Tb/s)");
    c.switchLatencyS
        = within("hop_latency_s", f.NonNegative("hop_latency_s", 5e-6), 0, 1, "seconds");
    auto endpoint = [&c](const JsonFields& m, const std::string& key)
    {
        return static_cast<uint32_t>(m.Count(key, 0, c.devices - 1));
    };
    const auto& list = f.Raw("messages");
    if (!list.is_array() || list.empty())
    {
        throw InputError(f.Where("messages") + ": must be a non-empty array");
    }
    for (size_t i = 0; i < list.size(); ++i)
    {
        JsonFields m(list[i], f.Where("messages[" + std::to_string(i) + "]"));
        m.OnlyKeys({"src", "dst", "bytes", "start_s"});
        NetCase::Message msg{endpoint(m, "src"),
                             endpoint(m, "dst"),
                             MessageBytes(m, scaleBytes),
                             m.NonNegative("start_s", 0.0),
                             true};
        if (msg.startS > kLatestStartS)
        {
            throw InputError(m.Where("start_s") + ": must be at most 1e6 seconds");
        }
        if (msg.src == msg.dst)
        {
            throw InputError(m.Where("dst") + ": must differ from src");
        }
        c.messages.push_back(msg);
    }
    if (f.Has("background"))
    {
        const auto& bg = f.Raw("background");
        if (!bg.is_array())
        {
            throw InputError(f.Where("background") + ": must be an array");
        }
        for (size_t i = 0; i < bg.size(); ++i)
        {
            JsonFields b(bg[i], f.Where("background[" + std::to_string(i) + "]"));
            b.OnlyKeys({"src", "dst", "bytes", "every_s", "until_s"});
            const uint32_t src = endpoint(b, "src");
            const uint32_t dst = endpoint(b, "dst");
            const uint64_t bytes = MessageBytes(b, 1.0);
            const double every = b.Positive("every_s");
            const double until = b.Positive("until_s") * scaleBytes;
            if (until > kLatestStartS)
            {
                throw InputError(b.Where("until_s") + ": must be at most 1e6 seconds");
            }
            if (until / every > 1e7)
            {
                throw InputError(b.Where("every_s") + ": more than 10 million messages until "
                                 + "until_s");
            }
            // Integer steps: no drift from adding the period up.
            const auto count = static_cast<uint64_t>(std::ceil(until / every - 1e-9));
            for (uint64_t k = 0; k < count; ++k)
            {
                c.messages.push_back({src, dst, bytes, k * every, false});
            }
        }
    }
    return c;
}

} // namespace wafer
} // namespace ns3
