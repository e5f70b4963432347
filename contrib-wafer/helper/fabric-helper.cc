/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fabric-helper.h"

#include "swarmx-tree-topology.h"

#include "ns3/abort.h"
#include "ns3/data-rate.h"
#include "ns3/input-error.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"
#include "ns3/transport-fidelity.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <map>

namespace ns3
{
namespace wafer
{

std::vector<uint32_t>
Cluster::NodeIds() const
{
    std::vector<uint32_t> ids;
    for (uint32_t i = 0; i < accelerators.GetN(); ++i)
    {
        ids.push_back(accelerators.Get(i)->GetId());
    }
    return ids;
}

FabricHelper::FabricHelper()
{
    m_fabricFactory.SetTypeId(NetworkFabric::GetTypeId());
    m_linkFactory.SetTypeId(LinkTechnology::GetTypeId());
    // Transports do not retransmit: queues are sized so that nothing is dropped (lossless
    // Ethernet, PFC in effect); drops are counted and reported if they ever happen.
    m_p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("10000000p")));
}

void
FabricHelper::SetFabricAttribute(const std::string& name, const AttributeValue& value)
{
    m_fabricFactory.Set(name, value);
}

void
FabricHelper::SetLinkAttribute(const std::string& name, const AttributeValue& value)
{
    m_linkFactory.Set(name, value);
}

void
FabricHelper::SetTransportAttribute(const std::string& name, const AttributeValue& value)
{
    m_transportAttributes.emplace_back(name, value.Copy());
}

void
FabricHelper::SetAttributes(const AttributeSettings& settings)
{
    settings.ApplyTo(m_fabricFactory);
    settings.ApplyTo(m_linkFactory);
    m_transportSettings = settings; // its type is known once Install is given the fidelity
}

void
FabricHelper::EnablePcap(const std::string& prefix)
{
    m_pcapPrefix = prefix;
}

std::pair<uint32_t, uint32_t>
FabricHelper::Cable(Ptr<NetworkFabric> fabric, const CableEnd& a, const CableEnd& b, uint32_t ports)
{
    // Transit latencies are split over the links a node touches (see NetworkFabric).
    const Time delay
        = m_link->OneWayLatency()
          + (fabric->TransitLatency(a.node->GetId()) + fabric->TransitLatency(b.node->GetId())) / 2;
    FabricLink ab;
    ab.from = a.node->GetId();
    ab.to = b.node->GetId();
    ab.port = a.port;
    ab.rateBps = m_link->PortRateBps(ports);
    ab.delay = delay;
    ab.pjPerBit = m_link->GetEnergyPerBitPj();
    ab.staticW = m_link->GetStaticPowerPerPortW();
    ab.lanes = m_link->GetLanesPerPort();
    ab.name = a.name + ".p" + std::to_string(a.port) + "->" + b.name;
    FabricLink ba = ab;
    ba.from = b.node->GetId();
    ba.to = a.node->GetId();
    ba.port = b.port;
    ba.name = b.name + ".p" + std::to_string(b.port) + "->" + a.name;
    if (m_devices)
    {
        m_p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(uint64_t(ab.rateBps))));
        m_p2p.SetChannelAttribute("Delay", TimeValue(delay));
        NetDeviceContainer pair = m_p2p.Install(a.node, b.node);
        ab.device = pair.Get(0);
        ba.device = pair.Get(1);
    }
    const uint32_t forth = fabric->AddLink(ab);
    const uint32_t back = fabric->AddLink(ba);
    fabric->MutableLink(forth).reverse = back; // one cable: faults take both directions
    fabric->MutableLink(back).reverse = forth;
    return {forth, back};
}

Cluster
FabricHelper::Install(uint32_t devices,
                      uint32_t ports,
                      const std::string& prefix,
                      const std::string& fidelity)
{
    return Install(std::vector<uint32_t>(devices, ports), prefix, fidelity);
}

Cluster
FabricHelper::Begin(const std::string& fidelity)
{
    Cluster c;
    c.fabric = m_fabricFactory.Create<NetworkFabric>();
    m_link = m_linkFactory.Create<LinkTechnology>();
    c.link = m_link;
    if (m_link->GetReach() > 0 && m_link->GetLength() > m_link->GetReach())
    {
        throw InputError("network.length_m: " + std::to_string(m_link->GetLength())
                         + " m exceeds the reach of " + m_link->GetPresetName() + " ("
                         + std::to_string(m_link->GetReach()) + " m)");
    }
    // Inputs were checked against the offered fidelities; a helper builds any of the table's.
    const TransportFidelity& kind
        = TransportFidelity::Get(fidelity, "fidelity", TransportFidelity::AllNames());
    ObjectFactory transport = kind.Factory();
    m_transportSettings.ApplyTo(transport);
    for (const auto& [name, value] : m_transportAttributes)
    {
        transport.Set(name, *value); // replaces a setting of the same attribute
    }
    c.transport = transport.Create<MessageTransport>();
    UintegerValue frameBytes;
    UintegerValue headerBytes;
    c.transport->GetAttribute("FrameBytes", frameBytes);
    c.transport->GetAttribute("HeaderBytes", headerBytes);
    if (frameBytes.Get() <= headerBytes.Get())
    {
        throw InputError("network.frame_bytes: must exceed the " + std::to_string(headerBytes.Get())
                         + " header bytes of a frame");
    }
    m_devices = kind.devices;
    // Devices carry whole frames: their MTU is the transport's frame size, so IP never fragments.
    UintegerValue frame;
    c.transport->GetAttribute("FrameBytes", frame);
    m_p2p.SetDeviceAttribute("Mtu", UintegerValue(frame.Get()));
    return c;
}

void
FabricHelper::Build(Cluster& c,
                    const TopologyBuilder& topology,
                    const std::vector<uint32_t>& ports,
                    const std::vector<std::string>& names,
                    const std::vector<uint32_t>& devices)
{
    c.accelerators.Create(ports.size());
    TopologyContext context;
    context.fabric = c.fabric;
    context.endpoints = c.accelerators;
    context.ports = ports;
    context.names = names;
    // Builders give a cable the port count of the endpoint it leaves or enters (between
    // switches: the largest endpoint's). Where an endpoint stands for several devices, a port is
    // one of a device's own.
    std::map<uint32_t, uint32_t> devicePorts; // by endpoint node id, where it differs
    uint32_t uplinkPorts = 0;                 // of the endpoint with the most ports
    for (uint32_t i = 0; i < devices.size(); ++i)
    {
        const uint32_t own = std::max<uint32_t>(1, ports[i] / std::max<uint32_t>(1, devices[i]));
        devicePorts[c.accelerators.Get(i)->GetId()] = own;
        if (ports[i] == *std::max_element(ports.begin(), ports.end()) && uplinkPorts == 0)
        {
            uplinkPorts = own;
        }
    }
    context.cable = [this, &c, devicePorts, uplinkPorts](
                        const CableEnd& a, const CableEnd& b, uint32_t portsOfDevice)
    {
        if (!devicePorts.empty())
        {
            auto end = devicePorts.find(a.node->GetId());
            if (end == devicePorts.end())
            {
                end = devicePorts.find(b.node->GetId());
            }
            portsOfDevice = end != devicePorts.end() ? end->second : uplinkPorts;
        }
        return Cable(c.fabric, a, b, portsOfDevice);
    };
    const std::vector<std::vector<uint32_t>> endpointPorts = topology.Build(context, c.switches);
    for (uint32_t i = 0; i < c.accelerators.GetN(); ++i)
    {
        c.fabric->AddEndpoint(c.accelerators.Get(i)->GetId(), endpointPorts[i]);
    }
    if (!m_pcapPrefix.empty() && m_devices)
    {
        m_p2p.EnablePcapAll(m_pcapPrefix);
    }
    c.transport->Install(c.fabric);
    // Reachable by Config paths from the first device's node (an object aggregates to one
    // node only): /NodeList/N/$ns3::wafer::MessageTransport/MessageDelivered,
    // /NodeList/N/$ns3::wafer::NetworkFabric/LinkState.
    if (c.accelerators.GetN() > 0)
    {
        c.accelerators.Get(0)->AggregateObject(c.transport);
        c.accelerators.Get(0)->AggregateObject(c.fabric);
    }
}

Cluster
FabricHelper::InstallTree(const std::vector<int32_t>& parent,
                          uint32_t ports,
                          const std::vector<std::string>& names,
                          const std::vector<Time>& transit,
                          const std::string& fidelity)
{
    TransportFidelity::Get(fidelity, "fidelity", {"flow", "chunk"});
    Cluster c = Begin(fidelity);
    Build(
        c, SwarmXTreeTopology(parent, transit), std::vector<uint32_t>(parent.size(), ports), names);
    return c;
}

Cluster
FabricHelper::Install(const std::vector<uint32_t>& portsOf,
                      const std::string& prefix,
                      const std::string& fidelity,
                      const std::vector<uint32_t>& devices)
{
    NS_ABORT_MSG_UNLESS(devices.empty() || devices.size() == portsOf.size(),
                        "FabricHelper::Install: a device count per accelerator node, or none");
    Cluster c = Begin(fidelity);
    const std::unique_ptr<TopologyBuilder> topology
        = CreateTopology(c.fabric->GetTopology(), "network.topology");
    std::vector<std::string> names;
    for (uint32_t d = 0; d < portsOf.size(); ++d)
    {
        names.push_back(prefix + std::to_string(d));
    }
    Build(c, *topology, portsOf, names, devices);
    return c;
}

} // namespace wafer
} // namespace ns3
