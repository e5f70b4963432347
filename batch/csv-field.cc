/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "csv-field.h"

namespace ns3
{
namespace wafer
{

std::string
CsvField(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
    {
        return text;
    }
    std::string out = "\"";
    for (char c : text)
    {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

} // namespace wafer
} // namespace ns3
