/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_JSON_PATH_H
#define WAFER_JSON_PATH_H

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Set the field at a dotted path ("network.link", "workload.generator.input_tokens.value") in a
 * JSON document, creating missing objects on the way. A segment that is a whole number indexes
 * an array that already has that element.
 * \throws InputError "<path>: <reason>" when a segment crosses a value that is neither an object
 *         nor a suitable array.
 */
void SetJsonPath(nlohmann::json& root, const std::string& path, const nlohmann::json& value);

/// The value at a dotted path, or nullptr when some segment is missing.
const nlohmann::json* FindJsonPath(const nlohmann::json& root, const std::string& path);

/**
 * Every leaf of \p doc (a value that is not an object) under its dotted path; arrays count as
 * leaves. Keys are prefixed with \p prefix (and a dot) when it is not empty.
 */
void FlattenJson(const nlohmann::json& doc,
                 const std::string& prefix,
                 std::map<std::string, nlohmann::json>& leaves);

/// A value for tables and labels: strings without quotes, numbers in their shortest JSON form.
std::string JsonValueText(const nlohmann::json& value);

} // namespace wafer
} // namespace ns3

#endif // WAFER_JSON_PATH_H
