/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Simulated faults through wafer-sim. A straggler of k on the only stage of a one-request run
// stretches every batch k times, so the request's times scale by k; the stage's extra busy time
// and the batches slowed agree with /stages; a fault that never takes effect changes nothing.

#include "test-util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

using namespace wafertest;

namespace
{
// One request on one wafer: no network and no queueing, every second is the stage's compute.
const char* kOne = R"({"schema": "wafer-scenario/1", "name": "one", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 1, "requests": 1,
    "input_tokens": {"dist": "fixed", "value": 2000}, "output_tokens": {"dist": "fixed", "value": 50}}}})";

// Two wafers through one switch at flow fidelity: activations and tokens cross the network.
const char* kTwo = R"({"schema": "wafer-scenario/1", "name": "two", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 2, "fidelity": "flow", "seed": 3,
  "workload": {"generator": {"rate_per_s": 40, "requests": 40,
    "input_tokens": {"dist": "fixed", "value": 3000}, "output_tokens": {"dist": "fixed", "value": 40}}}})";

std::string
WithFaults(const std::string& faults, std::string text = kOne)
{
    return text.replace(text.find("\"fidelity\""), 0, "\"faults\": " + faults + ", ");
}

/// \p text at fidelity \p fidelity instead of flow.
std::string
AtFidelity(std::string text, const std::string& fidelity)
{
    const std::string flow = "\"fidelity\": \"flow\"";
    return text.replace(text.find(flow), flow.size(), "\"fidelity\": \"" + fidelity + "\"");
}

} // namespace

TEST(Faults, StragglerStretchesEveryBatchByItsSlowdown)
{
    const std::string dir = TempDir("faults-straggler");
    const std::string base = Simulate(dir, "base", kOne);
    const std::string slow = Simulate(
        dir,
        "slow",
        WithFaults(
            R"([{"kind": "straggler", "stage": 0, "start_s": 0, "duration_s": 1000, "slowdown": 3}])"));
    const double arrival = ReadField(base, "/requests", "arrival_s").at(0);
    ASSERT_EQ(ReadField(slow, "/requests", "arrival_s").at(0), arrival);
    for (const char* field : {"ttft_s", "e2e_s", "tpot_s"})
    {
        EXPECT_NEAR(ReadField(slow, "/requests", field).at(0),
                    3 * ReadField(base, "/requests", field).at(0),
                    1e-9)
            << field;
    }
    // Its effect, against the stage's own totals.
    const double busyBase = ReadField(base, "/stages", "busy_s").at(0);
    EXPECT_NEAR(ReadField(slow, "/stages", "busy_s").at(0), 3 * busyBase, 1e-9);
    EXPECT_NEAR(ReadField(slow, "/faults", "extra_busy_s").at(0), 2 * busyBase, 1e-9);
    EXPECT_EQ(ReadField(slow, "/faults", "batches_slowed").at(0),
              ReadField(base, "/stages", "prefill_batches").at(0)
                  + ReadField(base, "/stages", "decode_steps").at(0));
}

TEST(Faults, StragglerAfterTheRunChangesNothing)
{
    // The fault machinery in place but never in effect: every result is the fault-free one.
    const std::string dir = TempDir("faults-late");
    const std::string base = Simulate(dir, "base", kOne);
    const std::string late = Simulate(
        dir,
        "late",
        WithFaults(
            R"([{"kind": "straggler", "stage": 0, "start_s": 9000, "duration_s": 1, "slowdown": 5}])"));
    for (const char* d : {"/requests", "/stages", "/links", "/transfers"})
    {
        EXPECT_EQ(DatasetBytes(base, d), DatasetBytes(late, d)) << d;
    }
    EXPECT_EQ(ReadField(late, "/faults", "batches_slowed").at(0), 0);
}

TEST(Faults, StragglerOnlySlowsBatchesStartedWhileItLasts)
{
    // A window over the decode only: the prompt's prefill keeps its time, the decode doubles.
    const std::string dir = TempDir("faults-window");
    const std::string base = Simulate(dir, "base", kOne);
    const double firstToken = ReadField(base, "/requests", "first_token_s").at(0);
    const double done = ReadField(base, "/requests", "done_s").at(0);
    char faults[200];
    std::snprintf(faults,
                  sizeof faults,
                  R"([{"kind": "straggler", "stage": 0, "start_s": %.17g, "duration_s": 1000,
                       "slowdown": 2}])",
                  firstToken);
    const std::string slow = Simulate(dir, "slow", WithFaults(faults));
    EXPECT_EQ(ReadField(slow, "/requests", "first_token_s").at(0), firstToken);
    EXPECT_NEAR(
        ReadField(slow, "/requests", "done_s").at(0), firstToken + 2 * (done - firstToken), 1e-9);
}

TEST(Faults, LinkFaultsThatNeverHitChangeNothing)
{
    // A cable fault scheduled after the last request and random failures too rare to happen:
    // the machinery is in place, every result is the fault-free one, at both fidelities that
    // simulate link faults.
    for (const std::string fidelity : {"flow", "chunk"})
    {
        const std::string dir = TempDir("faults-link-late-" + fidelity);
        const std::string two = AtFidelity(kTwo, fidelity);
        const std::string base = Simulate(dir, "base", two);
        const std::string late
            = Simulate(dir,
                       "late",
                       WithFaults(R"([{"kind": "link", "link": "wafer0.p0->switch", "start_s": 9000,
                        "duration_s": 1},
                       {"kind": "link_failures", "cable_mtbf_hours": 1e15}])",
                                  two));
        for (const char* d : {"/requests", "/stages", "/links", "/transfers"})
        {
            EXPECT_EQ(DatasetBytes(base, d), DatasetBytes(late, d)) << fidelity << " " << d;
        }
        EXPECT_EQ(ReadField(late, "/faults", "lanes_rerouted"), std::vector<double>{0});
    }
}

namespace
{
void
ExpectFailuresDelayButLoseNothing(const std::string& dir, const std::string& two)
{
    const std::string base = Simulate(dir, "base", two);
    const std::string faults
        = R"([{"kind": "link_failures", "cable_mtbf_hours": 2e-4, "flap_share": 1, "flap_s": 0.05}])";
    const std::string a = Simulate(dir, "a", WithFaults(faults, two));
    const std::string b = Simulate(dir, "b", WithFaults(faults, two));
    for (const char* d : {"/requests", "/links", "/faults", "/summary"})
    {
        EXPECT_EQ(DatasetBytes(a, d), DatasetBytes(b, d)) << d;
    }
    const auto done = ReadField(a, "/requests", "done_s");
    const auto doneBase = ReadField(base, "/requests", "done_s");
    ASSERT_EQ(done.size(), doneBase.size());
    const auto rerouted = ReadField(a, "/faults", "lanes_rerouted");
    double lanes = 0;
    for (double l : rerouted)
    {
        lanes += l;
    }
    EXPECT_GT(rerouted.size(), 10u);
    EXPECT_GT(lanes, 0);
    double total = 0;
    double totalBase = 0;
    for (size_t i = 0; i < done.size(); ++i)
    {
        total += done[i];
        totalBase += doneBase[i];
    }
    EXPECT_GT(total, totalBase);
    // Every fault row names a cable of the fabric and ends after it starts.
    const auto start = ReadField(a, "/faults", "start_s");
    const auto end = ReadField(a, "/faults", "end_s");
    for (size_t i = 0; i < start.size(); ++i)
    {
        EXPECT_GT(end[i], start[i]);
    }
    // Nothing lost: every request completed.
    for (double r : ReadField(a, "/requests", "failed_s"))
    {
        EXPECT_EQ(r, -1);
    }
}
} // namespace

TEST(Faults, LinkFailuresDelayButLoseNothingAndRepeatBitForBit)
{
    // Failures every few milliseconds over the 24 cables: lanes move to surviving ports, every
    // request still completes, some later than without faults, and the run repeats exactly.
    for (const std::string fidelity : {"flow", "chunk"})
    {
        SCOPED_TRACE(fidelity);
        const std::string dir = TempDir("faults-link-random-" + fidelity);
        const std::string two = AtFidelity(kTwo, fidelity);
        ExpectFailuresDelayButLoseNothing(dir, two);
    }
}

namespace
{
/// The default deployment (4 WSE-3, 32 chat requests arriving over 2 s).
std::string
DefaultScenario()
{
    std::ifstream in(SourcePath("scenarios/default.json"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.replace(text.find("../traces"), 9, SourcePath("traces"));
}
} // namespace

TEST(Faults, DeviceLossRequeuesExactlyTheRequestsOnIt)
{
    // Until the loss both runs are the same, so the requests admitted and not yet done at that
    // moment in the fault-free run are those whose KV the loss takes: exactly they are
    // preempted once, and every request completes.
    const std::string dir = TempDir("faults-device");
    const std::string text = DefaultScenario();
    const std::string base = Simulate(dir, "base", text);
    const double at = 1.0;
    const std::string lost = Simulate(
        dir,
        "lost",
        WithFaults(R"([{"kind": "device", "stage": 1, "start_s": 1.0, "detect_s": 0.5}])", text));
    const auto admitted = ReadField(base, "/requests", "admitted_s");
    const auto done = ReadField(base, "/requests", "done_s");
    const auto firstToken = ReadField(base, "/requests", "first_token_s");
    const auto preemptions = ReadField(lost, "/requests", "preemptions");
    const auto lostFirst = ReadField(lost, "/requests", "first_token_s");
    const auto lostDone = ReadField(lost, "/requests", "done_s");
    ASSERT_EQ(preemptions.size(), admitted.size());
    size_t onIt = 0;
    for (size_t i = 0; i < admitted.size(); ++i)
    {
        const bool running = admitted[i] >= 0 && admitted[i] <= at && done[i] > at;
        onIt += running;
        EXPECT_EQ(preemptions[i], running ? 1 : 0) << "request " << i;
        EXPECT_GT(lostDone[i], 0) << "request " << i;
        if (firstToken[i] < at)
        {
            EXPECT_EQ(lostFirst[i], firstToken[i]) << "a delivered token stays delivered";
        }
    }
    EXPECT_GT(onIt, 0u);
    EXPECT_EQ(ReadField(lost, "/faults", "requests_requeued"), std::vector<double>{double(onIt)});
    // The spare serves after detection plus loading the stage's weights over its 12 x 100 Gb/s.
    const double weights = ReadField(base, "/stages", "weight_bytes").at(1);
    const double recovery = 0.5 + weights / (12 * 100e9 / 8);
    EXPECT_NEAR(ReadField(lost, "/faults", "recovery_s").at(0), recovery, 1e-12);
    // Down from the loss until the spare serves, out of the time from the first arrival on.
    const double first = ReadField(lost, "/requests", "arrival_s").at(0);
    const double end = ReadField(lost, "/summary", "sim_time_s").at(0);
    EXPECT_NEAR(
        ReadField(lost, "/summary", "availability").at(0), 1 - recovery / (end - first), 1e-12);
    EXPECT_EQ(ReadField(lost, "/summary", "failed").at(0), 0);
}

TEST(Faults, DeviceLossWithoutSpareFailsEveryRequestNotDone)
{
    // No spare: the replica is drained. Requests the fault-free run finished before the loss
    // finish as there; those that arrived before it fail as lost with the device, the later
    // ones as arriving at a drained replica. Nothing is lost silently.
    const std::string dir = TempDir("faults-drain");
    const std::string text = DefaultScenario();
    const std::string base = Simulate(dir, "base", text);
    const double at = 1.4; // between two arrivals of the trace, after the first request is done
    const std::string lost = Simulate(
        dir,
        "lost",
        WithFaults(R"([{"kind": "device", "stage": 2, "start_s": 1.4, "spare": false}])", text));
    const auto arrival = ReadField(base, "/requests", "arrival_s");
    const auto done = ReadField(base, "/requests", "done_s");
    const auto outTokens = ReadField(base, "/requests", "output_tokens");
    const auto lostDone = ReadField(lost, "/requests", "done_s");
    const auto failed = ReadField(lost, "/requests", "failed");
    const auto reason = ReadStringField(lost, "/requests", "fail_reason");
    const auto failedAt = ReadField(lost, "/requests", "failed_s");
    ASSERT_EQ(failed.size(), arrival.size());
    size_t finished = 0;
    size_t onIt = 0;
    double tokens = 0;
    for (size_t i = 0; i < arrival.size(); ++i)
    {
        ASSERT_NE(arrival[i], at);
        if (done[i] < at)
        {
            ++finished;
            tokens += outTokens[i];
            EXPECT_EQ(lostDone[i], done[i]) << "request " << i;
            EXPECT_EQ(failed[i], 0) << "request " << i;
            EXPECT_EQ(reason[i], "") << "request " << i;
            EXPECT_EQ(failedAt[i], -1) << "request " << i;
            continue;
        }
        onIt += arrival[i] < at;
        EXPECT_EQ(lostDone[i], -1) << "request " << i;
        EXPECT_EQ(failed[i], 1) << "request " << i;
        EXPECT_EQ(reason[i], arrival[i] < at ? "device_lost" : "replica_drained")
            << "request " << i;
        // Failed at the loss, or on arriving at the drained replica.
        EXPECT_NEAR(failedAt[i], std::max(at, arrival[i]), 1e-12) << "request " << i;
    }
    ASSERT_GT(finished, 0u);
    ASSERT_GT(onIt, 0u);
    ASSERT_LT(finished + onIt, arrival.size()) << "some requests must arrive after the loss";
    EXPECT_EQ(ReadField(lost, "/faults", "requests_failed"), std::vector<double>{double(onIt)});
    EXPECT_EQ(ReadField(lost, "/faults", "recovery_s"), std::vector<double>{-1});
    EXPECT_EQ(ReadField(lost, "/summary", "completed").at(0), finished);
    EXPECT_EQ(ReadField(lost, "/summary", "failed").at(0), arrival.size() - finished);
    // The run ends with the last arrival, turned away at once; the replica was up until the loss.
    const double first = arrival.front();
    const double last = arrival.back();
    EXPECT_EQ(ReadField(lost, "/summary", "sim_time_s").at(0), last);
    EXPECT_NEAR(
        ReadField(lost, "/summary", "availability").at(0), (at - first) / (last - first), 1e-12);
    EXPECT_NEAR(
        ReadField(lost, "/summary", "goodput_tokens_per_s").at(0), tokens / (last - first), 1e-9);
}

TEST(Faults, DeviceLossAfterTheRunChangesNothing)
{
    const std::string dir = TempDir("faults-device-late");
    const std::string base = Simulate(dir, "base", kOne);
    const std::string late
        = Simulate(dir, "late", WithFaults(R"([{"kind": "device", "stage": 0, "start_s": 9000}])"));
    const std::string drain = Simulate(
        dir,
        "drain",
        WithFaults(R"([{"kind": "device", "stage": 0, "start_s": 9000, "spare": false}])"));
    for (const char* d : {"/requests", "/stages", "/links", "/transfers", "/summary"})
    {
        EXPECT_EQ(DatasetBytes(base, d), DatasetBytes(late, d)) << d;
        EXPECT_EQ(DatasetBytes(base, d), DatasetBytes(drain, d)) << d;
    }
    EXPECT_EQ(ReadField(late, "/faults", "requests_requeued"), std::vector<double>{0});
    EXPECT_EQ(ReadField(drain, "/faults", "requests_failed"), std::vector<double>{0});
}

namespace
{
/// The prefill/decode split deployment (4 + 4 WSE-3, the chat trace), at flow fidelity.
std::string
SplitScenario()
{
    std::ifstream in(SourcePath("scenarios/pd-split-70b.json"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("../traces"), 9, SourcePath("traces"));
    return text.replace(text.find("\"chunk\""), 7, "\"flow\"");
}

/// What a device loss at \p at did to the requests of a split run, against the fault-free run
/// \p base: exactly those for which \p onIt holds (given the base run's record) are preempted
/// once, every request completes, and tokens delivered before the loss stay delivered.
/// \return how many were on it
template<typename OnIt>
size_t
ExpectRequeued(const std::string& base, const std::string& lost, double at, OnIt onIt)
{
    const auto admitted = ReadField(base, "/requests", "admitted_s");
    const auto done = ReadField(base, "/requests", "done_s");
    const auto firstToken = ReadField(base, "/requests", "first_token_s");
    const auto kvWait = ReadField(base, "/requests", "kv_wait_s");
    const auto preemptions = ReadField(lost, "/requests", "preemptions");
    const auto lostFirst = ReadField(lost, "/requests", "first_token_s");
    const auto lostDone = ReadField(lost, "/requests", "done_s");
    EXPECT_EQ(preemptions.size(), admitted.size());
    size_t count = 0;
    for (size_t i = 0; i < admitted.size() && i < preemptions.size(); ++i)
    {
        const bool running = admitted[i] >= 0 && admitted[i] <= at && done[i] > at;
        // The KV reached the decode stages at the first token plus the wait for the move.
        const double kvDone = kvWait[i] < 0 ? firstToken[i] : firstToken[i] + kvWait[i];
        const bool on = running && onIt(kvDone);
        count += on;
        EXPECT_EQ(preemptions[i], on ? 1 : 0) << "request " << i;
        EXPECT_GT(lostDone[i], 0) << "request " << i;
        if (firstToken[i] < at)
        {
            EXPECT_EQ(lostFirst[i], firstToken[i]) << "a delivered token stays delivered";
        }
    }
    EXPECT_EQ(ReadField(lost, "/faults", "requests_requeued"), std::vector<double>{double(count)});
    EXPECT_EQ(ReadField(lost, "/summary", "failed").at(0), 0);
    return count;
}
} // namespace

TEST(Faults, PrefillDeviceLossRequeuesTheRequestsWhoseKvWasStillOnThePrefillSide)
{
    // A split: the prefill pool's stage 2 is lost 1 s in. The requests then being prefilled,
    // or whose KV had not all reached the decode stages, lose it and start over; those already
    // decoding keep theirs. The spare loads the prefill stage's weights.
    const std::string dir = TempDir("faults-device-prefill");
    const std::string text = SplitScenario();
    const std::string base = Simulate(dir, "base", text);
    const double at = 1.0;
    const std::string lost = Simulate(dir,
                                      "lost",
                                      WithFaults(R"([{"kind": "device", "pool": "prefill",
                                          "stage": 2, "start_s": 1.0, "detect_s": 0.5}])",
                                                 text));
    size_t decoding = 0;
    const size_t onIt = ExpectRequeued(base,
                                       lost,
                                       at,
                                       [&](double kvDone)
                                       {
                                           decoding += kvDone <= at;
                                           return kvDone > at;
                                       });
    EXPECT_GT(onIt, 0u);
    EXPECT_GT(decoding, 0u) << "some requests must be decoding at the loss";
    // /stages: the 4 decode stages, then the prefill pool's.
    const double weights = ReadField(base, "/stages", "weight_bytes").at(4 + 2);
    EXPECT_NEAR(
        ReadField(lost, "/faults", "recovery_s").at(0), 0.5 + weights / (12 * 100e9 / 8), 1e-12);
    EXPECT_EQ(ReadStringField(lost, "/faults", "target").at(0), "prefill stage 2");
    EXPECT_EQ(ReadField(lost, "/faults", "prefill_pool").at(0), 1);
}

TEST(Faults, DecodeDeviceLossInASplitRequeuesEveryAdmittedRequest)
{
    // The decode side's stage 1 is lost: every admitted request starts over, those still on the
    // prefill side too (their prefills were bound for the lost stage).
    const std::string dir = TempDir("faults-device-decode-split");
    const std::string text = SplitScenario();
    const std::string base = Simulate(dir, "base", text);
    const double at = 1.0;
    const std::string lost = Simulate(
        dir,
        "lost",
        WithFaults(R"([{"kind": "device", "stage": 1, "start_s": 1.0, "detect_s": 0.5}])", text));
    size_t prefilling = 0;
    const size_t onIt = ExpectRequeued(base,
                                       lost,
                                       at,
                                       [&](double kvDone)
                                       {
                                           prefilling += kvDone > at;
                                           return true;
                                       });
    EXPECT_GT(onIt, 0u);
    EXPECT_GT(prefilling, 0u) << "some requests must be on the prefill side at the loss";
}

TEST(Faults, PrefillDeviceLossWithoutSpareDrainsTheReplica)
{
    // No spare for a prefill stage: nothing more can be prefilled, so the replica is drained,
    // as for a decode stage; requests done before the loss stay done.
    const std::string dir = TempDir("faults-drain-prefill");
    const std::string text = SplitScenario();
    const std::string base = Simulate(dir, "base", text);
    const double at = 1.4;
    const std::string lost = Simulate(dir,
                                      "lost",
                                      WithFaults(R"([{"kind": "device", "pool": "prefill",
                                          "stage": 0, "start_s": 1.4, "spare": false}])",
                                                 text));
    const auto done = ReadField(base, "/requests", "done_s");
    const auto lostDone = ReadField(lost, "/requests", "done_s");
    const auto failed = ReadField(lost, "/requests", "failed");
    ASSERT_EQ(failed.size(), done.size());
    size_t finished = 0;
    for (size_t i = 0; i < done.size(); ++i)
    {
        const bool before = done[i] < at;
        finished += before;
        EXPECT_EQ(failed[i], before ? 0 : 1) << "request " << i;
        EXPECT_EQ(lostDone[i], before ? done[i] : -1) << "request " << i;
    }
    EXPECT_GT(finished, 0u);
    EXPECT_LT(finished, done.size());
}

TEST(Faults, ChunkLevelFailuresOnALeafSpineLoseNothing)
{
    // The link-faults split (half of a prefill wafer's cables down for a second while a KV
    // cache crosses them) on a leaf-spine fabric at chunk fidelity, with random flaps every few
    // milliseconds: cables fail and come back while chunks that crossed them before are still
    // on record. Every request completes, and the run repeats bit for bit. (It once divided by
    // the zero rate of a cable coming back up.)
    std::ifstream in(SourcePath("scenarios/link-faults-pd-70b.json"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("../traces"), 9, SourcePath("traces"));
    const auto swap = [&](const std::string& from, const std::string& to)
    {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
        {
            text.replace(at, from.size(), to);
            at += to.size();
        }
    };
    swap("\"topology\": \"single-switch\"",
         "\"topology\": \"leaf-spine\", \"devices_per_leaf\": 2");
    swap("->switch\"", "->leaf2\"");
    swap("\"rate_scale\": 1e8", "\"rate_scale\": 1e9, \"flap_s\": 0.01");
    swap("\"fidelity\": \"flow\"", "\"fidelity\": \"chunk\"");
    const std::string dir = TempDir("faults-chunk-leaf-spine");
    const std::string a = Simulate(dir, "a", text);
    const std::string b = Simulate(dir, "b", text);
    EXPECT_EQ(ReadField(a, "/summary", "completed"), std::vector<double>{32});
    EXPECT_EQ(ReadField(a, "/summary", "failed"), std::vector<double>{0});
    double rerouted = 0;
    for (double l : ReadField(a, "/faults", "lanes_rerouted"))
    {
        rerouted += l;
    }
    EXPECT_GT(rerouted, 0);
    for (const char* d : {"/requests", "/links", "/faults"})
    {
        EXPECT_EQ(DatasetBytes(a, d), DatasetBytes(b, d)) << d;
    }
}
