/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DECODE_TIMING_MEMO_H
#define WAFER_DECODE_TIMING_MEMO_H

#include "llm-cost-model.h"
#include "stage-compute.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Decode-step timings shared by the stages of one pool (same device, model, roofline and
 * parallelism). A batch crosses every stage of the pipeline, and stages holding the same kind
 * of layers (most of them, in a uniform model) take the same time for it: the first computes,
 * the others find the result here. A stage's class is the exact list of what its timing depends
 * on besides the pool (StageComputeModel::DecodeSignature), so a result found is the one the
 * stage would compute, bit for bit.
 */
class DecodeTimingMemo
{
  public:
    /// The class of stages with this signature (equal signatures, equal class).
    uint32_t ClassOf(const std::vector<double>& signature)
    {
        for (size_t c = 0; c < m_classes.size(); ++c)
        {
            if (m_classes[c] == signature)
            {
                return c;
            }
        }
        m_classes.push_back(signature);
        return m_classes.size() - 1;
    }

    /// The timing remembered for \p batch at a stage of class \p cls, or nullptr.
    const StageTiming* Find(uint32_t cls, const DecodeBatch& batch) const
    {
        const Entry& e = m_entries[Slot(cls, batch)];
        return e.used && e.cls == cls && Same(e.batch, batch) ? &e.timing : nullptr;
    }

    void Store(uint32_t cls, const DecodeBatch& batch, const StageTiming& timing)
    {
        Entry& e = m_entries[Slot(cls, batch)];
        e.used = true;
        e.cls = cls;
        e.batch = batch;
        e.timing = timing;
    }

  private:
    static constexpr size_t kSize = 256; ///< a power of two: more than the batches in flight

    struct Entry
    {
        bool used{false};
        uint32_t cls{0};
        DecodeBatch batch;
        StageTiming timing;
    };

    static uint64_t Bits(double x)
    {
        uint64_t b;
        std::memcpy(&b, &x, sizeof b);
        return b;
    }

    static bool Same(const DecodeBatch& a, const DecodeBatch& b)
    {
        return a.sequences == b.sequences && Bits(a.sumContext) == Bits(b.sumContext)
               && Bits(a.sumWindowedContext) == Bits(b.sumWindowedContext);
    }

    static size_t Slot(uint32_t cls, const DecodeBatch& b)
    {
        // splitmix64's finaliser over the key: contexts are whole numbers, whose doubles differ
        // only in their high bits.
        uint64_t h = Bits(b.sumContext) ^ (Bits(b.sumWindowedContext) * 0x9E3779B97F4A7C15ULL)
                     ^ (uint64_t(b.sequences) << 32 | cls);
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
        return (h ^ (h >> 31)) & (kSize - 1);
    }

    std::vector<std::vector<double>> m_classes;
    std::array<Entry, kSize> m_entries;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DECODE_TIMING_MEMO_H
