/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "network-validation.h"

#include "fabric-helper.h"

#include "ns3/chunk-transport.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <chrono>
#include <fstream>
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
        h.SetTransportAttribute("Accuracy", DoubleValue(0.0));
        f = "chunk";
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
    Simulator::Run();
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

NetCase
Kv60Case(uint32_t hops, double kvBytes)
{
    NetCase c;
    c.name = "KV-60 " + std::to_string(hops) + "-hop";
    c.devices = 3;
    if (hops == 3)
    {
        c.topology = "leaf-spine";
        c.devicesPerLeaf = 1;
    }
    c.messages.push_back({0, 1, static_cast<uint64_t>(kvBytes), 0.0, true});
    // Activations of another pipeline cross the same destination ports while the KV moves.
    const double kvSeconds = kvBytes / 150e9;
    for (double t = 0; t < kvSeconds; t += 50e-6)
    {
        c.messages.push_back({2, 1, 32768, t, false});
    }
    return c;
}

} // namespace wafer
} // namespace ns3
