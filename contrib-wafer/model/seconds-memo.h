/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SECONDS_MEMO_H
#define WAFER_SECONDS_MEMO_H

#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Seconds(double), remembered for the last durations seen. ns-3's conversion is exact (long
 * double and 128-bit arithmetic) and costs as much as the rest of a pipeline stage's step; the
 * same durations recur (every stage of a pipeline with the same layers takes the same time for
 * the same batch), so most conversions are found here. The result is Seconds()'s, bit for bit.
 */
class SecondsMemo
{
  public:
    Time operator()(double seconds)
    {
        uint64_t bits;
        std::memcpy(&bits, &seconds, sizeof bits);
        Entry& e = m_entries[(bits ^ (bits >> 23) ^ (bits >> 47)) & (kSize - 1)];
        if (!e.used || e.bits != bits)
        {
            e.bits = bits;
            e.used = true;
            e.time = Seconds(seconds);
        }
        return e.time;
    }

  private:
    static constexpr size_t kSize = 64; ///< a power of two
    struct Entry
    {
        uint64_t bits{0};
        bool used{false};
        Time time;
    };
    std::array<Entry, kSize> m_entries;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SECONDS_MEMO_H
