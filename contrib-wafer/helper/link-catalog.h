/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LINK_CATALOG_H
#define WAFER_LINK_CATALOG_H

#include "named-catalog.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A link technology preset as read from data/links.json (schema "wafer-links/1").
 */
struct LinkPreset
{
    std::string name;
    std::string displayName;
    std::string kind; ///< electrical, pluggable-optics, cpo, nvlink, on-wafer, photonic-face
    std::string source;
    double laneRateBps{0};
    uint32_t lanesPerPort{1};
    double endpointLatencyS{0};
    double propagationSPerM{0};
    double reachM{0};
    double defaultLengthM{0};
    double energyPjPerBit{0};
    double staticPowerWPerPort{0};
    double areaBandwidthBytesPerSPerMm2{0}; ///< photonic-face only
    double areaMm2{0};                      ///< photonic-face only
    // Failures of one cable (0: no figure); see LinkReliability.
    double cableMtbfHours{0};
    double flapShare{0};
    double flapS{0};
    double repairS{0};
    std::string reliabilitySource;

    double PortRateBps() const
    {
        return laneRateBps * lanesPerPort;
    }
};

/**
 * \ingroup wafer
 * Link technology presets; each becomes the defaults of ns3::wafer::LinkTechnology's attributes.
 */
class LinkCatalog
{
  public:
    /// The built-in presets plus \p extraFiles, in order.
    static LinkCatalog Load(const std::vector<std::string>& extraFiles = {});

    /// Add every preset in \p path. \throws InputError naming file, preset and field.
    void LoadFile(const std::string& path);
    /// \throws InputError "link: unknown 'x' (known: ...)".
    const LinkPreset& Get(const std::string& name) const;
    std::vector<std::string> Names() const;

  private:
    NamedCatalog<LinkPreset> m_links{"link"};
};

/**
 * \ingroup wafer
 * The LinkTechnology attributes (name, value) that \p preset sets.
 */
std::vector<std::pair<std::string, std::string>> LinkPresetAttributes(const LinkPreset& preset);

} // namespace wafer
} // namespace ns3

#endif // WAFER_LINK_CATALOG_H
