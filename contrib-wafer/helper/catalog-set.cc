/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "catalog-set.h"

namespace ns3
{
namespace wafer
{

namespace
{
template<typename Catalog>
const Catalog&
Cached(std::map<std::vector<std::string>, Catalog>& cache, const std::vector<std::string>& files)
{
    auto it = cache.find(files);
    return it != cache.end() ? it->second
                             : cache.emplace(files, Catalog::Load(files)).first->second;
}
} // namespace

const DeviceCatalog&
CatalogSet::Devices(const std::vector<std::string>& extraFiles)
{
    return Cached(m_devices, extraFiles);
}

const LlmCatalog&
CatalogSet::Models(const std::vector<std::string>& extraFiles)
{
    return Cached(m_models, extraFiles);
}

const LinkCatalog&
CatalogSet::Links(const std::vector<std::string>& extraFiles)
{
    return Cached(m_links, extraFiles);
}

} // namespace wafer
} // namespace ns3
