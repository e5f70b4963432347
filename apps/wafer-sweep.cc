/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-sweep: run the points of a sweep file (docs/sweeps.md) here, on SLURM or with GNU
// parallel, one wafer-sim process and one HDF5 file per point, with an index of them all.

#include "batch-jobs.h"
#include "child-process.h"
#include "cli-args.h"
#include "local-runner.h"
#include "parallel-backend.h"
#include "slurm-backend.h"
#include "sweep-point.h"
#include "sweep-spec.h"
#include "sweep-workspace.h"

#include "ns3/input-error.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

using namespace ns3::wafer;

namespace
{
const char* kUsage
    = "usage: wafer-sweep SWEEP.json [--out=DIR] [--jobs=N] [--progress] [--quiet]\n"
      "       wafer-sweep SWEEP.json --backend=slurm [--wait] [--no-submit] "
      "[--sbatch-args=\"...\"]\n"
      "                              [--max-array=N]\n"
      "       wafer-sweep SWEEP.json --backend=parallel [--wait] [--sshloginfile=FILE] [--jobs=N]\n"
      "       wafer-sweep SWEEP.json --collect | --list | --check\n"
      "Runs every point of a sweep (a base scenario and the parameters to vary, docs/sweeps.md):\n"
      "one wafer-sim process and one HDF5 result per point in DIR/points/, and DIR/index.json\n"
      "(and index.csv) mapping point -> parameters -> result file -> status. Points whose result\n"
      "is complete and valid are skipped; broken ones are redone. DIR defaults to\n"
      "results/<sweep name>.\n"
      "  --backend=local     (default) --jobs wafer-sim processes at once on this machine\n"
      "  --backend=slurm     write DIR/slurm/job.sh (a job array) and submit it with sbatch;\n"
      "                      --wait waits for it and collects; --no-submit only writes it\n"
      "  --backend=parallel  write DIR/parallel/jobs.txt and print the GNU parallel command\n"
      "                      (with --sshloginfile to use other machines); --wait runs it here\n"
      "  --collect           check the results a scheduler produced and update the index\n"
      "  --list              print the points (id, parameters, seed, file stem); --check only\n"
      "                      validates the sweep\n"
      "  --sim=PATH          the wafer-sim program (default: beside wafer-sweep)\n"
      "Exit codes: 0 every point done (or submitted), 1 some point failed, 2 bad input,\n"
      "130 interrupted (Ctrl-C; running points are stopped and stay pending).\n";

void
PrintPoints(const std::vector<SweepPoint>& points)
{
    for (const auto& p : points)
    {
        std::printf("%zu\t%s\t%s\n", p.id, p.stem.c_str(), p.Describe().c_str());
    }
}
} // namespace

int
main(int argc, char** argv)
{
    if (const int rc = CommonOptions(argc, argv, "wafer-sweep", kUsage, Introspection::None);
        rc >= 0)
    {
        return rc;
    }
    try
    {
        // The sweep file is the one argument without "--".
        std::string sweepFile;
        std::vector<char*> rest = {argv[0]};
        for (int i = 1; i < argc; ++i)
        {
            if (std::string(argv[i]).rfind("--", 0) != 0 && sweepFile.empty())
            {
                sweepFile = argv[i];
            }
            else
            {
                rest.push_back(argv[i]);
            }
        }
        CliArgs args(
            static_cast<int>(rest.size()),
            rest.data(),
            {"sweep", "out", "jobs", "backend", "sbatch-args", "max-array", "sshloginfile", "sim"},
            {"wait", "no-submit", "collect", "list", "check", "progress", "quiet"});
        if (!args.Attributes().empty())
        {
            throw InputError("--" + args.Attributes().front().first
                             + ": vary ns-3 attributes in the sweep file (grid, zip or set)");
        }
        sweepFile = args.Get("sweep", sweepFile);
        if (sweepFile.empty())
        {
            throw InputError("no sweep file given (see --help)");
        }
        const std::string backend = args.Get("backend", "local");
        if (backend != "local" && backend != "slurm" && backend != "parallel")
        {
            throw InputError("--backend: must be local, slurm or parallel (got '" + backend + "')");
        }
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        const unsigned jobs
            = args.Has("jobs") ? static_cast<unsigned>(args.GetCount("jobs", 1, 4096)) : cores;

        const SweepSpec spec = SweepSpec::LoadFile(sweepFile);
        std::vector<SweepPoint> points = ExpandSweep(spec);
        const size_t fixed = std::count_if(points.begin(),
                                           points.end(),
                                           [](const SweepPoint& p)
                                           {
                                               return !p.seedMatters;
                                           });
        if (spec.Seeds().size() > 1 && fixed > 0 && !args.Flag("quiet"))
        {
            // Replications that cannot differ: the seed draws nothing in these points.
            std::fprintf(stderr,
                         "wafer-sweep: warning: %s: %zu of %zu points replay a fixed trace with "
                         "no random faults: their %zu seeds give the same results\n",
                         sweepFile.c_str(),
                         fixed,
                         points.size(),
                         spec.Seeds().size());
        }
        if (args.Flag("list"))
        {
            PrintPoints(points);
            return 0;
        }
        if (args.Flag("check"))
        {
            std::printf("%s: %zu points (%zu configurations x %zu seeds)\n",
                        sweepFile.c_str(),
                        points.size(),
                        spec.Configurations(),
                        spec.Seeds().size());
            return 0;
        }
        const std::string out = args.Get("out", "results/" + spec.Name());
        const std::string sim = args.Get("sim", ProgramFolder() + "/wafer-sim");
        if (::access(sim.c_str(), X_OK) != 0)
        {
            throw InputError("--sim: " + sim + " is not an executable wafer-sim");
        }
        const std::string collect
            = "wafer-sweep " + ShellQuote(sweepFile) + " --out=" + ShellQuote(out) + " --collect";

        const size_t total = points.size();
        SweepWorkspace ws(spec, std::move(points), out, sim);
        ws.Prepare(args.Flag("collect"));
        if (args.Flag("collect"))
        {
            return CollectAndReport(ws);
        }
        if (backend == "slurm")
        {
            SlurmOptions o;
            o.submit = !args.Flag("no-submit");
            o.wait = args.Flag("wait");
            o.sbatchArgs = args.Get("sbatch-args", "");
            o.maxArray = args.Has("max-array") ? args.GetCount("max-array", 1, 1000000) : 1000;
            o.collectCommand = collect;
            return RunOnSlurm(ws, o);
        }
        if (backend == "parallel")
        {
            ParallelOptions o;
            o.run = args.Flag("wait");
            o.jobs = jobs;
            o.sshLoginFile = args.Get("sshloginfile", "");
            o.collectCommand = collect;
            return RunWithParallel(ws, o);
        }
        const size_t already = total - ws.Unfinished().size();
        LocalRunOptions o;
        o.jobs = jobs;
        o.interactive = ::isatty(2);
        o.progress = !args.Flag("quiet") && (args.Flag("progress") || o.interactive);
        if (!args.Flag("quiet"))
        {
            std::fprintf(stderr,
                         "wafer-sweep: %s: %zu points, %zu already complete, %zu to run with %u "
                         "workers -> %s\n",
                         spec.Name().c_str(),
                         total,
                         already,
                         total - already,
                         jobs,
                         ws.OutDir().c_str());
        }
        const int rc = RunLocally(ws, o);
        if (rc < 128 && !args.Flag("quiet"))
        {
            std::fprintf(stderr,
                         "wafer-sweep: %zu of %zu points done, %zu failed; index %s/index.json\n",
                         ws.Index().Count("done"),
                         total,
                         ws.Index().Count("failed"),
                         ws.OutDir().c_str());
        }
        return rc;
    }
    catch (const InputError& e)
    {
        return ReportInputError("wafer-sweep", e.what());
    }
    catch (const std::exception& e)
    {
        std::cerr << "wafer-sweep: failure: " << e.what() << std::endl;
        return 1;
    }
}
