/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "expert-all-to-all.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferExpertAllToAll");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(ExpertAllToAll);

TypeId
ExpertAllToAll::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::ExpertAllToAll")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<ExpertAllToAll>()
              .AddAttribute("StepOverhead",
                            "Launch and synchronisation cost of each phase on top of the "
                            "networks' own latency (as NetworkCollective's StepOverhead).",
                            TimeValue(NanoSeconds(700)),
                            MakeTimeAccessor(&ExpertAllToAll::m_stepOverhead),
                            MakeTimeChecker(Seconds(0)))
              .AddTraceSource("CollectiveDone",
                              "An all-to-all completed (bytes per rank, its duration).",
                              MakeTraceSourceAccessor(&ExpertAllToAll::m_doneTrace),
                              "ns3::wafer::ExpertAllToAll::DoneTracedCallback");
    return tid;
}

ExpertAllToAll::ExpertAllToAll() :
    m_stepOverhead(NanoSeconds(700))
{
    NS_LOG_FUNCTION(this);
}

void
ExpertAllToAll::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_scaleOut = nullptr;
    m_scaleUp.clear();
    m_done = DoneCallback();
    Object::DoDispose();
}

void
ExpertAllToAll::Setup(Ptr<MessageTransport> scaleOut,
                      std::vector<std::vector<uint32_t>> nics,
                      std::vector<Ptr<MessageTransport>> scaleUp,
                      std::vector<std::vector<uint32_t>> gpus,
                      const ExpertGroup& group)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(group.Ranks() >= 2, "ExpertAllToAll: a group of two ranks or more");
    NS_ABORT_MSG_UNLESS(nics.size() == group.nodes, "ExpertAllToAll: a NIC list per node");
    NS_ABORT_MSG_UNLESS(group.ranksPerNode < 2
                            || (scaleUp.size() == group.nodes && gpus.size() == group.nodes),
                        "ExpertAllToAll: a scale-up domain per node");
    m_scaleOut = scaleOut;
    m_nics = std::move(nics);
    m_scaleUp = std::move(scaleUp);
    m_gpus = std::move(gpus);
    m_group = group;
}

void
ExpertAllToAll::Run(uint64_t bytesPerRank, DoneCallback done)
{
    NS_LOG_FUNCTION(this << bytesPerRank);
    NS_ABORT_MSG_UNLESS(m_outstanding == 0 && m_phase == 0, "ExpertAllToAll: one at a time");
    m_bytesPerRank = bytesPerRank;
    m_done = done;
    m_start = Simulator::Now();
    if (m_group.nodes > 1)
    {
        m_phase = 1;
        Simulator::Schedule(m_stepOverhead, &ExpertAllToAll::ScaleOutPhase, this);
    }
    else
    {
        m_phase = 2;
        Simulator::Schedule(m_stepOverhead, &ExpertAllToAll::ScaleUpPhase, this);
    }
}

void
ExpertAllToAll::ScaleOutPhase()
{
    NS_LOG_FUNCTION(this);
    const uint32_t n = m_group.nodes;
    const uint64_t piece
        = std::max<uint64_t>(1, std::llround(m_group.ToEachNode(double(m_bytesPerRank))));
    m_outstanding = uint64_t(n) * (n - 1) * m_group.ranksPerNode;
    for (uint32_t a = 0; a < n; ++a)
    {
        for (uint32_t k = 1; k < n; ++k)
        {
            for (uint32_t r = 0; r < m_group.ranksPerNode; ++r)
            {
                m_scaleOut->Send(m_nics[a][r],
                                 m_nics[(a + k) % n][r],
                                 piece,
                                 TransferKind::Other,
                                 [this](const TransferRecord&)
                                 {
                                     Arrived();
                                 });
            }
        }
    }
}

void
ExpertAllToAll::ScaleUpPhase()
{
    NS_LOG_FUNCTION(this);
    const uint32_t t = m_group.ranksPerNode;
    const uint64_t piece
        = std::max<uint64_t>(1, std::llround(m_group.ToEachRank(double(m_bytesPerRank))));
    m_outstanding = uint64_t(m_group.nodes) * t * (t - 1);
    for (uint32_t b = 0; b < m_group.nodes; ++b)
    {
        for (uint32_t g = 0; g < t; ++g)
        {
            for (uint32_t k = 1; k < t; ++k)
            {
                m_scaleUp[b]->Send(m_gpus[b][g],
                                   m_gpus[b][(g + k) % t],
                                   piece,
                                   TransferKind::Other,
                                   [this](const TransferRecord&)
                                   {
                                       Arrived();
                                   });
            }
        }
    }
}

void
ExpertAllToAll::Arrived()
{
    NS_LOG_FUNCTION(this);
    if (--m_outstanding > 0)
    {
        return;
    }
    if (m_phase == 1 && m_group.ranksPerNode > 1)
    {
        m_phase = 2;
        Simulator::Schedule(m_stepOverhead, &ExpertAllToAll::ScaleUpPhase, this);
        return;
    }
    m_phase = 0;
    const Time took = Simulator::Now() - m_start;
    m_doneTrace(m_bytesPerRank, took);
    DoneCallback done = m_done;
    m_done = DoneCallback();
    done(took);
}

} // namespace wafer
} // namespace ns3
