/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-point.h"

#include "run-simulation.h"
#include "swarmx-helper.h"

#include "ns3/input-error.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

StreamingPointHelper::StreamingPointHelper(const StreamingScenario& study,
                                           const AttributeSettings& settings,
                                           uint32_t ports) :
    m_study(study),
    m_settings(settings),
    m_ports(ports)
{
}

StreamingPoint
StreamingPointHelper::Run(uint32_t systems,
                          const std::vector<StreamItem>& items,
                          double storeBytes) const
{
    SwarmXHelper helper;
    helper.SetAttributes(m_settings);
    helper.SetFanout(m_study.fanout);
    helper.SetPorts(m_ports);
    helper.SetHopLatency(Seconds(m_study.hopLatencyS));
    helper.SetChunkBytes(uint64_t(m_study.chunkBytes));
    helper.SetInNetworkReduction(m_study.inNetworkReduction);
    SwarmXCluster cluster = helper.Install(systems, m_study.fidelity);
    StreamingPoint r;
    try
    {
        cluster.memoryx->Place(storeBytes);
    }
    catch (const InputError&)
    {
        Simulator::Destroy();
        throw;
    }
    r.tier = cluster.memoryx->Tier();
    Ptr<WeightStreamingEngine> engine = CreateObject<WeightStreamingEngine>();
    engine->Setup(cluster.memoryx, cluster.down.get(), cluster.up.get());
    engine->Run(items,
                [&r]()
                {
                    r.passS = Simulator::Now().GetSeconds();
                });
    RunSimulation();
    r.items = engine->Items();
    engine->Dispose();
    Simulator::Destroy();
    double lastCompute = 0;
    for (const auto& it : r.items)
    {
        r.computeS += it.computeS;
        r.streamS += it.broadcastEndS - it.broadcastStartS;
        lastCompute = std::max(lastCompute, it.computeEndS);
    }
    r.tailS = r.passS - lastCompute;
    r.exposedS = lastCompute - r.computeS;
    return r;
}

} // namespace wafer
} // namespace ns3
