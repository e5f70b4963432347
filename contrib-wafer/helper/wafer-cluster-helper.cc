/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wafer-cluster-helper.h"

#include "ns3/data-rate.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"

namespace ns3
{
namespace wafer
{

std::vector<uint32_t>
WaferCluster::NodeIds() const
{
    std::vector<uint32_t> ids;
    for (uint32_t i = 0; i < accelerators.GetN(); ++i)
    {
        ids.push_back(accelerators.Get(i)->GetId());
    }
    return ids;
}

WaferClusterHelper::WaferClusterHelper()
{
    m_switchFactory.SetTypeId(WaferSwitch::GetTypeId());
    m_transportFactory.SetTypeId(MessageTransport::GetTypeId());
    // The chunk transport does not retransmit: queues are sized so that nothing is dropped
    // (lossless Ethernet with PFC in effect); the collector reports drops if any happen.
    m_p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("10000000p")));
}

void
WaferClusterHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_p2p.SetDeviceAttribute(name, value);
}

void
WaferClusterHelper::SetChannelAttribute(const std::string& name, const AttributeValue& value)
{
    m_p2p.SetChannelAttribute(name, value);
}

void
WaferClusterHelper::SetSwitchAttribute(const std::string& name, const AttributeValue& value)
{
    m_switchFactory.Set(name, value);
}

void
WaferClusterHelper::SetTransportAttribute(const std::string& name, const AttributeValue& value)
{
    m_transportFactory.Set(name, value);
}

WaferCluster
WaferClusterHelper::Install(uint32_t devices, uint32_t portsPerDevice, const std::string& prefix)
{
    WaferCluster c;
    c.accelerators.Create(devices);
    c.switchNode = CreateObject<Node>();
    c.fabricSwitch = m_switchFactory.Create<WaferSwitch>();
    c.fabricSwitch->Install(c.switchNode);
    c.transport = m_transportFactory.Create<MessageTransport>();
    c.ports.resize(devices);
    for (uint32_t d = 0; d < devices; ++d)
    {
        Ptr<Node> node = c.accelerators.Get(d);
        std::vector<Ptr<NetDevice>> switchSide;
        for (uint32_t p = 0; p < portsPerDevice; ++p)
        {
            NetDeviceContainer pair = m_p2p.Install(node, c.switchNode);
            c.ports[d].push_back(pair.Get(0));
            switchSide.push_back(pair.Get(1));
            const std::string dev = prefix + std::to_string(d) + ".p" + std::to_string(p);
            auto rate = [](Ptr<NetDevice> nd)
            {
                DataRateValue v;
                nd->GetObject<PointToPointNetDevice>()->GetAttribute("DataRate", v);
                return double(v.Get().GetBitRate());
            };
            c.links.push_back(LinkInfo{dev + "->switch",
                                       node->GetId(),
                                       c.switchNode->GetId(),
                                       p,
                                       rate(pair.Get(0)),
                                       pair.Get(0)});
            c.links.push_back(LinkInfo{"switch->" + dev,
                                       c.switchNode->GetId(),
                                       node->GetId(),
                                       p,
                                       rate(pair.Get(1)),
                                       pair.Get(1)});
        }
        c.fabricSwitch->AddRoute(node->GetId(), switchSide);
        c.transport->AddEndpoint(node, c.ports[d]);
    }
    return c;
}

} // namespace wafer
} // namespace ns3
