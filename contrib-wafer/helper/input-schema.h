/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_INPUT_SCHEMA_H
#define WAFER_INPUT_SCHEMA_H

#include "json-fields.h"

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Check that an input file's `schema` is \p expected. Checked before any other field, so that a
 * file of another kind the project knows (a streaming study given to wafer-sim, a scenario given
 * to wafer-stream, a catalog given as a scenario, ...) is named as such, with the program or
 * field that reads it, instead of failing on its first unfamiliar field.
 */
void CheckSchema(const JsonFields& root, const std::string& expected);

} // namespace wafer
} // namespace ns3

#endif // WAFER_INPUT_SCHEMA_H
