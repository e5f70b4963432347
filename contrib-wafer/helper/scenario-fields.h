/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SCENARIO_FIELDS_H
#define WAFER_SCENARIO_FIELDS_H

#include "attribute-settings.h"
#include "json-fields.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How a scenario field that sets a model attribute is read.
 */
enum class FieldKind
{
    Count,    ///< a whole number in [min, max]
    Number,   ///< a finite number >= 0
    Positive, ///< a finite number > 0 (and >= min)
    Seconds,  ///< a finite number of seconds >= 0
    Flag,     ///< true or false
    Topology, ///< a topology's name
    Policy,   ///< the TypeId name of a subclass of the row's parent class
};

/**
 * \ingroup wafer
 * A scenario field that sets a model attribute.
 */
struct AttributeField
{
    const char* key;
    const char* attribute;
    FieldKind kind;
    uint64_t min{0};
    uint64_t max{UINT32_MAX};
    const char* parent{nullptr}; ///< Policy: the base class
};

/**
 * \ingroup wafer
 * The scenario fields that set model attributes, by section: the one place that maps the
 * scenario's names onto the model's (docs/scenarios.md lists them).
 */
const std::vector<AttributeField>& NetworkFields();
const std::vector<AttributeField>& ServingFields();
const std::vector<AttributeField>& KvStoreFields();
const std::vector<AttributeField>& ReplicaFields();

/**
 * \ingroup wafer
 * Read the fields of \p section that \p fields name into \p out, each checked for its kind and
 * range. \throws InputError naming the field.
 */
void ReadAttributeFields(const JsonFields& section,
                         const std::vector<AttributeField>& fields,
                         AttributeSettings& out);

/**
 * \ingroup wafer
 * The TypeId \p name names ("ns3::wafer::X" or "X"), which must be a constructible subclass of
 * \p parent (or \p parent itself). \throws InputError "<where>: ..." listing the known ones.
 */
TypeId PolicyType(const std::string& name, const std::string& parent, const std::string& where);

/**
 * \ingroup wafer
 * \p file relative to the folder of \p base (absolute paths unchanged).
 */
std::string ResolvePath(const std::string& base, const std::string& file);

/**
 * \ingroup wafer
 * An input file's "catalogs" object (devices, models, links: arrays of file names, relative to
 * the file at \p path) into the three lists. \throws InputError naming the field.
 */
void ReadCatalogFiles(const JsonFields& catalogs,
                      const std::string& path,
                      std::vector<std::string>* devices,
                      std::vector<std::string>* models,
                      std::vector<std::string>* links);

/**
 * \ingroup wafer
 * The "attributes" map of \p file (ns-3 attribute name to a string, number or boolean), in key
 * order, as text. \throws InputError naming the field.
 */
AttributeTexts ReadAttributesMap(const JsonFields& file);

} // namespace wafer
} // namespace ns3

#endif // WAFER_SCENARIO_FIELDS_H
