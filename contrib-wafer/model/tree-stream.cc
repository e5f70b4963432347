/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tree-stream.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferTreeStream");
namespace wafer
{

TreeStream::TreeStream(Ptr<MessageTransport> transport,
                       std::vector<uint32_t> nodes,
                       std::vector<int32_t> parent) :
    m_transport(transport),
    m_nodes(std::move(nodes)),
    m_parent(std::move(parent))
{
    NS_LOG_FUNCTION(this);
    const uint32_t n = m_nodes.size();
    NS_ABORT_MSG_UNLESS(n >= 2 && m_parent.size() == n, "TreeStream: a tree of 2 or more nodes");
    m_children.assign(n, {});
    uint32_t roots = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (m_parent[i] < 0)
        {
            ++roots;
        }
        else
        {
            m_children[m_parent[i]].push_back(i);
        }
    }
    NS_ABORT_MSG_UNLESS(roots == 1, "TreeStream: exactly one root");
    m_leavesBelow.assign(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_children[i].empty())
        {
            continue;
        }
        for (int32_t x = i; x >= 0; x = m_parent[x])
        {
            ++m_leavesBelow[x];
        }
    }
}

void
TreeStream::SetChunkBytes(uint64_t bytes)
{
    NS_LOG_FUNCTION(this);
    m_chunkBytes = std::max<uint64_t>(1, bytes);
}

void
TreeStream::SetWindow(uint32_t chunks)
{
    NS_LOG_FUNCTION(this);
    m_window = std::max<uint32_t>(1, chunks);
}

void
TreeStream::SetStartOverhead(Time overhead)
{
    NS_LOG_FUNCTION(this);
    m_startOverhead = overhead;
}

void
TreeStream::SetReduction(bool inNetwork)
{
    NS_LOG_FUNCTION(this);
    m_reduction = inNetwork;
}

void
TreeStream::SetSource(SourceCallback source)
{
    NS_LOG_FUNCTION(this);
    m_source = source;
}

void
TreeStream::SetKind(TransferKind kind)
{
    NS_LOG_FUNCTION(this);
    m_kind = kind;
}

uint32_t
TreeStream::Depth() const
{
    NS_LOG_FUNCTION(this);
    uint32_t depth = 0;
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        uint32_t d = 0;
        for (int32_t x = m_parent[i]; x >= 0; x = m_parent[x])
        {
            ++d;
        }
        depth = std::max(depth, d);
    }
    return depth;
}

void
TreeStream::Start(Mode mode, uint64_t bytes, Callback<void, Time> done)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_done.IsNull(), "TreeStream: one operation at a time");
    const uint32_t n = m_nodes.size();
    m_mode = mode;
    m_start = Simulator::Now();
    m_done = done;
    m_chunk.clear();
    for (uint64_t off = 0; off < std::max<uint64_t>(bytes, 1); off += m_chunkBytes)
    {
        m_chunk.push_back(std::min(m_chunkBytes, std::max<uint64_t>(bytes, 1) - off));
    }
    const uint32_t k = m_chunk.size();
    m_upArrived.assign(n, std::vector<uint32_t>(k, 0));
    m_upNext.assign(n, 0);
    m_upInFlight.assign(n, 0);
    m_have.assign(n, std::vector<bool>(k, false));
    m_downNext.assign(n, {});
    m_downInFlight.assign(n, {});
    for (uint32_t i = 0; i < n; ++i)
    {
        m_downNext[i].assign(m_children[i].size(), 0);
        m_downInFlight[i].assign(m_children[i].size(), 0);
    }
    m_upReady.assign(n, Time(0));
    m_downReady.assign(n, Time(0));
    m_outstanding = mode == Mode::Reduce ? k : uint64_t(n - 1) * k;
    const uint32_t root = std::find(m_parent.begin(), m_parent.end(), -1) - m_parent.begin();
    if (mode == Mode::Broadcast)
    {
        if (m_source.IsNull())
        {
            std::fill(m_have[root].begin(), m_have[root].end(), true);
        }
        else
        {
            m_sourceNext = 0;
            m_sourceBusy = false;
            RequestSource();
        }
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        Pump(i);
    }
}

void
TreeStream::RequestSource()
{
    NS_LOG_FUNCTION(this);
    if (m_sourceBusy || m_sourceNext >= m_chunk.size())
    {
        return;
    }
    m_sourceBusy = true;
    const uint32_t c = m_sourceNext++;
    m_source(c,
             m_chunk[c],
             Callback<void>(
                 [this, c]()
                 {
                     SourceReady(c);
                 }));
}

void
TreeStream::SourceReady(uint32_t c)
{
    NS_LOG_FUNCTION(this);
    const uint32_t root = std::find(m_parent.begin(), m_parent.end(), -1) - m_parent.begin();
    m_sourceBusy = false;
    m_have[root][c] = true;
    Pump(root);
    RequestSource();
}

bool
TreeStream::Launched(Time& ready, uint32_t node)
{
    NS_LOG_FUNCTION(this);
    if (ready.IsZero())
    {
        ready = Simulator::Now() + m_startOverhead;
        if (m_startOverhead.IsStrictlyPositive())
        {
            Simulator::Schedule(m_startOverhead, &TreeStream::Pump, this, node);
            return false;
        }
    }
    return Simulator::Now() >= ready;
}

void
TreeStream::Pump(uint32_t i)
{
    NS_LOG_FUNCTION(this);
    if (m_done.IsNull())
    {
        return; // finished (a late launch event)
    }
    const uint32_t k = m_chunk.size();
    const bool up = m_mode != Mode::Broadcast;
    if (up && m_parent[i] >= 0)
    {
        while (m_upNext[i] < k && m_upInFlight[i] < m_window
               && m_upArrived[i][m_upNext[i]] == m_children[i].size())
        {
            if (!Launched(m_upReady[i], i))
            {
                break;
            }
            const uint32_t c = m_upNext[i]++;
            const uint32_t p = m_parent[i];
            const uint64_t bytes = m_reduction ? m_chunk[c] : m_chunk[c] * m_leavesBelow[i];
            ++m_upInFlight[i];
            m_transport->Send(m_nodes[i],
                              m_nodes[p],
                              bytes,
                              m_kind,
                              [this, i, p, c](const TransferRecord&)
                              {
                                  Arrived(i, p, c, true);
                              });
        }
    }
    if (m_mode == Mode::Reduce)
    {
        return;
    }
    for (uint32_t j = 0; j < m_children[i].size(); ++j)
    {
        while (m_downNext[i][j] < k && m_downInFlight[i][j] < m_window
               && m_have[i][m_downNext[i][j]])
        {
            if (!Launched(m_downReady[i], i))
            {
                return;
            }
            const uint32_t c = m_downNext[i][j]++;
            const uint32_t child = m_children[i][j];
            ++m_downInFlight[i][j];
            m_transport->Send(m_nodes[i],
                              m_nodes[child],
                              m_chunk[c],
                              m_kind,
                              [this, i, child, c](const TransferRecord&)
                              {
                                  Arrived(i, child, c, false);
                              });
        }
    }
}

void
TreeStream::Arrived(uint32_t from, uint32_t to, uint32_t c, bool up)
{
    NS_LOG_FUNCTION(this);
    if (up)
    {
        --m_upInFlight[from];
        const bool reduced = ++m_upArrived[to][c] == m_children[to].size();
        if (reduced && m_parent[to] < 0)
        {
            m_have[to][c] = true; // the root has reduced chunk c
            if (m_mode == Mode::Reduce && --m_outstanding == 0)
            {
                Complete();
                return;
            }
        }
    }
    else
    {
        const auto& kids = m_children[from];
        const uint32_t j = std::find(kids.begin(), kids.end(), to) - kids.begin();
        --m_downInFlight[from][j];
        m_have[to][c] = true;
        if (--m_outstanding == 0)
        {
            Complete();
            return;
        }
    }
    Pump(from);
    Pump(to);
}

void
TreeStream::Complete()
{
    NS_LOG_FUNCTION(this);
    Callback<void, Time> done = m_done;
    m_done = Callback<void, Time>();
    done(Simulator::Now() - m_start);
}

} // namespace wafer
} // namespace ns3
