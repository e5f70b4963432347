/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CATALOG_SET_H
#define WAFER_CATALOG_SET_H

#include "device-catalog.h"
#include "link-catalog.h"
#include "llm-catalog.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The device, model and link catalogs an input may name: the built-in presets plus the input's
 * own catalog files. Each combination of files is read once, so that checking the many points
 * of a sweep reads a catalog once.
 */
class CatalogSet
{
  public:
    /// \throws InputError naming the file, entry and field of a bad catalog.
    const DeviceCatalog& Devices(const std::vector<std::string>& extraFiles = {});
    const LlmCatalog& Models(const std::vector<std::string>& extraFiles = {});
    const LinkCatalog& Links(const std::vector<std::string>& extraFiles = {});

  private:
    std::map<std::vector<std::string>, DeviceCatalog> m_devices;
    std::map<std::vector<std::string>, LlmCatalog> m_models;
    std::map<std::vector<std::string>, LinkCatalog> m_links;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_CATALOG_SET_H
