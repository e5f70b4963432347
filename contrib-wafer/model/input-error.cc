/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-error.h"

namespace ns3
{
namespace wafer
{

InputError::InputError(const std::string& message) :
    std::runtime_error(message)
{
}

} // namespace wafer
} // namespace ns3
