/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "network-collective.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferNetworkCollective");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(NetworkCollective);

TypeId
NetworkCollective::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::NetworkCollective")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<NetworkCollective>()
              .AddAttribute("StepOverhead",
                            "Launch and synchronisation cost of one collective step on top of "
                            "the network's own latency (an assumption: with the ~0.3 us of an "
                            "NVSwitch crossing it makes the ~1 us per step of the closed form).",
                            TimeValue(NanoSeconds(700)),
                            MakeTimeAccessor(&NetworkCollective::m_stepOverhead),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("TreeChunkBytes",
                            "Chunk size a tree all-reduce pipelines its data in (an assumption "
                            "of the order of NCCL's tree chunk sizes).",
                            UintegerValue(1 << 20),
                            MakeUintegerAccessor(&NetworkCollective::m_treeChunkBytes),
                            MakeUintegerChecker<uint64_t>(1))
              .AddAttribute("TreeWindow",
                            "Chunks a rank may have in flight on one tree edge.",
                            UintegerValue(2),
                            MakeUintegerAccessor(&NetworkCollective::m_treeWindow),
                            MakeUintegerChecker<uint32_t>(1))
              .AddTraceSource("CollectiveStarted",
                              "A collective started on the domain's network.",
                              MakeTraceSourceAccessor(&NetworkCollective::m_startedTrace),
                              "ns3::wafer::NetworkCollective::StartedTracedCallback")
              .AddTraceSource("CollectiveDone",
                              "A collective completed (its duration).",
                              MakeTraceSourceAccessor(&NetworkCollective::m_doneTrace),
                              "ns3::wafer::NetworkCollective::DoneTracedCallback");
    return tid;
}

NetworkCollective::NetworkCollective() :
    m_stepOverhead(NanoSeconds(700)),
    m_treeChunkBytes(1 << 20),
    m_treeWindow(2)
{
    NS_LOG_FUNCTION(this);
}

void
NetworkCollective::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_transport = nullptr;
    m_trees.clear();
    m_done = DoneCallback();
    m_startedTrace = TracedCallback<const std::string&, uint64_t>();
    m_doneTrace = TracedCallback<const std::string&, uint64_t, Time>();
    Object::DoDispose();
}

void
NetworkCollective::Setup(Ptr<MessageTransport> transport, const std::vector<uint32_t>& ranks)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(ranks.size() < 2, "NetworkCollective: needs at least 2 ranks");
    m_transport = transport;
    m_ranks = ranks;
}

std::vector<int32_t>
NetworkCollective::TreeParents(uint32_t n, uint32_t tree)
{
    // Tree 0: rank 0 is the root; another rank r with lowest set bit b hangs below
    // (r - b) | 2b, or below r - b when that is out of range, so odd ranks are the leaves.
    // Tree 1: rank r takes position (r + 1) mod n of tree 0, so its leaves are the even ranks.
    auto parentPos = [n](uint32_t p) -> int32_t
    {
        if (p == 0)
        {
            return -1;
        }
        const uint32_t b = p & (~p + 1);
        const uint32_t up = (p ^ b) | (b << 1);
        return int32_t(up < n ? up : (p ^ b));
    };
    std::vector<int32_t> parent(n);
    for (uint32_t r = 0; r < n; ++r)
    {
        const uint32_t pos = tree == 0 ? r : (r + 1) % n;
        const int32_t pp = parentPos(pos);
        parent[r] = pp < 0 ? -1 : (tree == 0 ? pp : int32_t((uint32_t(pp) + n - 1) % n));
    }
    return parent;
}

void
NetworkCollective::Begin(const char* kind, uint64_t bytes, DoneCallback done)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_busy, "NetworkCollective: one collective at a time");
    NS_ABORT_MSG_IF(!m_transport, "NetworkCollective: Setup first");
    m_busy = true;
    m_start = Simulator::Now();
    m_done = done;
    m_kind = kind;
    m_bytes = bytes;
    m_startedTrace(m_kind, m_bytes);
}

void
NetworkCollective::Finish()
{
    NS_LOG_FUNCTION(this);
    m_busy = false;
    DoneCallback done = m_done;
    m_done = DoneCallback();
    m_doneTrace(m_kind, m_bytes, Simulator::Now() - m_start);
    done(Simulator::Now() - m_start);
}

void
NetworkCollective::RingAllReduce(uint64_t bytes, DoneCallback done)
{
    NS_LOG_FUNCTION(this);
    Begin("ring_all_reduce", bytes, done);
    const uint64_t n = m_ranks.size();
    m_ringPiece = std::max<uint64_t>(1, (bytes + n - 1) / n);
    m_ringStep = 0;
    Simulator::Schedule(m_stepOverhead, &NetworkCollective::RingStep, this);
}

void
NetworkCollective::RingStep()
{
    NS_LOG_FUNCTION(this);
    const uint32_t n = m_ranks.size();
    m_outstanding = n;
    for (uint32_t r = 0; r < n; ++r)
    {
        m_transport->Send(m_ranks[r],
                          m_ranks[(r + 1) % n],
                          m_ringPiece,
                          TransferKind::Other,
                          [this](const TransferRecord&)
                          {
                              RingArrived();
                          });
    }
}

void
NetworkCollective::RingArrived()
{
    NS_LOG_FUNCTION(this);
    if (--m_outstanding > 0)
    {
        return;
    }
    if (++m_ringStep < 2 * (m_ranks.size() - 1))
    {
        Simulator::Schedule(m_stepOverhead, &NetworkCollective::RingStep, this);
        return;
    }
    Finish();
}

void
NetworkCollective::AllToAll(uint64_t bytesPerRank, DoneCallback done)
{
    NS_LOG_FUNCTION(this);
    Begin("all_to_all", bytesPerRank, done);
    const uint32_t n = m_ranks.size();
    const uint64_t piece = std::max<uint64_t>(1, (bytesPerRank + n - 1) / n);
    m_outstanding = n * (n - 1);
    Simulator::Schedule(m_stepOverhead,
                        [this, n, piece]()
                        {
                            for (uint32_t s = 0; s < n; ++s)
                            {
                                for (uint32_t k = 1; k < n; ++k)
                                {
                                    m_transport->Send(m_ranks[s],
                                                      m_ranks[(s + k) % n],
                                                      piece,
                                                      TransferKind::Other,
                                                      [this](const TransferRecord&)
                                                      {
                                                          if (--m_outstanding == 0)
                                                          {
                                                              Finish();
                                                          }
                                                      });
                                }
                            }
                        });
}

void
NetworkCollective::TreeAllReduce(uint64_t bytes, DoneCallback done)
{
    NS_LOG_FUNCTION(this);
    Begin("tree_all_reduce", bytes, done);
    const uint32_t n = m_ranks.size();
    const uint64_t halves[2] = {bytes - bytes / 2, bytes / 2};
    m_trees.clear();
    m_outstanding = 0;
    for (uint32_t t = 0; t < 2; ++t)
    {
        if (halves[t] == 0)
        {
            continue;
        }
        auto tree = std::make_unique<TreeStream>(m_transport, m_ranks, TreeParents(n, t));
        tree->SetChunkBytes(m_treeChunkBytes);
        tree->SetWindow(m_treeWindow);
        tree->SetStartOverhead(m_stepOverhead);
        m_trees.push_back(std::move(tree));
        ++m_outstanding;
    }
    // Both trees run at once; the all-reduce ends with the later one.
    for (uint32_t t = 0; t < m_trees.size(); ++t)
    {
        m_trees[t]->Start(TreeStream::Mode::AllReduce,
                          halves[t],
                          [this](Time)
                          {
                              if (--m_outstanding == 0)
                              {
                                  Simulator::ScheduleNow(&NetworkCollective::Finish, this);
                              }
                          });
    }
}

} // namespace wafer
} // namespace ns3
