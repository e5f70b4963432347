/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-error.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <string>

namespace ns3
{
namespace wafer
{

namespace
{
/// One line of at most 1,000 characters, whatever the input echoed in it: control characters
/// (a newline in a name) become escapes, and a long value (a 100 kB model name) is cut.
std::string
OneLine(const std::string& message)
{
    static const size_t kMax = 1000;
    std::string out;
    for (char c : message)
    {
        if (out.size() >= kMax)
        {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
        {
            static const char* hex = "0123456789abcdef";
            if (c == '\n')
            {
                out += "\\n";
            }
            else
            {
                out += std::string("\\x") + hex[u >> 4] + hex[u & 15];
            }
            continue;
        }
        out += c;
    }
    return out;
}
} // namespace

InputError::InputError(const std::string& message) :
    std::runtime_error(OneLine(message))
{
}

void
RequireOneOf(const std::string& value,
             const std::vector<std::string>& choices,
             const std::string& field)
{
    if (std::find(choices.begin(), choices.end(), value) != choices.end())
    {
        return;
    }
    std::string list;
    for (size_t i = 0; i < choices.size(); ++i)
    {
        list += (i == 0 ? "" : (i + 1 == choices.size() ? " or " : ", ")) + choices[i];
    }
    throw InputError(field + ": must be " + list + " (got '" + value + "')");
}

namespace
{
std::optional<std::string> g_runError;
} // namespace

void
StopRunWithInputError(const std::string& message)
{
    if (!g_runError)
    {
        g_runError = message; // the first reason is the one to report
    }
    Simulator::Stop();
}

std::optional<std::string>
TakeRunInputError()
{
    std::optional<std::string> e;
    e.swap(g_runError);
    return e;
}

} // namespace wafer
} // namespace ns3
