/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The serving engine on fake stages and a fake transport (fake-serving.h): admission order, KV
// accounting under preemption, microbatch formation, chunked prefill and rejections, each against
// times and sizes worked out by hand from the fakes' fixed figures.

#include "fake-serving.h"

#include "ns3/config.h"
#include "ns3/nstime.h"
#include "ns3/shortest-prompt-first-admission.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace ns3;
using namespace ns3::wafer;
using namespace wafertest;

namespace
{
/// Prefill 100 us + 1 us per token; decode 200 us + 10 us per sequence.
const FakeTimes kTimes{100e-6, 1e-6, 200e-6, 10e-6};
/// Every message takes 20 us.
constexpr double kLinkS = 20e-6;
/// Times are picoseconds in the simulator: allow for rounding over thousands of events.
constexpr double kTol = 1e-8;
/// KV bytes per token and layer of SmallDenseModel: K and V, each kv heads x head size in BF16.
constexpr double kKvPerLayerToken = 2.0 * kSmallKvHeads * kSmallHeadDim * 2;

/// One cycle of a microbatch of \p sequences on \p stages stages: the token message back to the
/// first stage, then a decode step on every stage with an activation message between each two.
double
Cycle(uint32_t stages, uint32_t sequences)
{
    return stages * (kTimes.Decode(sequences) + kLinkS);
}

/// Arrival to first token of a prompt of \p tokens on an idle pipeline of \p stages stages.
double
IdleTtft(uint32_t stages, uint32_t tokens)
{
    return stages * kTimes.Prefill(tokens) + (stages - 1) * kLinkS;
}

/// Stages of 2 of 4 layers each with room for \p tokens tokens of KV each.
std::vector<StageAssignment>
TwoEvenStages(double tokens)
{
    return {FakeStage(0, 2, tokens * 2 * kKvPerLayerToken),
            FakeStage(2, 2, tokens * 2 * kKvPerLayerToken)};
}

/// Decode-step records of the StageWork trace at stage \p stage.
std::vector<StageWorkRecord>
DecodeSteps(const std::vector<StageWorkRecord>& work, uint32_t stage)
{
    std::vector<StageWorkRecord> out;
    std::copy_if(work.begin(),
                 work.end(),
                 std::back_inserter(out),
                 [stage](const StageWorkRecord& w)
                 {
                     return !w.prefill && w.stage == stage;
                 });
    return out;
}

class ServingEngine : public ::testing::Test
{
  protected:
    // Tests run in one process: no attribute default may leak in or out.
    void SetUp() override
    {
        Config::Reset();
    }

    void TearDown() override
    {
        Config::Reset();
    }
};
} // namespace

TEST_F(ServingEngine, LoneRequestCrossesThePipelineInClosedFormTime)
{
    // Two stages holding 1 and 3 of the 4 layers. The prompt crosses both with one activation
    // message between them; each of the 7 tokens after the first takes one cycle.
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(kTimes, {FakeStage(0, 1, 1e6), FakeStage(1, 3, 3e6)});
    const double arrival = 1e-3;
    const LlmRequest r = s.Run({Request(0, arrival, 300, 8)}).at(0);
    EXPECT_NEAR(r.admittedS, arrival, kTol);
    EXPECT_NEAR(r.firstTokenS, arrival + IdleTtft(2, 300), kTol);
    EXPECT_NEAR(r.doneS, r.firstTokenS + 7 * Cycle(2, 1), kTol);
    EXPECT_NEAR(r.TpotS(), Cycle(2, 1), kTol);

    // Each stage reserves the whole sequence (prompt + output) for the layers it holds.
    const auto stages = s.engine->Stages();
    ASSERT_EQ(stages.size(), 2u);
    EXPECT_EQ(stages[0].peakKvBytes, 308 * 1 * kKvPerLayerToken);
    EXPECT_EQ(stages[1].peakKvBytes, 308 * 3 * kKvPerLayerToken);
    EXPECT_EQ(stages[1].kvCapacityBytes, 3e6);
    for (const auto& st : stages)
    {
        EXPECT_EQ(st.prefillTokens, 300);
        EXPECT_EQ(st.decodeSteps, 7u);
        EXPECT_EQ(st.decodeTokens, 7);
    }
    // Activations are hidden size x 2 bytes per token: the prompt's once, then one per step; one
    // 4-byte token id per cycle goes back.
    uint64_t activation = 0;
    uint64_t token = 0;
    for (const auto& m : s.transport->Delivered())
    {
        (m.kind == TransferKind::Activation ? activation : token) += m.bytes;
        EXPECT_TRUE(m.kind == TransferKind::Activation || m.kind == TransferKind::Token);
    }
    const uint64_t hiddenBytes = kSmallHeads * kSmallHeadDim * 2;
    EXPECT_EQ(activation, (300 + 7) * hiddenBytes);
    EXPECT_EQ(token, 7u * 4);
}

TEST_F(ServingEngine, FcfsHeadOfLineBlocksOnKv)
{
    // Room for 1,000 tokens per stage. A (600 tokens) runs; B (500) does not fit beside it and
    // waits; C (100) would fit beside A but arrived after B, so FCFS holds it behind B.
    static_assert(600 + 500 > 1000 && 600 + 100 <= 1000, "B must not fit beside A, C must");
    auto serve = [](const std::vector<LlmRequest>& in)
    {
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, TwoEvenStages(1000));
        return s.Run(in);
    };
    const auto r
        = serve({Request(0, 0, 100, 500), Request(1, 1e-3, 400, 100), Request(2, 2e-3, 50, 50)});
    // A alone: its prefill, then 499 cycles of one sequence.
    const double aDone = IdleTtft(2, 100) + 499 * Cycle(2, 1);
    EXPECT_NEAR(r[0].doneS, aDone, kTol);
    EXPECT_NEAR(r[1].admittedS, aDone, kTol);
    EXPECT_NEAR(r[2].admittedS, aDone, kTol);
    // Both admitted at once: B's prompt goes first through each stage, C's follows it.
    EXPECT_NEAR(r[1].firstTokenS, aDone + IdleTtft(2, 400), kTol);
    EXPECT_NEAR(r[2].firstTokenS,
                aDone + kTimes.Prefill(400) + kLinkS + kTimes.Prefill(400) + kTimes.Prefill(50),
                kTol);
    for (const auto& q : r)
    {
        EXPECT_GE(q.doneS, 0) << q.id;
    }
    // Without B, C is admitted on arrival: it was B, not the KV space, that held it.
    EXPECT_NEAR(
        serve({Request(0, 0, 100, 500), Request(2, 2e-3, 50, 50)}).at(1).admittedS, 2e-3, kTol);
}

TEST_F(ServingEngine, MaxSequencesAdmitsOnlyThatMany)
{
    // Ample KV. One sequence at a time: each request is admitted when the one before finishes,
    // so request k (all arrive at 0) is admitted at k x the time one request takes alone.
    const double alone = IdleTtft(2, 100) + 3 * Cycle(2, 1);
    {
        Config::SetDefault("ns3::wafer::AdmissionPolicy::MaxSequences", UintegerValue(1));
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, TwoEvenStages(1e5));
        const auto r = s.Run({Request(0, 0, 100, 4), Request(1, 0, 100, 4), Request(2, 0, 100, 4)});
        for (uint32_t k = 0; k < 3; ++k)
        {
            EXPECT_NEAR(r[k].admittedS, k * alone, kTol) << k;
            EXPECT_NEAR(r[k].doneS, (k + 1) * alone, kTol) << k;
        }
    }
    {
        // Two at a time: the third takes the first slot freed.
        Config::SetDefault("ns3::wafer::AdmissionPolicy::MaxSequences", UintegerValue(2));
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, TwoEvenStages(1e5));
        const auto r = s.Run({Request(0, 0, 100, 4), Request(1, 0, 100, 4), Request(2, 0, 100, 4)});
        EXPECT_EQ(r[0].admittedS, 0);
        EXPECT_EQ(r[1].admittedS, 0);
        EXPECT_NEAR(r[2].admittedS, std::min(r[0].doneS, r[1].doneS), kTol);
        EXPECT_LT(r[2].admittedS, 2 * alone); // they did overlap
    }
}

TEST_F(ServingEngine, PreemptionKeepsKvWithinCapacityAndReturnsItAll)
{
    // Room for 1,000 tokens per stage, one microbatch, a KV store. A (210 tokens), B (410) and
    // C (310) decode together; H (110) arrives at 5 ms and does not fit (930 + 110 > 1,000).
    const double capacity = 1000 * 2 * kKvPerLayerToken;
    const std::vector<LlmRequest> requests = {Request(0, 0, 10, 200),
                                              Request(1, 0, 10, 400),
                                              Request(2, 0, 10, 300),
                                              Request(3, 5e-3, 100, 10)};
    const double preemptAfter = 1e-3;
    auto serve = [&](bool preempt, std::vector<LlmRequest>* probes)
    {
        Config::SetDefault("ns3::wafer::DecodeBatcher::Microbatches", UintegerValue(1));
        Config::SetDefault("ns3::wafer::PreemptionPolicy::PreemptAfter",
                           TimeValue(Seconds(preempt ? preemptAfter : 0)));
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, TwoEvenStages(1000));
        s.engine->ConfigureKvStore(2, 1e12);
        std::vector<LlmRequest> r = s.Run(requests);
        if (preempt)
        {
            // KvOffloaded and KvFetched: B's KV goes to the store once H has waited, and comes
            // back in one message time; nothing else moves.
            EXPECT_EQ(s.offloaded.size(), 1u);
            EXPECT_EQ(s.fetched.size(), 1u);
            for (const auto* moves : {&s.offloaded, &s.fetched})
            {
                for (const auto& m : *moves)
                {
                    EXPECT_EQ(m.request, 1u);
                    EXPECT_NEAR(m.lastS - m.firstS, kLinkS, kTol);
                    EXPECT_NEAR(m.atS, m.lastS, kTol);
                    EXPECT_GT(m.bytes, 0u);
                }
            }
            if (!s.offloaded.empty() && !s.fetched.empty())
            {
                EXPECT_GE(s.offloaded[0].firstS, requests[3].arrivalS + preemptAfter - kTol);
                EXPECT_GE(s.fetched[0].firstS, s.offloaded[0].lastS);
                EXPECT_EQ(s.fetched[0].bytes, s.offloaded[0].bytes);
            }
        }
        else
        {
            EXPECT_TRUE(s.offloaded.empty() && s.fetched.empty());
        }
        for (const auto& st : s.engine->Stages())
        {
            // The most ever held is A + B + C: H and B never both hold KV beside A and C.
            EXPECT_EQ(st.peakKvBytes, 930 * 2 * kKvPerLayerToken);
            EXPECT_LE(st.peakKvBytes, st.kvCapacityBytes);
            EXPECT_EQ(st.kvCapacityBytes, capacity);
        }
        if (probes)
        {
            // Every reservation must be back: a request needing all the room is admitted on
            // arrival, and one of 2 tokens arriving with it waits until it has finished. Both
            // end at their first token: no decode step, so no preemption either.
            const double at = Simulator::Now().GetSeconds() + 1e-3;
            const auto& p = s.Run({Request(10, at, 999, 1), Request(11, at, 1, 1)});
            probes->assign(p.end() - 2, p.end());
        }
        return r;
    };

    std::vector<LlmRequest> probes;
    const auto on = serve(true, &probes);
    // The victim is the member with the most tokens left: B.
    EXPECT_EQ(on[0].preemptions, 0u);
    EXPECT_EQ(on[1].preemptions, 1u);
    EXPECT_EQ(on[2].preemptions, 0u);
    EXPECT_EQ(on[3].preemptions, 0u);
    EXPECT_EQ(on[1].offloads, 1u);
    // Its KV comes back from the store to both stages at once: one message time.
    EXPECT_NEAR(on[1].reloadS, kLinkS, kTol);
    // H gets in at the first step after it has waited PreemptAfter (within one cycle of three
    // sequences), once B's KV has left (one message time), long before anything finishes.
    const double due = requests[3].arrivalS + preemptAfter;
    EXPECT_GE(on[3].admittedS, due + kLinkS - kTol);
    EXPECT_LE(on[3].admittedS, due + Cycle(2, 3) + kLinkS + kTol);
    for (const auto& q : on)
    {
        EXPECT_GE(q.doneS, 0) << q.id;
    }
    EXPECT_LT(on[3].admittedS, std::min({on[0].doneS, on[1].doneS, on[2].doneS}));
    ASSERT_EQ(probes.size(), 2u);
    EXPECT_NEAR(probes[0].admittedS, probes[0].arrivalS, kTol);
    EXPECT_NEAR(probes[1].admittedS, probes[0].doneS, kTol);

    // Without preemption H waits for the first to finish: A, the fewest tokens.
    const auto off = serve(false, nullptr);
    for (const auto& q : off)
    {
        EXPECT_EQ(q.preemptions, 0u) << q.id;
        EXPECT_GE(q.doneS, 0) << q.id;
    }
    EXPECT_NEAR(off[3].admittedS, off[0].doneS, kTol);
    EXPECT_LT(off[0].doneS, std::min(off[1].doneS, off[2].doneS));
}

TEST_F(ServingEngine, PreemptedSequenceComesBackWhenTheHeadEndsAtItsFirstToken)
{
    // A fills the KV space and decodes alone; B (one token out) waits, so after PreemptAfter A
    // gives way and B gets in. B finishes at its first token and frees the room: A's KV must come
    // back and A finish, although no microbatch is cycling any more.
    Config::SetDefault("ns3::wafer::PreemptionPolicy::PreemptAfter", TimeValue(MilliSeconds(1)));
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(kTimes, TwoEvenStages(1000));
    s.engine->ConfigureKvStore(2, 1e12);
    const auto r = s.Run({Request(0, 0, 900, 100), Request(1, 1e-3, 1, 1)});
    EXPECT_EQ(r[0].preemptions, 1u);
    EXPECT_GE(r[1].doneS, 0);
    EXPECT_GE(r[0].doneS, 0);
}

TEST_F(ServingEngine, SequenceJoinsTheSmallestMicrobatch)
{
    // One stage, two microbatches, four prompts of 100 tokens at 0 (prefill p each) and 20
    // tokens out. The stage serves its queue in order: the four prefills, then the microbatches'
    // steps in turn. Joining the smallest: 0 and 1 one each, then 2 and 3 one each (which of
    // two equal microbatches takes which is only a label), so after one step of one sequence
    // each, both step with two sequences (q2).
    Config::SetDefault("ns3::wafer::DecodeBatcher::Microbatches", UintegerValue(2));
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(kTimes, {FakeStage(0, 4, 1e6)});
    std::vector<LlmRequest> in;
    for (uint32_t i = 0; i < 4; ++i)
    {
        in.push_back(Request(i, 0, 100, 20));
    }
    const auto r = s.Run(in);
    const double p = kTimes.Prefill(100);
    const double q1 = kTimes.Decode(1);
    const double q2 = kTimes.Decode(2);
    // mb0's step k >= 2 ends at 4p + 2 q1 + (2k - 3) q2, mb1's at 4p + 2 q1 + (2k - 2) q2;
    // 0 and 1 need 19 steps, 2 and 3 one more, alone.
    EXPECT_NEAR(r[0].doneS, 4 * p + 2 * q1 + 35 * q2, kTol);
    EXPECT_NEAR(r[1].doneS, 4 * p + 2 * q1 + 36 * q2, kTol);
    EXPECT_NEAR(r[2].doneS, 4 * p + 3 * q1 + 36 * q2, kTol);
    EXPECT_NEAR(r[3].doneS, 4 * p + 4 * q1 + 36 * q2, kTol);
    uint32_t largest = 0;
    for (const auto& w : DecodeSteps(s.work, 0))
    {
        largest = std::max(largest, w.sequences);
    }
    EXPECT_EQ(largest, 2u);
    EXPECT_EQ(s.engine->Stages()[0].decodeTokens, 4 * 19);
}

TEST_F(ServingEngine, FullMicrobatchesMakeASequenceWait)
{
    // One stage, two microbatches of at most one sequence, three requests at 0: the third's
    // prefill completes (at 3p) but it decodes only once the first has finished, alone after the
    // second has too.
    Config::SetDefault("ns3::wafer::DecodeBatcher::Microbatches", UintegerValue(2));
    Config::SetDefault("ns3::wafer::DecodeBatcher::MaxBatch", UintegerValue(1));
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(kTimes, {FakeStage(0, 4, 1e6)});
    const auto r = s.Run({Request(0, 0, 100, 20), Request(1, 0, 100, 20), Request(2, 0, 100, 20)});
    const double p = kTimes.Prefill(100);
    const double q = kTimes.Decode(1);
    EXPECT_NEAR(r[2].firstTokenS, 3 * p, kTol);
    // Steps alternate from 3p: mb0's k-th ends at 3p + (2k - 1) q, mb1's at 3p + 2k q.
    EXPECT_NEAR(r[0].doneS, 3 * p + 37 * q, kTol);
    EXPECT_NEAR(r[1].doneS, 3 * p + 38 * q, kTol);
    // The third starts behind mb1's last step, then takes its 19 steps alone.
    EXPECT_NEAR(r[2].doneS, 3 * p + 38 * q + 19 * q, kTol);
    for (const auto& w : DecodeSteps(s.work, 0))
    {
        EXPECT_EQ(w.sequences, 1u);
    }
}

TEST_F(ServingEngine, ChunkedPrefillInterleavesDecodeSteps)
{
    // One stage. A (100 tokens in, 40 out) decodes one step after another from p0; B (2,000
    // tokens, 1 out) arrives during A's third step and queues behind it, starting at
    // T0 = p0 + 3 q. Whole: B holds the stage for p(2,000) and A's next token waits for it.
    // Chunks of 500: B's 4 chunks and A's steps take turns, each chunk paying the base time.
    const double p0 = kTimes.Prefill(100);
    const double q = kTimes.Decode(1);
    const double arrivalB = p0 + 2.5 * q;
    const double t0 = p0 + 3 * q;
    const std::vector<LlmRequest> in = {Request(0, 0, 100, 40), Request(1, arrivalB, 2000, 1)};
    struct Outcome
    {
        std::vector<LlmRequest> r;
        double longestGap{0};             ///< between consecutive decode steps' ends
        std::vector<bool> prefillAfterT0; ///< kinds of the batches started from T0 on
    };
    auto serve = [&](uint32_t chunk)
    {
        Config::SetDefault("ns3::wafer::StagePipeline::PrefillChunkTokens", UintegerValue(chunk));
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, {FakeStage(0, 4, 1e7)});
        Outcome o;
        o.r = s.Run(in);
        const auto steps = DecodeSteps(s.work, 0);
        for (size_t i = 1; i < steps.size(); ++i)
        {
            o.longestGap = std::max(o.longestGap, (steps[i].end - steps[i - 1].end).GetSeconds());
        }
        for (const auto& w : s.work)
        {
            if (w.start.GetSeconds() > t0 - kTol)
            {
                o.prefillAfterT0.push_back(w.prefill);
            }
        }
        return o;
    };
    const Outcome whole = serve(0);
    const Outcome chunked = serve(500);

    EXPECT_NEAR(whole.r[1].TtftS(), t0 + kTimes.Prefill(2000) - arrivalB, kTol);
    EXPECT_NEAR(chunked.r[1].TtftS(), t0 + 4 * kTimes.Prefill(500) + 3 * q - arrivalB, kTol);
    EXPECT_NEAR(whole.r[0].TpotS(), (39 * q + kTimes.Prefill(2000)) / 39, kTol);
    EXPECT_NEAR(chunked.r[0].TpotS(), (39 * q + 4 * kTimes.Prefill(500)) / 39, kTol);
    EXPECT_NEAR(whole.longestGap, kTimes.Prefill(2000) + q, kTol);
    EXPECT_NEAR(chunked.longestGap, kTimes.Prefill(500) + q, kTol);
    // From T0: chunk, step, chunk, step, chunk, step, chunk, then A's remaining steps.
    const std::vector<bool> turns = {true, false, true, false, true, false, true, false};
    ASSERT_GE(chunked.prefillAfterT0.size(), turns.size());
    EXPECT_EQ(std::vector<bool>(chunked.prefillAfterT0.begin(),
                                chunked.prefillAfterT0.begin() + turns.size()),
              turns);
    EXPECT_EQ(std::count(chunked.prefillAfterT0.begin(), chunked.prefillAfterT0.end(), true), 4);
}

TEST_F(ServingEngine, RejectsBeyondContextOrKvCapacity)
{
    // Stage 0 holds layer 0 with room for 2,000 tokens; stage 1 layers 1-3 with room for 1,000:
    // stage 1 binds. Context 4,096.
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(
        kTimes,
        {FakeStage(0, 1, 2000 * kKvPerLayerToken), FakeStage(1, 3, 1000 * 3 * kKvPerLayerToken)});
    const auto r = s.Run({Request(0, 0, 900, 100),      // 1,000: exactly fits
                          Request(1, 1e-4, 901, 100),   // 1,001
                          Request(2, 2e-4, 4000, 96),   // 4,096: the context, but not the KV
                          Request(3, 3e-4, 4000, 97),   // 4,097
                          Request(4, 4e-4, 500, 100)}); // fits, once 0 has finished
    EXPECT_FALSE(r[0].rejected);
    EXPECT_EQ(r[1].rejectReason, "kv_capacity");
    EXPECT_EQ(r[2].rejectReason, "kv_capacity");
    EXPECT_EQ(r[3].rejectReason, "context_limit");
    EXPECT_FALSE(r[4].rejected);
    EXPECT_NEAR(r[4].admittedS, r[0].doneS, kTol);
    for (uint32_t i : {1, 2, 3})
    {
        EXPECT_TRUE(r[i].rejected);
        EXPECT_EQ(r[i].admittedS, -1);
        EXPECT_EQ(r[i].firstTokenS, -1);
    }
    // Rejected at arrival: they are the first reported.
    ASSERT_EQ(s.done.size(), 5u);
    EXPECT_EQ(s.done[0].id, 1u);
    EXPECT_EQ(s.done[1].id, 2u);
    EXPECT_EQ(s.done[2].id, 3u);
    EXPECT_EQ(s.engine->Stages()[1].peakKvBytes, s.engine->Stages()[1].kvCapacityBytes);
    // RequestRejected: those three, each at its arrival.
    ASSERT_EQ(s.rejected.size(), 3u);
    for (uint32_t k = 0; k < 3; ++k)
    {
        EXPECT_EQ(s.rejected[k].request, k + 1);
        EXPECT_NEAR(s.rejected[k].atS, (k + 1) * 1e-4, kTol);
    }
}

TEST(AdmissionPolicy, ShortestPromptFirstOrdersByPromptThenArrival)
{
    SequenceTable table;
    for (uint32_t prompt : {300, 100, 200, 100})
    {
        table.Add(Request(table.Size(), 0, prompt, 1));
    }
    auto order = [&table](Ptr<AdmissionPolicy> policy)
    {
        for (uint32_t i = 0; i < table.Size(); ++i)
        {
            policy->Add(i, table);
        }
        std::vector<uint32_t> out;
        while (!policy->Empty())
        {
            out.push_back(policy->Head());
            policy->PopHead();
            if (out.size() == 1)
            {
                policy->Add(table.Add(Request(table.Size(), 0, 150, 1)), table);
            }
        }
        return out;
    };
    // After the first is admitted a 150-token prompt (4) arrives: it overtakes 200 and 300.
    EXPECT_EQ(order(CreateObject<ShortestPromptFirstAdmission>()),
              (std::vector<uint32_t>{1, 3, 4, 2, 0}));
}

TEST_F(ServingEngine, KvTransferStartsWhereTheSplitSendsIt)
{
    // A prefill pipeline of two stages (nodes 2, 3) beside the decode one (0, 1). Per layer, the
    // KV leaves as the first prefill stage finishes its layers; whole, after the prompt's last
    // stage (two prefills and the hand-off between them).
    using Granularity = ns3::wafer::KvCacheTransfer::Granularity;
    for (const Granularity g : {Granularity::PerLayer, Granularity::Whole})
    {
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.Configure(kTimes, TwoEvenStages(1000));
        s.ConfigurePrefill(kTimes, TwoEvenStages(1000), 2, g);
        const auto& r = s.Run({Request(0, 0, 100, 10)});
        ASSERT_EQ(s.kvStarted.size(), 1u);
        EXPECT_EQ(s.kvStarted[0].request, 0u);
        const double expected
            = g == Granularity::PerLayer ? kTimes.Prefill(100) : 2 * kTimes.Prefill(100) + kLinkS;
        EXPECT_NEAR(s.kvStarted[0].atS, expected, kTol);
        // KvTransferDone's record: its move began then.
        EXPECT_NEAR(r[0].kvDoneS - r[0].kvTransferS, s.kvStarted[0].atS, kTol);
    }
}

TEST_F(ServingEngine, ShortestPromptFirstServesShortPromptsBeforeALongOne)
{
    // One sequence at a time. R0 runs from 0; while it does, a long prompt (1,000) arrives, then
    // 200, 50 and 50. FCFS serves them in arrival order; shortest prompt first serves 50, 50
    // (arrival order on the tie), 200, then 1,000. Each is admitted when the one before finishes.
    Config::SetDefault("ns3::wafer::AdmissionPolicy::MaxSequences", UintegerValue(1));
    const std::vector<LlmRequest> in = {Request(0, 0, 100, 10),
                                        Request(1, 1e-3, 1000, 10),
                                        Request(2, 1.5e-3, 200, 10),
                                        Request(3, 2e-3, 50, 10),
                                        Request(4, 2.5e-3, 50, 10)};
    auto alone = [](const LlmRequest& r)
    {
        return IdleTtft(2, r.inputTokens) + (r.outputTokens - 1) * Cycle(2, 1);
    };
    ASSERT_GT(alone(in[0]), in.back().arrivalS); // all wait behind R0
    auto serve = [&in](const std::string& policy)
    {
        FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
        s.engine->SetAttribute("Admission", TypeIdValue(TypeId::LookupByName(policy)));
        s.Configure(kTimes, TwoEvenStages(1e5));
        return s.Run(in);
    };
    const auto fcfs = serve("ns3::wafer::FcfsAdmission");
    const auto spf = serve("ns3::wafer::ShortestPromptFirstAdmission");
    auto expectOrder = [&](const std::vector<LlmRequest>& r, const std::vector<uint32_t>& order)
    {
        double t = 0;
        double prevFirst = -1;
        for (uint32_t i : order)
        {
            EXPECT_NEAR(r[i].admittedS, t, kTol) << i;
            EXPECT_GT(r[i].firstTokenS, prevFirst) << i;
            t += alone(r[i]);
            EXPECT_NEAR(r[i].doneS, t, kTol) << i;
            prevFirst = r[i].firstTokenS;
        }
    };
    expectOrder(fcfs, {0, 1, 2, 3, 4});
    expectOrder(spf, {0, 3, 4, 2, 1});
    auto meanTtft = [](const std::vector<LlmRequest>& r)
    {
        return std::accumulate(r.begin(),
                               r.end(),
                               0.0,
                               [](double sum, const LlmRequest& q)
                               {
                                   return sum + q.TtftS();
                               })
               / r.size();
    };
    EXPECT_LT(meanTtft(spf), meanTtft(fcfs));
}

namespace
{
/// The preemption case above (A, B, C decode; H arrives and B's KV goes to the KV store), with
/// the device of decode stage 0 lost at \p lossS if it is not negative (a spare after 1 ms).
/// Then two probes check that every KV reservation is back: one needing all the room is
/// admitted on arrival, one arriving with it waits for it. \p requeued gets LoseDevice's count.
struct StoreLossRun
{
    std::vector<LlmRequest> requests;
    std::vector<FakeServing::Seen> offloaded;
    std::vector<FakeServing::Seen> fetched;
    std::vector<LlmRequest> probes;
    uint32_t requeued{0};
};

StoreLossRun
ServeWithStoreAndLoss(double lossS)
{
    Config::Reset();
    Config::SetDefault("ns3::wafer::DecodeBatcher::Microbatches", UintegerValue(1));
    Config::SetDefault("ns3::wafer::PreemptionPolicy::PreemptAfter", TimeValue(MilliSeconds(1)));
    FakeServing s(SmallDenseModel(4, 4096), Seconds(kLinkS));
    s.Configure(kTimes, TwoEvenStages(1000));
    s.engine->ConfigureKvStore(2, 1e12);
    StoreLossRun out;
    if (lossS >= 0)
    {
        Simulator::Schedule(Seconds(lossS),
                            [&]()
                            {
                                out.requeued = s.engine->LoseDevice(false, 0, MilliSeconds(1));
                            });
    }
    out.requests = s.Run({Request(0, 0, 10, 200),
                          Request(1, 0, 10, 400),
                          Request(2, 0, 10, 300),
                          Request(3, 5e-3, 100, 10)});
    out.offloaded = s.offloaded;
    out.fetched = s.fetched;
    const double at = Simulator::Now().GetSeconds() + 1e-3;
    const auto& p = s.Run({Request(10, at, 999, 1), Request(11, at, 1, 1)});
    out.probes.assign(p.end() - 2, p.end());
    return out;
}

void
ExpectEveryReservationBack(const StoreLossRun& run)
{
    for (const LlmRequest& r : run.requests)
    {
        EXPECT_GE(r.doneS, 0) << "request " << r.id << " never finished";
    }
    ASSERT_EQ(run.probes.size(), 2u);
    EXPECT_NEAR(run.probes[0].admittedS, run.probes[0].arrivalS, kTol);
    EXPECT_NEAR(run.probes[1].admittedS, run.probes[0].doneS, kTol);
}
} // namespace

TEST_F(ServingEngine, DeviceLossKeepsTheKvWholeInTheStoreAndFetchesItAgain)
{
    // Without the loss B's KV leaves for the store and comes back later. Lost between the two,
    // the device takes the KV of A, C and H (admitted, on the stages): they start over. B's copy
    // is whole in the store: B is not preempted again, and its KV is fetched, not recomputed.
    const StoreLossRun base = ServeWithStoreAndLoss(-1);
    ASSERT_EQ(base.offloaded.size(), 1u);
    ASSERT_EQ(base.fetched.size(), 1u);
    const double offloadedS = base.offloaded[0].lastS;
    const double fetchS = base.fetched[0].firstS;
    ASSERT_GT(fetchS - offloadedS, 1e-4);
    const double at = (offloadedS + fetchS) / 2;
    const StoreLossRun lost = ServeWithStoreAndLoss(at);
    uint32_t onStages = 0;
    for (const LlmRequest& r : base.requests)
    {
        const bool running = r.admittedS <= at && r.doneS > at && r.id != 1;
        onStages += running;
        EXPECT_EQ(lost.requests[r.id].preemptions, r.preemptions + (running ? 1 : 0)) << r.id;
    }
    EXPECT_EQ(onStages, 3u);
    EXPECT_EQ(lost.requeued, onStages);
    EXPECT_EQ(lost.requests[1].offloads, 1u);
    ASSERT_EQ(lost.fetched.size(), 1u);
    EXPECT_EQ(lost.fetched[0].request, 1u);
    EXPECT_GT(lost.fetched[0].firstS, at);
    EXPECT_EQ(lost.fetched[0].bytes, base.fetched[0].bytes);
    ExpectEveryReservationBack(lost);
}

TEST_F(ServingEngine, DeviceLossDuringAnOffloadLosesThatKvToo)
{
    // Lost while B's KV is on its way to the store: the copy never gets whole there, so B loses
    // its KV like the others and is re-queued (a second preemption); nothing it reserved stays
    // reserved, on the stages or in the store.
    const StoreLossRun base = ServeWithStoreAndLoss(-1);
    ASSERT_EQ(base.offloaded.size(), 1u);
    const double at = (base.offloaded[0].firstS + base.offloaded[0].lastS) / 2;
    const StoreLossRun lost = ServeWithStoreAndLoss(at);
    EXPECT_EQ(lost.requests[1].preemptions, 2u);
    for (const FakeServing::Seen& o : lost.offloaded)
    {
        EXPECT_GT(o.firstS, at) << "the offload under way never completed";
    }
    uint32_t admitted = 0;
    for (const LlmRequest& r : base.requests)
    {
        admitted += r.admittedS <= at && r.doneS > at;
    }
    EXPECT_EQ(lost.requeued, admitted);
    ExpectEveryReservationBack(lost);
}
