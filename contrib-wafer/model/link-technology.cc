/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-technology.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferLinkTechnology");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(LinkTechnology);

TypeId
LinkTechnology::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::LinkTechnology")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<LinkTechnology>()
              .AddAttribute("Preset",
                            "Name of the preset the figures came from (for reports only).",
                            StringValue("ethernet-100g-dac"),
                            MakeStringAccessor(&LinkTechnology::m_name),
                            MakeStringChecker())
              .AddAttribute("LaneRate",
                            "Usable bit rate of one lane, bit/s.",
                            DoubleValue(100e9),
                            MakeDoubleAccessor(&LinkTechnology::m_laneRateBps),
                            MakeDoubleChecker<double>(1.0))
              .AddAttribute("LanesPerPort",
                            "Lanes ganged into one port.",
                            UintegerValue(1),
                            MakeUintegerAccessor(&LinkTechnology::m_lanesPerPort),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("EndpointLatency",
                            "SerDes, DSP and FEC latency of one traversal, both ends together.",
                            TimeValue(NanoSeconds(100)),
                            MakeTimeAccessor(&LinkTechnology::m_endpointLatency),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("PropagationPerMetre",
                            "Propagation delay per metre of cable or fibre.",
                            TimeValue(PicoSeconds(5000)),
                            MakeTimeAccessor(&LinkTechnology::m_propagationPerMetre),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("Length",
                            "Cable length, metres.",
                            DoubleValue(2.0),
                            MakeDoubleAccessor(&LinkTechnology::m_lengthM),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("Reach",
                            "Longest cable the technology supports, metres (0: no limit).",
                            DoubleValue(0.0),
                            MakeDoubleAccessor(&LinkTechnology::m_reachM),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("EnergyPerBit",
                            "Energy per transmitted bit over the whole link, pJ.",
                            DoubleValue(10.0),
                            MakeDoubleAccessor(&LinkTechnology::m_energyPjPerBit),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("FaceArea",
                            "Photonic I/O through the wafer face: area used for I/O, mm^2 "
                            "(0: the rate is LaneRate x LanesPerPort).",
                            DoubleValue(0.0),
                            MakeDoubleAccessor(&LinkTechnology::m_faceAreaMm2),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("FaceDensity",
                            "Photonic I/O through the wafer face: bandwidth per mm^2, bytes/s.",
                            DoubleValue(0.0),
                            MakeDoubleAccessor(&LinkTechnology::m_faceDensity),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("StaticPowerPerPort",
                            "Power a port draws whether or not it sends, W.",
                            DoubleValue(0.0),
                            MakeDoubleAccessor(&LinkTechnology::m_staticPowerW),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("CableMtbf",
                            "Mean time between failures of one cable (both ends), hours (0: no "
                            "figure; random link faults then need one).",
                            DoubleValue(0.0),
                            MakeDoubleAccessor(&LinkTechnology::m_cableMtbfHours),
                            MakeDoubleChecker<double>(0.0))
              .AddAttribute("FlapShare",
                            "Share of a cable's failures that are flaps (it retrains by itself); "
                            "the others wait for a repair.",
                            DoubleValue(0.5),
                            MakeDoubleAccessor(&LinkTechnology::m_flapShare),
                            MakeDoubleChecker<double>(0.0, 1.0))
              .AddAttribute("FlapDownTime",
                            "Mean time a flap keeps a cable down, s.",
                            DoubleValue(5.0),
                            MakeDoubleAccessor(&LinkTechnology::m_flapS),
                            MakeDoubleChecker<double>(0.0, 1e6))
              .AddAttribute("RepairTime",
                            "Mean time to repair a cable's hard failure, s.",
                            DoubleValue(14400.0),
                            MakeDoubleAccessor(&LinkTechnology::m_repairS),
                            MakeDoubleChecker<double>(0.0, 1e6));
    return tid;
}

LinkTechnology::LinkTechnology() :
    m_laneRateBps(100e9),
    m_lanesPerPort(1),
    m_lengthM(2.0),
    m_energyPjPerBit(10.0),
    m_staticPowerW(0.0),
    m_cableMtbfHours(0.0),
    m_flapShare(0.5),
    m_flapS(5.0),
    m_repairS(14400.0)
{
    NS_LOG_FUNCTION(this);
}

double
LinkTechnology::PortRateBps(uint32_t ports) const
{
    NS_LOG_FUNCTION(this);
    if (m_faceAreaMm2 > 0 && m_faceDensity > 0)
    {
        return m_faceDensity * m_faceAreaMm2 * 8.0 / ports;
    }
    return m_laneRateBps * m_lanesPerPort;
}

Time
LinkTechnology::OneWayLatency() const
{
    NS_LOG_FUNCTION(this);
    return m_endpointLatency
           + PicoSeconds(int64_t(m_propagationPerMetre.GetPicoSeconds() * m_lengthM));
}

uint32_t
LinkTechnology::GetLanesPerPort() const
{
    NS_LOG_FUNCTION(this);
    return m_lanesPerPort;
}

LinkReliability
LinkTechnology::GetReliability() const
{
    NS_LOG_FUNCTION(this);
    return {m_cableMtbfHours, m_flapShare, m_flapS, m_repairS};
}

double
LinkTechnology::GetLength() const
{
    NS_LOG_FUNCTION(this);
    return m_lengthM;
}

double
LinkTechnology::GetReach() const
{
    NS_LOG_FUNCTION(this);
    return m_reachM;
}

double
LinkTechnology::EnergyJ(double bytes) const
{
    NS_LOG_FUNCTION(this);
    return bytes * 8.0 * m_energyPjPerBit * 1e-12;
}

double
LinkTechnology::GetEnergyPerBitPj() const
{
    NS_LOG_FUNCTION(this);
    return m_energyPjPerBit;
}

double
LinkTechnology::GetStaticPowerPerPortW() const
{
    NS_LOG_FUNCTION(this);
    return m_staticPowerW;
}

std::string
LinkTechnology::GetPresetName() const
{
    NS_LOG_FUNCTION(this);
    return m_name;
}

} // namespace wafer
} // namespace ns3
