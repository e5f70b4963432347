/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-error.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

InputError::InputError(const std::string& message) :
    std::runtime_error(message)
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

} // namespace wafer
} // namespace ns3
