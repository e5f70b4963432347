/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The scenario loader and its resolution (catalog names, attribute settings, placement), as
// wafer-sim and wafer-sweep --check run them before simulating.

#include "ns3/catalog-set.h"
#include "ns3/resolved-scenario.h"
#include "ns3/scenario.h"

#include <exception>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static ns3::wafer::CatalogSet catalogs; // the shipped catalogs, loaded once
    try
    {
        const ns3::wafer::Scenario s = ns3::wafer::Scenario::LoadText(
            "fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
        ns3::wafer::ResolveScenario(s, ns3::wafer::ResolveOptions{}, catalogs);
    }
    catch (const std::exception&)
    {
        // Refused with an error: what bad input should get.
    }
    return 0;
}
