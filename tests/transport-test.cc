/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Message transport against closed forms at every fidelity: serialisation + propagation + hop
// latency through one switch, chunk pipelining, topologies and their paths, energy per transfer.

#include "ns3/chunk-transport.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/fabric-helper.h"
#include "ns3/flow-transport.h"
#include "ns3/input-error.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/topology-builder.h"
#include "ns3/transport-fidelity.h"
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

Cluster
Build(const std::string& fidelity,
      uint32_t devices,
      uint32_t ports,
      const std::string& topology = "single-switch",
      double accuracy = 0.01)
{
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue(topology));
    h.SetFabricAttribute("SwitchLatency", TimeValue(Seconds(kHop)));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(1));
    h.SetLinkAttribute("LaneRate", DoubleValue(kRate));
    h.SetLinkAttribute("EndpointLatency", TimeValue(NanoSeconds(100)));
    h.SetLinkAttribute("PropagationPerMetre", TimeValue(NanoSeconds(5)));
    h.SetLinkAttribute("Length", DoubleValue(2.0));
    h.SetLinkAttribute("EnergyPerBit", DoubleValue(10.0));
    if (fidelity == "chunk")
    {
        h.SetTransportAttribute("Accuracy", DoubleValue(accuracy));
    }
    return h.Install(devices, ports, "d", fidelity);
}

/// Wire time of one frame carrying \p payload bytes: payload + IPv4/UDP 28 + PPP 2.
double
Frame(double payload)
{
    return (payload + 30) * 8 / kRate;
}

double
SendOne(Cluster& c, uint32_t src, uint32_t dst, uint64_t bytes, TransferRecord* out = nullptr)
{
    const auto ids = c.NodeIds();
    double end = -1;
    c.transport->Send(ids[src],
                      ids[dst],
                      bytes,
                      TransferKind::Other,
                      [&](const TransferRecord& r)
                      {
                          end = r.end.GetSeconds();
                          if (out)
                          {
                              *out = r;
                          }
                      });
    Simulator::Run();
    return end;
}
/// Send \p bytes from \p src to \p dst at \p atS; its delivery time goes to \p endS.
void
SendAt(Cluster& c, uint32_t src, uint32_t dst, uint64_t bytes, double atS, double* endS)
{
    const auto ids = c.NodeIds();
    Ptr<MessageTransport> transport = c.transport;
    Simulator::Schedule(Seconds(atS),
                        [=]()
                        {
                            transport->Send(ids[src],
                                            ids[dst],
                                            bytes,
                                            TransferKind::Other,
                                            [=](const TransferRecord& r)
                                            {
                                                *endS = r.end.GetSeconds();
                                            });
                        });
}
/// Sink of NetworkFabric's LinkTx.
struct LinkTxSink
{
    uint64_t bytes{0};
    std::set<uint32_t> links;

    void On(uint32_t link, uint64_t wire)
    {
        bytes += wire;
        links.insert(link);
    }
};
} // namespace

class EveryFidelity : public ::testing::TestWithParam<std::string>
{
};

TEST_P(EveryFidelity, OneFramePerLaneThroughOneSwitch)
{
    // 12 lanes x 4 frames of 8,972 B: 4 frames serialised on the first link, the last frame once
    // more on the second, two link delays and the switch latency.
    Cluster c = Build(GetParam(), 2, 12, "single-switch", 0.01);
    const uint64_t bytes = 12ULL * 4 * 8972;
    const double expected = 4 * Frame(8972) + Frame(8972) + 2 * kLinkDelay + kHop;
    const auto ids = c.NodeIds();
    EXPECT_NEAR(c.transport->UncontendedTime(ids[0], ids[1], bytes).GetSeconds(), expected, 2e-12);
    // LinkTx, reached as a researcher would: every wire byte, on the two links of each lane.
    LinkTxSink tx;
    Config::ConnectWithoutContext("/NodeList/*/$ns3::wafer::NetworkFabric/LinkTx",
                                  MakeCallback(&LinkTxSink::On, &tx));
    TransferRecord r;
    EXPECT_NEAR(SendOne(c, 0, 1, bytes, &r), expected, 2e-12);
    EXPECT_EQ(tx.bytes, 2ULL * 12 * 4 * (8972 + 30));
    EXPECT_EQ(tx.links.size(), 24u);
    EXPECT_EQ(r.lanes, 12u);
    EXPECT_EQ(r.hops, 2u);
    // 10 pJ/bit on both links of every lane.
    EXPECT_NEAR(r.energyJ, 2 * 12 * 4 * (8972 + 30) * 8 * 10e-12, 1e-15);
    EXPECT_EQ(c.transport->InFlight(), 0u);
    Simulator::Destroy();
}

TEST_P(EveryFidelity, SmallMessageUsesOneLane)
{
    Cluster c = Build(GetParam(), 2, 12);
    EXPECT_NEAR(SendOne(c, 0, 1, 4), 2 * Frame(4) + 2 * kLinkDelay + kHop, 2e-12);
    Simulator::Destroy();
}

TEST_P(EveryFidelity, AReceiverWithFewerPortsGetsEveryLane)
{
    // 4 ports to 2 through one switch, one frame a lane: lanes 2 and 3 end on the receiver's
    // ports 0 and 1 (lane mod 2), behind lanes 0 and 1: the receiver's links carry two frames.
    // (Packets to a lane the receiver had no port of once went nowhere.)
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("SwitchLatency", TimeValue(Seconds(kHop)));
    h.SetLinkAttribute("LaneRate", DoubleValue(kRate));
    h.SetLinkAttribute("EndpointLatency", TimeValue(NanoSeconds(100)));
    h.SetLinkAttribute("PropagationPerMetre", TimeValue(NanoSeconds(5)));
    h.SetLinkAttribute("Length", DoubleValue(2.0));
    Cluster c = h.Install(std::vector<uint32_t>{4, 2}, "d", GetParam());
    TransferRecord r;
    EXPECT_NEAR(SendOne(c, 0, 1, 4 * 8972, &r), 3 * Frame(8972) + 2 * kLinkDelay + kHop, 2e-12);
    EXPECT_EQ(r.lanes, 4u);
    Simulator::Destroy();
}

TEST_P(EveryFidelity, ThreeHopsThroughLeafSpine)
{
    // Devices on two leaves: device, leaf, spine, leaf, device = 4 links, 3 switch latencies.
    Cluster c = Build(GetParam(), 2, 12, "leaf-spine", 0.01);
    const uint64_t bytes = 12ULL * 8972;
    TransferRecord r;
    const double t = SendOne(c, 0, 1, bytes, &r);
    EXPECT_EQ(r.hops, 4u);
    EXPECT_NEAR(t, 4 * Frame(8972) + 4 * kLinkDelay + 3 * kHop, 2e-12);
    Simulator::Destroy();
}

TEST_P(EveryFidelity, RingRelaysThroughNeighbours)
{
    // 4 devices in a ring, 12 ports (6 each way): 0 -> 2 is two links away either way; with a
    // wafer transit latency of 1 us, its share on the 2 links and the relay add
    // (1 + 1 + 1) us / 2 x 2 links = 2 us; the tie splits lanes over both directions.
    Cluster c = Build(GetParam(), 4, 12, "ring");
    TransferRecord r;
    const double t = SendOne(c, 0, 2, 4, &r);
    EXPECT_EQ(r.hops, 2u);
    EXPECT_NEAR(t, 2 * Frame(4) + 2 * kLinkDelay + 2e-6, 2e-12);
    Simulator::Destroy();
}

TEST_P(EveryFidelity, ALongMessageOutlivesThousandsOfShortOnes)
{
    // One 107 MB message (1 -> 0) lives 0.72 ms while 3,000 one-frame messages (2 -> 3), one
    // every 0.2 us, come and go on other links: each is delivered once, with its own tag, at
    // its closed-form time, and the long one too, although thousands of ids were handed out
    // and retired after its own (chunks of one frame, so that every fidelity is exact).
    Cluster c = Build(GetParam(), 4, 12, "single-switch", 0.0);
    const auto ids = c.NodeIds();
    const uint64_t longBytes = 12ULL * 1000 * 8972;
    const uint32_t shorts = 3000;
    const double gap = 0.2e-6;
    std::vector<double> end(shorts + 1, -1);
    uint32_t deliveries = 0;
    MessageTransport::DeliveredCallback onDelivered = [&](const TransferRecord& r)
    {
        ASSERT_LT(r.tag, end.size());
        EXPECT_LT(end[r.tag], 0) << "message " << r.tag << " delivered twice";
        end[r.tag] = r.end.GetSeconds();
        ++deliveries;
    };
    Ptr<MessageTransport> transport = c.transport;
    Simulator::Schedule(
        Seconds(0),
        [&]()
        {
            transport->Send(ids[1], ids[0], longBytes, TransferKind::Other, onDelivered, shorts);
        });
    for (uint32_t i = 0; i < shorts; ++i)
    {
        Simulator::Schedule(Seconds(gap * (i + 1)),
                            [&, i]()
                            {
                                transport->Send(
                                    ids[2], ids[3], 100, TransferKind::Other, onDelivered, i);
                            });
    }
    Simulator::Run();
    EXPECT_EQ(deliveries, shorts + 1);
    const double shortTime = 2 * Frame(100) + 2 * kLinkDelay + kHop;
    for (uint32_t i = 0; i < shorts; ++i)
    {
        ASSERT_NEAR(end[i], gap * (i + 1) + shortTime, 2e-12) << "message " << i;
    }
    EXPECT_NEAR(end[shorts], 1001 * Frame(8972) + 2 * kLinkDelay + kHop, 2e-11);
    EXPECT_GT(end[shorts], end[shorts - 1]); // it did outlive them all
    EXPECT_EQ(transport->InFlight(), 0u);
    Simulator::Destroy();
}

INSTANTIATE_TEST_SUITE_P(Fidelity,
                         EveryFidelity,
                         ::testing::Values("flow", "chunk", "packet"),
                         [](const auto& info)
                         {
                             return info.param;
                         });

TEST(Transport, ChunksPipelineThroughTheSwitch)
{
    // Accuracy 0.5 over 2 links: 4 chunks per lane of 10 frames each (40 frames per lane).
    Cluster c = Build("chunk", 2, 12, "single-switch", 0.5);
    auto* chunk = dynamic_cast<ChunkTransport*>(PeekPointer(c.transport));
    ASSERT_NE(chunk, nullptr);
    EXPECT_EQ(chunk->ChunksPerLane(40 * 8972, 2), 4u);
    const uint64_t bytes = 12ULL * 40 * 8972;
    // 4 chunks of 10 frames on link 1, the last chunk once more on link 2.
    const double expected = 5 * 10 * Frame(8972) + 2 * kLinkDelay + kHop;
    EXPECT_NEAR(SendOne(c, 0, 1, bytes), expected, 2e-12);
    Simulator::Destroy();
}

TEST(Transport, FlowsShareABottleneckFairly)
{
    // Two senders into one receiver: its 12 downlinks carry both, each at half rate.
    Cluster c = Build("flow", 3, 12);
    const auto ids = c.NodeIds();
    const uint64_t bytes = 12ULL * 1000 * 8972;
    std::vector<double> ends;
    for (uint32_t s : {1u, 2u})
    {
        c.transport->Send(ids[s],
                          ids[0],
                          bytes,
                          TransferKind::Other,
                          [&](const TransferRecord& r)
                          {
                              ends.push_back(r.end.GetSeconds());
                          });
    }
    Simulator::Run();
    ASSERT_EQ(ends.size(), 2u);
    const double expected = 2 * 1000 * Frame(8972) + Frame(8972) + 2 * kLinkDelay + kHop;
    EXPECT_NEAR(ends[0], expected, 1e-9);
    EXPECT_NEAR(ends[1], expected, 1e-9);
    Simulator::Destroy();
}

TEST(Transport, FlowJoiningMidTransferSharesThenTheOtherSpeedsUp)
{
    // A (1 -> 0) alone for T/2, then B (2 -> 0) shares the receiver's downlinks: A drains its
    // second half at half rate and ends at 1.5 T; B, at full rate once A is gone, at 2 T (the
    // downlinks stay busy from 0 to 2 T).
    Cluster c = Build("flow", 3, 12);
    const uint64_t bytes = 12ULL * 1000 * 8972;
    const double t = 1000 * Frame(8972);
    const double tail = Frame(8972) + 2 * kLinkDelay + kHop;
    double endA = -1;
    double endB = -1;
    SendAt(c, 1, 0, bytes, 0, &endA);
    SendAt(c, 2, 0, bytes, t / 2, &endB);
    Simulator::Run();
    EXPECT_NEAR(endA, 1.5 * t + tail, 1e-11);
    EXPECT_NEAR(endB, 2 * t + tail, 1e-11);
    Simulator::Destroy();
}

TEST(Transport, FlowAfterAnotherDrainedHasTheWholeLink)
{
    // B starts after A's last bit left but before A is delivered: A no longer holds the link.
    Cluster c = Build("flow", 3, 12);
    const uint64_t bytes = 12ULL * 1000 * 8972;
    const double t = 1000 * Frame(8972);
    const double tail = Frame(8972) + 2 * kLinkDelay + kHop;
    const double startB = t + 1e-6;
    double endA = -1;
    double endB = -1;
    SendAt(c, 1, 0, bytes, 0, &endA);
    SendAt(c, 2, 0, bytes, startB, &endB);
    Simulator::Run();
    EXPECT_NEAR(endA, t + tail, 1e-11);
    EXPECT_NEAR(endB, startB + t + tail, 1e-11);
    Simulator::Destroy();
}

TEST(Transport, FlowAloneOnItsLinksCostsOneEvent)
{
    // Its delivery is known when it starts: one event, whatever its size and lanes.
    Cluster c = Build("flow", 2, 12);
    Simulator::Run(); // the nodes' start-up events
    const uint64_t before = Simulator::GetEventCount();
    const double t = SendOne(c, 0, 1, 12ULL * 1000 * 8972);
    EXPECT_NEAR(t, 1000 * Frame(8972) + Frame(8972) + 2 * kLinkDelay + kHop, 1e-11);
    EXPECT_EQ(Simulator::GetEventCount() - before, 1u);
    Simulator::Destroy();
}

TEST(Transport, LinkBytesEqualAtEveryFidelity)
{
    std::vector<std::vector<uint64_t>> bytes;
    for (const char* f : {"flow", "chunk", "packet"})
    {
        Cluster c = Build(f, 2, 12);
        SendOne(c, 0, 1, 5'000'000);
        std::vector<uint64_t> b;
        for (const auto& l : c.fabric->Links())
        {
            b.push_back(l.bytes);
        }
        bytes.push_back(b);
        Simulator::Destroy();
    }
    EXPECT_EQ(bytes[0], bytes[1]);
    EXPECT_EQ(bytes[1], bytes[2]);
}

TEST(Transport, FidelityTableNamesEachTransport)
{
    EXPECT_EQ(TransportFidelity::Names(), (std::vector<std::string>{"flow", "chunk", "packet"}));
    EXPECT_EQ(TransportFidelity::AllNames(),
              (std::vector<std::string>{"flow", "chunk", "packet", "chunk-devices"}));
    for (const auto& f : TransportFidelity::All())
    {
        EXPECT_EQ(f.Factory().Create<MessageTransport>()->Fidelity(), f.name);
        EXPECT_EQ(&TransportFidelity::Get(f.name, "fidelity", TransportFidelity::AllNames()), &f);
        // Only packets, and the chunk level's reference through ns-3 devices, need devices.
        EXPECT_EQ(f.devices, f.name == "packet" || f.name == "chunk-devices");
        EXPECT_EQ(f.offered, f.name != "chunk-devices");
    }
    EXPECT_THROW(TransportFidelity::Get("chunk-devices", "fidelity"), InputError);
    auto message = [](const std::string& name, const std::vector<std::string>& allowed)
    {
        try
        {
            TransportFidelity::Get(name, "x.fidelity", allowed);
        }
        catch (const InputError& e)
        {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("atom", {}), "x.fidelity: must be flow, chunk or packet (got 'atom')");
    EXPECT_EQ(message("packet", {"flow", "chunk"}),
              "x.fidelity: must be flow or chunk (got 'packet')");
    EXPECT_EQ(message("chunk", {"flow", "chunk"}), "accepted");
}

TEST(Transport, BadTopologiesAreInputErrors)
{
    EXPECT_THROW(Build("chunk", 3, 3, "ring"), InputError);
    EXPECT_THROW(Build("chunk", 2, 12, "torus"), InputError);
    EXPECT_THROW(Build("warp", 2, 12), InputError);
    Simulator::Destroy();
}

TEST(Transport, TopologiesAreRegisteredByName)
{
    EXPECT_EQ(TopologyNames(),
              (std::vector<std::string>{"single-switch", "leaf-spine", "ring", "rail-optimized"}));
    for (const auto& name : TopologyNames())
    {
        EXPECT_NE(CreateTopology(name, "network.topology"), nullptr);
    }
    try
    {
        Build("chunk", 2, 12, "torus");
        ADD_FAILURE() << "torus accepted";
    }
    catch (const InputError& e)
    {
        EXPECT_STREQ(e.what(),
                     "network.topology: must be single-switch, leaf-spine, ring or rail-optimized "
                     "(got 'torus')");
    }
    Simulator::Destroy();
}

TEST(Transport, DeviceCallbacksHoldNoFabric)
{
    // The fabric holds its links' devices; a device callback holding the fabric would make a
    // reference cycle, leaked at the end of every packet-level run. Every fidelity holds the
    // fabric as often as the flow level, which has no devices.
    const Cluster flow = Build("flow", 3, 2);
    const uint32_t held = flow.fabric->GetReferenceCount();
    Simulator::Destroy();
    for (const char* fidelity : {"chunk", "chunk-devices", "packet"})
    {
        const Cluster c = Build(fidelity, 3, 2);
        EXPECT_EQ(c.fabric->GetReferenceCount(), held) << fidelity;
        Simulator::Destroy();
    }
}
