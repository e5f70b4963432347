/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Running sweeps: every point once, the index, skipping complete results and redoing broken
// ones, failures, Ctrl-C, and the GNU parallel and SLURM job files run by hand.

#include "result-validation.h"
#include "sweep-point.h"
#include "sweep-spec.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace wafertest;
namespace fs = std::filesystem;

namespace
{
const char* kBase = R"({"schema": "wafer-scenario/1", "name": "tiny", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 20, "requests": 3,
    "input_tokens": {"dist": "fixed", "value": 64}, "output_tokens": {"dist": "uniform", "min": 2, "max": 9}}},
  "seed": 1})";

std::string
MakeSweep(const std::string& name, const std::string& body)
{
    const std::string dir = TempDir("run-" + name);
    WriteFile(dir + "/base.json", kBase);
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "name": ")" + name + R"(", "base": "base.json", )"
                  + body + "}");
    return dir;
}

nlohmann::json
Index(const std::string& out)
{
    std::ifstream in(out + "/index.json");
    return nlohmann::json::parse(in);
}

std::vector<ns3::wafer::SweepPoint>
Points(const std::string& dir)
{
    return ns3::wafer::ExpandSweep(ns3::wafer::SweepSpec::LoadFile(dir + "/sweep.json"));
}

size_t
CountFiles(const std::string& dir, const std::string& needle)
{
    size_t n = 0;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir, ec))
    {
        n += f.path().filename().string().find(needle) != std::string::npos ? 1 : 0;
    }
    return n;
}

/// Stops a background wafer-sweep that a failed check left running.
struct Reaper
{
    pid_t pid;
    ~Reaper()
    {
        if (::kill(pid, 0) == 0)
        {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

/// Start wafer-sweep with \p args in the background; returns its pid.
pid_t
StartSweep(const std::vector<std::string>& args, const std::string& log)
{
    return StartProgram("wafer-sweep", args, log);
}

/// A sweep of three points whose runs (a stand-in for wafer-sim) write their temporary result
/// and hang, started in the background with two workers; returns once both points run.
struct HangingSweep
{
    std::string dir;
    std::string out;
    pid_t pid;
};

HangingSweep
StartHangingSweep(const std::string& name)
{
    HangingSweep h;
    h.dir = MakeSweep(name, R"("grid": {"serving.microbatches": [1, 2, 3]})");
    const std::string fake = h.dir + "/fake-sim";
    WriteFile(fake,
              "#!/bin/sh\nfor a; do case $a in --out=*) out=${a#--out=};; esac; done\n"
              "echo partial > \"$out.tmp.$$\"\nexec sleep 20\n");
    fs::permissions(fake, fs::perms::owner_all);
    h.out = h.dir + "/out";
    h.pid = StartSweep({h.dir + "/sweep.json", "--out=" + h.out, "--jobs=2", "--sim=" + fake},
                       h.dir + "/err");
    for (int i = 0; i < 100 && CountFiles(h.out + "/points", ".tmp.") < 2; ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return h;
}
} // namespace

TEST(SweepRun, EveryPointOnceWithAnIndex)
{
    const std::string dir
        = MakeSweep("index", R"("grid": {"serving.microbatches": [1, 2]}, "seeds": [1, 2])");
    const std::string out = dir + "/out";
    const RunOutput r = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out + " --jobs=2");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("4 points, 0 already complete, 4 to run with 2 workers"),
              std::string::npos)
        << r.err;
    const auto index = Index(out);
    EXPECT_EQ(index["schema"], "wafer-sweep-index/1");
    EXPECT_EQ(index["parameters"], nlohmann::json::array({"serving.microbatches"}));
    const auto points = Points(dir);
    ASSERT_EQ(index["points"].size(), 4u);
    for (size_t k = 0; k < 4; ++k)
    {
        const auto& e = index["points"][k];
        EXPECT_EQ(e["id"], k);
        EXPECT_EQ(e["status"], "done") << e.dump();
        EXPECT_EQ(e["seed"], points[k].seed);
        EXPECT_EQ(e["parameters"]["serving.microbatches"], k < 2 ? 1 : 2);
        EXPECT_EQ(e["result"], "points/" + points[k].stem + ".h5");
        const std::string file = out + "/" + e["result"].get<std::string>();
        EXPECT_EQ(ns3::wafer::CheckResultFile(file, points[k].Expected()), "");
        EXPECT_EQ(StringAttribute(file, "attribute_overrides"), "");
    }
    // Seeds change the generated requests.
    EXPECT_NE(ReadField(out + "/" + index["points"][0]["result"].get<std::string>(),
                        "/requests",
                        "output_tokens"),
              ReadField(out + "/" + index["points"][1]["result"].get<std::string>(),
                        "/requests",
                        "output_tokens"));
    // A point's result is what wafer-sim gives for its scenario and seed, byte for byte.
    const std::string direct = dir + "/direct.h5";
    ASSERT_EQ(RunProgram("wafer-sim",
                         "--scenario=" + out + "/"
                             + index["points"][3]["scenario"].get<std::string>()
                             + " --seed=2 --quiet --out=" + direct)
                  .exitCode,
              0);
    for (const char* ds : {"/requests", "/summary", "/links", "/stages"})
    {
        EXPECT_EQ(DatasetBytes(direct, ds),
                  DatasetBytes(out + "/" + index["points"][3]["result"].get<std::string>(), ds))
            << ds;
    }
    // index.csv: a header and one line per point.
    std::ifstream csv(out + "/index.csv");
    std::string header;
    std::getline(csv, header);
    EXPECT_EQ(header.rfind("id,status,seed,serving.microbatches,result", 0), 0u) << header;
    EXPECT_EQ(CountFiles(out + "/points", ".h5"), 4u);
    EXPECT_EQ(CountFiles(out + "/points", ".tmp."), 0u);
}

TEST(SweepRun, SkipsCompleteResultsAndRedoesBrokenOnes)
{
    const std::string dir = MakeSweep("redo", R"("grid": {"serving.microbatches": [1, 2, 3, 4]})");
    const std::string out = dir + "/out";
    const std::string cmd = dir + "/sweep.json --out=" + out + " --jobs=2";
    ASSERT_EQ(RunProgram("wafer-sweep", cmd).exitCode, 0);
    const auto points = Points(dir);
    auto file = [&](size_t k)
    {
        return out + "/points/" + points[k].stem + ".h5";
    };
    struct stat before;
    ::stat(file(0).c_str(), &before);

    RunOutput again = RunProgram("wafer-sweep", cmd);
    EXPECT_EQ(again.exitCode, 0);
    EXPECT_NE(again.err.find("4 already complete, 0 to run"), std::string::npos) << again.err;

    fs::resize_file(file(1), 1000);                  // truncated
    fs::remove(file(2));                             // missing
    WriteFile(file(3), "not an HDF5 file at all\n"); // garbage
    again = RunProgram("wafer-sweep", cmd);
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_NE(again.err.find("1 already complete, 3 to run"), std::string::npos) << again.err;
    struct stat after;
    ::stat(file(0).c_str(), &after);
    EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec) << "a complete point is not rerun";
    EXPECT_EQ(before.st_ino, after.st_ino);
    for (size_t k = 0; k < 4; ++k)
    {
        EXPECT_EQ(ns3::wafer::CheckResultFile(file(k), points[k].Expected()), "") << k;
    }

    // A valid result of another point in a point's place is redone too.
    fs::copy_file(file(0), file(1), fs::copy_options::overwrite_existing);
    again = RunProgram("wafer-sweep", cmd);
    EXPECT_NE(again.err.find("3 already complete, 1 to run"), std::string::npos) << again.err;

    // Changing the sweep redoes only the points that changed.
    WriteFile(dir + "/sweep.json",
              R"({"schema": "wafer-sweep/1", "name": "redo", "base": "base.json",
                  "grid": {"serving.microbatches": [1, 2, 5]}})");
    again = RunProgram("wafer-sweep", cmd);
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_NE(again.err.find("3 points, 2 already complete, 1 to run"), std::string::npos)
        << again.err;
    EXPECT_EQ(Index(out)["points"].size(), 3u);
}

TEST(SweepRun, FailedPointsAreRecordedAndRetried)
{
    const std::string dir
        = MakeSweep("fail", R"("zip": {"model": ["llama-3.1-8b", "llama-3.1-70b"]})");
    const std::string out = dir + "/out";
    const RunOutput r = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out + " --jobs=2");
    EXPECT_EQ(r.exitCode, 1) << r.err;
    const auto index = Index(out);
    EXPECT_EQ(index["points"][0]["status"], "done");
    EXPECT_EQ(index["points"][1]["status"], "failed");
    EXPECT_NE(index["points"][1]["error"].get<std::string>().find("does not fit"),
              std::string::npos)
        << index["points"][1];
    EXPECT_NE(r.err.find("point 1 (model=llama-3.1-70b, seed 1) failed: wafer-sim: error:"),
              std::string::npos)
        << r.err;
    const RunOutput again = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out);
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("1 already complete, 1 to run"), std::string::npos) << again.err;
}

TEST(SweepRun, InterruptStopsChildrenAndLeavesNoHalfFiles)
{
    const HangingSweep h = StartHangingSweep("sigint");
    const std::string& dir = h.dir;
    const std::string& out = h.out;
    const pid_t pid = h.pid;
    Reaper reaper{pid};
    ASSERT_EQ(CountFiles(out + "/points", ".tmp."), 2u) << "two points running";
    ::kill(pid, SIGINT);
    EXPECT_EQ(WaitExit(pid), 130);
    EXPECT_EQ(CountFiles(out + "/points", ".tmp."), 0u);
    EXPECT_EQ(CountFiles(out + "/points", ".h5"), 0u);
    EXPECT_EQ(CountFiles(out + "/points", ".json"), 3u) << "scenarios stay, they are complete";
    EXPECT_EQ(CountFiles(out, ".tmp."), 0u);
    const auto index = Index(out);
    for (const auto& e : index["points"])
    {
        EXPECT_EQ(e["status"], "pending") << e.dump();
    }
    std::ifstream err(dir + "/err");
    const std::string text((std::istreambuf_iterator<char>(err)), {});
    EXPECT_NE(text.find("interrupted: 0 of 3 points done"), std::string::npos) << text;
}

TEST(SweepRun, KilledSweepTakesItsChildrenAndLockAlong)
{
    // Found by kill -9 runs: the children (own process groups, the lock's descriptor inherited)
    // outlived the sweep and kept .wafer-sweep.lock, so a rerun was refused.
    const HangingSweep h = StartHangingSweep("kill9");
    const std::string& dir = h.dir;
    const std::string& out = h.out;
    const pid_t pid = h.pid;
    Reaper reaper{pid};
    ASSERT_EQ(CountFiles(out + "/points", ".tmp."), 2u) << "two points running";
    // The children's pids, from their temporary files' names.
    std::vector<pid_t> children;
    for (const auto& f : fs::directory_iterator(out + "/points"))
    {
        const std::string name = f.path().filename().string();
        if (name.find(".tmp.") != std::string::npos)
        {
            children.push_back(std::stoi(name.substr(name.rfind('.') + 1)));
        }
    }
    ::kill(pid, SIGKILL);
    EXPECT_EQ(WaitExit(pid), 128 + SIGKILL);
    for (const pid_t child : children)
    {
        bool gone = false;
        for (int i = 0; i < 100 && !gone; ++i)
        {
            gone = ::kill(child, 0) != 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        EXPECT_TRUE(gone) << "child " << child << " outlived the sweep";
    }
    // The rerun takes the folder over, and the real runs remove the dead children's leftovers.
    const RunOutput again = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out);
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(CountFiles(out + "/points", ".h5"), 3u) << "three results";
    EXPECT_EQ(CountFiles(out + "/points", ".tmp."), 0u);
}

TEST(SweepRun, InterruptedRealRunResumes)
{
    const std::string dir
        = MakeSweep("resume", R"("set": {"fidelity": "chunk", "workload.generator.requests": 24},
                               "grid": {"serving.microbatches": [1, 2, 3, 4, 5, 6]})");
    const std::string out = dir + "/out";
    const pid_t pid = StartSweep({dir + "/sweep.json", "--out=" + out, "--jobs=2"}, dir + "/err");
    Reaper reaper{pid};
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    ::kill(pid, SIGTERM);
    const int rc = WaitExit(pid);
    EXPECT_TRUE(rc == 143 || rc == 0) << rc;
    EXPECT_EQ(CountFiles(out + "/points", ".tmp."), 0u);
    const auto points = Points(dir);
    const auto index = Index(out);
    size_t done = 0;
    for (size_t k = 0; k < points.size(); ++k)
    {
        const std::string file = out + "/points/" + points[k].stem + ".h5";
        const bool valid = ns3::wafer::CheckResultFile(file, points[k].Expected()).empty();
        EXPECT_EQ(index["points"][k]["status"], valid ? "done" : "pending") << k;
        EXPECT_TRUE(valid || !Exists(file)) << "no invalid file left: " << k;
        done += valid;
    }
    const RunOutput again = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out);
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_NE(again.err.find(std::to_string(done) + " already complete"), std::string::npos)
        << again.err;
}

TEST(SweepRun, SlurmJobArrayRunByHandThenCollected)
{
    const std::string dir = MakeSweep("slurm-files", R"("replications": 5)");
    const std::string out = dir + "/out";
    const RunOutput r = RunProgram("wafer-sweep",
                                   dir + "/sweep.json --out=" + out
                                       + " --backend=slurm --no-submit --max-array=2 "
                                         "--sbatch-args='--partition=debug --time=5'");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::ifstream script(out + "/slurm/job.sh");
    const std::string text((std::istreambuf_iterator<char>(script)), {});
    EXPECT_NE(text.find("#SBATCH --array=0-1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("#SBATCH --partition=debug\n#SBATCH --time=5\n"), std::string::npos);
    EXPECT_NE(r.out.find("submit: sbatch " + out + "/slurm/job.sh"), std::string::npos) << r.out;
    // Array task 0 runs lines 1, 3, 5 and task 1 lines 2, 4: every point once.
    for (int task : {0, 1})
    {
        EXPECT_EQ(std::system(("SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash " + out
                               + "/slurm/job.sh")
                                  .c_str()),
                  0);
    }
    const RunOutput c = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out + " --collect");
    EXPECT_EQ(c.exitCode, 0) << c.err;
    EXPECT_NE(c.err.find("5 of 5 points done, 0 failed"), std::string::npos) << c.err;
}

TEST(SweepRun, ParallelJobList)
{
    const std::string dir = MakeSweep("parallel", R"("replications": 3)");
    const std::string out = dir + "/out";
    const RunOutput r = RunProgram(
        "wafer-sweep", dir + "/sweep.json --out=" + out + " --backend=parallel --jobs=2");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("parallel --jobs 2 --joblog " + out + "/parallel/joblog.txt < " + out
                         + "/parallel/jobs.txt"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(std::system(("bash " + out + "/parallel/jobs.txt").c_str()), 0);
    RunOutput c = RunProgram("wafer-sweep", dir + "/sweep.json --out=" + out + " --collect");
    EXPECT_EQ(c.exitCode, 0) << c.err;
    if (!Exists("/usr/bin/parallel"))
    {
        GTEST_SKIP() << "GNU parallel is not installed: ran the job list with bash only";
    }
    fs::remove_all(out);
    c = RunProgram("wafer-sweep",
                   dir + "/sweep.json --out=" + out + " --backend=parallel --jobs=2 --wait");
    EXPECT_EQ(c.exitCode, 0) << c.err;
    EXPECT_NE(c.err.find("3 of 3 points done"), std::string::npos) << c.err;
}
