/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scale-up-domain-helper.h"

#include "run-simulation.h"

#include "ns3/input-error.h"
#include "ns3/node-list.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <cmath>
#include <functional>

namespace ns3
{
namespace wafer
{

ScaleUpDomainHelper::ScaleUpDomainHelper() :
    m_switchLatency(NanoSeconds(250))
{
}

void
ScaleUpDomainHelper::SetSwitchLatency(Time latency)
{
    m_switchLatency = latency;
}

void
ScaleUpDomainHelper::SetCollectiveAttribute(const std::string& name, const AttributeValue& value)
{
    m_collectiveAttributes.emplace_back(name, value.Copy());
}

ScaleUpDomain
ScaleUpDomainHelper::Install(uint32_t ranks,
                             double bytesPerS,
                             const LinkPreset& link,
                             const std::string& fidelity)
{
    if (ranks < 2)
    {
        throw InputError("scale_up: a domain needs at least 2 GPUs");
    }
    if (!(bytesPerS > 0) || link.PortRateBps() <= 0)
    {
        throw InputError("scale_up: the device has no scale-up bandwidth (scale_up_bytes_per_s)");
    }
    ScaleUpDomain d;
    d.portsPerGpu = std::max(1u, uint32_t(std::ceil(bytesPerS * 8 / link.PortRateBps() - 1e-9)));
    FabricHelper fabric;
    for (const auto& [name, value] : LinkPresetAttributes(link))
    {
        fabric.SetLinkAttribute(name, StringValue(value));
    }
    const double laneRate = bytesPerS * 8 / (d.portsPerGpu * double(link.lanesPerPort));
    fabric.SetLinkAttribute("LaneRate", StringValue(std::to_string(laneRate)));
    fabric.SetFabricAttribute("Topology", StringValue("single-switch"));
    fabric.SetFabricAttribute("SwitchLatency", TimeValue(m_switchLatency));
    d.cluster = fabric.Install(ranks, d.portsPerGpu, "gpu", fidelity);
    AddCollective(d);
    return d;
}

void
ScaleUpDomainHelper::AddCollective(ScaleUpDomain& d) const
{
    d.collective = CreateObject<NetworkCollective>();
    for (const auto& [name, value] : m_collectiveAttributes)
    {
        d.collective->SetAttribute(name, *value);
    }
    d.collective->Setup(d.cluster.transport, d.cluster.NodeIds());
    // Reachable as /NodeList/<first rank>/$ns3::wafer::NetworkCollective/CollectiveDone.
    NodeList::GetNode(d.cluster.NodeIds().front())->AggregateObject(d.collective);
}

std::vector<double>
ScaleUpDomainHelper::SizeGrid(double maxBytes)
{
    std::vector<double> sizes;
    for (uint32_t k = 40;; ++k)
    {
        sizes.push_back(std::round(std::pow(2.0, k / 4.0)));
        if (sizes.back() >= maxBytes && sizes.size() >= 2)
        {
            return sizes;
        }
    }
}

Ptr<MeasuredCollectiveModel>
ScaleUpDomainHelper::Measure(uint32_t ranks,
                             double bytesPerS,
                             const LinkPreset& link,
                             double maxBytes,
                             const std::string& fidelity)
{
    NS_ABORT_MSG_UNLESS(NodeList::GetNNodes() == 0 && Simulator::Now().IsZero(),
                        "ScaleUpDomainHelper::Measure: call before building anything else");
    return MeasureOn(Install(ranks, bytesPerS, link, fidelity), ranks, bytesPerS, maxBytes);
}

ScaleUpDomain
ScaleUpDomainHelper::InstallOverIo(uint32_t ranks,
                                   uint32_t ports,
                                   const AttributeSettings& settings,
                                   const std::string& fidelity)
{
    NS_ABORT_MSG_UNLESS(NodeList::GetNNodes() == 0 && Simulator::Now().IsZero(),
                        "ScaleUpDomainHelper::InstallOverIo: call before building anything else");
    ScaleUpDomain d;
    d.portsPerGpu = ports;
    FabricHelper fabric;
    fabric.SetAttributes(settings);
    fabric.SetFabricAttribute("Topology", StringValue("single-switch")); // one group, one switch
    d.cluster = fabric.Install(ranks, ports, "tp", fidelity);
    AddCollective(d);
    return d;
}

std::vector<double>
ScaleUpDomainHelper::MeasureExpertAllToAll(const ExpertGroup& group,
                                           uint32_t nicPorts,
                                           const AttributeSettings& settings,
                                           const LinkPreset* upLink,
                                           const std::vector<double>& sizes,
                                           const std::string& fidelity)
{
    NS_ABORT_MSG_UNLESS(NodeList::GetNNodes() == 0 && Simulator::Now().IsZero(),
                        "ScaleUpDomainHelper::MeasureExpertAllToAll: call before building "
                        "anything else");
    const uint32_t t = group.ranksPerNode;
    FabricHelper fabric;
    fabric.SetAttributes(settings);
    fabric.SetFabricAttribute("Topology", StringValue("single-switch"));
    const Cluster nics = fabric.Install(group.Ranks(), nicPorts, "nic", fidelity);
    std::vector<std::vector<uint32_t>> nicIds(group.nodes);
    std::vector<std::vector<uint32_t>> gpuIds(t > 1 ? group.nodes : 0);
    std::vector<Ptr<MessageTransport>> domains;
    for (uint32_t n = 0; n < group.nodes; ++n)
    {
        const std::vector<uint32_t> all = nics.NodeIds();
        nicIds[n].assign(all.begin() + n * t, all.begin() + (n + 1) * t);
        if (t > 1)
        {
            NS_ABORT_MSG_UNLESS(upLink, "MeasureExpertAllToAll: a scale-up link for the domains");
            const ScaleUpDomain d = Install(t, group.scaleUpBytesPerS, *upLink, fidelity);
            domains.push_back(d.cluster.transport);
            gpuIds[n] = d.cluster.NodeIds();
        }
    }
    Ptr<ExpertAllToAll> a2a = CreateObject<ExpertAllToAll>();
    a2a->Setup(nics.transport, nicIds, domains, gpuIds, group);
    std::vector<double> times(sizes.size());
    std::function<void(size_t)> next = [&](size_t i)
    {
        if (i == sizes.size())
        {
            return;
        }
        a2a->Run(uint64_t(sizes[i]),
                 [&next, &times, i](Time took)
                 {
                     times[i] = took.GetSeconds();
                     next(i + 1);
                 });
    };
    next(0);
    RunSimulation();
    a2a->Dispose();
    Simulator::Destroy();
    return times;
}

Ptr<MeasuredCollectiveModel>
ScaleUpDomainHelper::MeasureOn(ScaleUpDomain d, uint32_t ranks, double bytesPerS, double maxBytes)
{
    const std::vector<double> sizes = SizeGrid(maxBytes);
    std::vector<CollectiveSample> samples(sizes.size());
    // One collective after the other: ring, tree, all-to-all for each size.
    std::function<void(size_t)> next = [&](size_t i)
    {
        if (i == 3 * sizes.size())
        {
            return;
        }
        CollectiveSample& s = samples[i / 3];
        s.bytes = sizes[i / 3];
        const auto bytes = uint64_t(s.bytes);
        auto record = [&next, i](double* slot)
        {
            return [&next, i, slot](Time t)
            {
                *slot = t.GetSeconds();
                next(i + 1);
            };
        };
        switch (i % 3)
        {
        case 0:
            d.collective->RingAllReduce(bytes, record(&s.ringS));
            break;
        case 1:
            d.collective->TreeAllReduce(bytes, record(&s.treeS));
            break;
        default:
            d.collective->AllToAll(bytes, record(&s.allToAllS));
        }
    };
    next(0);
    RunSimulation();
    d.collective->Dispose();
    Simulator::Destroy();
    Ptr<MeasuredCollectiveModel> m = CreateObject<MeasuredCollectiveModel>();
    m->SetSamples(ranks, bytesPerS, std::move(samples));
    return m;
}

} // namespace wafer
} // namespace ns3
