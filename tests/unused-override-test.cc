/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// An attribute override that no object of the run reads gets a warning; the run is the run
// without it, which is what makes the warning true.

#include "test-util.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace wafertest;

TEST(UnusedOverrides, WarnedAndWithoutEffect)
{
    const std::string dir = TempDir("unused-overrides");
    const std::string scenario = "--scenario=" + SourcePath("scenarios/default.json") + " --quiet";
    // Chunk fidelity, no tensor parallelism, no KV store, no faults.
    const std::vector<std::string> unused = {"--ns3::PointToPointNetDevice::Mtu=1500",
                                             "--ns3::DropTailQueue<Packet>::MaxSize=10p",
                                             "--ns3::wafer::PacketTransport::Window=2",
                                             "--ns3::wafer::MemoryXStore::DramLatency=1ms",
                                             "--ns3::wafer::CollectiveModel::StepLatency=1ms",
                                             "--ns3::wafer::KvStoreClient::KeepSessions=true"};
    std::string args;
    for (const auto& u : unused)
    {
        args += " '" + u + "'";
    }
    const RunOutput with = RunProgram("wafer-sim", scenario + args + " --out=" + dir + "/with.h5");
    ASSERT_EQ(with.exitCode, 0) << with.err;
    EXPECT_EQ(std::count(with.err.begin(), with.err.end(), '\n'), long(unused.size())) << with.err;
    for (const auto& u : unused)
    {
        EXPECT_NE(with.err.find("wafer-sim: warning: " + u + ": no object of this run reads it"),
                  std::string::npos)
            << u << "\n"
            << with.err;
    }
    const RunOutput without = RunProgram("wafer-sim", scenario + " --out=" + dir + "/without.h5");
    ASSERT_EQ(without.exitCode, 0) << without.err;
    for (const char* ds : {"/requests", "/stages", "/links", "/transfers"})
    {
        EXPECT_EQ(DatasetBytes(dir + "/with.h5", ds), DatasetBytes(dir + "/without.h5", ds)) << ds;
    }

    // Read by this run: the chunk level's own attribute, and one its parent declares, given
    // through another transport's name (ns-3 sets it on the declaring class). No warning.
    const RunOutput used = RunProgram("wafer-sim",
                                      scenario
                                          + " --ns3::wafer::ChunkTransport::Accuracy=0.02"
                                            " --ns3::wafer::FlowTransport::HeaderBytes=28"
                                            " --out="
                                          + dir + "/used.h5");
    ASSERT_EQ(used.exitCode, 0) << used.err;
    EXPECT_TRUE(used.err.empty()) << used.err;
    // At packet fidelity ns-3's devices are built.
    const RunOutput packet = RunProgram(
        "wafer-sim",
        "--scenario=" + SourcePath("scenarios/llama-8b-1-wafer.json")
            + " --quiet --fidelity=packet --ns3::PointToPointNetDevice::Mtu=1500 --out=" + dir
            + "/packet.h5");
    ASSERT_EQ(packet.exitCode, 0) << packet.err;
    EXPECT_TRUE(packet.err.empty()) << packet.err;
}

TEST(UnusedOverrides, ServingModelsInAStreamingStudy)
{
    const std::string dir = TempDir("unused-overrides-stream");
    const RunOutput r
        = RunProgram("wafer-stream",
                     "--scenario=" + SourcePath("scenarios/streaming/llama-8b-decode-streamed.json")
                         + " --quiet --ns3::wafer::PipelineServingEngine::MaxBatch=4"
                           " --ns3::wafer::MemoryXStore::DramLatency=2us --out="
                         + dir + "/s.h5");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("--ns3::wafer::PipelineServingEngine::MaxBatch=4: no object"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("MemoryXStore"), std::string::npos) << r.err;
}
