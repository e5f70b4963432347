/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-schema.h"

#include "ns3/input-error.h"

#include <map>

namespace ns3
{
namespace wafer
{

namespace
{
/// Every kind of input file, by its schema: what it is and what reads it.
const std::map<std::string, std::string>&
Kinds()
{
    static const std::map<std::string, std::string> kinds = {
        {"wafer-scenario/1", "a serving scenario, read by wafer-sim and wafer-frontier"},
        {"wafer-streaming/1", "a weight-streaming study, read by wafer-stream"},
        {"wafer-netcase/1", "a network case, read by wafer-netval and wafer-netbench"},
        {"wafer-sweep/1", "a sweep, read by wafer-sweep"},
        {"wafer-devices/1", "a device catalog, named in a scenario's \"catalogs\""},
        {"wafer-links/1", "a link catalog, named in a scenario's \"catalogs\""},
        {"wafer-models/1", "a model catalog, named in a scenario's \"catalogs\""},
    };
    return kinds;
}
} // namespace

void
CheckSchema(const JsonFields& root, const std::string& expected)
{
    const std::string schema = root.String("schema");
    if (schema == expected)
    {
        return;
    }
    const auto kind = Kinds().find(schema);
    if (kind != Kinds().end())
    {
        throw InputError(root.Where("schema") + ": " + JsonFields::Echo(schema) + " is "
                         + kind->second + "; expected " + JsonFields::Echo(expected));
    }
    throw InputError(root.Where("schema") + ": expected " + JsonFields::Echo(expected) + ", not "
                     + JsonFields::Echo(schema));
}

} // namespace wafer
} // namespace ns3
