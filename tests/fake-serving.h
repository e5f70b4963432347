/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FAKE_SERVING_H
#define WAFER_FAKE_SERVING_H

// Test doubles for the serving engine: stage compute with fixed times, a transport that delivers
// every message after a fixed delay without a fabric, and a small dense model, so that expected
// times and KV sizes can be worked out by hand.

#include "ns3/abort.h"
#include "ns3/llm-config.h"
#include "ns3/llm-cost-model.h"
#include "ns3/message-transport.h"
#include "ns3/pipeline-serving-engine.h"
#include "ns3/simulator.h"
#include "ns3/stage-compute.h"

#include <memory>
#include <vector>

namespace wafertest
{

/// Fixed stage times: prefill a + b x tokens, decode c + d x sequences; a stage is closed for the
/// whole of a batch's time (occupancy = latency).
struct FakeTimes
{
    double prefillBaseS{0};       ///< a
    double prefillPerTokenS{0};   ///< b
    double decodeBaseS{0};        ///< c
    double decodePerSequenceS{0}; ///< d

    double Prefill(double tokens) const
    {
        return prefillBaseS + prefillPerTokenS * tokens;
    }

    double Decode(double sequences) const
    {
        return decodeBaseS + decodePerSequenceS * sequences;
    }
};

/// A stage whose times are FakeTimes, whatever the context.
class FakeStageCompute : public ns3::wafer::StageCompute
{
  public:
    FakeStageCompute(const FakeTimes& times, const ns3::wafer::StageAssignment& assignment) :
        m_times(times),
        m_assignment(assignment)
    {
    }

    ns3::wafer::StageTiming Decode(const ns3::wafer::DecodeBatch& batch) const override
    {
        return Timing(m_times.Decode(batch.sequences));
    }

    ns3::wafer::StageTiming Prefill(double tokens, double, uint32_t) const override
    {
        return Timing(m_times.Prefill(tokens));
    }

    const ns3::wafer::StageAssignment& Assignment() const override
    {
        return m_assignment;
    }

  private:
    static ns3::wafer::StageTiming Timing(double seconds)
    {
        ns3::wafer::StageTiming t;
        t.latencyS = seconds;
        t.occupancyS = seconds;
        return t;
    }

    FakeTimes m_times;
    ns3::wafer::StageAssignment m_assignment;
};

/// Delivers every message after latency + bytes / rate (rate 0: latency only), no fabric, no
/// contention; keeps a record of each delivery.
class FakeTransport : public ns3::wafer::MessageTransport
{
  public:
    static ns3::TypeId GetTypeId()
    {
        static ns3::TypeId tid = ns3::TypeId("wafertest::FakeTransport")
                                     .SetParent<ns3::wafer::MessageTransport>()
                                     .SetGroupName("Wafer");
        return tid;
    }

    explicit FakeTransport(ns3::Time latency, double bytesPerS = 0) :
        m_latency(latency),
        m_bytesPerS(bytesPerS)
    {
    }

    uint64_t Send(uint32_t src,
                  uint32_t dst,
                  uint64_t bytes,
                  ns3::wafer::TransferKind kind,
                  DeliveredCallback onDelivered,
                  uint64_t tag = 0) override
    {
        NS_ABORT_MSG_IF(bytes == 0, "a message needs at least one byte");
        NS_ABORT_MSG_IF(src == dst, "a message needs two different endpoints");
        ns3::wafer::TransferRecord r;
        r.id = ++m_sent;
        r.srcNode = src;
        r.dstNode = dst;
        r.bytes = bytes;
        r.kind = kind;
        r.tag = tag;
        r.start = ns3::Simulator::Now();
        const ns3::Time delay
            = m_latency + (m_bytesPerS > 0 ? ns3::Seconds(bytes / m_bytesPerS) : ns3::Time(0));
        r.end = r.start + delay;
        ns3::Simulator::Schedule(delay,
                                 [this, r, onDelivered]()
                                 {
                                     m_delivered.push_back(r);
                                     if (!onDelivered.IsNull())
                                     {
                                         onDelivered(r);
                                     }
                                 });
        return r.id;
    }

    std::string Fidelity() const override
    {
        return "fake";
    }

    /// Delivered messages, in delivery order.
    const std::vector<ns3::wafer::TransferRecord>& Delivered() const
    {
        return m_delivered;
    }

  protected:
    void DoInstall() override {}

    uint32_t DoSend(uint64_t, uint32_t, uint32_t, const std::vector<Lane>&) override
    {
        return 0; // Send does everything
    }

  private:
    ns3::Time m_latency;
    double m_bytesPerS;
    uint64_t m_sent{0};
    std::vector<ns3::wafer::TransferRecord> m_delivered;
};

/// Heads, KV heads and head size of SmallDenseModel: KV bytes per token and layer (GQA, BF16) are
/// 2 (K and V) x kv heads x head size x 2 bytes = 256.
constexpr uint32_t kSmallHeads = 4;
constexpr uint32_t kSmallKvHeads = 1;
constexpr uint32_t kSmallHeadDim = 64;

/// A small dense transformer (no window, no MoE) of \p layers layers.
inline ns3::wafer::LlmConfig
SmallDenseModel(uint32_t layers, uint64_t maxContext)
{
    ns3::wafer::LlmConfig c;
    c.name = "small-dense";
    c.layers = layers;
    c.hiddenSize = kSmallHeads * kSmallHeadDim;
    c.heads = kSmallHeads;
    c.kvHeads = kSmallKvHeads;
    c.headDim = kSmallHeadDim;
    c.ffnSize = 4 * c.hiddenSize;
    c.vocabSize = 1000;
    c.maxContext = maxContext;
    c.Validate();
    return c;
}

/// A stage holding layers [first, first + count) with \p kvBytes of memory left after its weights.
inline ns3::wafer::StageAssignment
FakeStage(uint32_t first, uint32_t count, double kvBytes)
{
    ns3::wafer::StageAssignment a;
    a.firstLayer = first;
    a.layerCount = count;
    a.weightBytes = 1 << 20; // any: only what is left after the weights counts
    a.capacityBytes = a.weightBytes + kvBytes;
    return a;
}

inline ns3::wafer::LlmRequest
Request(uint64_t id, double arrivalS, uint32_t input, uint32_t output)
{
    ns3::wafer::LlmRequest r;
    r.id = id;
    r.arrivalS = arrivalS;
    r.inputTokens = input;
    r.outputTokens = output;
    return r;
}

/**
 * A serving engine on fake stages (endpoints 0..S-1) and a FakeTransport, recording the
 * RequestDone and StageWork traces. Attributes of the engine's collaborators are taken from
 * ns3::Config defaults when Configure is called; the engine's own may be set before. Destroys the
 * simulator when it goes.
 */
class FakeServing
{
  public:
    FakeServing(const ns3::wafer::LlmConfig& config, ns3::Time latency) :
        model(config, ns3::wafer::Precision::BF16, ns3::wafer::Precision::BF16),
        transport(ns3::CreateObject<FakeTransport>(latency)),
        engine(ns3::CreateObject<ns3::wafer::PipelineServingEngine>())
    {
        NS_ABORT_MSG_IF(!ns3::Simulator::Now().IsZero(),
                        "one FakeServing at a time: the simulator is shared");
        engine->TraceConnectWithoutContext("RequestDone",
                                           ns3::MakeCallback(&FakeServing::OnDone, this));
        engine->TraceConnectWithoutContext("StageWork",
                                           ns3::MakeCallback(&FakeServing::OnWork, this));
        engine->TraceConnectWithoutContext("RequestRejected",
                                           ns3::MakeCallback(&FakeServing::OnRejected, this));
        engine->TraceConnectWithoutContext("KvTransferStarted",
                                           ns3::MakeCallback(&FakeServing::OnKvStarted, this));
        engine->TraceConnectWithoutContext("KvOffloaded",
                                           ns3::MakeCallback(&FakeServing::OnOffloaded, this));
        engine->TraceConnectWithoutContext("KvFetched",
                                           ns3::MakeCallback(&FakeServing::OnFetched, this));
    }

    ~FakeServing()
    {
        engine->Dispose();
        ns3::Simulator::Destroy();
    }

    FakeServing(const FakeServing&) = delete;
    FakeServing& operator=(const FakeServing&) = delete;

    void Configure(const FakeTimes& times, const std::vector<ns3::wafer::StageAssignment>& stages)
    {
        std::vector<std::unique_ptr<ns3::wafer::StageCompute>> computes;
        std::vector<uint32_t> nodes;
        for (const auto& a : stages)
        {
            nodes.push_back(computes.size());
            computes.push_back(std::make_unique<FakeStageCompute>(times, a));
        }
        engine->Configure(model, std::move(computes), nodes, transport);
    }

    /// A prefill pipeline of \p stages on nodes after the decode stages' (a split).
    void ConfigurePrefill(const FakeTimes& times,
                          const std::vector<ns3::wafer::StageAssignment>& stages,
                          uint32_t firstNode,
                          ns3::wafer::KvCacheTransfer::Granularity granularity)
    {
        std::vector<std::unique_ptr<ns3::wafer::StageCompute>> computes;
        std::vector<uint32_t> nodes;
        for (const auto& a : stages)
        {
            nodes.push_back(firstNode + computes.size());
            computes.push_back(std::make_unique<FakeStageCompute>(times, a));
        }
        engine->ConfigurePrefillPool(std::move(computes), nodes, granularity);
    }

    /// Submit \p requests, run until nothing is left to do; \return every request's record.
    const std::vector<ns3::wafer::LlmRequest>& Run(
        const std::vector<ns3::wafer::LlmRequest>& requests)
    {
        engine->Submit(requests);
        ns3::Simulator::Run();
        return engine->Requests();
    }

    ns3::wafer::LlmCostModel model;
    ns3::Ptr<FakeTransport> transport;
    ns3::Ptr<ns3::wafer::PipelineServingEngine> engine;
    std::vector<ns3::wafer::LlmRequest> done;      ///< RequestDone, in order
    std::vector<ns3::wafer::StageWorkRecord> work; ///< StageWork, in order
    /// What a trace source reported, and when.
    struct Seen
    {
        uint32_t request;
        double atS;
        double firstS{-1}; ///< KV moves: first byte sent
        double lastS{-1};  ///< KV moves: last byte in
        uint64_t bytes{0};
    };

    std::vector<Seen> rejected;  ///< RequestRejected
    std::vector<Seen> kvStarted; ///< KvTransferStarted
    std::vector<Seen> offloaded; ///< KvOffloaded
    std::vector<Seen> fetched;   ///< KvFetched

  private:
    void OnDone(const ns3::wafer::LlmRequest& r)
    {
        done.push_back(r);
    }

    void OnWork(const ns3::wafer::StageWorkRecord& w)
    {
        work.push_back(w);
    }

    static double Now()
    {
        return ns3::Simulator::Now().GetSeconds();
    }

    void OnRejected(const ns3::wafer::LlmRequest& r)
    {
        rejected.push_back({uint32_t(r.id), Now()});
    }

    void OnKvStarted(const ns3::wafer::LlmRequest& r)
    {
        kvStarted.push_back({uint32_t(r.id), Now()});
    }

    void OnOffloaded(const ns3::wafer::LlmRequest& r, ns3::Time first, ns3::Time last, uint64_t b)
    {
        offloaded.push_back({uint32_t(r.id), Now(), first.GetSeconds(), last.GetSeconds(), b});
    }

    void OnFetched(const ns3::wafer::LlmRequest& r, ns3::Time first, ns3::Time last, uint64_t b)
    {
        fetched.push_back({uint32_t(r.id), Now(), first.GetSeconds(), last.GetSeconds(), b});
    }
};

} // namespace wafertest

#endif // WAFER_FAKE_SERVING_H
