/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_MEMORYX_STORE_H
#define WAFER_MEMORYX_STORE_H

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The MemoryX weight store of a Cerebras cluster: a DRAM tier and a flash tier holding weights
 * (and, for training, gradients' optimizer state), serving reads at the tier's bandwidth one
 * after the other, and running the optimizer update. Defaults: MemoryX holds weights in DRAM and
 * flash (Cerebras' MemoryX glossary, https://www.cerebras.net/glossary/memoryx/), capacities from
 * Cerebras' CS-3 launch (1.5 TB, 12 TB or 1.2 PB of external memory); bandwidths and latencies are
 * assumptions (see the attributes).
 */
class MemoryXStore : public Object
{
  public:
    static TypeId GetTypeId();
    MemoryXStore();

    /**
     * Hold \p bytes (weights plus whatever state travels with them) in the DRAM tier if it fits,
     * else in flash. \throws InputError (field memoryx) when neither tier can hold them.
     */
    void Place(double bytes);
    /// "dram" or "flash": where Place put the data.
    std::string Tier() const;
    /// Read bandwidth of the tier holding the data, bytes/s.
    double ReadBandwidth() const;

    /// Read \p bytes from the tier (after any reads before it; the access latency only when the
    /// tier was idle); \p done once they are out.
    void Read(uint64_t bytes, Callback<void> done);
    /// Optimizer update of \p params parameters (OptimizerBytesPerParam of DRAM traffic each),
    /// after any update before it; \p done when finished.
    void Update(double params, Callback<void> done);

    /// Seconds Read takes for \p bytes alone.
    double ReadS(double bytes) const;
    /// Seconds Update takes for \p params alone.
    double UpdateS(double params) const;

  private:
    double m_dramBytes;
    double m_dramBandwidth;
    Time m_dramLatency;
    double m_flashBytes;
    double m_flashBandwidth;
    Time m_flashLatency;
    double m_optimizerBytesPerParam;
    bool m_inFlash{false};
    bool m_readStarted{false};
    Time m_readFree;   ///< when the read port is next free
    Time m_updateFree; ///< when the optimizer is next free
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_MEMORYX_STORE_H
