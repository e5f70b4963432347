/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Link faults at flow and chunk fidelity against closed forms: a cable that loses lanes slows
// what is left of a transfer by the lost share; a cable that goes down moves its lane to a
// surviving port after the reroute delay, sending again what was in flight; a message with no
// path waits for the repair; switches spread lanes over the uplinks that survive. The chunk
// level's closed forms count its chunks from the documented rule (k = min(frames,
// ceil(links / Accuracy)) chunks of whole frames, the first ones a frame longer).

#include "ns3/config.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/fabric-helper.h"
#include "ns3/link-fault-injector.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
const double kLaneRate = 100e9;

Cluster
Build(uint32_t ports,
      uint32_t lanesPerPort,
      Time rerouteDelay = MicroSeconds(10),
      const std::string& topology = "single-switch",
      const std::string& fidelity = "flow")
{
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue(topology));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(1));
    h.SetFabricAttribute("SwitchLatency", TimeValue(MicroSeconds(5)));
    h.SetLinkAttribute("LaneRate", DoubleValue(kLaneRate));
    h.SetLinkAttribute("LanesPerPort", UintegerValue(lanesPerPort));
    h.SetTransportAttribute("RerouteDelay", TimeValue(rerouteDelay));
    return h.Install(2, ports, "d", fidelity);
}

uint32_t
LinkNamed(const Cluster& c, const std::string& name)
{
    for (const FabricLink& l : c.fabric->Links())
    {
        if (l.name == name)
        {
            return l.id;
        }
    }
    ADD_FAILURE() << "no link " << name;
    return 0;
}

/// Wire bits of one lane of \p payload bytes: 9,000-byte frames carry 8,972 payload bytes and
/// add 28 header + 2 framing bytes each (the documented wire format).
double
WireBits(uint64_t payload)
{
    const uint64_t frames = (payload + 8971) / 8972;
    return (payload + frames * 30.0) * 8;
}

/// Send \p bytes from d0 to d1 (from d1 to d0 if \p backwards) at \p atS, run, and return when
/// it was delivered.
double
Transfer(Cluster& c, uint64_t bytes, double atS = 0, bool backwards = false)
{
    const auto ids = c.NodeIds();
    Ptr<MessageTransport> t = c.transport;
    double end = -1;
    Simulator::Schedule(Seconds(atS),
                        [&, t, ids]()
                        {
                            t->Send(ids[backwards ? 1 : 0],
                                    ids[backwards ? 0 : 1],
                                    bytes,
                                    TransferKind::Other,
                                    [&](const TransferRecord& r)
                                    {
                                        end = r.end.GetSeconds();
                                    });
                        });
    Simulator::Run();
    Simulator::Destroy();
    return end;
}

/// What the LaneRerouted trace reported.
struct Reroutes
{
    uint32_t lanes{0};
    uint64_t resent{0};
    Time waited;

    static void Sink(Reroutes* r, uint32_t /* link */, uint64_t bytes, Time waited)
    {
        r->lanes += 1;
        r->resent += bytes;
        r->waited = waited;
    }
};

/// One chunk of a lane at chunk fidelity: payload and wire bytes.
struct LaneChunk
{
    uint64_t payload{0};
    uint64_t wire{0};
};

/// The chunks of a lane of \p payload bytes over \p links links at the default Accuracy (1 %):
/// min(frames, ceil(links / 0.01)) chunks of whole 8,972-byte frames, the first ones a frame
/// longer, the last holding what is left.
std::vector<LaneChunk>
ChunksOf(uint64_t payload, uint32_t links)
{
    const uint64_t frames = (payload + 8971) / 8972;
    const uint64_t k = std::min<uint64_t>(frames, links * 100);
    std::vector<LaneChunk> out;
    uint64_t left = payload;
    for (uint64_t j = 0; j < k; ++j)
    {
        const uint64_t f = frames / k + (j < frames % k ? 1 : 0);
        const uint64_t p = j + 1 == k ? left : f * 8972;
        left -= p;
        out.push_back({p, p + ((p + 8971) / 8972) * 30});
    }
    return out;
}

/// ns-3's transmission time of \p wire bytes at \p bps (what a device takes), in seconds.
double
Tx(uint64_t wire, double bps)
{
    return DataRate(uint64_t(bps)).CalculateBytesTxTime(wire).GetSeconds();
}

/// When the last of a sequence of chunks, all queued at the first of two links at time 0 and
/// stored and forwarded at the second, arrives: \p tx1 and \p tx2 are their transmission times
/// on each, \p delay each link's delay (first come first served queues, Lindley's recursion).
double
ThroughTwoLinks(const std::vector<double>& tx1, const std::vector<double>& tx2, double delay)
{
    double leave1 = 0;
    double leave2 = 0;
    for (size_t i = 0; i < tx1.size(); ++i)
    {
        leave1 += tx1[i];
        leave2 = std::max(leave2, leave1 + delay) + tx2[i];
    }
    return leave2 + delay;
}

void
SetCableAt(Cluster& c, uint32_t link, double atS, double upShare)
{
    Ptr<NetworkFabric> f = c.fabric;
    Simulator::Schedule(Seconds(atS),
                        [f, link, upShare]()
                        {
                            f->SetCableUpShare(link, upShare);
                        });
}
} // namespace

TEST(LinkFaults, LaneLossSlowsTheRestOfATransferByTheLostShare)
{
    // One 4-lane port (400 Gb/s): losing one lane mid-transfer leaves 300 Gb/s for the bits
    // still to send; what came before, and the path's latency, are unchanged.
    const uint64_t bytes = 50'000'000;
    const double rate = 4 * kLaneRate;
    Cluster healthy = Build(1, 4);
    const double t0 = Transfer(healthy, bytes);
    const double at = 0.4e-3;
    Cluster degraded = Build(1, 4);
    SetCableAt(degraded, LinkNamed(degraded, "d0.p0->switch"), at, 0.75);
    const double t = Transfer(degraded, bytes);
    const double left = WireBits(bytes) - rate * at;
    ASSERT_GT(left, 0);
    EXPECT_NEAR(t - t0, left / (0.75 * rate) - left / rate, 2e-12);
}

TEST(LinkFaults, DownCableMovesItsLaneToASurvivingPortAndResendsWhatWasInFlight)
{
    // Two 100 Gb/s ports, one lane each. Port 0's cable fails 4 us in, within a round trip: the
    // lane starts over (everything it sent was in flight) on port 1 after the 10 us reroute
    // delay, where it shares the first link with lane 1 until lane 1 drains.
    const uint64_t bytes = 10'000'000;
    const double at = 4e-6;
    const double delay = 10e-6;
    Cluster healthy = Build(2, 1);
    const double t0 = Transfer(healthy, bytes);

    Cluster c = Build(2, 1, Seconds(delay));
    Reroutes seen;
    c.transport->TraceConnectWithoutContext("LaneRerouted",
                                            MakeBoundCallback(&Reroutes::Sink, &seen));
    SetCableAt(c, LinkNamed(c, "d0.p0->switch"), at, 0.0);
    const double t = Transfer(c, bytes);

    const double lane = WireBits(bytes / 2);
    const double r0 = lane;                                    // starts over
    const double r1 = lane - kLaneRate * (at + delay);         // lane 1 kept going alone
    const double drained = at + delay + (r0 + r1) / kLaneRate; // shared, then alone
    EXPECT_NEAR(t, t0 - lane / kLaneRate + drained, 2e-12);
    EXPECT_EQ(seen.lanes, 1u);
    EXPECT_EQ(seen.resent, static_cast<uint64_t>(std::ceil(kLaneRate * at / 8)));
    EXPECT_EQ(seen.waited, Seconds(delay));
    // The failed link carried only what was sent before the fault.
    const uint64_t failedBytes = c.fabric->Link(LinkNamed(c, "d0.p0->switch")).bytes;
    EXPECT_NEAR(double(failedBytes), kLaneRate * at / 8, 2.0);
}

/// Closed forms that hold at flow and chunk fidelity alike.
class LinkFaultsAtEveryFidelity : public testing::TestWithParam<std::string>
{
};

INSTANTIATE_TEST_SUITE_P(Fidelities, LinkFaultsAtEveryFidelity, testing::Values("flow", "chunk"));

TEST_P(LinkFaultsAtEveryFidelity, MessageWithNoPathWaitsForTheRepair)
{
    // A one-port device whose cable is down: the message goes when the cable is back, and
    // arrives as one sent at that moment would.
    const uint64_t bytes = 1'000'000;
    const double repaired = 1e-3;
    Cluster healthy = Build(1, 1, MicroSeconds(10), "single-switch", GetParam());
    const double late = Transfer(healthy, bytes, repaired);
    Cluster c = Build(1, 1, MicroSeconds(10), "single-switch", GetParam());
    const uint32_t cable = LinkNamed(c, "d0.p0->switch");
    SetCableAt(c, cable, 0, 0.0);
    SetCableAt(c, cable, repaired, 1.0);
    EXPECT_EQ(Transfer(c, bytes, 10e-6), late);
}

TEST_P(LinkFaultsAtEveryFidelity, MessageWaitingForTheRepairTakesTheCableTheOtherWay)
{
    // The same repair for a message into d0: it crosses the cable from the switch, the
    // direction the fabric announces second. It goes when the cable is back, not before (a
    // rate still unknown for that direction once planned it at the end of time, which wrapped
    // round to a delivery in the past) and arrives as one sent at that moment would.
    const uint64_t bytes = 1'000'000;
    const double repaired = 1e-3;
    Cluster healthy = Build(1, 1, MicroSeconds(10), "single-switch", GetParam());
    const double late = Transfer(healthy, bytes, repaired, true);
    Cluster c = Build(1, 1, MicroSeconds(10), "single-switch", GetParam());
    // A first message (done within 0.1 ms) so that the transport knows every link's rate
    // before the fault.
    Ptr<MessageTransport> t = c.transport;
    const auto ids = c.NodeIds();
    Simulator::Schedule(Seconds(0),
                        [t, ids]()
                        {
                            t->Send(ids[1], ids[0], 1000, TransferKind::Other, {});
                        });
    const uint32_t cable = LinkNamed(c, "d0.p0->switch");
    SetCableAt(c, cable, 1e-4, 0.0);
    SetCableAt(c, cable, repaired, 1.0);
    EXPECT_EQ(Transfer(c, bytes, 2e-4, true), late);
}

TEST_P(LinkFaultsAtEveryFidelity, NewMessagesAreStripedOverTheLanesThatSurvive)
{
    // Four ports, one down before the message: three lanes of a third each, in the time a
    // three-port device takes.
    const uint64_t bytes = 9'000'000;
    Cluster three = Build(3, 1, MicroSeconds(10), "single-switch", GetParam());
    const double expected = Transfer(three, bytes, 1e-6);
    Cluster c = Build(4, 1, MicroSeconds(10), "single-switch", GetParam());
    SetCableAt(c, LinkNamed(c, "d0.p2->switch"), 0, 0.0);
    EXPECT_EQ(Transfer(c, bytes, 1e-6), expected);
}

TEST_P(LinkFaultsAtEveryFidelity, LostSpineSendsItsLanesOverTheSpinesThatSurvive)
{
    // Leaf-spine, one device per leaf, four ports: lane i crosses spine i. With spine1 lost, its
    // lane takes the next surviving spine (spine2) and shares both of spine2's links with lane 2:
    // the two drain at half rate, so the message takes one more lane time than without faults.
    // At chunk level the two lanes' chunks alternate on spine2's links: the last one leaves
    // within a chunk time of when the flow level's shared bits would.
    const uint64_t bytes = 4'000'000;
    Cluster healthy = Build(4, 1, MicroSeconds(10), "leaf-spine", GetParam());
    const double t0 = Transfer(healthy, bytes, 1e-6);

    Cluster c = Build(4, 1, MicroSeconds(10), "leaf-spine", GetParam());
    Ptr<LinkFaultInjector> faults = CreateObject<LinkFaultInjector>();
    LinkFaultSpec spine;
    spine.wholeSwitch = true;
    spine.link = "spine1";
    spine.durationS = 1;
    faults->Install(c.fabric, c.transport, {spine});
    const double t = Transfer(c, bytes, 1e-6);
    const std::vector<LaneChunk> lane = ChunksOf(bytes / 4, 4);
    const double chunkTime = GetParam() == "flow" ? 2e-12 : Tx(lane.front().wire, kLaneRate);
    EXPECT_NEAR(t - t0, WireBits(bytes / 4) / kLaneRate, chunkTime);
    ASSERT_EQ(faults->Records().size(), 1u);
    EXPECT_EQ(faults->Records()[0].kind, "switch");
    // Nothing crossed spine1 while it was down; spine2 carried two lanes.
    uint64_t viaLost = 0;
    for (const FabricLink& l : c.fabric->Links())
    {
        viaLost += l.name.find("spine1") != std::string::npos ? l.bytes : 0;
    }
    EXPECT_EQ(viaLost, 0u);
    faults->Dispose();
}

TEST(LinkFaults, ADeviceIsNotASwitch)
{
    Cluster c = Build(2, 1);
    Ptr<LinkFaultInjector> faults = CreateObject<LinkFaultInjector>();
    LinkFaultSpec device;
    device.wholeSwitch = true;
    device.link = "d0";
    device.durationS = 1;
    EXPECT_THROW(faults->Install(c.fabric, c.transport, {device}), std::exception);
    Simulator::Destroy();
}

TEST(LinkFaults, RandomFailuresFollowTheCablesRate)
{
    // 2 devices x 4 ports through one switch: 8 cables. A cable MTBF of 8 / 2000 s gives 2,000
    // failures expected in a 1 s window (a Poisson count, sd ~45); flaps of a nanosecond keep
    // almost no cable down, so almost none is absorbed. 30 % of them are flaps.
    Cluster c = Build(4, 1);
    Ptr<LinkFaultInjector> faults = CreateObject<LinkFaultInjector>();
    LinkFaultSpec random;
    random.random = true;
    random.durationS = 1;
    random.reliability = {8.0 / 2000 / 3600, 0.3, 1e-9, 1e-9};
    faults->Install(c.fabric, c.transport, {random});
    Simulator::Run();
    const auto& records = faults->Records();
    EXPECT_NEAR(double(records.size()), 2000, 4 * 45);
    double flaps = 0;
    for (const LinkFaultRecord& r : records)
    {
        flaps += r.kind == "link_flap";
        EXPECT_LT(r.startS, 1.0);
    }
    EXPECT_NEAR(flaps / records.size(), 0.3, 4 * std::sqrt(0.3 * 0.7 / 2000));
    faults->Dispose();
    Simulator::Destroy();
}

TEST(LinkFaults, ChunksNotStartedWhenLanesAreLostGoAtTheNewRate)
{
    // Chunk fidelity, one 4-lane port (400 Gb/s) and 200 chunks: losing a lane 0.4 ms in lets
    // the chunk on the wire finish at 400 Gb/s; every chunk after it takes its time at 300 Gb/s.
    const uint64_t bytes = 50'000'000;
    const double at = 0.4e-3;
    Cluster healthy = Build(1, 4, MicroSeconds(10), "single-switch", "chunk");
    const double t0 = Transfer(healthy, bytes);
    Cluster degraded = Build(1, 4, MicroSeconds(10), "single-switch", "chunk");
    const uint32_t cable = LinkNamed(degraded, "d0.p0->switch");
    const double delay = degraded.fabric->Link(cable).delay.GetSeconds();
    SetCableAt(degraded, cable, at, 0.75);
    const double t = Transfer(degraded, bytes);

    const std::vector<LaneChunk> chunks = ChunksOf(bytes, 2);
    ASSERT_EQ(chunks.size(), 200u);
    std::vector<double> full;
    std::vector<double> cut;
    double start = 0;
    for (const LaneChunk& c : chunks)
    {
        full.push_back(Tx(c.wire, 4 * kLaneRate));
        cut.push_back(start < at ? full.back() : Tx(c.wire, 3 * kLaneRate));
        start += cut.back();
    }
    EXPECT_NEAR(t0, ThroughTwoLinks(full, full, delay), 1e-12);
    EXPECT_NEAR(t, ThroughTwoLinks(cut, full, delay), 1e-12);
    EXPECT_GT(t - t0, 100 * (cut.back() - full.back())); // most chunks were still to go
}

TEST(LinkFaults, ChunksThatDidNotCrossADownCableAreSentAgainOnASurvivingPort)
{
    // Chunk fidelity, two 100 Gb/s ports of one lane each, 5 MB a lane in 200 chunks. Port 0's
    // cable fails 6 us in: the chunks whole at the switch by then go on; those on the wire are
    // lost; they and the rest are sent again 10 us later on port 1, where they wait behind
    // lane 1's chunks (all queued at the start) and follow them to the destination.
    const uint64_t bytes = 10'000'000;
    const double at = 6e-6;
    Cluster healthy = Build(2, 1, MicroSeconds(10), "single-switch", "chunk");
    const double t0 = Transfer(healthy, bytes);

    Cluster c = Build(2, 1, MicroSeconds(10), "single-switch", "chunk");
    Reroutes seen;
    c.transport->TraceConnectWithoutContext("LaneRerouted",
                                            MakeBoundCallback(&Reroutes::Sink, &seen));
    const uint32_t cable = LinkNamed(c, "d0.p0->switch");
    const double delay = c.fabric->Link(cable).delay.GetSeconds();
    SetCableAt(c, cable, at, 0.0);
    const double t = Transfer(c, bytes);

    const std::vector<LaneChunk> lane = ChunksOf(bytes / 2, 2);
    std::vector<double> txLane;
    uint64_t crossedPayload = 0;
    uint64_t lost = 0;
    uint64_t startedWire = 0;
    double leave = 0;
    for (const LaneChunk& ch : lane)
    {
        txLane.push_back(Tx(ch.wire, kLaneRate));
        const double start = leave;
        leave += txLane.back();
        if (leave + delay <= at)
        {
            crossedPayload += ch.payload;
        }
        else if (start < at)
        {
            lost += ch.wire;
        }
        startedWire += start < at ? ch.wire : 0;
    }
    ASSERT_GT(crossedPayload, 0u);
    ASSERT_GT(lost, 0u);
    std::vector<double> both = txLane;
    for (const LaneChunk& ch : ChunksOf(bytes / 2 - crossedPayload, 2))
    {
        both.push_back(Tx(ch.wire, kLaneRate));
    }
    EXPECT_NEAR(t0, ThroughTwoLinks(txLane, txLane, delay), 1e-12);
    EXPECT_NEAR(t, ThroughTwoLinks(both, both, delay), 1e-12);
    EXPECT_EQ(seen.lanes, 1u);
    EXPECT_EQ(seen.resent, lost);
    EXPECT_EQ(seen.waited, MicroSeconds(10));
    // The failed link carried the chunks that started on it.
    EXPECT_EQ(c.fabric->Link(cable).bytes, startedWire);
}

TEST(LinkFaults, ACableBackBeforeTheResendIsTakenAgain)
{
    // As above, but the cable is back 2 us after it failed, before the lane leaves again
    // (10 us): the rest goes on the lane's own port, idle by then, and arrives as a message of
    // that size sent at that moment would. (The chunks that crossed before the failure are
    // still on the repaired link's records when it comes back: a link coming back up must not
    // time them at the rate it had while down.)
    const uint64_t bytes = 10'000'000;
    const double at = 6e-6;
    const double resend = at + 10e-6;
    Cluster c = Build(2, 1, MicroSeconds(10), "single-switch", "chunk");
    const uint32_t cable = LinkNamed(c, "d0.p0->switch");
    const double delay = c.fabric->Link(cable).delay.GetSeconds();
    SetCableAt(c, cable, at, 0.0);
    SetCableAt(c, cable, at + 2e-6, 1.0);
    const double t = Transfer(c, bytes);

    const std::vector<LaneChunk> lane = ChunksOf(bytes / 2, 2);
    uint64_t crossedPayload = 0;
    double leave = 0;
    std::vector<double> txLane;
    for (const LaneChunk& ch : lane)
    {
        txLane.push_back(Tx(ch.wire, kLaneRate));
        leave += txLane.back();
        crossedPayload += leave + delay <= at ? ch.payload : 0;
    }
    ASSERT_GT(crossedPayload, 0u);
    std::vector<double> again;
    for (const LaneChunk& ch : ChunksOf(bytes / 2 - crossedPayload, 2))
    {
        again.push_back(Tx(ch.wire, kLaneRate));
    }
    const double lane1 = ThroughTwoLinks(txLane, txLane, delay);
    EXPECT_NEAR(t, std::max(lane1, resend + ThroughTwoLinks(again, again, delay)), 1e-12);
}
