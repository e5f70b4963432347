/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "swarmx-helper.h"

#include "ns3/input-error.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

SwarmXHelper::SwarmXHelper() :
    m_hopLatency(MicroSeconds(5))
{
}

void
SwarmXHelper::SetFanout(uint32_t fanout)
{
    m_fanout = fanout;
}

void
SwarmXHelper::SetPorts(uint32_t ports)
{
    m_ports = ports;
}

void
SwarmXHelper::SetHopLatency(Time latency)
{
    m_hopLatency = latency;
}

void
SwarmXHelper::SetChunkBytes(uint64_t bytes)
{
    m_chunkBytes = bytes;
}

void
SwarmXHelper::SetInNetworkReduction(bool on)
{
    m_inNetwork = on;
}

std::vector<int32_t>
SwarmXHelper::Tree(uint32_t wafers, uint32_t fanout, uint32_t* swarmxNodes)
{
    if (fanout < 2)
    {
        throw InputError("swarmx.fanout: must be 2 or more");
    }
    // Levels of SwarmX nodes, bottom-up: ceil(below / fanout) nodes over each level below.
    std::vector<uint32_t> levels;
    for (uint32_t below = wafers;;)
    {
        const uint32_t nodes = (below + fanout - 1) / fanout;
        levels.push_back(nodes);
        if (nodes == 1)
        {
            break;
        }
        below = nodes;
    }
    std::reverse(levels.begin(), levels.end()); // top-down
    std::vector<int32_t> parent{-1};            // MemoryX
    int32_t above = 0;                          // first position of the level above
    uint32_t aboveCount = 1;
    for (uint32_t count : levels)
    {
        const int32_t first = parent.size();
        for (uint32_t k = 0; k < count; ++k)
        {
            parent.push_back(above + int32_t(aboveCount == 1 ? 0 : k / fanout));
        }
        above = first;
        aboveCount = count;
    }
    for (uint32_t w = 0; w < wafers; ++w)
    {
        parent.push_back(above + int32_t(w / fanout));
    }
    *swarmxNodes = parent.size() - 1 - wafers;
    return parent;
}

void
SwarmXHelper::SetAttributes(const AttributeSettings& settings)
{
    m_fabric.SetAttributes(settings);
}

SwarmXCluster
SwarmXHelper::Install(uint32_t wafers, const std::string& fidelity)
{
    if (wafers < 1)
    {
        throw InputError("systems: at least one CS system");
    }
    SwarmXCluster s;
    s.parent = Tree(wafers, m_fanout, &s.swarmxNodes);
    std::vector<std::string> names{"memoryx"};
    for (uint32_t k = 0; k < s.swarmxNodes; ++k)
    {
        names.push_back("swarmx" + std::to_string(k));
    }
    for (uint32_t w = 0; w < wafers; ++w)
    {
        names.push_back("wafer" + std::to_string(w));
    }
    std::vector<Time> transit(s.parent.size(), Time(0));
    std::fill(transit.begin() + 1, transit.begin() + 1 + s.swarmxNodes, m_hopLatency);
    s.cluster = m_fabric.InstallTree(s.parent, m_ports, names, transit, fidelity);
    s.memoryx = CreateObject<MemoryXStore>();
    const std::vector<uint32_t> ids = s.cluster.NodeIds();
    s.down = std::make_unique<TreeStream>(s.cluster.transport, ids, s.parent);
    s.up = std::make_unique<TreeStream>(s.cluster.transport, ids, s.parent);
    for (TreeStream* t : {s.down.get(), s.up.get()})
    {
        t->SetChunkBytes(m_chunkBytes);
        t->SetKind(TransferKind::Other);
    }
    s.up->SetReduction(m_inNetwork);
    return s;
}

} // namespace wafer
} // namespace ns3
