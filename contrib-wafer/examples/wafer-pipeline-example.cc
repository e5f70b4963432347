/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Build a wafer pipeline by hand with the module's helpers (no scenario file): Llama 3.1 70B on
// four WSE-3 behind one switch, eight requests, and print each request's TTFT and time per token.
//
//   build/bin/wafer-pipeline-example [--hopLatency=5us] [--requests=8]

#include "ns3/command-line.h"

#include "ns3/core-module.h"
#include "ns3/wafer-module.h"

#include <cstdio>

using namespace ns3;
using namespace ns3::wafer;

int
main(int argc, char** argv)
{
    Time::SetResolution(Time::PS);
    Time hopLatency = MicroSeconds(5);
    uint32_t requests = 8;
    CommandLine cmd(__FILE__);
    cmd.AddValue("hopLatency", "switch latency per hop", hopLatency);
    cmd.AddValue("requests", "number of requests (all at t = 0)", requests);
    cmd.Parse(argc, argv);

    const DeviceSpec device = DeviceCatalog::Load().Get("wse-3");
    const LlmCostModel model(
        LlmCatalog::Load().Get("llama-3.1-70b"), Precision::BF16, Precision::BF16);
    const LinkCatalog links = LinkCatalog::Load();
    const auto placement = PipelinePlacement::Place(model, device.MainMemoryBytes(), 4, 0.0);

    FabricHelper helper;
    // The device's ports: the link preset's technology (12 x 100 GbE for a WSE-3).
    helper.SetAttributes(LayerSettings(links.Get(device.ioLink), nullptr, {}, {}, "", {}));
    helper.SetFabricAttribute("SwitchLatency", TimeValue(hopLatency));
    Cluster cluster = helper.Install(4, device.ioPorts, "wafer", "chunk");

    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    Ptr<PipelineServingEngine> engine = CreateObject<PipelineServingEngine>();
    std::vector<std::unique_ptr<StageCompute>> stages;
    for (const auto& a : placement)
    {
        stages.push_back(std::make_unique<StageComputeModel>(device, model, a, roofline, false));
    }
    engine->Configure(model, std::move(stages), cluster.NodeIds(), cluster.transport);

    std::vector<LlmRequest> reqs(requests);
    for (uint32_t i = 0; i < requests; ++i)
    {
        reqs[i].id = i;
        reqs[i].inputTokens = 1024;
        reqs[i].outputTokens = 128;
    }
    engine->Submit(reqs);
    Simulator::Run();
    std::printf("request  ttft_ms  tpot_ms\n");
    for (const auto& r : engine->Requests())
    {
        std::printf("%7llu  %7.3f  %7.3f\n",
                    static_cast<unsigned long long>(r.id),
                    r.TtftS() * 1e3,
                    r.TpotS() * 1e3);
    }
    engine->Dispose();
    Simulator::Destroy();
    return 0;
}
