/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LINK_TECHNOLOGY_H
#define WAFER_LINK_TECHNOLOGY_H

#include "link-fault-injector.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One kind of cable or optical path: electrical Ethernet lanes, pluggable optics, co-packaged
 * optics, NVLink, the on-wafer fabric or photonic I/O through the wafer face. Presets live in
 * data/links.json (each citing its sources) and become this object's attribute defaults, so every
 * figure can be overridden like any ns-3 attribute.
 *
 * One traversal of a link takes EndpointLatency + Length x PropagationPerMetre plus the
 * serialisation of the frame at PortRate = LaneRate x LanesPerPort; it costs EnergyPerBit for
 * every bit sent, and each port draws StaticPowerPerPort whether or not it sends.
 */
class LinkTechnology : public Object
{
  public:
    static TypeId GetTypeId();
    LinkTechnology();

    /**
     * Port line rate, bit/s, for a device with \p ports ports: LaneRate x LanesPerPort, or for
     * I/O through the wafer face (FaceArea > 0) FaceDensity x FaceArea x 8 / ports: bandwidth set
     * by area, not by the length of the edge.
     */
    double PortRateBps(uint32_t ports = 1) const;
    /// Fixed one-way latency of a traversal: endpoint (SerDes, DSP, FEC) + propagation.
    Time OneWayLatency() const;
    /// Energy of sending \p bytes over one link, J.
    double EnergyJ(double bytes) const;
    double GetEnergyPerBitPj() const;
    /// Cable length and the technology's reach, metres (reach 0: no limit).
    double GetLength() const;
    double GetReach() const;
    double GetStaticPowerPerPortW() const;
    std::string GetPresetName() const;
    uint32_t GetLanesPerPort() const;
    /// How often a cable fails and for how long (random link faults).
    LinkReliability GetReliability() const;

  private:
    std::string m_name;
    double m_laneRateBps;
    uint32_t m_lanesPerPort;
    Time m_endpointLatency;
    Time m_propagationPerMetre;
    double m_lengthM;
    double m_reachM;
    double m_energyPjPerBit;
    double m_staticPowerW;
    double m_faceAreaMm2;
    double m_faceDensity;
    double m_cableMtbfHours;
    double m_flapShare;
    double m_flapS;
    double m_repairS;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LINK_TECHNOLOGY_H
