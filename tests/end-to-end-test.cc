/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The programs end to end: the default scenario's result file, determinism, wafer-plan output.

#include "test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace wafertest;

namespace
{
bool
Contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}
} // namespace

TEST(EndToEnd, DefaultScenarioWritesDocumentedDatasets)
{
    const std::string dir = TempDir("e2e-default");
    const std::string out = dir + "/default.h5";
    const RunOutput r = RunProgram(
        "wafer-sim", "--scenario=" + SourcePath("scenarios/default.json") + " --out=" + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("tokens/s"), std::string::npos);
    EXPECT_EQ(ListDir(dir), std::vector<std::string>{"default.h5"}); // no temporary left

    const auto sets = Datasets(out);
    for (const char* d : {"requests", "stages", "links", "transfers", "summary"})
    {
        EXPECT_TRUE(Contains(sets, d)) << d;
    }
    const auto attrs = RootAttributes(out);
    for (const char* a :
         {"schema_version", "scenario", "seed", "program_version", "ns3_version", "wall_time_s"})
    {
        EXPECT_TRUE(Contains(attrs, a)) << a;
    }
    EXPECT_EQ(StringAttribute(out, "ns3_version"), "3.37");
    EXPECT_NE(StringAttribute(out, "scenario").find("llama-3.1-70b"), std::string::npos);

    const auto fields = FieldNames(out, "/requests");
    for (const char* f : {"ttft_s", "tpot_s", "e2e_s", "input_tokens", "output_tokens", "rejected"})
    {
        EXPECT_TRUE(Contains(fields, f)) << f;
    }
    const auto ttft = ReadField(out, "/requests", "ttft_s");
    const auto tpot = ReadField(out, "/requests", "tpot_s");
    const auto e2e = ReadField(out, "/requests", "e2e_s");
    const auto outTok = ReadField(out, "/requests", "output_tokens");
    ASSERT_EQ(ttft.size(), 32u);
    for (size_t i = 0; i < ttft.size(); ++i)
    {
        EXPECT_GT(ttft[i], 0);
        EXPECT_GT(tpot[i], 0);
        // e2e = ttft + (output - 1) x tpot by definition of the three.
        EXPECT_NEAR(e2e[i], ttft[i] + (outTok[i] - 1) * tpot[i], 1e-9);
        // No token can come faster than one decode step through 4 wafers (~1.3 ms, wafer-plan).
        EXPECT_GT(tpot[i], 1e-3);
    }
    const auto util = ReadField(out, "/stages", "utilisation");
    ASSERT_EQ(util.size(), 4u);
    for (double u : util)
    {
        EXPECT_GT(u, 0.0);
        EXPECT_LE(u, 1.0);
    }
    const auto layers = ReadField(out, "/stages", "layers");
    double sum = 0;
    for (double l : layers)
    {
        sum += l;
    }
    EXPECT_EQ(sum, 80);
    const auto linkUtil = ReadField(out, "/links", "utilisation");
    EXPECT_EQ(linkUtil.size(), 4u * 12 * 2); // 12 ports per wafer, both directions
    EXPECT_EQ(ReadField(out, "/summary", "completed").at(0), 32);
    EXPECT_EQ(ReadField(out, "/summary", "drops").at(0), 0);
    EXPECT_GT(ReadField(out, "/summary", "tokens_per_s").at(0), 0);
    // Every activation and token crosses two links (wafer -> switch -> wafer): link bytes are
    // twice the transferred bytes plus 30 bytes (IPv4, UDP, PPP) per frame and link.
    const double transfer = ReadField(out, "/summary", "transfer_bytes").at(0);
    const double link = ReadField(out, "/summary", "link_bytes").at(0);
    double frames = 0;
    for (double f : ReadField(out, "/links", "frames"))
    {
        frames += f;
    }
    EXPECT_DOUBLE_EQ(link, 2 * transfer + 30 * frames);
    // Network energy: wire bits x the preset's pJ/bit, the same in /links and /transfers.
    double linkEnergy = 0;
    for (double e : ReadField(out, "/links", "energy_j"))
    {
        linkEnergy += e;
    }
    double transferEnergy = 0;
    for (double e : ReadField(out, "/transfers", "energy_j"))
    {
        transferEnergy += e;
    }
    EXPECT_NEAR(linkEnergy / transferEnergy, 1.0, 1e-9);
    EXPECT_NEAR(
        ReadField(out, "/summary", "network_energy_j").at(0), linkEnergy, 1e-9 * linkEnergy);
    // Cost: 4 wafers at the preset's $41.96/h for the simulated time, per million output tokens.
    const double sim = ReadField(out, "/summary", "sim_time_s").at(0);
    const double tokens = ReadField(out, "/summary", "output_tokens").at(0);
    EXPECT_NEAR(ReadField(out, "/summary", "usd_per_mtok").at(0),
                4 * 41.96 * sim / 3600 / tokens * 1e6,
                1e-9);
    EXPECT_NEAR(ReadField(out, "/summary", "energy_per_token_j").at(0),
                (4 * 30000 * sim + linkEnergy) / tokens,
                1e-9);
    EXPECT_EQ(ReadField(out, "/transfers", "bytes").size(),
              size_t(ReadField(out, "/summary", "transfers").at(0)));
}

TEST(EndToEnd, SameSeedSameBytesOtherSeedOtherResults)
{
    const std::string dir = TempDir("e2e-determinism");
    const std::string scenario = SourcePath("scenarios/llama-8b-1-wafer.json");
    for (const char* name : {"a", "b"})
    {
        const RunOutput r = RunProgram("wafer-sim",
                                       "--scenario=" + scenario
                                           + " --seed=7 --quiet"
                                             " --out="
                                           + dir + "/" + name + ".h5");
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    const RunOutput c = RunProgram(
        "wafer-sim", "--scenario=" + scenario + " --seed=8 --quiet --out=" + dir + "/c.h5");
    ASSERT_EQ(c.exitCode, 0) << c.err;
    const std::string a = dir + "/a.h5", b = dir + "/b.h5";
    for (const auto& d : Datasets(a))
    {
        EXPECT_EQ(DatasetBytes(a, "/" + d), DatasetBytes(b, "/" + d)) << d;
    }
    for (const auto& at : RootAttributes(a))
    {
        if (at.rfind("wall_", 0) != 0)
        {
            EXPECT_EQ(AttributeBytes(a, at), AttributeBytes(b, at)) << at;
        }
    }
    EXPECT_NE(DatasetBytes(a, "/requests"), DatasetBytes(dir + "/c.h5", "/requests"));
}

TEST(EndToEnd, PlanJsonKeys)
{
    const RunOutput r = RunProgram("wafer-plan",
                                   "--model=llama-3.1-405b --device=wse-3 "
                                   "--context=8192 --format=json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* k : {"model",
                          "device",
                          "weights_bytes",
                          "layers",
                          "min_wafers",
                          "wafers",
                          "layers_per_wafer",
                          "free_sram_bytes_per_wafer",
                          "kv_bytes_per_token",
                          "kv_bytes",
                          "kv_transfer_s",
                          "max_sequences",
                          "single_stream_tokens_per_s"})
    {
        EXPECT_TRUE(j.contains(k)) << k;
    }
    EXPECT_EQ(j["min_wafers"], 21);
    EXPECT_EQ(j["wafers"], 21);
    EXPECT_EQ(j["layers_per_wafer"].size(), 21u);
    EXPECT_EQ(j["kv_bytes_per_token"], 126.0 * 8 * 128 * 2 * 2);
    EXPECT_EQ(j["kv_bytes"], 126.0 * 8 * 128 * 2 * 2 * 8192);
    // Each wafer moves its 6 layers' KV over 150 GB/s: 6 x 4,096 B x 8,192 / 150e9.
    EXPECT_NEAR(j["kv_transfer_s"].get<double>(), 6.0 * 4096 * 8192 / 150e9, 1e-12);
    // Free SRAM / per-wafer KV of one sequence, worst wafer.
    EXPECT_GT(j["max_sequences"].get<double>(), 0);
    const RunOutput table = RunProgram("wafer-plan", "--model=llama-3.1-8b --device=wse-3");
    EXPECT_EQ(table.exitCode, 0);
    EXPECT_NE(table.out.find("single-stream decode"), std::string::npos);
    const RunOutput list = RunProgram("wafer-plan", "--list-models");
    EXPECT_NE(list.out.find("deepseek-v3"), std::string::npos);
    const RunOutput devices = RunProgram("wafer-sim", "--list-devices");
    EXPECT_NE(devices.out.find("wse-3"), std::string::npos);
}

TEST(EndToEnd, PhotonicFaceBandwidthScalesWithArea)
{
    auto io = [](const std::string& extra)
    {
        const RunOutput r = RunProgram("wafer-plan",
                                       "--model=llama-3.1-70b --device=wse-3 "
                                       "--format=json "
                                           + extra);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return nlohmann::json::parse(r.out)["io_bytes_per_s"].get<double>();
    };
    EXPECT_DOUBLE_EQ(io(""), 150e9); // 12 x 100 GbE at the wafer's edge
    EXPECT_DOUBLE_EQ(io("--link=photonic-face-1p5t"), 1.5e12);
    EXPECT_DOUBLE_EQ(io("--link=photonic-face-15t"), 15e12);
    // Through the face, bandwidth is density x area: twice the area, twice the I/O.
    EXPECT_DOUBLE_EQ(io("--link=photonic-face-1p5t --ns3::wafer::LinkTechnology::FaceArea=2000"),
                     3e12);
}

TEST(EndToEnd, PacketFidelityWritesPcap)
{
    const std::string dir = TempDir("pcap");
    WriteFile(dir + "/t.csv", "arrival_s,input_tokens,output_tokens\n0,16,2\n");
    WriteFile(dir + "/s.json",
              R"({"schema": "wafer-scenario/1", "name": "p", "model": "llama-3.1-8b",
        "device": "wse-3", "wafers": 2, "fidelity": "packet", "workload": {"trace": "t.csv"}})");
    const RunOutput r = RunProgram("wafer-sim",
                                   "--quiet --scenario=" + dir + "/s.json --out=" + dir
                                       + "/r.h5 --pcap=" + dir + "/cap");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    size_t pcaps = 0;
    for (const auto& f : ListDir(dir))
    {
        pcaps += f.find(".pcap") != std::string::npos ? 1 : 0;
    }
    EXPECT_EQ(pcaps, 2u * 12 * 2); // every device of 2 wafers x 12 ports and the switch's
    const RunOutput chunk = RunProgram("wafer-sim",
                                       "--quiet --scenario=" + dir + "/s.json --out=" + dir
                                           + "/c.h5 --fidelity=chunk --pcap=x");
    EXPECT_EQ(chunk.exitCode, 2);
}

TEST(EndToEnd, InheritedAttributeThroughSubclassName)
{
    // FrameBytes is declared by MessageTransport; naming it through FlowTransport works too.
    const RunOutput r = RunProgram("wafer-plan",
                                   "--model=llama-3.1-70b --device=wse-3 --format=json "
                                   "--ns3::wafer::FlowTransport::FrameBytes=4000");
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST(EndToEnd, FrontierIsMonotone)
{
    // More sequences in flight: more tokens/s per accelerator, fewer tokens/s per user.
    const RunOutput r = RunProgram("wafer-frontier",
                                   "--scenario=" + SourcePath("scenarios/default.json")
                                       + " --fidelity=flow --concurrency=1,2,4,8 --requests=16 "
                                         "--input=256 --output=64");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::istringstream in(r.out);
    std::string line;
    std::getline(in, line); // header
    double lastThroughput = 0;
    double lastPerUser = 1e300;
    int rows = 0;
    while (std::getline(in, line))
    {
        std::vector<double> v;
        std::istringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, ','))
        {
            v.push_back(std::stod(cell));
        }
        ASSERT_EQ(v.size(), 7u);
        EXPECT_GE(v[2], lastThroughput) << line;
        EXPECT_LE(v[3], lastPerUser * (1 + 1e-9)) << line;
        EXPECT_EQ(v[6], 4); // accelerators
        lastThroughput = v[2];
        lastPerUser = v[3];
        ++rows;
    }
    EXPECT_EQ(rows, 4);
}

TEST(EndToEnd, AcceleratorsAgreeEverywhere)
{
    // Decode on 4 WSE-3, prefill on 2 stages of 8 Trainium3: 4 + 16 = 20 devices, counted from
    // the scenario file, in /summary and in wafer-frontier's CSV alike.
    const std::string scenario = SourcePath("scenarios/pd-trainium3-wse3-70b.json");
    const std::string dir = TempDir("accelerators");
    const RunOutput sim = RunProgram(
        "wafer-sim", "--quiet --fidelity=flow --scenario=" + scenario + " --out=" + dir + "/r.h5");
    ASSERT_EQ(sim.exitCode, 0) << sim.err;
    const double tps = ReadField(dir + "/r.h5", "/summary", "tokens_per_s").at(0);
    EXPECT_EQ(ReadField(dir + "/r.h5", "/summary", "accelerators").at(0), 20);
    EXPECT_NEAR(ReadField(dir + "/r.h5", "/summary", "tokens_per_s_per_accelerator").at(0),
                tps / 20,
                1e-9 * tps);
    const RunOutput frontier = RunProgram(
        "wafer-frontier",
        "--scenario=" + scenario + " --fidelity=flow --concurrency=4 --requests=8 --output=16");
    ASSERT_EQ(frontier.exitCode, 0) << frontier.err;
    std::istringstream in(frontier.out);
    std::string line;
    std::getline(in, line); // header
    std::getline(in, line);
    std::vector<double> v;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ','))
    {
        v.push_back(std::stod(cell));
    }
    ASSERT_EQ(v.size(), 7u);
    EXPECT_EQ(v[6], 20);                       // accelerators
    EXPECT_NEAR(v[2], v[1] / 20, 1e-5 * v[1]); // tokens/s per accelerator (CSV: 6 digits)
}

TEST(EndToEnd, IoBandwidthIsTheDevicePorts)
{
    // A CS-3 leaves the wafer through 12 x 100 GbE: 150 GB/s each way. With 800G co-packaged
    // optics on the same 12 ports, 12 x 800 Gb/s = 1.2 TB/s.
    const std::string dir = TempDir("io-bandwidth");
    for (const auto& [link, bytesPerS] :
         {std::pair{"ethernet-100g-dac", 150e9}, std::pair{"cpo-800g", 1.2e12}})
    {
        WriteFile(dir + "/s.json",
                  std::string(R"({"schema": "wafer-scenario/1", "name": "io",
                    "model": "llama-3.1-8b", "device": "wse-3", "wafers": 2,
                    "network": {"link": ")")
                      + link + R"(", "ports_per_device": 12},
                    "workload": {"generator": {"arrival": "burst", "requests": 2,
                      "input_tokens": {"dist": "fixed", "value": 64},
                      "output_tokens": {"dist": "fixed", "value": 4}}}})");
        const RunOutput r = RunProgram("wafer-sim",
                                       "--quiet --fidelity=flow --scenario=" + dir
                                           + "/s.json --out=" + dir + "/r.h5");
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NEAR(ReadField(dir + "/r.h5", "/summary", "io_bandwidth_bytes_per_s").at(0),
                    bytesPerS,
                    1e-9 * bytesPerS)
            << link;
    }
}

TEST(EndToEnd, EveryShippedScenarioRuns)
{
    // Each scenario file in scenarios/ (serving schema) loads and runs at flow fidelity, quickly;
    // each sweep file passes wafer-sweep --check; each weight-streaming study runs.
    namespace fs = std::filesystem;
    int ran = 0;
    for (const auto& entry : fs::recursive_directory_iterator(SourcePath("scenarios")))
    {
        const std::string path = entry.path().string();
        if (entry.path().extension() != ".json" || path.find("/bench/") != std::string::npos)
        {
            continue; // benchmark cases are long by design (make bench)
        }
        std::ifstream in(path);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        if (text.find("\"wafer-sweep/1\"") != std::string::npos)
        {
            // A sweep file (docs/sweeps.md): every point must be valid input.
            const RunOutput r = RunProgram("wafer-sweep", path + " --check");
            EXPECT_EQ(r.exitCode, 0) << path << ": " << r.err;
            continue;
        }
        const std::string dir = TempDir("every-" + entry.path().stem().string());
        if (text.find("\"wafer-streaming/1\"") != std::string::npos)
        {
            // A weight-streaming study (wafer-stream).
            const RunOutput r = RunProgram(
                "wafer-stream", "--quiet --scenario=" + path + " --out=" + dir + "/r.h5");
            EXPECT_EQ(r.exitCode, 0) << path << ": " << r.err;
            EXPECT_GT(ReadField(dir + "/r.h5", "/summary", "points").at(0), 0) << path;
            continue;
        }
        const RunOutput r = RunProgram(
            "wafer-sim", "--quiet --fidelity=flow --scenario=" + path + " --out=" + dir + "/r.h5");
        EXPECT_EQ(r.exitCode, 0) << path << ": " << r.err;
        EXPECT_GT(ReadField(dir + "/r.h5", "/summary", "completed").at(0), 0) << path;
        ++ran;
    }
    EXPECT_GE(ran, 13);
}
