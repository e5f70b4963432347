/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The HDF5 result reader, as wafer-analyze and wafer-summary use it: schema, /summary and the
// per-request fields of the analysis.

#include "fuzz-input.h"
#include "result-file.h"
#include "run-record.h"

#include <H5Cpp.h>

#include <exception>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = waferfuzz::InputFile(data, size, "result.h5");
    try
    {
        ns3::wafer::LoadRun(path, {"ttft_s", "tpot_s"}, {"tokens_per_s"});
        ns3::wafer::ResultFile(path).FirstRow("summary");
    }
    catch (const std::exception&)
    {
    }
    catch (const H5::Exception&)
    {
    }
    return 0;
}
