/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The golden-result test: every shipped scenario, run by its own program, must give the same
// result bytes as recorded in tests/golden/digests.tsv: each HDF5 dataset and attribute (the
// wall_* timing aside), each CSV and each printed plan, digested one object at a time so that
// a failure names what changed. It guards refactors that must not change results.
//
// Record the digests again only for a deliberate change of results, and say which results
// changed and why: `make golden-update` (runs every case, both tiers, in one process).
//
// The regular tier runs with `make test`; the long tier (the 405B benchmarks of 1,000 requests
// and of one hour, and the 1,000-point sweep) with `make golden-full`.

#include "result-digest.h"
#include "test-util.h"

#include "ns3/network-validation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace wafertest;
namespace fs = std::filesystem;

namespace
{
/// One program run whose outputs are digested.
struct GoldenCase
{
    std::string program; ///< wafer-sim, wafer-stream, wafer-sweep, wafer-frontier, wafer-plan,
                         ///< netcase
    std::string input;   ///< a scenario, study, sweep or case file under the source tree, or
                         ///< the arguments of wafer-plan
    std::string Key() const
    {
        return program + " " + input;
    }
};

void
PrintTo(const GoldenCase& c, std::ostream* os)
{
    *os << c.Key();
}

std::string
GoldenFile()
{
    return SourcePath("tests/golden/digests.tsv");
}

/// The golden entries: case -> object -> digest.
std::map<std::string, std::map<std::string, std::string>>
ReadGolden()
{
    std::map<std::string, std::map<std::string, std::string>> out;
    std::ifstream in(GoldenFile());
    std::string line;
    while (std::getline(in, line))
    {
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        std::istringstream row(line);
        std::string key, object, digest;
        std::getline(row, key, '\t');
        std::getline(row, object, '\t');
        std::getline(row, digest, '\t');
        out[key][object] = digest;
    }
    return out;
}

void
WriteGolden(const std::map<std::string, std::map<std::string, std::string>>& all)
{
    std::ofstream out(GoldenFile() + ".tmp");
    out << "# Golden result digests (tests/golden-test.cc): case, object, FNV-1a 64 of its type,\n"
           "# shape and bytes. Regenerate only for a deliberate change of results (make "
           "golden-update).\n";
    for (const auto& [key, objects] : all)
    {
        for (const auto& [object, digest] : objects)
        {
            out << key << "\t" << object << "\t" << digest << "\n";
        }
    }
    out.close();
    fs::rename(GoldenFile() + ".tmp", GoldenFile());
}

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string
SchemaOf(const std::string& path)
{
    const std::string text = Slurp(path);
    for (const char* s :
         {"wafer-scenario/1", "wafer-streaming/1", "wafer-sweep/1", "wafer-netcase/1"})
    {
        if (text.find(std::string("\"") + s + "\"") != std::string::npos)
        {
            return s;
        }
    }
    return "";
}

/// Inputs of the long tier: too slow for every test run.
bool
LongCase(const std::string& relative)
{
    return relative == "scenarios/bench/llama-405b-1000.json"
           || relative == "scenarios/bench/llama-405b-1h.json"
           || relative == "scenarios/bench/deepseek-v3-512-h200-10min.json"
           || relative == "scenarios/studies/cluster-scale-out/sweep-scale-out.json"
           || relative == "scenarios/bench/sweep-1000.json"
           || relative == "scenarios/studies/link-failures/sweep.json";
}

/// Every shipped input with its program, in a stable order.
std::vector<GoldenCase>
AllCases(bool longTier)
{
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(SourcePath("scenarios")))
    {
        if (e.path().extension() == ".json")
        {
            files.push_back(fs::relative(e.path(), SourcePath("")).string());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<GoldenCase> cases;
    for (const auto& f : files)
    {
        if (LongCase(f) != longTier)
        {
            continue;
        }
        const std::string schema = SchemaOf(SourcePath(f));
        if (schema == "wafer-scenario/1")
        {
            cases.push_back({"wafer-sim", f});
        }
        else if (schema == "wafer-streaming/1")
        {
            cases.push_back({"wafer-stream", f});
        }
        else if (schema == "wafer-sweep/1")
        {
            cases.push_back({"wafer-sweep", f});
        }
        else if (schema == "wafer-netcase/1")
        {
            cases.push_back({"netcase", f});
        }
    }
    if (!longTier)
    {
        // The programs that read a scenario but write something else.
        cases.push_back({"wafer-frontier", "scenarios/default.json"});
        cases.push_back({"wafer-frontier", "scenarios/pd-trainium3-wse3-70b.json"});
        cases.push_back({"wafer-plan", "--model=llama-3.1-405b --device=wse-3 --context=131072"});
        cases.push_back(
            {"wafer-plan", "--model=llama-3.1-70b --device=h100 --tp=8 --context=8192"});
        cases.push_back({"wafer-plan", "--model=deepseek-v3 --device=gb300 --tp=8 --format=json"});
        cases.push_back({"netcase", "validation"});
    }
    return cases;
}

/// Digests of the simulated times of a network case at every fidelity.
void
DigestNetCases(const std::vector<ns3::wafer::NetCase>& cases,
               std::map<std::string, std::string>& out)
{
    for (const auto& c : cases)
    {
        for (const char* fidelity : {"flow", "chunk", "chunk-devices", "packet"})
        {
            const auto r = ns3::wafer::RunNetCase(c, fidelity);
            std::string bytes(reinterpret_cast<const char*>(r.completionS.data()),
                              r.completionS.size() * sizeof(double));
            bytes.append(reinterpret_cast<const char*>(r.idealS.data()),
                         r.idealS.size() * sizeof(double));
            bytes += "|" + std::to_string(r.events);
            out[c.name + ":" + fidelity] = Fnv1a(bytes);
        }
    }
}

/// Run one case and digest everything it wrote.
std::map<std::string, std::string>
RunCase(const GoldenCase& c, const std::string& dir)
{
    const std::vector<std::string> locations = {SourcePath(""), dir};
    std::map<std::string, std::string> out;
    const std::string input = SourcePath(c.input);
    auto run = [&](const std::string& program, const std::string& args)
    {
        const RunOutput r = RunProgram(program, args);
        if (r.exitCode != 0)
        {
            throw std::runtime_error(program + " " + args + " failed: " + r.err);
        }
        return r;
    };
    if (c.program == "wafer-sim" || c.program == "wafer-stream")
    {
        run(c.program, "--quiet --scenario=" + input + " --out=" + dir + "/r.h5");
        out = DigestResultFile(dir + "/r.h5", locations);
    }
    else if (c.program == "wafer-sweep")
    {
        run(c.program, input + " --quiet --jobs=2 --out=" + dir + "/sweep");
        // Points by their number in the sweep, one digest per point over its objects' digests.
        // A point's file name hashes its scenario text, which holds absolute paths: it is a
        // location too.
        const auto index = nlohmann::json::parse(Slurp(dir + "/sweep/index.json"));
        for (const auto& point : index["points"])
        {
            const std::string result = point["result"].get<std::string>();
            std::vector<std::string> pointLocations = locations;
            pointLocations.push_back(fs::path(result).stem().string());
            std::string objects;
            for (const auto& [object, digest] :
                 DigestResultFile(dir + "/sweep/" + result, pointLocations))
            {
                objects += object + "\t" + digest + "\n";
            }
            char key[32];
            std::snprintf(key, sizeof key, "point-%04d", point["id"].get<int>());
            out[key] = Fnv1a(objects);
        }
    }
    else if (c.program == "wafer-frontier")
    {
        run(c.program,
            "--fidelity=flow --concurrency=1,4,16 --requests=16 --scenario=" + input
                + " --out=" + dir + "/f.csv");
        out["csv"] = DigestText(Slurp(dir + "/f.csv"), locations);
    }
    else if (c.program == "wafer-plan")
    {
        out["stdout"] = DigestText(run(c.program, c.input).out, locations);
    }
    else if (c.program == "netcase")
    {
        if (c.input == "validation")
        {
            DigestNetCases(ns3::wafer::ValidationCases(), out);
        }
        else
        {
            DigestNetCases({ns3::wafer::LoadNetCase(input, 0.001)}, out);
        }
    }
    return out;
}

void
CheckCase(const GoldenCase& c)
{
    static int counter = 0;
    const std::string dir = TempDir("golden-" + std::to_string(++counter));
    const auto got = RunCase(c, dir);
    fs::remove_all(dir);
    ASSERT_FALSE(got.empty()) << c.Key() << ": nothing to digest";
    if (std::getenv("WAFER_GOLDEN_UPDATE"))
    {
        auto all = ReadGolden();
        all[c.Key()] = got;
        WriteGolden(all);
        return;
    }
    const auto all = ReadGolden();
    const auto it = all.find(c.Key());
    ASSERT_NE(it, all.end()) << c.Key()
                             << ": no golden digests (a new scenario: make golden-update)";
    const auto& want = it->second;
    for (const auto& [object, digest] : want)
    {
        const auto g = got.find(object);
        if (g == got.end())
        {
            ADD_FAILURE() << c.Key() << ": " << object << " is missing";
        }
        else
        {
            EXPECT_EQ(g->second, digest) << c.Key() << ": " << object << " changed";
        }
    }
    for (const auto& [object, digest] : got)
    {
        EXPECT_TRUE(want.count(object)) << c.Key() << ": " << object << " is new";
    }
}

std::string
CaseName(const ::testing::TestParamInfo<GoldenCase>& info)
{
    std::string name = info.param.program + "_" + info.param.input;
    for (char& ch : name)
    {
        if (!std::isalnum(static_cast<unsigned char>(ch)))
        {
            ch = '_';
        }
    }
    return name;
}

class Golden : public ::testing::TestWithParam<GoldenCase>
{
};

class GoldenLong : public ::testing::TestWithParam<GoldenCase>
{
};
} // namespace

TEST_P(Golden, SameResultBytes)
{
    CheckCase(GetParam());
}

// Disabled in the regular run: `make golden-full` runs them.
TEST_P(GoldenLong, DISABLED_SameResultBytes)
{
    CheckCase(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Shipped, Golden, ::testing::ValuesIn(AllCases(false)), CaseName);
INSTANTIATE_TEST_SUITE_P(Shipped, GoldenLong, ::testing::ValuesIn(AllCases(true)), CaseName);
