/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_JSON_FIELDS_H
#define WAFER_JSON_FIELDS_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Typed, checked access to JSON input. Every failure throws InputError as
 * "<where>.<field>: <reason>", so a bad file gets one line that names the field.
 */
class JsonFields
{
  public:
    /// Parse a file. \throws InputError "<path>: cannot open" or "<path>: malformed JSON: ...".
    static nlohmann::json ParseFile(const std::string& path);
    /// Parse \p text. \throws InputError "<where>: malformed JSON: ...".
    static nlohmann::json ParseText(const std::string& where, const std::string& text);
    /// The same, keeping the keys' order of the text.
    static nlohmann::ordered_json ParseOrderedText(const std::string& where,
                                                   const std::string& text);

    /// Deepest nesting of arrays and objects an input may have: the library's printing and
    /// freeing of a value recurse, and a deeper document could overflow the stack.
    static constexpr int kMaxDepth = 64;

    /// \p value as JSON text for an error line, at most 80 characters.
    static std::string Echo(const nlohmann::json& value);

    /**
     * \param object must be a JSON object
     * \param where dotted path of \p object for messages, e.g. "scenario.network"
     */
    JsonFields(const nlohmann::json& object, std::string where);

    bool Has(const std::string& key) const;
    std::string Where(const std::string& key) const;

    std::string String(const std::string& key) const;
    std::string String(const std::string& key, const std::string& fallback) const;
    /// A finite number > 0.
    double Positive(const std::string& key) const;
    double Positive(const std::string& key, double fallback) const;
    /// A finite number >= 0.
    double NonNegative(const std::string& key) const;
    double NonNegative(const std::string& key, double fallback) const;
    /// An integer in [min, max].
    uint64_t Count(const std::string& key, uint64_t min, uint64_t max = UINT64_MAX) const;
    uint64_t Count(const std::string& key, uint64_t min, uint64_t max, uint64_t fallback) const;
    bool Bool(const std::string& key, bool fallback) const;
    /// The sub-object at \p key (must be an object).
    JsonFields Object(const std::string& key) const;
    const nlohmann::json& Raw(const std::string& key) const;

    /// Reject keys outside \p known (catches typos such as "wafrs").
    void OnlyKeys(const std::set<std::string>& known) const;

  private:
    const nlohmann::json& Get(const std::string& key) const;
    double Number(const std::string& key) const;

    const nlohmann::json& m_object;
    std::string m_where;
};

/**
 * \ingroup wafer
 * Folder of the preset catalogs: $WAFER_DATA_DIR if set, else the module's data/ folder.
 */
std::string DataDirectory();

} // namespace wafer
} // namespace ns3

#endif // WAFER_JSON_FIELDS_H
