/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The chunk level's trains against the same chunks sent one by one through ns-3's devices and
// queues (DeviceChunkTransport): equal delivery times, picosecond for picosecond, on idle paths
// and under contention (random traffic on three topologies); and the event count of a message on
// an idle path, which must not grow with its size.

#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/fabric-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <random>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
struct Message
{
    uint32_t src;
    uint32_t dst;
    uint64_t bytes;
    Time at;
};

struct Delivery
{
    Time end;
    uint32_t units;
    Time alone; ///< the message's time on an idle path (closed form)
};

/// Run \p messages at \p fidelity on \p devices devices of \p ports ports; delivery of each.
std::vector<Delivery>
Deliveries(const std::string& fidelity,
           const std::string& topology,
           uint32_t devices,
           uint32_t ports,
           const std::vector<Message>& messages,
           uint64_t* events = nullptr)
{
    Config::Reset();
    FabricHelper h;
    h.SetFabricAttribute("Topology", StringValue(topology));
    h.SetFabricAttribute("SwitchLatency", TimeValue(MicroSeconds(1)));
    h.SetFabricAttribute("DevicesPerLeaf", UintegerValue(2));
    h.SetLinkAttribute("LaneRate", DoubleValue(100e9));
    h.SetLinkAttribute("LanesPerPort", UintegerValue(1));
    h.SetTransportAttribute("Accuracy", DoubleValue(0.05));
    Cluster c = h.Install(devices, ports, "d", fidelity);
    const auto ids = c.NodeIds();
    std::vector<Delivery> out(messages.size(), Delivery{Time(-1), 0, Time(0)});
    for (size_t i = 0; i < messages.size(); ++i)
    {
        const Message m = messages[i];
        Simulator::Schedule(m.at,
                            [&c, &out, ids, m, i]()
                            {
                                out[i].alone
                                    = c.transport->UncontendedTime(ids[m.src], ids[m.dst], m.bytes);
                                c.transport->Send(ids[m.src],
                                                  ids[m.dst],
                                                  m.bytes,
                                                  TransferKind::Other,
                                                  [&out, i](const TransferRecord& r)
                                                  {
                                                      out[i].end = r.end;
                                                      out[i].units = r.chunks;
                                                  });
                            });
    }
    Simulator::Run();
    if (events)
    {
        *events = Simulator::GetEventCount();
    }
    Simulator::Destroy();
    return out;
}

/// \p n messages between random endpoints, of random sizes (one byte to 40 MB, log-uniform),
/// starting at random times within \p window.
std::vector<Message>
RandomTraffic(uint32_t seed, uint32_t devices, uint32_t n, Time window)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<uint32_t> node(0, devices - 1);
    std::uniform_real_distribution<double> logBytes(0, std::log(40e6));
    std::uniform_int_distribution<int64_t> at(0, window.GetPicoSeconds());
    std::vector<Message> out;
    while (out.size() < n)
    {
        const uint32_t src = node(rng);
        const uint32_t dst = node(rng);
        if (src == dst)
        {
            continue;
        }
        out.push_back({src, dst, uint64_t(std::exp(logBytes(rng))) + 1, PicoSeconds(at(rng))});
    }
    return out;
}

void
ExpectSameDeliveries(const std::vector<Delivery>& trains, const std::vector<Delivery>& devices)
{
    ASSERT_EQ(trains.size(), devices.size());
    for (size_t i = 0; i < trains.size(); ++i)
    {
        EXPECT_GE(trains[i].end, Time(0)) << i;
        EXPECT_EQ(trains[i].end, devices[i].end) << "message " << i;
        EXPECT_EQ(trains[i].units, devices[i].units) << "message " << i;
    }
}
} // namespace

TEST(ChunkTrains, IdlePathEqualsDeviceChunksExactly)
{
    for (const char* topology : {"single-switch", "leaf-spine", "ring", "rail-optimized"})
    {
        for (uint64_t bytes : {1ULL, 9000ULL, 1'000'000ULL, 123'456'789ULL})
        {
            const std::vector<Message> one = {{0, 3, bytes, MicroSeconds(3)}};
            ExpectSameDeliveries(Deliveries("chunk", topology, 4, 4, one),
                                 Deliveries("chunk-devices", topology, 4, 4, one));
        }
    }
}

TEST(ChunkTrains, ContendedTrafficEqualsDeviceChunksExactly)
{
    // Many messages into few devices over few ports: trains meet on shared links all the time.
    for (const char* topology : {"single-switch", "leaf-spine", "ring", "rail-optimized"})
    {
        for (uint32_t seed : {1u, 2u, 3u})
        {
            const auto traffic = RandomTraffic(seed, 4, 60, MicroSeconds(500));
            const auto trains = Deliveries("chunk", topology, 4, 2, traffic);
            ExpectSameDeliveries(trains, Deliveries("chunk-devices", topology, 4, 2, traffic));
            // Most messages queued behind others: the case above is not an idle network.
            int queued = 0;
            for (size_t i = 0; i < traffic.size(); ++i)
            {
                queued += trains[i].end - traffic[i].at > trains[i].alone ? 1 : 0;
            }
            EXPECT_GE(queued, 30) << topology << " seed " << seed;
        }
    }
}

TEST(ChunkTrains, IdlePathEventsDoNotGrowWithSize)
{
    // 2 ports, so two lanes through one switch: one event for the message's delivery, whatever
    // its size (and the event that sends it; nodes start with events of their own).
    uint64_t none = 0;
    uint64_t small = 0;
    uint64_t large = 0;
    Deliveries("chunk", "single-switch", 2, 2, {}, &none);
    Deliveries("chunk", "single-switch", 2, 2, {{0, 1, 100'000, Seconds(0)}}, &small);
    Deliveries("chunk", "single-switch", 2, 2, {{0, 1, 1'000'000'000, Seconds(0)}}, &large);
    EXPECT_EQ(small, large);
    EXPECT_EQ(large - none, 1u + 1u);
}
