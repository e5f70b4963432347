/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Serving replicas behind a router, through wafer-sim. Replicas on a non-blocking switch do not
// meet on any link, so each serves its requests exactly as it would alone (a one-replica run of
// just those requests is the second model); a burst is spread by least outstanding tokens; a
// conversation stays on one replica under session affinity and not under round-robin.

#include "test-util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

using namespace wafertest;

namespace
{
// Two wafers of Llama 3.1 8B a replica, one switch, flow fidelity.
std::string
Cluster(const std::string& replicas, const std::string& workload)
{
    return R"({"schema": "wafer-scenario/1", "name": "replicas", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 2, "fidelity": "flow", "seed": 5, )"
           + (replicas.empty() ? std::string() : "\"replicas\": " + replicas + ", ")
           + "\"workload\": " + workload + "}";
}

const char* kPoisson = R"({"generator": {"rate_per_s": 30, "requests": 60,
    "input_tokens": {"dist": "uniform", "min": 500, "max": 6000},
    "output_tokens": {"dist": "uniform", "min": 20, "max": 200}}})";

} // namespace

TEST(Replicas, EachReplicaServesItsRequestsAsItWouldAlone)
{
    const std::string dir = TempDir("replicas-alone");
    const std::string both = Simulate(
        dir, "both", Cluster(R"({"count": 2, "router": "RoundRobinRouting"})", kPoisson));
    const auto replica = ReadField(both, "/requests", "replica");
    const auto arrival = ReadField(both, "/requests", "arrival_s");
    const auto input = ReadField(both, "/requests", "input_tokens");
    const auto output = ReadField(both, "/requests", "output_tokens");
    const auto ttft = ReadField(both, "/requests", "ttft_s");
    const auto done = ReadField(both, "/requests", "done_s");
    ASSERT_EQ(replica.size(), 60u);
    for (uint32_t k = 0; k < 2; ++k)
    {
        // The requests the router sent to replica k, replayed on one replica alone.
        std::ostringstream trace;
        trace.precision(17);
        trace << "arrival_s,input_tokens,output_tokens\n";
        std::vector<size_t> mine;
        for (size_t i = 0; i < replica.size(); ++i)
        {
            if (replica[i] == k)
            {
                mine.push_back(i);
                trace << arrival[i] << "," << input[i] << "," << output[i] << "\n";
            }
        }
        EXPECT_EQ(mine.size(), 30u); // round-robin
        WriteFile(dir + "/alone" + std::to_string(k) + ".csv", trace.str());
        const std::string alone
            = Simulate(dir,
                       "alone" + std::to_string(k),
                       Cluster("", R"({"trace": "alone)" + std::to_string(k) + R"(.csv"})"));
        const auto ttftAlone = ReadField(alone, "/requests", "ttft_s");
        const auto doneAlone = ReadField(alone, "/requests", "done_s");
        ASSERT_EQ(ttftAlone.size(), mine.size());
        for (size_t j = 0; j < mine.size(); ++j)
        {
            EXPECT_NEAR(ttft[mine[j]], ttftAlone[j], 1e-9) << "replica " << k << " request " << j;
            EXPECT_NEAR(done[mine[j]], doneAlone[j], 1e-9) << "replica " << k << " request " << j;
        }
    }
    // Cluster totals: both replicas' devices, and each replica's stages.
    EXPECT_EQ(ReadField(both, "/summary", "replicas").at(0), 2);
    EXPECT_EQ(ReadField(both, "/summary", "accelerators").at(0), 4);
    EXPECT_EQ(ReadField(both, "/stages", "replica"), (std::vector<double>{0, 0, 1, 1}));
    EXPECT_EQ(ReadField(both, "/stages", "stage"), (std::vector<double>{0, 1, 0, 1}));
}

TEST(Replicas, LeastOutstandingTokensSpreadsABurstEvenly)
{
    // 40 identical requests at once on 4 replicas: nothing finishes while they arrive, so each
    // replica takes every fourth and saw 0, 1, ..., 9 of its own before each.
    const std::string dir = TempDir("replicas-burst");
    const std::string out
        = Simulate(dir,
                   "burst",
                   Cluster(R"({"count": 4, "router": "LeastOutstandingTokensRouting"})",
                           R"({"generator": {"arrival": "burst", "requests": 40,
    "input_tokens": {"dist": "fixed", "value": 1000},
    "output_tokens": {"dist": "fixed", "value": 10}}})"));
    const auto replica = ReadField(out, "/requests", "replica");
    const auto queue = ReadField(out, "/requests", "router_queue");
    std::map<int, std::multiset<int>> seen;
    for (size_t i = 0; i < replica.size(); ++i)
    {
        seen[int(replica[i])].insert(int(queue[i]));
    }
    ASSERT_EQ(seen.size(), 4u);
    for (const auto& [k, queues] : seen)
    {
        EXPECT_EQ(queues, (std::multiset<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) << "replica " << k;
    }
}

TEST(Replicas, SessionAffinityKeepsAConversationOnOneReplica)
{
    // 6 conversations of 4 turns on 4 replicas, their first turns together (so that they
    // spread), a turn every 2 s: affinity keeps each conversation's turns together; round-robin,
    // taking requests in turn, splits every one.
    const std::string dir = TempDir("replicas-sessions");
    std::ostringstream csv;
    csv << "arrival_s,input_tokens,output_tokens,session\n";
    for (int turn = 0; turn < 4; ++turn)
    {
        for (int session = 1; session <= 6; ++session)
        {
            csv << turn * 2.0 + session * 0.001 << "," << 6000 + turn * 1700 << ",200," << session
                << "\n";
        }
    }
    WriteFile(dir + "/sessions.csv", csv.str());
    const std::string trace = "\"sessions.csv\"";
    auto split = [&](const std::string& router)
    {
        const std::string out = Simulate(
            dir,
            router,
            Cluster(R"({"count": 4, "router": ")" + router + "\"}", "{\"trace\": " + trace + "}"));
        const auto session = ReadField(out, "/requests", "session");
        const auto replica = ReadField(out, "/requests", "replica");
        EXPECT_EQ(session.size(), 24u);
        std::map<int, std::set<int>> where;
        for (size_t i = 0; i < session.size(); ++i)
        {
            where[int(session[i])].insert(int(replica[i]));
        }
        size_t split = 0;
        std::set<int> used;
        for (const auto& [s, replicas] : where)
        {
            split += replicas.size() > 1 ? 1 : 0;
            used.insert(replicas.begin(), replicas.end());
        }
        EXPECT_EQ(used.size(), 4u) << router; // every replica serves some
        return split;
    };
    EXPECT_EQ(split("SessionAffinityRouting"), 0u);
    EXPECT_EQ(split("RoundRobinRouting"), 6u);
}

TEST(Replicas, BadReplicaFieldsAreInputErrors)
{
    const std::string dir = TempDir("replicas-bad");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {Cluster(R"({"count": 0})", kPoisson), "scenario.replicas.count"},
        {Cluster(R"({"count": 2, "router": "Nearest"})", kPoisson),
         "scenario.replicas.router: 'Nearest' is not a ns3::wafer::RoutingPolicy"},
        {Cluster(R"({"count": 2, "spread": 1})", kPoisson), "scenario.replicas"},
        {Cluster(R"({"count": 2})", kPoisson)
             .replace(0, 1, R"({"faults": [{"kind": "device", "replica": 2, "stage": 0}], )"),
         "scenario.faults[0].replica: 2 is past the last replica (2 replicas)"},
    };
    for (size_t i = 0; i < cases.size(); ++i)
    {
        const std::string path = dir + "/bad" + std::to_string(i) + ".json";
        WriteFile(path, cases[i].first);
        const RunOutput r
            = RunProgram("wafer-sim", "--quiet --scenario=" + path + " --out=" + dir + "/x.h5");
        EXPECT_EQ(r.exitCode, 2) << cases[i].second;
        EXPECT_NE(r.err.find(cases[i].second), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(Exists(dir + "/x.h5"));
    }
}

TEST(Replicas, KvLoadAwareRoutingSendsRequestsWhereTheMostKvIsFree)
{
    // One WSE-3 of Llama 3.1 8B a replica (about 28 GB of KV space, 128 KiB a token): a prompt
    // of 100,000 tokens fills about half of replica 0; the next five small ones and another
    // long one go to replica 1, whose KV is freer; then replica 1 holds 105,000 tokens' worth,
    // more than replica 0, and the last goes back to replica 0. Every request arrives before
    // any finishes, and each is admitted at once.
    const std::string dir = TempDir("replicas-kv");
    std::ostringstream csv;
    csv << "arrival_s,input_tokens,output_tokens\n";
    const int input[] = {100000, 1000, 1000, 1000, 1000, 1000, 100000, 1000};
    for (int i = 0; i < 8; ++i)
    {
        csv << i * 1e-6 << "," << input[i] << ",10\n";
    }
    WriteFile(dir + "/kv.csv", csv.str());
    std::string text
        = Cluster(R"({"count": 2, "router": "KvLoadAwareRouting"})", R"({"trace": "kv.csv"})");
    text.replace(text.find("\"wafers\": 2"), 11, "\"wafers\": 1");
    const std::string out = Simulate(dir, "kv", text);
    EXPECT_EQ(ReadField(out, "/requests", "replica"),
              (std::vector<double>{0, 1, 1, 1, 1, 1, 1, 0}));
}

namespace
{
/// A two-replica round-robin run with \p faults, and the same run without.
std::pair<std::string, std::string>
WithAndWithoutFaults(const std::string& dir, const std::string& faults)
{
    const std::string base = Cluster(R"({"count": 2, "router": "RoundRobinRouting"})", kPoisson);
    std::string faulty = base;
    faulty.replace(0, 1, "{\"faults\": " + faults + ", ");
    return {Simulate(dir, "faulty", faulty), Simulate(dir, "base", base)};
}
} // namespace

TEST(Replicas, FaultsStayInTheirReplica)
{
    // A straggler on replica 1 (3x for the whole run) and the loss of replica 1's second wafer
    // at 0.5 s: replica 0's requests are served exactly as without faults, replica 1's later,
    // and only replica 1's are re-queued.
    const std::string dir = TempDir("replicas-faults");
    const auto [faulty, base] = WithAndWithoutFaults(
        dir,
        R"([{"kind": "straggler", "replica": 1, "stage": 0, "duration_s": 1000, "slowdown": 3},
            {"kind": "device", "replica": 1, "stage": 1, "start_s": 0.5, "detect_s": 0.1}])");
    const auto replica = ReadField(faulty, "/requests", "replica");
    const auto done = ReadField(faulty, "/requests", "done_s");
    const auto doneBase = ReadField(base, "/requests", "done_s");
    const auto preempted = ReadField(faulty, "/requests", "preemptions");
    ASSERT_EQ(replica, ReadField(base, "/requests", "replica"));
    double later = 0;
    uint32_t requeued = 0;
    for (size_t i = 0; i < replica.size(); ++i)
    {
        if (replica[i] == 0)
        {
            EXPECT_EQ(done[i], doneBase[i]) << "request " << i;
            EXPECT_EQ(preempted[i], 0) << "request " << i;
        }
        else
        {
            EXPECT_GE(done[i], doneBase[i]) << "request " << i;
            later += done[i] - doneBase[i];
            requeued += preempted[i] > 0 ? 1 : 0;
        }
    }
    EXPECT_GT(later, 0);
    EXPECT_GT(requeued, 0u);
    EXPECT_EQ(ReadStringField(faulty, "/faults", "target"),
              (std::vector<std::string>{"replica 1 decode stage 0", "replica 1 decode stage 1"}));
    EXPECT_EQ(ReadField(faulty, "/faults", "requests_requeued").at(1), requeued);
}
