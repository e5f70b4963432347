/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DEVICE_CATALOG_H
#define WAFER_DEVICE_CATALOG_H

#include "named-catalog.h"

#include "ns3/device-spec.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Device presets read from JSON files (schema "wafer-devices/1", see doc/wafer.md). The built-in
 * file is data/devices.json; users add files of their own, whose entries add to or replace the
 * built-in ones, without recompiling.
 */
class DeviceCatalog
{
  public:
    /// The built-in presets plus \p extraFiles, in order.
    static DeviceCatalog Load(const std::vector<std::string>& extraFiles = {});

    /// Add every device in \p path. \throws InputError naming file, device and field.
    void LoadFile(const std::string& path);

    /// \throws InputError "device: unknown 'x' (known: ...)".
    const DeviceSpec& Get(const std::string& name) const;
    std::vector<std::string> Names() const;

  private:
    NamedCatalog<DeviceSpec> m_devices{"device"};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DEVICE_CATALOG_H
