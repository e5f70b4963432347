/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The device, model and link catalog loaders: the first byte picks the catalog, the rest is the
// file added to the shipped one (as a scenario's catalogs section does).

#include "fuzz-input.h"

#include "ns3/device-catalog.h"
#include "ns3/link-catalog.h"
#include "ns3/llm-catalog.h"

#include <exception>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
    {
        return 0;
    }
    const std::string path = waferfuzz::InputFile(data + 1, size - 1, "catalog.json");
    try
    {
        switch (data[0] % 3)
        {
        case 0:
            ns3::wafer::DeviceCatalog::Load({path});
            break;
        case 1:
            ns3::wafer::LlmCatalog::Load({path});
            break;
        default:
            ns3::wafer::LinkCatalog::Load({path});
        }
    }
    catch (const std::exception&)
    {
    }
    return 0;
}
