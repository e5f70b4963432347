/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-fault-injector.h"

#include "input-error.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferLinkFaultInjector");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(LinkFaultInjector);

namespace
{
/// More random failures than this in one run is a stress setting gone wrong, not a study (and
/// each is a row of /faults).
constexpr uint64_t kMaxRandomFailures = 1'000'000;

/// \p name quoted for an error line: at most 60 characters, control characters as '?'.
std::string
Quoted(std::string name)
{
    if (name.size() > 60)
    {
        name = name.substr(0, 57) + "...";
    }
    for (char& c : name)
    {
        c = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return "'" + name + "'";
}

std::string
Where(const LinkFaultSpec& f, const std::string& field)
{
    return "scenario.faults[" + std::to_string(f.index) + "]." + field;
}
} // namespace

TypeId
LinkFaultInjector::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::LinkFaultInjector")
                            .SetParent<Object>()
                            .SetGroupName("Wafer")
                            .AddConstructor<LinkFaultInjector>();
    return tid;
}

LinkFaultInjector::LinkFaultInjector() :
    m_uniform(CreateObject<UniformRandomVariable>()),
    m_exponential(CreateObject<ExponentialRandomVariable>())
{
    NS_LOG_FUNCTION(this);
    AssignStreams(2000); // apart from the workload's streams
}

int64_t
LinkFaultInjector::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this);
    m_uniform->SetStream(stream);
    m_exponential->SetStream(stream + 1);
    return 2;
}

void
LinkFaultInjector::Install(Ptr<NetworkFabric> fabric,
                           Ptr<MessageTransport> transport,
                           const std::vector<LinkFaultSpec>& faults)
{
    NS_LOG_FUNCTION(this);
    m_fabric = fabric;
    m_transport = transport;
    m_specs = faults;
    std::map<std::string, uint32_t> byName; // either direction's name -> the cable
    for (const FabricLink& l : fabric->Links())
    {
        if (l.id < l.reverse || l.reverse >= fabric->Links().size())
        {
            m_cables.push_back(l.id);
        }
    }
    for (uint32_t c : m_cables)
    {
        byName[fabric->Link(c).name] = c;
        if (fabric->Link(c).reverse < fabric->Links().size())
        {
            byName[fabric->Link(fabric->Link(c).reverse).name] = c;
        }
    }
    for (size_t i = 0; i < m_specs.size(); ++i)
    {
        const LinkFaultSpec& f = m_specs[i];
        if (f.random)
        {
            m_events.push_back(Simulator::Schedule(
                Seconds(f.startS), &LinkFaultInjector::ScheduleNextFailure, this, i));
            continue;
        }
        LinkFaultRecord rec;
        rec.startS = f.startS;
        rec.endS = f.startS + f.durationS;
        std::vector<uint32_t> cables;
        if (f.wholeSwitch)
        {
            rec.kind = "switch";
            rec.target = f.link;
            rec.upShare = 0;
            cables = CablesOfSwitch(f);
        }
        else
        {
            auto it = byName.find(f.link);
            if (it == byName.end())
            {
                throw InputError(Where(f, "link") + ": no cable named " + Quoted(f.link)
                                 + " (names as in /links, e.g. "
                                 + fabric->Link(m_cables.front()).name + ")");
            }
            const FabricLink& cable = fabric->Link(it->second);
            if (f.lanesLost > cable.lanes)
            {
                throw InputError(Where(f, "lanes_lost") + ": " + std::to_string(f.lanesLost)
                                 + " is more than the cable's " + std::to_string(cable.lanes)
                                 + " lanes");
            }
            rec.kind = "link";
            rec.target = cable.name;
            rec.upShare = f.lanesLost == 0 ? 0.0 : double(cable.lanes - f.lanesLost) / cable.lanes;
            cables = {it->second};
        }
        const size_t r = AddRecord(rec, cables);
        m_events.push_back(
            Simulator::Schedule(Seconds(f.startS), &LinkFaultInjector::Begin, this, r));
        m_events.push_back(
            Simulator::Schedule(Seconds(rec.endS), &LinkFaultInjector::End, this, r));
    }
    transport->TraceConnectWithoutContext("LaneRerouted",
                                          MakeCallback(&LinkFaultInjector::OnRerouted, this));
}

void
LinkFaultInjector::Stop()
{
    NS_LOG_FUNCTION(this);
    m_stopped = true;
    for (EventId& e : m_events)
    {
        // Taken out: a cancelled event would still move the clock to its time.
        Simulator::Remove(e);
    }
    m_events.clear();
}

const std::vector<LinkFaultRecord>&
LinkFaultInjector::Records() const
{
    NS_LOG_FUNCTION(this);
    return m_records;
}

std::vector<uint32_t>
LinkFaultInjector::CablesOfSwitch(const LinkFaultSpec& f) const
{
    NS_LOG_FUNCTION(this);
    // Cables are named "<from>.p<port>-><to>" in each direction: a switch's cables are those
    // that name it at either end.
    std::vector<uint32_t> cables;
    bool endpoint = false;
    for (uint32_t c : m_cables)
    {
        const FabricLink& l = m_fabric->Link(c);
        const bool from = l.name.rfind(f.link + ".p", 0) == 0;
        const std::string tail = "->" + f.link;
        const bool to = l.name.size() > tail.size()
                        && l.name.compare(l.name.size() - tail.size(), tail.size(), tail) == 0;
        if (from || to)
        {
            cables.push_back(c);
            endpoint = endpoint || m_fabric->IsEndpoint(from ? l.from : l.to);
        }
    }
    if (cables.empty())
    {
        throw InputError(Where(f, "switch") + ": no switch named " + Quoted(f.link)
                         + " (names as in /links: switch, leaf0, spine0, ...)");
    }
    if (endpoint)
    {
        throw InputError(Where(f, "switch") + ": " + Quoted(f.link)
                         + " is a device, not a switch (device losses are not modelled yet)");
    }
    return cables;
}

size_t
LinkFaultInjector::AddRecord(const LinkFaultRecord& record, const std::vector<uint32_t>& cables)
{
    NS_LOG_FUNCTION(this);
    m_records.push_back(record);
    m_recordCables.push_back(cables);
    return m_records.size() - 1;
}

void
LinkFaultInjector::Begin(size_t record)
{
    NS_LOG_FUNCTION(this << record);
    NS_LOG_INFO("fault " << m_records[record].kind << " on " << m_records[record].target
                         << " begins");
    for (uint32_t cable : m_recordCables[record])
    {
        m_active[cable][record] = m_records[record].upShare;
        m_lastRecord[cable] = record;
        m_lastRecord[m_fabric->Link(cable).reverse] = record;
        Apply(cable);
    }
}

void
LinkFaultInjector::End(size_t record)
{
    NS_LOG_FUNCTION(this << record);
    NS_LOG_INFO("fault " << m_records[record].kind << " on " << m_records[record].target
                         << " ends");
    for (uint32_t cable : m_recordCables[record])
    {
        m_active[cable].erase(record);
        Apply(cable);
    }
}

void
LinkFaultInjector::Apply(uint32_t cable)
{
    NS_LOG_FUNCTION(this << cable);
    double share = 1;
    for (const auto& [record, up] : m_active[cable])
    {
        share = std::min(share, up);
    }
    if (share != m_fabric->Link(cable).upShare)
    {
        m_fabric->SetCableUpShare(cable, share);
    }
}

void
LinkFaultInjector::ScheduleNextFailure(size_t spec)
{
    NS_LOG_FUNCTION(this);
    if (m_stopped)
    {
        return;
    }
    const LinkFaultSpec& f = m_specs[spec];
    const double meanGapS = f.reliability.cableMtbfHours * 3600.0 / (m_cables.size() * f.rateScale);
    const double at = Simulator::Now().GetSeconds() + m_exponential->GetValue(meanGapS, 0);
    if (at >= f.startS + f.durationS)
    {
        return; // the window is over
    }
    m_events.push_back(Simulator::Schedule(
        Seconds(at) - Simulator::Now(), &LinkFaultInjector::RandomFailure, this, spec));
}

void
LinkFaultInjector::RandomFailure(size_t spec)
{
    NS_LOG_FUNCTION(this << spec);
    const LinkFaultSpec& f = m_specs[spec];
    if (++m_draws > kMaxRandomFailures)
    {
        StopRunWithInputError(Where(f, "rate_scale") + ": more than "
                              + std::to_string(kMaxRandomFailures)
                              + " random link failures in one run (cable_mtbf_hours too short or "
                                "rate_scale too high)");
        Stop();
        return;
    }
    const uint32_t cable = m_cables[static_cast<size_t>(
        m_uniform->GetInteger(0, static_cast<uint32_t>(m_cables.size() - 1)))];
    const bool flap = m_uniform->GetValue() < f.reliability.flapShare;
    const double downS
        = m_exponential->GetValue(flap ? f.reliability.flapS : f.reliability.repairS, 0);
    if (m_active[cable].empty()) // a cable with a fault already on it is not failed again
    {
        LinkFaultRecord rec;
        rec.kind = flap ? "link_flap" : "link_failure";
        rec.target = m_fabric->Link(cable).name;
        rec.startS = Simulator::Now().GetSeconds();
        rec.endS = rec.startS + downS;
        rec.upShare = 0;
        const size_t r = AddRecord(rec, {cable});
        Begin(r);
        m_events.push_back(Simulator::Schedule(Seconds(downS), &LinkFaultInjector::End, this, r));
    }
    ScheduleNextFailure(spec);
}

void
LinkFaultInjector::OnRerouted(uint32_t link, uint64_t resentBytes, Time waited)
{
    NS_LOG_FUNCTION(this << link << resentBytes << waited);
    auto it = m_lastRecord.find(link);
    if (it == m_lastRecord.end())
    {
        return;
    }
    LinkFaultRecord& rec = m_records[it->second];
    rec.lanesRerouted += 1;
    rec.bytesResent += resentBytes;
    rec.recoveryS = std::max(rec.recoveryS, waited.GetSeconds());
}

void
LinkFaultInjector::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_transport)
    {
        m_transport->TraceDisconnectWithoutContext(
            "LaneRerouted", MakeCallback(&LinkFaultInjector::OnRerouted, this));
    }
    m_fabric = nullptr;
    m_transport = nullptr;
    Object::DoDispose();
}

} // namespace wafer
} // namespace ns3
