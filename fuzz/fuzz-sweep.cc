/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The sweep-file parser: its grid, zip, set and seeds expanded into points and every point's
// scenario checked, as wafer-sweep --check does. The base scenario the input names is looked up
// beside it: "base.json" is a copy of the shipped default scenario.

#include "fuzz-input.h"
#include "sweep-point.h"
#include "sweep-spec.h"

#include <exception>

namespace
{
const char* kBase = R"({"schema": "wafer-scenario/1", "name": "base", "model": "llama-3.1-8b",
  "device": "wse-3", "wafers": 2, "fidelity": "flow",
  "workload": {"generator": {"rate_per_s": 5, "requests": 3,
    "input_tokens": {"dist": "fixed", "value": 100}, "output_tokens": {"dist": "fixed", "value": 4}}}})";
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const bool based = []
    {
        const std::string base(kBase);
        waferfuzz::InputFile(
            reinterpret_cast<const uint8_t*>(base.data()), base.size(), "base.json");
        return true;
    }();
    (void) based;
    try
    {
        ns3::wafer::ExpandSweep(
            ns3::wafer::SweepSpec::LoadFile(waferfuzz::InputFile(data, size, "sweep.json")));
    }
    catch (const std::exception&)
    {
    }
    return 0;
}
