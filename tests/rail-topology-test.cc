/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The rail-optimized leaf-spine: which switches a lane crosses, the closed-form times of lanes on
// their rails, uplinks shared when oversubscribed, and the size of a 128-node cluster.

#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/fabric-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <set>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
const double kRate = 100e9;
const double kLinkDelay = 100e-9 + 2 * 5e-9; // endpoint latency + 2 m at 5 ns/m
const double kHop = 5e-6;

FabricHelper
Helper(uint32_t perLeaf, double oversubscription)
{
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue("rail-optimized"));
    h.SetFabricAttribute("SwitchLatency", TimeValue(Seconds(kHop)));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(perLeaf));
    h.SetFabricAttribute("Oversubscription", DoubleValue(oversubscription));
    h.SetLinkAttribute("LaneRate", DoubleValue(kRate));
    h.SetLinkAttribute("EndpointLatency", TimeValue(NanoSeconds(100)));
    h.SetLinkAttribute("PropagationPerMetre", TimeValue(NanoSeconds(5)));
    h.SetLinkAttribute("Length", DoubleValue(2.0));
    return h;
}

Cluster
Install(FabricHelper h, const std::vector<uint32_t>& ports, const std::string& fidelity)
{
    if (fidelity == "chunk")
    {
        h.SetTransportAttribute("Accuracy", DoubleValue(0.0)); // chunks of one frame: exact
    }
    return h.Install(ports, "d", fidelity);
}

/// Wire time of one frame carrying \p payload bytes: payload + IPv4/UDP 28 + PPP 2.
double
Frame(double payload)
{
    return (payload + 30) * 8 / kRate;
}

/// The names of the switches lane \p lane crosses from \p src to \p dst, in order.
std::vector<std::string>
Switches(const Cluster& c, uint32_t src, uint32_t dst, uint32_t lane)
{
    const auto ids = c.NodeIds();
    std::vector<std::string> out;
    const auto& path = c.fabric->Path(ids[src], ids[dst], lane);
    for (size_t i = 1; i < path.size(); ++i)
    {
        const std::string& name = c.fabric->Link(path[i]).name; // "<sender>.p<port>-><receiver>"
        out.push_back(name.substr(0, name.find(".p")));
    }
    return out;
}

/// Sends \p bytes from each of \p pairs at time 0; their delivery times.
std::vector<double>
SendTogether(Cluster& c, const std::vector<std::pair<uint32_t, uint32_t>>& pairs, uint64_t bytes)
{
    const auto ids = c.NodeIds();
    std::vector<double> end(pairs.size(), -1);
    for (size_t i = 0; i < pairs.size(); ++i)
    {
        c.transport->Send(ids[pairs[i].first],
                          ids[pairs[i].second],
                          bytes,
                          TransferKind::Other,
                          [&end, i](const TransferRecord& r)
                          {
                              end[i] = r.end.GetSeconds();
                          });
    }
    Simulator::Run();
    Simulator::Destroy();
    return end;
}
} // namespace

class RailOptimized : public ::testing::TestWithParam<std::string>
{
};

TEST_P(RailOptimized, OneGroupKeepsEachLaneOnItsRailLeaf)
{
    // 4 devices x 4 ports in one group: 4 rail leaves and no spine; lane r crosses rail r's leaf
    // only: one frame per lane stored and forwarded once, two link delays, one switch.
    Cluster c = Install(Helper(4, 1), {4, 4, 4, 4}, GetParam());
    EXPECT_EQ(c.switches.GetN(), 4u);
    for (uint32_t r = 0; r < 4; ++r)
    {
        EXPECT_EQ(Switches(c, 0, 3, r),
                  std::vector<std::string>{"rail" + std::to_string(r) + "-leaf0"});
    }
    const double t = SendTogether(c, {{0, 3}}, 4 * 8972)[0];
    EXPECT_NEAR(t, 2 * Frame(8972) + 2 * kLinkDelay + kHop, 2e-12);
}

TEST_P(RailOptimized, GroupsMeetAtTheSpinesOnTheSameRail)
{
    // 4 devices x 2 ports, 2 per group: a lane to the other group goes up its rail leaf, through
    // a spine and down the other group's leaf of the same rail (4 links, 3 switches).
    Cluster c = Install(Helper(2, 1), {2, 2, 2, 2}, GetParam());
    EXPECT_EQ(c.switches.GetN(), 4u + 2u); // 2 groups x 2 rails, 2 spines (2 uplinks a leaf)
    for (uint32_t r = 0; r < 2; ++r)
    {
        const auto s = Switches(c, 0, 2, r);
        ASSERT_EQ(s.size(), 3u);
        EXPECT_EQ(s[0], "rail" + std::to_string(r) + "-leaf0");
        EXPECT_EQ(s[1].rfind("spine", 0), 0u) << s[1];
        EXPECT_EQ(s[2], "rail" + std::to_string(r) + "-leaf1");
        EXPECT_EQ(Switches(c, 0, 1, r).size(), 1u); // same group: its rail leaf only
    }
    const double t = SendTogether(c, {{0, 2}}, 2 * 8972)[0];
    EXPECT_NEAR(t, 4 * Frame(8972) + 4 * kLinkDelay + 3 * kHop, 2e-12);
}

TEST_P(RailOptimized, AnEndpointWithFewerPortsIsReachedThroughASpine)
{
    // A 4-port device and a 2-port one in one group: lanes 0 and 1 stay on their rail leaf;
    // lanes 2 and 3 find no port of the destination on their rail and cross to rail (lane mod 2)
    // through a spine.
    Cluster c = Install(Helper(2, 1), {4, 2}, GetParam());
    EXPECT_EQ(Switches(c, 0, 1, 0), std::vector<std::string>{"rail0-leaf0"});
    EXPECT_EQ(Switches(c, 0, 1, 1), std::vector<std::string>{"rail1-leaf0"});
    for (uint32_t lane : {2u, 3u})
    {
        const auto s = Switches(c, 0, 1, lane);
        ASSERT_EQ(s.size(), 3u);
        EXPECT_EQ(s[0], "rail" + std::to_string(lane) + "-leaf0");
        EXPECT_EQ(s[2], "rail" + std::to_string(lane % 2) + "-leaf0");
    }
    // Packets and chunks: the lanes through the spine decide, one frame each over 4 links (the
    // direct lanes have left the destination's ports by the time they come). Flows hold their
    // whole path at once: lanes 0 and 2 (1 and 3) share the destination's port at half rate for
    // their frame, one frame more.
    const double t = SendTogether(c, {{0, 1}}, 4 * 8972)[0];
    const double frames = GetParam() == "flow" ? 5 : 4;
    EXPECT_NEAR(t, frames * Frame(8972) + 4 * kLinkDelay + 3 * kHop, 2e-12);
}

INSTANTIATE_TEST_SUITE_P(Fidelity,
                         RailOptimized,
                         ::testing::Values("flow", "chunk", "packet"),
                         [](const auto& info)
                         {
                             return info.param;
                         });

TEST(RailOptimizedFabric, OversubscribedUplinksAreShared)
{
    // Two groups of 2 devices x 2 ports; 0 -> 2 and 1 -> 3 at once, 100 frames a lane. Without
    // oversubscription each rail leaf has 2 uplinks and the two messages' lanes leave on
    // different ones: each takes the time it would alone (100 frames on the first link, the last
    // once more on each of the 3 others). At 2:1 a leaf has one uplink, which both lanes of its
    // rail share: the 100 frames of each take twice as long.
    const uint64_t bytes = 2 * 100 * 8972;
    const double alone = 100 * Frame(8972) + 3 * Frame(8972) + 4 * kLinkDelay + 3 * kHop;
    Cluster open = Helper(2, 1).Install(4, 2, "d", "flow");
    for (double t : SendTogether(open, {{0, 2}, {1, 3}}, bytes))
    {
        EXPECT_NEAR(t, alone, 1e-11);
    }
    Cluster oversubscribed = Helper(2, 2).Install(4, 2, "d", "flow");
    EXPECT_EQ(oversubscribed.switches.GetN(), 4u + 1u);
    for (double t : SendTogether(oversubscribed, {{0, 2}, {1, 3}}, bytes))
    {
        EXPECT_NEAR(t, alone + 100 * Frame(8972), 1e-11);
    }
}

TEST(RailOptimizedFabric, A128NodeClusterHasItsRailsAndSpines)
{
    // 128 nodes x 8 NICs, 32 nodes a group: 4 groups x 8 rails = 32 leaves with 32 uplinks
    // each, 16 spines; 2 x (128 x 8 + 32 x 32) directed links.
    Cluster c = Helper(32, 1).Install(128, 8, "gpu-node", "flow");
    EXPECT_EQ(c.switches.GetN(), 32u + 16u);
    EXPECT_EQ(c.fabric->Links().size(), 2u * (128 * 8 + 32 * 32));
    // A node's lanes to every other group spread over the 32 uplinks of their leaf.
    std::set<uint32_t> firstUplinks;
    for (uint32_t dst = 32; dst < 128; ++dst)
    {
        firstUplinks.insert(c.fabric->Path(c.NodeIds()[0], c.NodeIds()[dst], 5)[1]);
    }
    EXPECT_EQ(firstUplinks.size(), 32u);
    const double t = SendTogether(c, {{0, 127}}, 8 * 8972)[0];
    EXPECT_NEAR(t, 4 * Frame(8972) + 4 * kLinkDelay + 3 * kHop, 1e-11);
}
