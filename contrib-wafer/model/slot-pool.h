/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SLOT_POOL_H
#define WAFER_SLOT_POOL_H

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A slot of \p items for a new entry: the last one freed, or a new one at the end. Hot paths keep
 * their per-message state in such pools so that no message allocates once the pool is warm.
 */
template<class T>
uint32_t
TakeSlot(std::vector<T>& items, std::vector<uint32_t>& freeSlots)
{
    if (freeSlots.empty())
    {
        items.emplace_back();
        return items.size() - 1;
    }
    const uint32_t slot = freeSlots.back();
    freeSlots.pop_back();
    return slot;
}

} // namespace wafer
} // namespace ns3

#endif // WAFER_SLOT_POOL_H
