/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Link faults at flow fidelity against closed forms: a cable that loses lanes slows what is
// left of a transfer by the lost share; a cable that goes down moves its lane to a surviving
// port after the reroute delay, sending again what was in flight; a message with no path waits
// for the repair; switches spread lanes over the uplinks that survive.

#include "ns3/config.h"
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
      const std::string& topology = "single-switch")
{
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue(topology));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(1));
    h.SetFabricAttribute("SwitchLatency", TimeValue(MicroSeconds(5)));
    h.SetLinkAttribute("LaneRate", DoubleValue(kLaneRate));
    h.SetLinkAttribute("LanesPerPort", UintegerValue(lanesPerPort));
    h.SetTransportAttribute("RerouteDelay", TimeValue(rerouteDelay));
    return h.Install(2, ports, "d", "flow");
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

/// Send \p bytes from d0 to d1 at \p atS, run, and return when it was delivered.
double
Transfer(Cluster& c, uint64_t bytes, double atS = 0)
{
    const auto ids = c.NodeIds();
    Ptr<MessageTransport> t = c.transport;
    double end = -1;
    Simulator::Schedule(Seconds(atS),
                        [&, t, ids]()
                        {
                            t->Send(ids[0],
                                    ids[1],
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

TEST(LinkFaults, MessageWithNoPathWaitsForTheRepair)
{
    // A one-port device whose cable is down: the message goes when the cable is back, and
    // arrives as one sent at that moment would.
    const uint64_t bytes = 1'000'000;
    const double repaired = 1e-3;
    Cluster healthy = Build(1, 1);
    const double late = Transfer(healthy, bytes, repaired);
    Cluster c = Build(1, 1);
    const uint32_t cable = LinkNamed(c, "d0.p0->switch");
    SetCableAt(c, cable, 0, 0.0);
    SetCableAt(c, cable, repaired, 1.0);
    EXPECT_EQ(Transfer(c, bytes, 10e-6), late);
}

TEST(LinkFaults, NewMessagesAreStripedOverTheLanesThatSurvive)
{
    // Four ports, one down before the message: three lanes of a third each, in the time a
    // three-port device takes.
    const uint64_t bytes = 9'000'000;
    Cluster three = Build(3, 1);
    const double expected = Transfer(three, bytes, 1e-6);
    Cluster c = Build(4, 1);
    SetCableAt(c, LinkNamed(c, "d0.p2->switch"), 0, 0.0);
    EXPECT_EQ(Transfer(c, bytes, 1e-6), expected);
}

TEST(LinkFaults, LostSpineSendsItsLanesOverTheSpinesThatSurvive)
{
    // Leaf-spine, one device per leaf, four ports: lane i crosses spine i. With spine1 lost, its
    // lane takes the next surviving spine (spine2) and shares both of spine2's links with lane 2:
    // the two drain at half rate, so the message takes one more lane time than without faults.
    const uint64_t bytes = 4'000'000;
    Cluster healthy = Build(4, 1, MicroSeconds(10), "leaf-spine");
    const double t0 = Transfer(healthy, bytes, 1e-6);

    Cluster c = Build(4, 1, MicroSeconds(10), "leaf-spine");
    Ptr<LinkFaultInjector> faults = CreateObject<LinkFaultInjector>();
    LinkFaultSpec spine;
    spine.wholeSwitch = true;
    spine.link = "spine1";
    spine.durationS = 1;
    faults->Install(c.fabric, c.transport, {spine});
    const double t = Transfer(c, bytes, 1e-6);
    EXPECT_NEAR(t - t0, WireBits(bytes / 4) / kLaneRate, 2e-12);
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
