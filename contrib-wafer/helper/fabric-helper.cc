/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fabric-helper.h"

#include "ns3/data-rate.h"
#include "ns3/input-error.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"
#include "ns3/transport-fidelity.h"
#include "ns3/uinteger.h"

#include <algorithm>

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
FabricHelper::Cable(Ptr<NetworkFabric> fabric,
                    Ptr<Node> a,
                    uint32_t portA,
                    const std::string& nameA,
                    Ptr<Node> b,
                    uint32_t portB,
                    const std::string& nameB)
{
    // Transit latencies are split over the links a node touches (see NetworkFabric).
    const Time delay
        = m_link->OneWayLatency()
          + (fabric->TransitLatency(a->GetId()) + fabric->TransitLatency(b->GetId())) / 2;
    FabricLink ab;
    ab.from = a->GetId();
    ab.to = b->GetId();
    ab.port = portA;
    ab.rateBps = m_link->PortRateBps(m_ports);
    ab.delay = delay;
    ab.pjPerBit = m_link->GetEnergyPerBitPj();
    ab.staticW = m_link->GetStaticPowerPerPortW();
    ab.name = nameA + ".p" + std::to_string(portA) + "->" + nameB;
    FabricLink ba = ab;
    ba.from = b->GetId();
    ba.to = a->GetId();
    ba.port = portB;
    ba.name = nameB + ".p" + std::to_string(portB) + "->" + nameA;
    if (m_devices)
    {
        m_p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(uint64_t(ab.rateBps))));
        m_p2p.SetChannelAttribute("Delay", TimeValue(delay));
        NetDeviceContainer pair = m_p2p.Install(a, b);
        ab.device = pair.Get(0);
        ba.device = pair.Get(1);
    }
    return {fabric->AddLink(ab), fabric->AddLink(ba)};
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
FabricHelper::Begin(const std::string& fidelity, uint32_t ports)
{
    Cluster c;
    c.fabric = m_fabricFactory.Create<NetworkFabric>();
    m_link = m_linkFactory.Create<LinkTechnology>();
    if (m_link->GetReach() > 0 && m_link->GetLength() > m_link->GetReach())
    {
        throw InputError("network.length_m: " + std::to_string(m_link->GetLength())
                         + " m exceeds the reach of " + m_link->GetPresetName() + " ("
                         + std::to_string(m_link->GetReach()) + " m)");
    }
    const TransportFidelity& kind = TransportFidelity::Get(fidelity, "fidelity");
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
    m_ports = ports; // photonic face rate per port: set per device below
    // Devices carry whole frames: their MTU is the transport's frame size, so IP never fragments.
    UintegerValue frame;
    c.transport->GetAttribute("FrameBytes", frame);
    m_p2p.SetDeviceAttribute("Mtu", UintegerValue(frame.Get()));
    return c;
}

void
FabricHelper::End(Cluster& c)
{
    if (!m_pcapPrefix.empty() && m_devices)
    {
        m_p2p.EnablePcapAll(m_pcapPrefix);
    }
    c.transport->Install(c.fabric);
}

Cluster
FabricHelper::InstallTree(const std::vector<int32_t>& parent,
                          uint32_t ports,
                          const std::vector<std::string>& names,
                          const std::vector<Time>& transit,
                          const std::string& fidelity)
{
    TransportFidelity::Get(fidelity, "fidelity", {"flow", "chunk"});
    Cluster c = Begin(fidelity, ports);
    Ptr<NetworkFabric> f = c.fabric;
    const uint32_t n = parent.size();
    c.accelerators.Create(n);
    for (uint32_t i = 0; i < n && i < transit.size(); ++i)
    {
        f->SetTransitLatency(c.accelerators.Get(i)->GetId(), transit[i]);
    }
    // Every node is an endpoint whose ports face its parent (the root's: its first child), with
    // a route to each neighbour over the ports that face it.
    std::vector<std::vector<uint32_t>> toParent(n);
    std::vector<std::vector<uint32_t>> portsOf(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (parent[i] < 0)
        {
            continue;
        }
        const uint32_t p = parent[i];
        std::vector<uint32_t> up;
        std::vector<uint32_t> down;
        for (uint32_t k = 0; k < ports; ++k)
        {
            auto [u, d] = Cable(f,
                                c.accelerators.Get(i),
                                k,
                                names[i],
                                c.accelerators.Get(p),
                                portsOf[p].size() + k,
                                names[p]);
            up.push_back(u);
            down.push_back(d);
        }
        portsOf[p].insert(portsOf[p].end(), down.begin(), down.end());
        toParent[i] = up;
        f->AddRoute(c.accelerators.Get(i)->GetId(), c.accelerators.Get(p)->GetId(), up);
        f->AddRoute(c.accelerators.Get(p)->GetId(), c.accelerators.Get(i)->GetId(), down);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        const auto& own
            = parent[i] < 0 ? std::vector<uint32_t>(portsOf[i].begin(), portsOf[i].begin() + ports)
                            : toParent[i];
        f->AddEndpoint(c.accelerators.Get(i)->GetId(), own);
    }
    End(c);
    return c;
}

Cluster
FabricHelper::Install(const std::vector<uint32_t>& portsOf,
                      const std::string& prefix,
                      const std::string& fidelity)
{
    const uint32_t devices = portsOf.size();
    const uint32_t ports = *std::max_element(portsOf.begin(), portsOf.end());
    Cluster c = Begin(fidelity, ports);
    const std::string topology = c.fabric->GetTopology();
    Ptr<NetworkFabric> f = c.fabric;
    c.accelerators.Create(devices);
    auto name = [&](uint32_t d)
    {
        return prefix + std::to_string(d);
    };
    std::vector<std::vector<uint32_t>> up(devices);   // endpoint ports: links leaving it
    std::vector<std::vector<uint32_t>> down(devices); // links arriving at it, by port

    if (topology == "single-switch")
    {
        c.switches.Create(1);
        Ptr<Node> sw = c.switches.Get(0);
        f->SetTransitLatency(sw->GetId(), f->GetSwitchLatency());
        uint32_t switchPort = 0;
        for (uint32_t d = 0; d < devices; ++d)
        {
            m_ports = portsOf[d];
            for (uint32_t p = 0; p < portsOf[d]; ++p)
            {
                auto [u, dn]
                    = Cable(f, c.accelerators.Get(d), p, name(d), sw, switchPort++, "switch");
                up[d].push_back(u);
                down[d].push_back(dn);
            }
        }
        for (uint32_t d = 0; d < devices; ++d)
        {
            f->AddRoute(sw->GetId(), c.accelerators.Get(d)->GetId(), down[d]);
        }
    }
    else if (topology == "leaf-spine")
    {
        const uint32_t perLeaf = f->GetDevicesPerLeaf();
        const uint32_t leaves = (devices + perLeaf - 1) / perLeaf;
        const auto uplinks = static_cast<uint32_t>(
            std::max(1.0, std::ceil(perLeaf * ports / f->GetOversubscription())));
        if (f->GetSpines() > uplinks)
        {
            throw InputError("network.spines: " + std::to_string(f->GetSpines())
                             + " spines need at least as many uplinks per leaf (have "
                             + std::to_string(uplinks) + ")");
        }
        const uint32_t spines
            = leaves < 2 ? 0 : (f->GetSpines() ? f->GetSpines() : std::min<uint32_t>(uplinks, 16));
        c.switches.Create(leaves + spines);
        for (uint32_t s = 0; s < leaves + spines; ++s)
        {
            f->SetTransitLatency(c.switches.Get(s)->GetId(), f->GetSwitchLatency());
        }
        for (uint32_t d = 0; d < devices; ++d)
        {
            Ptr<Node> leaf = c.switches.Get(d / perLeaf);
            m_ports = portsOf[d];
            for (uint32_t p = 0; p < portsOf[d]; ++p)
            {
                auto [u, dn] = Cable(f,
                                     c.accelerators.Get(d),
                                     p,
                                     name(d),
                                     leaf,
                                     (d % perLeaf) * ports + p,
                                     "leaf" + std::to_string(d / perLeaf));
                up[d].push_back(u);
                down[d].push_back(dn);
            }
        }
        m_ports = ports;
        // leafUp[l]: leaf l's uplinks; spineDown[s][l]: links from spine s down to leaf l.
        std::vector<std::vector<uint32_t>> leafUp(leaves);
        std::vector<std::vector<std::vector<uint32_t>>> spineDown(
            spines, std::vector<std::vector<uint32_t>>(leaves));
        for (uint32_t l = 0; spines > 0 && l < leaves; ++l)
        {
            for (uint32_t u = 0; u < uplinks; ++u)
            {
                const uint32_t s = u % spines;
                auto [lu, sd] = Cable(f,
                                      c.switches.Get(l),
                                      perLeaf * ports + u,
                                      "leaf" + std::to_string(l),
                                      c.switches.Get(leaves + s),
                                      l * uplinks + u,
                                      "spine" + std::to_string(s));
                leafUp[l].push_back(lu);
                spineDown[s][l].push_back(sd);
            }
        }
        for (uint32_t d = 0; d < devices; ++d)
        {
            const uint32_t dst = c.accelerators.Get(d)->GetId();
            const uint32_t home = d / perLeaf;
            for (uint32_t l = 0; l < leaves; ++l)
            {
                f->AddRoute(c.switches.Get(l)->GetId(), dst, l == home ? down[d] : leafUp[l]);
            }
            for (uint32_t s = 0; s < spines; ++s)
            {
                f->AddRoute(c.switches.Get(leaves + s)->GetId(), dst, spineDown[s][home]);
            }
        }
    }
    else if (topology == "ring")
    {
        const bool equal = std::all_of(portsOf.begin(),
                                       portsOf.end(),
                                       [ports](uint32_t p)
                                       {
                                           return p == ports;
                                       });
        if (!equal || ports < 2 || ports % 2 != 0 || devices < 2)
        {
            throw InputError("network.topology: a ring needs at least 2 devices with the same, "
                             "even number of ports (half to each neighbour)");
        }
        const uint32_t half = ports / 2;
        for (uint32_t d = 0; d < devices; ++d)
        {
            f->SetTransitLatency(c.accelerators.Get(d)->GetId(), f->GetWaferTransitLatency());
            up[d].resize(ports);
        }
        for (uint32_t d = 0; d < devices; ++d)
        {
            const uint32_t right = (d + 1) % devices;
            for (uint32_t j = 0; j < half; ++j)
            {
                // Port j of d faces its right neighbour, whose port half + j faces back.
                auto [dr, rd] = Cable(f,
                                      c.accelerators.Get(d),
                                      j,
                                      name(d),
                                      c.accelerators.Get(right),
                                      half + j,
                                      name(right));
                up[d][j] = dr;
                up[right][half + j] = rd;
            }
        }
        for (uint32_t n = 0; n < devices; ++n)
        {
            const std::vector<uint32_t> cw(up[n].begin(), up[n].begin() + half);
            const std::vector<uint32_t> ccw(up[n].begin() + half, up[n].end());
            std::vector<uint32_t> both;
            for (uint32_t j = 0; j < half; ++j)
            {
                both.push_back(cw[j]);
                both.push_back(ccw[j]);
            }
            for (uint32_t d = 0; d < devices; ++d)
            {
                if (d == n)
                {
                    continue;
                }
                const uint32_t ahead = (d + devices - n) % devices;
                const uint32_t behind = devices - ahead;
                f->AddRoute(c.accelerators.Get(n)->GetId(),
                            c.accelerators.Get(d)->GetId(),
                            ahead < behind ? cw : (behind < ahead ? ccw : both));
            }
        }
    }
    else
    {
        throw InputError("network.topology: must be single-switch, leaf-spine or ring (got '"
                         + topology + "')");
    }
    for (uint32_t d = 0; d < devices; ++d)
    {
        f->AddEndpoint(c.accelerators.Get(d)->GetId(), up[d]);
    }
    End(c);
    return c;
}

} // namespace wafer
} // namespace ns3
