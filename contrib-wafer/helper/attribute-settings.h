/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ATTRIBUTE_SETTINGS_H
#define WAFER_ATTRIBUTE_SETTINGS_H

#include "link-catalog.h"

#include "ns3/attribute.h"
#include "ns3/object-factory.h"
#include "ns3/type-id.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Attribute settings as text, in order: (name, value), e.g. from a command line.
typedef std::vector<std::pair<std::string, std::string>> AttributeTexts;

/**
 * \ingroup wafer
 * ns-3 attribute values for the objects of one run, checked when set and kept typed. A later
 * setting of an attribute replaces an earlier one, so layers set in order give the precedence:
 * presets, then an input file's fields, then its "attributes" map, then the command line.
 *
 * Helpers apply the settings to the factories of the objects they build (ApplyTo); what the
 * user overrode (the input file's attributes map and the command line) also becomes the ns-3
 * attribute defaults in one step (ApplyOverridesAsDefaults), for objects built without a
 * helper, as ns-3's CommandLine would.
 *
 * Names are "ns3::Class::Attribute"; "Class::Attribute" is short for a class of this module,
 * and the engine attributes that moved to its collaborators keep their old names.
 */
class AttributeSettings
{
  public:
    /// Where a setting comes from.
    enum class Origin
    {
        Preset, ///< a catalog preset or an input file's own field
        User,   ///< an input file's attributes map or the command line
    };

    /// The origin of settings from the command line: errors name the option ("--ns3::X::Y").
    static constexpr const char* kCommandLine = "command line";
    /// How messages name the setting \p name made at \p where: "--ns3::X::Y" on the command
    /// line, "<where>.ns3::X::Y" in a file.
    static std::string Label(const std::string& where, const std::string& name);

    /**
     * Set \p name to \p text.
     * \param where names the origin for errors (kCommandLine, "scenario.attributes")
     * \throws InputError "<where>.<name>: unknown attribute (did you mean ...?)", "...: invalid
     * value 'v'", or "...: '8' has no unit" for a time without one (ns-3 would read seconds).
     */
    void SetText(const std::string& name,
                 const std::string& text,
                 const std::string& where,
                 Origin origin = Origin::User);
    /// Every (name, text) of \p texts, in order.
    void SetTexts(const AttributeTexts& texts, const std::string& where, Origin origin);
    /// Set \p name to a typed \p value (checked like text). \throws InputError as SetText.
    void Set(const std::string& name,
             const AttributeValue& value,
             const std::string& where,
             Origin origin = Origin::Preset);

    /// Add \p later's settings, which replace those of the same attributes here.
    void Merge(const AttributeSettings& later);

    /// The value set for \p name (any of its names), or nullptr.
    Ptr<const AttributeValue> Find(const std::string& name) const;
    /// Where the setting of \p name came from, as errors name it ("--X" on the command line,
    /// "scenario.attributes.X" in a file); empty if
    /// it is not set.
    std::string Where(const std::string& name) const;

    /// Set on \p factory every attribute its type has (declared by the type or a parent).
    void ApplyTo(ObjectFactory& factory) const;
    /// The same on an existing object.
    void ApplyTo(Ptr<Object> object) const;

    /// Reset every ns-3 attribute default, then make the user's settings the defaults.
    void ApplyOverridesAsDefaults() const;

  private:
    struct Entry
    {
        TypeId declaring; ///< the class that declares the attribute
        std::string name; ///< the attribute's name
        Ptr<AttributeValue> value;
        Origin origin{Origin::Preset};
        std::string where; ///< e.g. "--ns3::X::Y" or "scenario.attributes.ns3::X::Y"
    };

    /// Replace or append the setting of \p entry's attribute.
    void Put(Entry entry);
    /// The setting of \p name, or nullptr.
    const Entry* Lookup(const std::string& name) const;

    std::vector<Entry> m_entries;
};

/**
 * \ingroup wafer
 * The attribute layers every program applies, in this order of precedence: the device's I/O
 * link preset, then \p link (a chosen link preset, if any), then an input file's typed
 * \p fields, then its attributes map (\p fileAttributes, named \p fileWhere in errors), then
 * \p commandLine. \throws InputError for an unknown attribute or a bad value.
 */
AttributeSettings LayerSettings(const LinkPreset& deviceLink,
                                const LinkPreset* link,
                                const AttributeSettings& fields,
                                const AttributeTexts& fileAttributes,
                                const std::string& fileWhere,
                                const AttributeTexts& commandLine);

} // namespace wafer
} // namespace ns3

#endif // WAFER_ATTRIBUTE_SETTINGS_H
