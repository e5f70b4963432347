/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Hook the model's trace sources by Config path, as in any ns-3 program, and write your own CSV:
// Llama 3.1 70B on four WSE-3 behind one switch (built with the module's helpers), a few
// requests, and one line per first token, per decoded token and per network message.
//
//   build/bin/wafer-trace-example [--requests=4] [--out=wafer-trace.csv]
//
// The serving engine is aggregated to its first stage's node and the transport and fabric to the
// first device's node, so their trace sources are at /NodeList/*/$ns3::wafer::<Class>/<Source>
// (contrib-wafer/doc/wafer.md, "Trace sources", lists them).

#include "ns3/config.h"

#include "ns3/core-module.h"
#include "ns3/wafer-module.h"

#include <fstream>
#include <iostream>

using namespace ns3;
using namespace ns3::wafer;

namespace
{
std::ofstream g_csv;

void
FirstToken(std::string /* context */, const LlmRequest& r)
{
    g_csv << Simulator::Now().GetSeconds() << ",first_token," << r.id << ",1\n";
}

void
Token(std::string /* context */, const LlmRequest& r, uint32_t tokens)
{
    g_csv << Simulator::Now().GetSeconds() << ",token," << r.id << "," << tokens << "\n";
}

void
Message(std::string /* context */, const TransferRecord& t)
{
    g_csv << t.end.GetSeconds() << ",message," << t.srcNode << "->" << t.dstNode << "," << t.bytes
          << "\n";
}
} // namespace

int
main(int argc, char** argv)
{
    Time::SetResolution(Time::PS);
    uint32_t requests = 4;
    std::string out = "wafer-trace.csv";
    CommandLine cmd(__FILE__);
    cmd.AddValue("requests", "number of requests (all at t = 0)", requests);
    cmd.AddValue("out", "CSV file to write", out);
    cmd.Parse(argc, argv);

    const DeviceSpec device = DeviceCatalog::Load().Get("wse-3");
    const LlmCostModel model(
        LlmCatalog::Load().Get("llama-3.1-70b"), Precision::BF16, Precision::BF16);
    const auto placement = PipelinePlacement::Place(model, device.MainMemoryBytes(), 4, 0.0);
    FabricHelper helper;
    helper.SetAttributes(
        LayerSettings(LinkCatalog::Load().Get(device.ioLink), nullptr, {}, {}, "", {}));
    Cluster cluster = helper.Install(4, device.ioPorts, "wafer", "flow");
    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    Ptr<PipelineServingEngine> engine = CreateObject<PipelineServingEngine>();
    std::vector<std::unique_ptr<StageCompute>> stages;
    for (const auto& a : placement)
    {
        stages.push_back(std::make_unique<StageComputeModel>(device, model, a, roofline, false));
    }
    engine->Configure(model, std::move(stages), cluster.NodeIds(), cluster.transport);

    g_csv.open(out);
    g_csv << "time_s,event,request_or_path,tokens_or_bytes\n";
    Config::Connect("/NodeList/*/$ns3::wafer::PipelineServingEngine/FirstToken",
                    MakeCallback(&FirstToken));
    Config::Connect("/NodeList/*/$ns3::wafer::PipelineServingEngine/Token", MakeCallback(&Token));
    Config::Connect("/NodeList/*/$ns3::wafer::MessageTransport/MessageDelivered",
                    MakeCallback(&Message));

    std::vector<LlmRequest> reqs(requests);
    for (uint32_t i = 0; i < requests; ++i)
    {
        reqs[i].id = i;
        reqs[i].inputTokens = 1024;
        reqs[i].outputTokens = 16;
    }
    engine->Submit(reqs);
    Simulator::Run();
    g_csv.close();
    std::cout << "wrote " << out << "\n";
    Simulator::Destroy();
    return 0;
}
