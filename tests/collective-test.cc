/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Collectives simulated through a scale-up domain's network, against their closed forms.

#include "ns3/collective-model.h"
#include "ns3/config.h"
#include "ns3/link-catalog.h"
#include "ns3/scale-up-domain-helper.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

using namespace ns3;
using namespace ns3::wafer;

namespace
{

const double kB = 450e9; // H100 NVLink 4, bytes/s each way

/// Run one collective alone on a fresh 8-GPU domain; returns its time and the domain's closed
/// form of one uncontended message of \p piece bytes between two GPUs.
struct Single
{
    double seconds{0};
    double messageS{0};
};

Single
RunOne(std::function<void(ScaleUpDomain&, NetworkCollective::DoneCallback)> start,
       uint64_t piece,
       const std::string& fidelity = "flow",
       uint32_t ranks = 8)
{
    ScaleUpDomainHelper helper;
    ScaleUpDomain d = helper.Install(ranks, kB, LinkCatalog::Load().Get("nvlink5"), fidelity);
    Single out;
    const auto ids = d.cluster.NodeIds();
    out.messageS = d.cluster.transport->UncontendedTime(ids[0], ids[1], piece).GetSeconds();
    start(d,
          [&out](Time t)
          {
              out.seconds = t.GetSeconds();
          });
    Simulator::Run();
    d.collective->Dispose();
    Simulator::Destroy();
    return out;
}

using Start = std::function<void(ScaleUpDomain&, NetworkCollective::DoneCallback)>;

Start
Ring(uint64_t s)
{
    return [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
    {
        d.collective->RingAllReduce(s, cb);
    };
}

Start
Tree(uint64_t s)
{
    return [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
    {
        d.collective->TreeAllReduce(s, cb);
    };
}

Start
AllToAll(uint64_t s)
{
    return [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
    {
        d.collective->AllToAll(s, cb);
    };
}

} // namespace

TEST(Collective, TreesAreBinaryTreesWithComplementaryLeaves)
{
    for (uint32_t n : {2u, 3u, 5u, 8u, 13u, 72u})
    {
        std::set<uint32_t> leaves[2];
        for (uint32_t t = 0; t < 2; ++t)
        {
            const auto parent = NetworkCollective::TreeParents(n, t);
            std::vector<uint32_t> kids(n, 0);
            uint32_t roots = 0;
            for (uint32_t r = 0; r < n; ++r)
            {
                roots += parent[r] < 0 ? 1 : 0;
                if (parent[r] >= 0)
                {
                    ++kids[parent[r]];
                }
                // Every rank reaches the root in fewer than n steps: no cycles.
                int32_t up = r;
                uint32_t steps = 0;
                while (up >= 0 && steps <= n)
                {
                    up = parent[up];
                    ++steps;
                }
                EXPECT_LT(steps, n + 1) << "n=" << n << " tree " << t << " rank " << r;
            }
            EXPECT_EQ(roots, 1u);
            for (uint32_t r = 0; r < n; ++r)
            {
                EXPECT_LE(kids[r], 2u);
                if (kids[r] == 0)
                {
                    leaves[t].insert(r);
                }
            }
        }
        if (n == 8)
        {
            EXPECT_EQ(leaves[0], (std::set<uint32_t>{1, 3, 5, 7}));
            EXPECT_EQ(leaves[1], (std::set<uint32_t>{0, 2, 4, 6}));
        }
    }
}

TEST(Collective, DomainPortsAddUpToTheScaleUpBandwidth)
{
    ScaleUpDomainHelper helper;
    ScaleUpDomain d = helper.Install(8, kB, LinkCatalog::Load().Get("nvlink5"), "flow");
    EXPECT_EQ(d.portsPerGpu, 9u); // 450 GB/s of 50 GB/s NVLink 5 ports
    EXPECT_EQ(d.cluster.accelerators.GetN(), 8u);
    EXPECT_EQ(d.cluster.switches.GetN(), 1u);
    Simulator::Destroy();
    ScaleUpDomain odd = helper.Install(4, 420e9, LinkCatalog::Load().Get("nvlink5"), "flow");
    EXPECT_EQ(odd.portsPerGpu, 9u); // rounded up, lanes trimmed to 420 GB/s in total
    const auto ids = odd.cluster.NodeIds();
    const double big = 8.4e9;
    EXPECT_NEAR(odd.cluster.transport->UncontendedTime(ids[0], ids[1], big).GetSeconds(),
                big / 420e9,
                0.01 * big / 420e9);
    Simulator::Destroy();
}

TEST(Collective, RingIsItsStepsOfUncontendedMessages)
{
    // Every ring step moves S / n from each GPU to the next over disjoint switch ports: a step
    // is one uncontended message plus the step overhead, exactly.
    for (uint64_t s : {uint64_t(8192), uint64_t(16) << 20})
    {
        const uint64_t piece = s / 8;
        const Single r = RunOne(
            [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
            {
                d.collective->RingAllReduce(s, cb);
            },
            piece);
        EXPECT_NEAR(r.seconds, 14 * (700e-9 + r.messageS), 28e-12) << s; // ps rounding
    }
}

TEST(Collective, SimulatedCollectivesMeetTheClosedFormsForLargeMessages)
{
    Ptr<CollectiveModel> closed = CreateObject<CollectiveModel>();
    const uint64_t s = uint64_t(64) << 20;
    const Single ring = RunOne(
        [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
        {
            d.collective->RingAllReduce(s, cb);
        },
        s / 8);
    const Single tree = RunOne(
        [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
        {
            d.collective->TreeAllReduce(s, cb);
        },
        s / 8);
    const Single a2a = RunOne(
        [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
        {
            d.collective->AllToAll(s, cb);
        },
        s / 8);
    // Bandwidth terms: ring 2 (n-1)/n S/B, tree 2 S/B, all-to-all (n-1)/n S/B; the simulated
    // ones add frame headers (0.3 %), 0.1 us more latency per step and pipeline fill.
    EXPECT_NEAR(ring.seconds / closed->RingAllReduceS(s, 8, kB), 1.0, 0.02);
    EXPECT_NEAR(a2a.seconds / closed->AllToAllS(s, 8, kB), 1.0, 0.01);
    EXPECT_NEAR(tree.seconds / closed->TreeAllReduceS(s, 8, kB), 1.0, 0.15);
    std::cout << "64 MiB over 8 GPUs: ring " << ring.seconds * 1e6 << " us (closed "
              << closed->RingAllReduceS(s, 8, kB) * 1e6 << "), tree " << tree.seconds * 1e6
              << " us (closed " << closed->TreeAllReduceS(s, 8, kB) * 1e6 << "), all-to-all "
              << a2a.seconds * 1e6 << " us (closed " << closed->AllToAllS(s, 8, kB) * 1e6 << ")\n";
}

TEST(Collective, TreeBeatsRingForSmallMessagesOnLargeDomains)
{
    // 72 GPUs: the ring pays 142 steps, the tree about 2 log2(72) levels.
    const uint64_t s = 64 << 10;
    const Single ring = RunOne(
        [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
        {
            d.collective->RingAllReduce(s, cb);
        },
        s / 72,
        "flow",
        72);
    const Single tree = RunOne(
        [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
        {
            d.collective->TreeAllReduce(s, cb);
        },
        s / 72,
        "flow",
        72);
    EXPECT_LT(tree.seconds, ring.seconds / 4);
}

TEST(Collective, ChunkLevelAgreesWithFlowLevel)
{
    const uint64_t s = 4 << 20;
    auto ring = [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
    {
        d.collective->RingAllReduce(s, cb);
    };
    const double flow = RunOne(ring, s / 8, "flow").seconds;
    const double chunk = RunOne(ring, s / 8, "chunk").seconds;
    EXPECT_NEAR(chunk / flow, 1.0, 0.01);
}

TEST(Collective, MeasuredTableInterpolatesBetweenSimulatedSizes)
{
    ScaleUpDomainHelper helper;
    const LinkPreset nvlink = LinkCatalog::Load().Get("nvlink5");
    Ptr<MeasuredCollectiveModel> m = helper.Measure(8, kB, nvlink, 64e6, "flow");
    EXPECT_EQ(m->Source(), "simulated");
    const auto& samples = m->Samples();
    ASSERT_GE(samples.size(), 2u);
    EXPECT_EQ(samples.front().bytes, 1024.0);
    EXPECT_GE(samples.back().bytes, 64e6);
    // Off-grid sizes against a direct simulation of that size.
    for (uint64_t s : {uint64_t(5000), uint64_t(3'000'000), uint64_t(50'000'000)})
    {
        const Single ring = RunOne(
            [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
            {
                d.collective->RingAllReduce(s, cb);
            },
            s / 8);
        const Single a2a = RunOne(
            [s](ScaleUpDomain& d, NetworkCollective::DoneCallback cb)
            {
                d.collective->AllToAll(s, cb);
            },
            s / 8);
        EXPECT_NEAR(m->RingAllReduceS(s, 8, kB) / ring.seconds, 1.0, 0.02) << s;
        EXPECT_NEAR(m->AllToAllS(s, 8, kB) / a2a.seconds, 1.0, 0.02) << s;
    }
    // "best" is the faster of the two measured algorithms.
    EXPECT_EQ(m->AllReduceS(1e6, 8, kB),
              std::min(m->RingAllReduceS(1e6, 8, kB), m->TreeAllReduceS(1e6, 8, kB)));
}

TEST(Collective, StartAndDoneTracedThroughTheDomainsNode)
{
    // Reached by Config path from the domain's first GPU node; three collectives in a row, each
    // started at its call and done after the duration its caller is told.
    struct Sink
    {
        std::vector<std::string> started;
        std::vector<std::pair<std::string, double>> done;
        std::vector<uint64_t> bytes;

        void Started(const std::string& kind, uint64_t b)
        {
            started.push_back(kind);
            bytes.push_back(b);
        }

        void Done(const std::string& kind, uint64_t, Time duration)
        {
            done.emplace_back(kind, duration.GetSeconds());
        }
    } sink;

    ScaleUpDomainHelper helper;
    ScaleUpDomain d = helper.Install(8, kB, LinkCatalog::Load().Get("nvlink5"), "flow");
    Config::ConnectWithoutContext("/NodeList/*/$ns3::wafer::NetworkCollective/CollectiveStarted",
                                  MakeCallback(&Sink::Started, &sink));
    Config::ConnectWithoutContext("/NodeList/*/$ns3::wafer::NetworkCollective/CollectiveDone",
                                  MakeCallback(&Sink::Done, &sink));
    std::vector<double> told;
    auto record = [&told](Time t)
    {
        told.push_back(t.GetSeconds());
    };
    d.collective->RingAllReduce(1 << 20,
                                [&](Time t)
                                {
                                    record(t);
                                    d.collective->TreeAllReduce(1 << 20,
                                                                [&](Time t2)
                                                                {
                                                                    record(t2);
                                                                    d.collective->AllToAll(4096,
                                                                                           record);
                                                                });
                                });
    Simulator::Run();
    EXPECT_EQ(sink.started,
              (std::vector<std::string>{"ring_all_reduce", "tree_all_reduce", "all_to_all"}));
    EXPECT_EQ(sink.bytes, (std::vector<uint64_t>{1 << 20, 1 << 20, 4096}));
    ASSERT_EQ(sink.done.size(), 3u);
    ASSERT_EQ(told.size(), 3u);
    for (size_t k = 0; k < 3; ++k)
    {
        EXPECT_EQ(sink.done[k].first, sink.started[k]);
        EXPECT_EQ(sink.done[k].second, told[k]);
        EXPECT_GT(told[k], 0);
    }
    d.collective->Dispose();
    Simulator::Destroy();
}
