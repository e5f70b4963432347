/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The network-case parser of wafer-netbench (wafer-netcase/1).

#include "fuzz-input.h"

#include "ns3/network-validation.h"

#include <exception>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try
    {
        ns3::wafer::LoadNetCase(waferfuzz::InputFile(data, size, "case.json"), 1.0);
    }
    catch (const std::exception&)
    {
    }
    return 0;
}
