/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ATTRIBUTE_OVERRIDES_H
#define WAFER_ATTRIBUTE_OVERRIDES_H

#include "link-catalog.h"

#include "ns3/device-spec.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Set ns-3 attribute defaults by name, as ns-3's CommandLine does for --ns3::Class::Attr=value.
 * "RooflineEngine::KernelOverhead" is accepted as short for "ns3::wafer::RooflineEngine::...".
 * \param where names the origin for errors ("scenario.attributes", "command line")
 * \throws InputError "<where>.<name>: unknown attribute" or "...: invalid value 'v'".
 */
void ApplyAttributeDefaults(const std::vector<std::pair<std::string, std::string>>& settings,
                            const std::string& where);

/**
 * \ingroup wafer
 * Reset every attribute default, then set those a device preset implies: the link technology
 * of its ports (from \p links).
 */
void ApplyDevicePresetDefaults(const DeviceSpec& device, const LinkCatalog& links);

} // namespace wafer
} // namespace ns3

#endif // WAFER_ATTRIBUTE_OVERRIDES_H
