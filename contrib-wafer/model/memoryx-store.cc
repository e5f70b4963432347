/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "memoryx-store.h"

#include "input-error.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferMemoryXStore");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(MemoryXStore);

TypeId
MemoryXStore::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::wafer::MemoryXStore")
              .SetParent<Object>()
              .SetGroupName("Wafer")
              .AddConstructor<MemoryXStore>()
              .AddAttribute("DramCapacity",
                            "DRAM tier capacity, bytes (12 TB: a CS-3 MemoryX option).",
                            DoubleValue(12e12),
                            MakeDoubleAccessor(&MemoryXStore::m_dramBytes),
                            MakeDoubleChecker<double>(0))
              .AddAttribute("DramBandwidth",
                            "DRAM tier read bandwidth, bytes/s (assumption: DDR5 servers that "
                            "match or exceed a CS system's I/O, as Cerebras states for MemoryX).",
                            DoubleValue(600e9),
                            MakeDoubleAccessor(&MemoryXStore::m_dramBandwidth),
                            MakeDoubleChecker<double>(1))
              .AddAttribute("DramLatency",
                            "DRAM tier access latency (assumption: DDR5 server DRAM, ~60-100 ns).",
                            TimeValue(NanoSeconds(100)),
                            MakeTimeAccessor(&MemoryXStore::m_dramLatency),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("FlashCapacity",
                            "Flash tier capacity, bytes (1.2 PB: the largest CS-3 MemoryX).",
                            DoubleValue(1.2e15),
                            MakeDoubleAccessor(&MemoryXStore::m_flashBytes),
                            MakeDoubleChecker<double>(0))
              .AddAttribute("FlashBandwidth",
                            "Flash tier read bandwidth, bytes/s (assumption: an NVMe array).",
                            DoubleValue(50e9),
                            MakeDoubleAccessor(&MemoryXStore::m_flashBandwidth),
                            MakeDoubleChecker<double>(1))
              .AddAttribute("FlashLatency",
                            "Flash tier access latency (assumption: NVMe, ~100 us).",
                            TimeValue(MicroSeconds(100)),
                            MakeTimeAccessor(&MemoryXStore::m_flashLatency),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("OptimizerBytesPerParam",
                            "DRAM traffic of the optimizer update per parameter (assumption: "
                            "Adam with fp32 master weights and moments read and written, the "
                            "gradient read and the bf16 weight written: 32 bytes).",
                            DoubleValue(32),
                            MakeDoubleAccessor(&MemoryXStore::m_optimizerBytesPerParam),
                            MakeDoubleChecker<double>(0));
    return tid;
}

MemoryXStore::MemoryXStore() :
    m_dramBytes(12e12),
    m_dramBandwidth(600e9),
    m_flashBytes(1.2e15),
    m_flashBandwidth(50e9),
    m_optimizerBytesPerParam(32)
{
    NS_LOG_FUNCTION(this);
}

void
MemoryXStore::Place(double bytes)
{
    NS_LOG_FUNCTION(this);
    if (bytes <= m_dramBytes)
    {
        m_inFlash = false;
        return;
    }
    if (bytes <= m_flashBytes)
    {
        m_inFlash = true;
        return;
    }
    throw InputError("memoryx: " + std::to_string(bytes / 1e12) + " TB exceed both tiers ("
                     + std::to_string(m_dramBytes / 1e12) + " TB DRAM, "
                     + std::to_string(m_flashBytes / 1e12) + " TB flash)");
}

std::string
MemoryXStore::Tier() const
{
    NS_LOG_FUNCTION(this);
    return m_inFlash ? "flash" : "dram";
}

double
MemoryXStore::ReadBandwidth() const
{
    NS_LOG_FUNCTION(this);
    return m_inFlash ? m_flashBandwidth : m_dramBandwidth;
}

double
MemoryXStore::ReadS(double bytes) const
{
    NS_LOG_FUNCTION(this);
    return (m_inFlash ? m_flashLatency : m_dramLatency).GetSeconds() + bytes / ReadBandwidth();
}

double
MemoryXStore::UpdateS(double params) const
{
    NS_LOG_FUNCTION(this);
    return params * m_optimizerBytesPerParam / m_dramBandwidth;
}

void
MemoryXStore::Read(uint64_t bytes, Callback<void> done)
{
    NS_LOG_FUNCTION(this);
    // A read right behind the previous one streams on (no new access latency).
    const bool streaming = m_readStarted && Simulator::Now() <= m_readFree;
    const Time start = std::max(Simulator::Now(), m_readFree);
    m_readStarted = true;
    m_readFree
        = start + Seconds(streaming ? double(bytes) / ReadBandwidth() : ReadS(double(bytes)));
    Simulator::Schedule(m_readFree - Simulator::Now(),
                        [done]()
                        {
                            done();
                        });
}

void
MemoryXStore::Update(double params, Callback<void> done)
{
    NS_LOG_FUNCTION(this);
    const Time start = std::max(Simulator::Now(), m_updateFree);
    m_updateFree = start + Seconds(UpdateS(params));
    Simulator::Schedule(m_updateFree - Simulator::Now(),
                        [done]()
                        {
                            done();
                        });
}

} // namespace wafer
} // namespace ns3
