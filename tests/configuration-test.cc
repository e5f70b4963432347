/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Configuration: the precedence of presets, scenario fields, the attributes map and the command
// line; old attribute names; policies by TypeId; resolution without side effects on ns-3's
// attribute defaults; what becomes a default and what a helper sets.

#include "ns3/attribute-settings.h"
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/fabric-helper.h"
#include "ns3/input-error.h"
#include "ns3/link-catalog.h"
#include "ns3/network-fabric.h"
#include "ns3/nstime.h"
#include "ns3/resolved-scenario.h"
#include "ns3/roofline-engine.h"
#include "ns3/scenario.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
/// A scenario file's text: Llama 3.1 8B on one WSE-3 with \p extra fields.
std::string
ScenarioText(const std::string& extra)
{
    return R"({"schema": "wafer-scenario/1", "name": "c", "model": "llama-3.1-8b",
      "device": "wse-3", "wafers": 1,
      "workload": {"generator": {"arrival": "burst", "requests": 2,
        "input_tokens": {"dist": "fixed", "value": 100},
        "output_tokens": {"dist": "fixed", "value": 4}}})"
           + (extra.empty() ? "" : ", " + extra) + "}";
}

ResolvedScenario
Resolve(const std::string& extra, const AttributeTexts& commandLine = {})
{
    CatalogSet catalogs;
    ResolveOptions options;
    options.overrides = commandLine;
    return ResolveScenario(Scenario::LoadText("c.json", ScenarioText(extra)), options, catalogs);
}

Time
TimeSetting(const ResolvedScenario& r, const std::string& name)
{
    const auto v = DynamicCast<const TimeValue>(r.settings.Find(name));
    return v ? v->Get() : Seconds(-1);
}

/// The value a newly created object of \p type gets for \p attribute (ns-3's default now).
std::string
DefaultOf(const std::string& type, const std::string& attribute)
{
    ObjectFactory f(type);
    Ptr<Object> o = f.Create();
    StringValue v;
    o->GetAttribute(attribute, v);
    return v.Get();
}

class Configuration : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Config::Reset();
    }
};
} // namespace

TEST_F(Configuration, LaterLayersWin)
{
    const std::string field = R"("network": {"hop_latency_s": 5e-6})";
    const std::string map = R"("attributes": {"ns3::wafer::NetworkFabric::SwitchLatency": "7us"})";
    const std::string hop = "ns3::wafer::NetworkFabric::SwitchLatency";
    EXPECT_EQ(TimeSetting(Resolve(""), hop), Seconds(-1)); // not set: the model's default
    EXPECT_EQ(TimeSetting(Resolve(field), hop), MicroSeconds(5));
    EXPECT_EQ(TimeSetting(Resolve(field + ", " + map), hop), MicroSeconds(7));
    EXPECT_EQ(TimeSetting(Resolve(field + ", " + map, {{hop, "9us"}}), hop), MicroSeconds(9));
    // The short name addresses the same attribute.
    EXPECT_EQ(TimeSetting(Resolve(field, {{"NetworkFabric::SwitchLatency", "3us"}}), hop),
              MicroSeconds(3));
}

TEST_F(Configuration, LinkPresetsLayerUnderTheScenario)
{
    const LinkCatalog links = LinkCatalog::Load();
    const auto rate = [](const ResolvedScenario& r)
    {
        return DynamicCast<const DoubleValue>(
                   r.settings.Find("ns3::wafer::LinkTechnology::LaneRate"))
            ->Get();
    };
    const auto lanes = [](const ResolvedScenario& r)
    {
        return DynamicCast<const UintegerValue>(
                   r.settings.Find("ns3::wafer::LinkTechnology::LanesPerPort"))
            ->Get();
    };
    // The device's own ports, then a chosen link, then a port rate of the scenario's own.
    const ResolvedScenario device = Resolve("");
    const LinkPreset& own = links.Get(device.decode.device.ioLink);
    EXPECT_EQ(rate(device), own.laneRateBps);
    EXPECT_EQ(lanes(device), own.lanesPerPort);
    const ResolvedScenario cpo = Resolve(R"("network": {"link": "cpo-800g"})");
    EXPECT_EQ(rate(cpo), links.Get("cpo-800g").laneRateBps);
    const ResolvedScenario custom
        = Resolve(R"("network": {"link": "cpo-800g", "port_rate_bps": 4e11})");
    EXPECT_EQ(rate(custom), 4e11);
    EXPECT_EQ(lanes(custom), 1u); // the rate given is a whole port's
}

TEST_F(Configuration, OldEngineAttributeNamesStillWork)
{
    const ResolvedScenario r = Resolve("",
                                       {{"ns3::wafer::PipelineServingEngine::MaxBatch", "3"},
                                        {"PipelineServingEngine::PreemptAfter", "2ms"}});
    EXPECT_EQ(
        DynamicCast<const UintegerValue>(r.settings.Find("ns3::wafer::DecodeBatcher::MaxBatch"))
            ->Get(),
        3u);
    EXPECT_EQ(TimeSetting(r, "ns3::wafer::PreemptionPolicy::PreemptAfter"), MilliSeconds(2));
    // A subclass's name reaches the attribute its parent declares.
    const ResolvedScenario sub = Resolve("", {{"ns3::wafer::FcfsAdmission::MaxSequences", "5"}});
    EXPECT_EQ(DynamicCast<const UintegerValue>(
                  sub.settings.Find("ns3::wafer::AdmissionPolicy::MaxSequences"))
                  ->Get(),
              5u);
}

TEST_F(Configuration, ServingFieldsSetTheirAttributes)
{
    const ResolvedScenario r = Resolve(
        R"("serving": {"max_batch": 8, "microbatches": 2, "prefill_chunk_tokens": 512,
            "layer_pipelining": true, "admission": "ShortestPromptFirstAdmission"})");
    EXPECT_EQ(
        DynamicCast<const UintegerValue>(r.settings.Find("ns3::wafer::DecodeBatcher::MaxBatch"))
            ->Get(),
        8u);
    EXPECT_EQ(
        DynamicCast<const UintegerValue>(r.settings.Find("ns3::wafer::DecodeBatcher::Microbatches"))
            ->Get(),
        2u);
    EXPECT_EQ(DynamicCast<const UintegerValue>(
                  r.settings.Find("ns3::wafer::StagePipeline::PrefillChunkTokens"))
                  ->Get(),
              512u);
    EXPECT_TRUE(DynamicCast<const BooleanValue>(
                    r.settings.Find("ns3::wafer::PipelineServingEngine::LayerPipelining"))
                    ->Get());
    EXPECT_EQ(DynamicCast<const TypeIdValue>(
                  r.settings.Find("ns3::wafer::PipelineServingEngine::Admission"))
                  ->Get()
                  .GetName(),
              "ns3::wafer::ShortestPromptFirstAdmission");
}

TEST_F(Configuration, PoliciesMustBeOfTheirKind)
{
    try
    {
        Resolve(R"("serving": {"admission": "DecodeBatcher"})");
        ADD_FAILURE() << "a batcher accepted as an admission policy";
    }
    catch (const InputError& e)
    {
        const std::string what = e.what();
        EXPECT_NE(what.find("scenario.serving.admission"), std::string::npos) << what;
        EXPECT_NE(what.find("ns3::wafer::FcfsAdmission"), std::string::npos) << what;
        EXPECT_NE(what.find("ns3::wafer::ShortestPromptFirstAdmission"), std::string::npos) << what;
    }
    // The same check whichever layer names the policy.
    EXPECT_THROW(
        Resolve("", {{"ns3::wafer::PipelineServingEngine::Batcher", "ns3::wafer::FcfsAdmission"}}),
        InputError);
    EXPECT_THROW(Resolve("", {{"ns3::wafer::PipelineServingEngine::Admission", "NoSuchType"}}),
                 InputError);
}

TEST_F(Configuration, BadSettingsNameTheirOrigin)
{
    try
    {
        Resolve(R"("attributes": {"ns3::wafer::DecodeBatcher::MaxBatch": "many"})");
        ADD_FAILURE() << "a malformed value accepted";
    }
    catch (const InputError& e)
    {
        EXPECT_NE(std::string(e.what()).find("scenario.attributes.ns3::wafer::DecodeBatcher::"
                                             "MaxBatch: invalid value 'many'"),
                  std::string::npos)
            << e.what();
    }
    try
    {
        Resolve("", {{"ns3::wafer::NoSuchClass::X", "1"}});
        ADD_FAILURE() << "an unknown attribute accepted";
    }
    catch (const InputError& e)
    {
        EXPECT_NE(std::string(e.what()).find("--ns3::wafer::NoSuchClass::X: unknown"),
                  std::string::npos)
            << e.what();
    }
    // Out of the attribute's range (the engine's token ids need at least one byte).
    EXPECT_THROW(Resolve("", {{"ns3::wafer::DecodeBatcher::TokenBytes", "0"}}), InputError);
}

TEST_F(Configuration, ResolvingLeavesNs3DefaultsAlone)
{
    const std::string before = DefaultOf("ns3::wafer::NetworkFabric", "SwitchLatency");
    Resolve(R"("network": {"hop_latency_s": 5e-6})",
            {{"ns3::wafer::NetworkFabric::SwitchLatency", "9us"}});
    EXPECT_EQ(DefaultOf("ns3::wafer::NetworkFabric", "SwitchLatency"), before);
}

TEST_F(Configuration, OnlyTheUsersSettingsBecomeDefaults)
{
    const std::string kernelBefore = DefaultOf("ns3::wafer::RooflineEngine", "KernelOverhead");
    const std::string hopBefore = DefaultOf("ns3::wafer::NetworkFabric", "SwitchLatency");
    const ResolvedScenario r = Resolve(R"("network": {"hop_latency_s": 5e-6})",
                                       {{"ns3::wafer::RooflineEngine::KernelOverhead", "8us"}});
    r.settings.ApplyOverridesAsDefaults();
    EXPECT_NE(DefaultOf("ns3::wafer::RooflineEngine", "KernelOverhead"), kernelBefore);
    EXPECT_EQ(Time(DefaultOf("ns3::wafer::RooflineEngine", "KernelOverhead")), MicroSeconds(8));
    // A scenario field reaches the fabric through its helper, not through the defaults.
    EXPECT_EQ(DefaultOf("ns3::wafer::NetworkFabric", "SwitchLatency"), hopBefore);
    FabricHelper helper;
    helper.SetAttributes(r.settings);
    const Cluster c = helper.Install(2, 1, "d", "flow");
    EXPECT_EQ(c.fabric->GetSwitchLatency(), MicroSeconds(5));
    Simulator::Destroy();
}

TEST_F(Configuration, PlacementIsPartOfResolvingUnlessOnlyChecking)
{
    // Llama 3.1 70B in bf16 needs more than one WSE-3's 44 GB.
    const std::string text = R"({"schema": "wafer-scenario/1", "name": "c",
      "model": "llama-3.1-70b", "device": "wse-3", "wafers": 1, "weights": "bf16",
      "workload": {"generator": {"arrival": "burst", "requests": 1,
        "input_tokens": {"dist": "fixed", "value": 10},
        "output_tokens": {"dist": "fixed", "value": 2}}}})";
    CatalogSet catalogs;
    ResolveOptions options;
    EXPECT_THROW(ResolveScenario(Scenario::LoadText("c.json", text), options, catalogs),
                 InputError);
    options.place = false;
    EXPECT_NO_THROW(ResolveScenario(Scenario::LoadText("c.json", text), options, catalogs));
}

TEST_F(Configuration, AcceleratorsCountBothPools)
{
    // 2 decode stages of 4 GB300 each, 3 prefill stages of 2: 8 + 6 accelerators.
    CatalogSet catalogs;
    const std::string text = R"({"schema": "wafer-scenario/1", "name": "c",
      "model": "llama-3.1-8b", "device": "gb300", "wafers": 2, "tensor_parallel": 4,
      "prefill_pool": {"wafers": 3, "tensor_parallel": 2},
      "workload": {"generator": {"arrival": "burst", "requests": 1,
        "input_tokens": {"dist": "fixed", "value": 10},
        "output_tokens": {"dist": "fixed", "value": 2}}}})";
    const ResolvedScenario gpu = ResolveScenario(Scenario::LoadText("c.json", text), {}, catalogs);
    EXPECT_EQ(gpu.decode.Accelerators(), 8u);
    EXPECT_EQ(gpu.prefill->Accelerators(), 6u);
    EXPECT_EQ(gpu.Accelerators(), 14u);
}
