/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-netbench: network cases at every fidelity in one run of one binary. By default KV-60
// (scenarios/bench/kv60-1hop.json and kv60-3hop.json): a 60 GB KV cache crosses a 150 GB/s path
// (12 x 100 GbE) through 1 or 3 switch hops while 32 KB activation messages compete for the
// receiver's ports. Prints wall time, events, peak memory and the KV completion time per
// fidelity (each in a child process of this one, so that peak memory is its own), and the
// speed-up of each against packet level.
//
//   build/bin/wafer-netbench [--case=FILE ...] [--scale=1] [--skip-packet]   (from the repository)

#include "cli-args.h"

#include "ns3/input-error.h"
#include "ns3/network-validation.h"
#include "ns3/nstime.h"
#include "ns3/run-progress.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace ns3::wafer;

namespace
{
const char* kUsage
    = "usage: wafer-netbench [--case=FILE ...] [--scale=1] [--skip-packet] [--quiet] [--progress]\n"
      "       (from the repository)\n"
      "Runs network cases (default: KV-60 over 1 and 3 hops, scenarios/bench/kv60-*.json) at\n"
      "packet, chunk and flow level, each in a child process, and prints wall time, events,\n"
      "peak memory and the KV completion time per fidelity (docs/performance.md).\n"
      "--skip-packet skips the UDP/IP packet level only: the bare baseline (one frame per\n"
      "chunk through ns-3 devices and queues) still runs, and speed-ups are against it.\n"
      "On a terminal a progress line (simulated time, runs done, events/s, time left) shows on\n"
      "stderr; --quiet hides it, --progress shows it elsewhere too.\n";

/// Run one fidelity in a child process, so that its peak memory is its own (wait4's rusage).
NetCaseResult
Isolated(const NetCase& c, const std::string& fidelity)
{
    int fd[2];
    if (pipe(fd) != 0)
    {
        return RunNetCase(c, fidelity);
    }
    const pid_t pid = fork();
    if (pid == 0)
    {
        close(fd[0]);
        try
        {
            const NetCaseResult r = RunNetCase(c, fidelity);
            double out[3] = {r.completionS.at(0), r.wallS, double(r.events)};
            if (write(fd[1], out, sizeof(out)) != sizeof(out))
            {
                _exit(1);
            }
        }
        catch (const std::exception& e)
        {
            std::fprintf(stderr,
                         "wafer-netbench: error: %s at %s fidelity: %s\n",
                         c.name.c_str(),
                         fidelity.c_str(),
                         e.what());
            _exit(1);
        }
        _exit(0);
    }
    close(fd[1]);
    double in[3] = {0, 0, 0};
    const bool ok = read(fd[0], in, sizeof(in)) == sizeof(in);
    close(fd[0]);
    int status = 0;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    NetCaseResult r;
    if (ok)
    {
        r.completionS = {in[0]};
        r.wallS = in[1];
        r.events = static_cast<uint64_t>(in[2]);
        r.peakRssKb = usage.ru_maxrss;
    }
    return r;
}
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-netbench", kUsage, Introspection::Ns3);
        rc >= 0)
    {
        return rc;
    }
    double scale = 1;
    bool skipPacket = false;
    bool quiet = false;
    bool progress = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i)
    {
        if (std::strncmp(argv[i], "--scale=", 8) == 0)
        {
            char* end = nullptr;
            scale = std::strtod(argv[i] + 8, &end);
            if (*end != '\0' || !(scale > 0))
            {
                std::fprintf(stderr, "wafer-netbench: error: --scale: must be a number > 0\n");
                return 2;
            }
        }
        else if (std::strncmp(argv[i], "--case=", 7) == 0)
        {
            files.emplace_back(argv[i] + 7);
        }
        else if (std::strcmp(argv[i], "--skip-packet") == 0)
        {
            skipPacket = true;
        }
        else if (std::strcmp(argv[i], "--quiet") == 0 || std::strcmp(argv[i], "--progress") == 0)
        {
            (argv[i][2] == 'q' ? quiet : progress) = true;
        }
        else
        {
            return ReportInputError(
                "wafer-netbench",
                InputError(std::string(argv[i]) + ": unknown argument (see --help)").what());
        }
    }
    if (files.empty())
    {
        files = {"scenarios/bench/kv60-1hop.json", "scenarios/bench/kv60-3hop.json"};
    }
    std::vector<NetCase> cases;
    try
    {
        for (const auto& f : files)
        {
            cases.push_back(LoadNetCase(f, scale));
        }
    }
    catch (const ns3::wafer::InputError& e)
    {
        std::fprintf(stderr, "wafer-netbench: error: %s\n", e.what());
        return 2;
    }
    // The table's head once every case has been read: bad input prints nothing on stdout.
    std::printf("| case | fidelity | KV done (s) | wall (s) | events | peak RSS (MB) | speed-up vs "
                "packet | speed-up vs bare packet |\n|---|---|---|---|---|---|---|---|\n");
    // Each run's child process shows the line from its copy of the count of runs done.
    const double runs = cases.size() * (skipPacket ? 3.0 : 4.0);
    double runsDone = 0;
    std::unique_ptr<ns3::wafer::ProgressScope> line;
    if (ns3::wafer::RunProgress::Wanted(quiet, progress))
    {
        ns3::wafer::RunProgress::Install();
        line = std::make_unique<ns3::wafer::ProgressScope>("wafer-netbench",
                                                           [&runsDone, runs]()
                                                           {
                                                               return runsDone / runs;
                                                           });
    }
    for (const NetCase& c : cases)
    {
        double packetWall = 0;
        double bareWall = 0;
        for (const char* f : {"packet", "bare", "chunk", "flow"})
        {
            if (skipPacket && std::string(f) == "packet")
            {
                continue;
            }
            const NetCaseResult r = Isolated(c, f);
            ++runsDone;
            ns3::wafer::RunProgress::Clear();
            if (r.completionS.empty())
            {
                // The child said why on stderr, or died without a word.
                std::fprintf(stderr,
                             "wafer-netbench: error: %s at %s fidelity did not finish\n",
                             c.name.c_str(),
                             f);
                return 1;
            }
            if (std::string(f) == "packet")
            {
                packetWall = r.wallS;
            }
            if (std::string(f) == "bare")
            {
                bareWall = r.wallS;
            }
            std::printf("| %s | %s | %.6f | %.3f | %llu | %.1f | %s | %s |\n",
                        c.name.c_str(),
                        f,
                        r.completionS[0],
                        r.wallS,
                        static_cast<unsigned long long>(r.events),
                        r.peakRssKb / 1024.0,
                        packetWall > 0 ? std::to_string(packetWall / r.wallS).c_str() : "-",
                        bareWall > 0 ? std::to_string(bareWall / r.wallS).c_str() : "-");
            std::fflush(stdout);
        }
    }
    return 0;
}
