/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CSV_FIELD_H
#define WAFER_CSV_FIELD_H

#include <string>

namespace ns3
{
namespace wafer
{

/// \p text as one CSV cell: as it is, or in double quotes (quotes doubled) when it holds a
/// comma, a quote or a line break.
std::string CsvField(const std::string& text);

} // namespace wafer
} // namespace ns3

#endif // WAFER_CSV_FIELD_H
