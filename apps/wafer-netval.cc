/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-netval: the fidelity ladder side by side. Runs the validation cases (one switch hop,
// three hops through leaf-spine-leaf, an 8-to-1 incast) at packet (UDP/IP), chunk and flow level
// and prints a Markdown table of completion times and errors against packet level
// (docs/validation.md is its output).

#include "cli-args.h"

#include "ns3/network-validation.h"
#include "ns3/nstime.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <string>

using namespace ns3::wafer;

namespace
{
const char* kUsage
    = "usage: wafer-netval\nPrints the cross-fidelity table of docs/validation.md (packet, "
      "chunk and flow level on three cases).\n";

void
PrintTable()
{
    std::printf("| case | message | bytes | packet (us) | chunk (us) | chunk error | flow (us) | "
                "flow error |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    for (const NetCase& c : ValidationCases())
    {
        const NetCaseResult packet = RunNetCase(c, "packet");
        const NetCaseResult chunk = RunNetCase(c, "chunk");
        const NetCaseResult flow = RunNetCase(c, "flow");
        double chunkErr = 0;
        double flowErr = 0;
        for (size_t i = 0; i < packet.completionS.size(); ++i)
        {
            const double p = packet.completionS[i];
            const double ce = chunk.completionS[i] / p - 1;
            const double fe = flow.completionS[i] / p - 1;
            chunkErr = std::max(chunkErr, std::abs(ce));
            flowErr += std::abs(fe) / packet.completionS.size();
            std::printf(
                "| %s | %zu: %u -> %u | %llu | %.3f | %.3f | %+.3f %% | %.3f | %+.3f %% |\n",
                c.name.c_str(),
                i,
                c.messages[i].src,
                c.messages[i].dst,
                static_cast<unsigned long long>(c.messages[i].bytes),
                p * 1e6,
                chunk.completionS[i] * 1e6,
                100 * ce,
                flow.completionS[i] * 1e6,
                100 * fe);
        }
        std::printf("| %s | **worst chunk, mean flow** | | | | **%.3f %%** | | **%.3f %%** |\n",
                    c.name.c_str(),
                    100 * chunkErr,
                    100 * flowErr);
    }
}
} // namespace

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    if (const int rc = CommonOptions(argc, argv, "wafer-netval", kUsage, Introspection::Ns3);
        rc >= 0)
    {
        return rc;
    }
    if (argc > 1)
    {
        std::fprintf(
            stderr, "wafer-netval: error: %s: unknown argument (it takes none)\n", argv[1]);
        return 2;
    }
    try
    {
        PrintTable();
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "wafer-netval: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
