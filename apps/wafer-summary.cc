/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-summary: result files side by side. Prints chosen /summary fields (default: the latency,
// KV-transfer and energy figures) of every file given, one column per file.
//
//   build/bin/wafer-summary [--fields=a,b,c] FILE.h5 [FILE.h5 ...]

#include "cli-args.h"
#include "result-file.h"

#include "ns3/hdf5-result-writer.h"

#include <boost/algorithm/string.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using ns3::wafer::ResultFile;

namespace
{
const char* kUsage = "usage: wafer-summary [--fields=a,b,c] FILE.h5 [FILE.h5 ...]\n";
} // namespace

int
main(int argc, char** argv)
{
    if (const int rc = CommonOptions(argc, argv, "wafer-summary", kUsage, Introspection::None);
        rc >= 0)
    {
        return rc;
    }
    std::vector<std::string> fields = {"ttft_p50_s",
                                       "ttft_p99_s",
                                       "tpot_p50_s",
                                       "tpot_p99_s",
                                       "request_kv_transfer_mean_s",
                                       "request_kv_wait_mean_s",
                                       "request_kv_wait_p99_s",
                                       "tokens_per_s",
                                       "energy_per_token_j",
                                       "network_energy_per_token_j",
                                       "link_utilisation_max"};
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg.rfind("--fields=", 0) == 0)
        {
            fields.clear();
            boost::algorithm::split(fields, arg.substr(9), boost::is_any_of(","));
        }
        else if (arg.rfind("-", 0) == 0)
        {
            std::cerr << "wafer-summary: error: " << arg << ": unknown option (see --help)"
                      << std::endl;
            return 2;
        }
        else
        {
            files.push_back(arg);
        }
    }
    if (files.empty())
    {
        std::cerr << "wafer-summary: error: no result files given (see --help)" << std::endl;
        return 2;
    }
    std::vector<std::vector<double>> values;
    for (const auto& f : files)
    {
        try
        {
            const ResultFile file(f);
            // Found by fuzzing: any HDF5 file with a /summary was read, and a field it lacked
            // printed as nan with exit 0.
            file.RequireSchema(ns3::wafer::kResultSchemaVersion);
            const auto summary = file.FirstRow("summary");
            std::vector<double> column;
            for (const auto& field : fields)
            {
                const auto it = summary.find(field);
                if (it == summary.end())
                {
                    std::cerr << "wafer-summary: error: " << f << ": /summary has no field '"
                              << field.substr(0, 80) << "'" << std::endl;
                    return 2;
                }
                column.push_back(it->second);
            }
            values.push_back(column);
        }
        catch (const ns3::wafer::ResultFileError& e)
        {
            std::cerr << "wafer-summary: error: " << e.what() << std::endl; // names the file
            return 2;
        }
        catch (const std::exception& e)
        {
            std::cerr << "wafer-summary: error: " << f << ": not a readable result file ("
                      << e.what() << ")" << std::endl;
            return 2;
        }
        catch (const H5::Exception& e)
        {
            std::cerr << "wafer-summary: error: " << f << ": not a readable result file ("
                      << e.getDetailMsg() << ")" << std::endl;
            return 2;
        }
    }
    // Full names: each column as wide as its file's name, the first as the longest field.
    int fieldWidth = 30;
    for (const auto& field : fields)
    {
        fieldWidth = std::max(fieldWidth, static_cast<int>(field.size()));
    }
    std::vector<int> widths;
    std::printf("%-*s", fieldWidth, "field");
    for (const auto& f : files)
    {
        const std::string stem = std::filesystem::path(f).stem().string();
        widths.push_back(std::max(16, static_cast<int>(stem.size())));
        std::printf(" %*s", widths.back(), stem.c_str());
    }
    std::printf("\n");
    for (size_t k = 0; k < fields.size(); ++k)
    {
        std::printf("%-*s", fieldWidth, fields[k].c_str());
        for (size_t c = 0; c < values.size(); ++c)
        {
            std::printf(" %*.6g", widths[c], values[c][k]);
        }
        std::printf("\n");
    }
    return 0;
}
