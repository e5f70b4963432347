/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// wafer-summary: result files side by side. Prints chosen /summary fields (default: the latency,
// KV-transfer and energy figures) of every file given, one column per file.
//
//   build/bin/wafer-summary [--fields=a,b,c] FILE.h5 [FILE.h5 ...]

#include <H5Cpp.h>
#include <boost/algorithm/string.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace
{
/// One field of the one-row /summary compound, or NaN when the file lacks it.
double
SummaryField(H5::H5File& file, const std::string& field)
{
    H5::DataSet ds = file.openDataSet("/summary");
    H5::CompType type = ds.getCompType();
    if (type.getMemberIndex(field) < 0)
    {
        return std::nan("");
    }
    H5::CompType mem(sizeof(double));
    mem.insertMember(field, 0, H5::PredType::NATIVE_DOUBLE);
    double v = 0;
    ds.read(&v, mem);
    return v;
}
} // namespace

int
main(int argc, char** argv)
{
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
        else if (arg == "--help")
        {
            std::cout << "usage: wafer-summary [--fields=a,b,c] FILE.h5 [FILE.h5 ...]\n";
            return 0;
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
    H5::Exception::dontPrint();
    std::vector<std::vector<double>> values;
    for (const auto& f : files)
    {
        try
        {
            H5::H5File file(f, H5F_ACC_RDONLY);
            std::vector<double> column;
            for (const auto& field : fields)
            {
                column.push_back(SummaryField(file, field));
            }
            values.push_back(column);
        }
        catch (const H5::Exception& e)
        {
            std::cerr << "wafer-summary: error: " << f << ": not a readable result file ("
                      << e.getDetailMsg() << ")" << std::endl;
            return 2;
        }
    }
    std::printf("%-30s", "field");
    for (const auto& f : files)
    {
        std::printf(" %16s", std::filesystem::path(f).stem().string().substr(0, 16).c_str());
    }
    std::printf("\n");
    for (size_t k = 0; k < fields.size(); ++k)
    {
        std::printf("%-30s", fields[k].c_str());
        for (const auto& column : values)
        {
            std::printf(" %16.6g", column[k]);
        }
        std::printf("\n");
    }
    return 0;
}
