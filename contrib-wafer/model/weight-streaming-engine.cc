/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "weight-streaming-engine.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferWeightStreamingEngine");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(WeightStreamingEngine);

TypeId
WeightStreamingEngine::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::WeightStreamingEngine")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<WeightStreamingEngine>()
              .AddAttribute("WeightBuffers",
                            "Layers' weights a wafer holds at once while streaming (2: one "
                            "computed on, one arriving).",
                            UintegerValue(2),
                            MakeUintegerAccessor(&WeightStreamingEngine::m_buffers),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

WeightStreamingEngine::WeightStreamingEngine() :
    m_buffers(2)
{
    NS_LOG_FUNCTION(this);
}

void
WeightStreamingEngine::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_store = nullptr;
    m_done = Callback<void>();
    Object::DoDispose();
}

void
WeightStreamingEngine::Setup(Ptr<MemoryXStore> store, TreeStream* broadcast, TreeStream* reduce)
{
    NS_LOG_FUNCTION(this);
    m_store = store;
    m_broadcast = broadcast;
    m_reduce = reduce;
    m_broadcast->SetSource(
        [this](uint32_t, uint64_t bytes, Callback<void> ready)
        {
            m_store->Read(bytes, ready);
        });
}

const std::vector<StreamItem>&
WeightStreamingEngine::Items() const
{
    NS_LOG_FUNCTION(this);
    return m_items;
}

void
WeightStreamingEngine::Run(std::vector<StreamItem> items, Callback<void> done)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(items.empty(), "WeightStreamingEngine: nothing to run");
    m_items = std::move(items);
    m_done = done;
    m_start = Simulator::Now();
    m_nextBroadcast = m_loaded = m_nextCompute = m_computed = m_nextReduce = 0;
    m_broadcasting = m_computing = m_reducing = false;
    m_updatesLeft = 0;
    for (const auto& it : m_items)
    {
        m_updatesLeft += it.gradBytes > 0 ? 1 : 0;
    }
    Advance();
}

void
WeightStreamingEngine::Advance()
{
    NS_LOG_FUNCTION(this);
    const double now = (Simulator::Now() - m_start).GetSeconds();
    // Weights of the next item, into a free buffer.
    if (!m_broadcasting && m_nextBroadcast < m_items.size()
        && m_nextBroadcast < m_computed + m_buffers)
    {
        const size_t j = m_nextBroadcast++;
        m_broadcasting = true;
        m_items[j].broadcastStartS = now;
        m_broadcast->Start(TreeStream::Mode::Broadcast,
                           uint64_t(m_items[j].weightBytes),
                           [this, j](Time)
                           {
                               m_items[j].broadcastEndS = (Simulator::Now() - m_start).GetSeconds();
                               m_broadcasting = false;
                               ++m_loaded;
                               Simulator::ScheduleNow(&WeightStreamingEngine::Advance, this);
                           });
    }
    // Compute on the next loaded item.
    if (!m_computing && m_nextCompute < m_loaded)
    {
        const size_t j = m_nextCompute++;
        m_computing = true;
        m_items[j].computeStartS = now;
        Simulator::Schedule(Seconds(m_items[j].computeS),
                            [this, j]()
                            {
                                m_items[j].computeEndS = (Simulator::Now() - m_start).GetSeconds();
                                m_computing = false;
                                ++m_computed;
                                Advance();
                            });
    }
    // Gradients of computed items back to MemoryX, then the update.
    while (m_nextReduce < m_computed && m_items[m_nextReduce].gradBytes <= 0)
    {
        ++m_nextReduce;
    }
    if (!m_reducing && m_nextReduce < m_computed)
    {
        const size_t j = m_nextReduce++;
        m_reducing = true;
        m_reduce->Start(TreeStream::Mode::Reduce,
                        uint64_t(m_items[j].gradBytes),
                        [this, j](Time)
                        {
                            m_items[j].reduceEndS = (Simulator::Now() - m_start).GetSeconds();
                            m_reducing = false;
                            m_store->Update(m_items[j].params,
                                            [this, j]()
                                            {
                                                m_items[j].updateEndS
                                                    = (Simulator::Now() - m_start).GetSeconds();
                                                --m_updatesLeft;
                                                Advance();
                                            });
                            Simulator::ScheduleNow(&WeightStreamingEngine::Advance, this);
                        });
    }
    if (m_computed == m_items.size() && m_updatesLeft == 0 && !m_done.IsNull())
    {
        Callback<void> done = m_done;
        m_done = Callback<void>();
        done();
    }
}

} // namespace wafer
} // namespace ns3
