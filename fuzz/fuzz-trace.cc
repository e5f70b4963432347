/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The request-trace CSV reader.

#include "fuzz-input.h"

#include "ns3/request-source.h"

#include <exception>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try
    {
        ns3::wafer::ReadRequestTrace(waferfuzz::InputFile(data, size, "trace.csv"));
    }
    catch (const std::exception&)
    {
    }
    return 0;
}
