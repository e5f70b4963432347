/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Chunk transport through one store-and-forward switch against closed forms:
// serialisation + propagation + per-hop latency, pipelining of chunks, and incast contention.

#include "ns3/config.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/wafer-cluster-helper.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
const double kRate = 100e9;
const Time kDelay = NanoSeconds(50);
const Time kHop = MicroSeconds(5);

WaferCluster
Build(uint32_t devices, uint32_t ports)
{
    WaferClusterHelper h;
    h.SetDeviceAttribute("DataRate", DataRateValue(DataRate(uint64_t(kRate))));
    h.SetChannelAttribute("Delay", TimeValue(kDelay));
    h.SetSwitchAttribute("HopLatency", TimeValue(kHop));
    return h.Install(devices, ports, "w");
}

/// Serialisation of one chunk of \p bytes payload plus the 2-byte PPP header.
double
Ser(double bytes)
{
    return (bytes + 2) * 8 / kRate;
}
} // namespace

TEST(Transport, OneChunkPerLane)
{
    WaferCluster c = Build(2, 12);
    // 108,000 B = 12 jumbo chunks of 9,000 B, one per port.
    EXPECT_EQ(c.transport->ChunkCount(108000, 12), 12u);
    Time end;
    c.transport->Send(c.NodeIds()[0],
                      c.NodeIds()[1],
                      108000,
                      [&end](const TransferRecord& r)
                      {
                          end = r.end;
                      });
    Simulator::Run();
    const double expected = 2 * Ser(9000) + 2 * kDelay.GetSeconds() + kHop.GetSeconds();
    EXPECT_NEAR(end.GetSeconds(), expected, 1e-11);
    EXPECT_NEAR(c.transport->IdealSwitchedTime(108000, 12, kRate, kDelay, kHop).GetSeconds(),
                expected,
                1e-11);
    EXPECT_EQ(c.transport->InFlight(), 0u);
    Simulator::Destroy();
}

TEST(Transport, ChunksPipelineThroughTheSwitch)
{
    WaferCluster c = Build(2, 12);
    // 48 chunks of 65,536 B: 4 per lane. Store-and-forward pipelines them: (k + 1) x ser.
    const uint64_t bytes = 48ULL * 65536;
    EXPECT_EQ(c.transport->ChunkCount(bytes, 12), 48u);
    Time end;
    c.transport->Send(c.NodeIds()[0],
                      c.NodeIds()[1],
                      bytes,
                      [&end](const TransferRecord& r)
                      {
                          end = r.end;
                      });
    Simulator::Run();
    const double expected = 5 * Ser(65536) + 2 * kDelay.GetSeconds() + kHop.GetSeconds();
    EXPECT_NEAR(end.GetSeconds(), expected, 1e-11);
    Simulator::Destroy();
}

TEST(Transport, SinglePortSmallMessage)
{
    WaferCluster c = Build(2, 1);
    Time end;
    c.transport->Send(c.NodeIds()[0],
                      c.NodeIds()[1],
                      4,
                      [&end](const TransferRecord& r)
                      {
                          end = r.end;
                      });
    Simulator::Run();
    EXPECT_NEAR(end.GetSeconds(), 2 * Ser(4) + 2 * kDelay.GetSeconds() + kHop.GetSeconds(), 1e-11);
    Simulator::Destroy();
}

TEST(Transport, IncastSharesTheEgress)
{
    // Two senders, one receiver, 12 lanes, 4 chunks per lane each: the receiver's 12 links carry
    // 8 chunks per lane, so the last byte lands after (2k + 1) chunk times (k = 4), not (k + 1).
    WaferCluster c = Build(3, 12);
    const uint64_t bytes = 48ULL * 65536;
    const auto ids = c.NodeIds();
    std::vector<Time> ends;
    auto record = [&ends](const TransferRecord& r)
    {
        ends.push_back(r.end);
    };
    c.transport->Send(ids[0], ids[2], bytes, record);
    c.transport->Send(ids[1], ids[2], bytes, record);
    Simulator::Run();
    ASSERT_EQ(ends.size(), 2u);
    const double last = std::max(ends[0], ends[1]).GetSeconds();
    EXPECT_NEAR(last, 9 * Ser(65536) + 2 * kDelay.GetSeconds() + kHop.GetSeconds(), 1e-11);
    Simulator::Destroy();
}

TEST(Transport, ChunkCountRule)
{
    WaferCluster c = Build(2, 12);
    EXPECT_EQ(c.transport->ChunkCount(1, 12), 1u);            // below one jumbo frame: one chunk
    EXPECT_EQ(c.transport->ChunkCount(16384, 12), 1u);        // 16 KB < 2 jumbo frames
    EXPECT_EQ(c.transport->ChunkCount(32768, 12), 3u);        // 3 jumbo-sized stripes
    EXPECT_EQ(c.transport->ChunkCount(1ULL << 30, 12), 192u); // capped at 16 per lane
    Simulator::Destroy();
}
