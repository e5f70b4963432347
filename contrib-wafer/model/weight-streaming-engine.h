/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_WEIGHT_STREAMING_ENGINE_H
#define WAFER_WEIGHT_STREAMING_ENGINE_H

#include "memoryx-store.h"
#include "tree-stream.h"

#include "ns3/callback.h"
#include "ns3/object.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One step of a weight-streamed pass: a layer's weights come from MemoryX through SwarmX, the
 * wafers compute on them, and (training backward) the gradients go back and MemoryX updates.
 */
struct StreamItem
{
    std::string name;      ///< e.g. "layer3.fwd"
    double weightBytes{0}; ///< broadcast to every wafer
    double computeS{0};    ///< on-wafer compute once the weights are in
    double gradBytes{0};   ///< reduced back to MemoryX after the compute (0: none)
    double params{0};      ///< parameters MemoryX updates once the gradients are in
    // Filled in by the run (seconds from its start).
    double broadcastStartS{0};
    double broadcastEndS{0};
    double computeStartS{0};
    double computeEndS{0};
    double reduceEndS{0};
    double updateEndS{0};
};

/**
 * \ingroup wafer
 * Runs a sequence of StreamItems on the network, event by event:
 * - item j's weights are broadcast (MemoryX read -> SwarmX tree -> every wafer, TreeStream) once
 *   item j - 1's broadcast is done and a weight buffer is free (WeightBuffers buffers: item
 *   j - WeightBuffers has finished computing), so transfer overlaps compute;
 * - item j computes once its weights are in and item j - 1 has finished computing;
 * - its gradients are reduced through the tree (in-network) after its compute and the previous
 *   reduction, and MemoryX updates those parameters after the reduction and the previous update.
 * With identical items of transfer t and compute c (no gradients) the run takes
 * min(t, c) + n max(t, c): the fill, then the slower of the two per item.
 */
class WeightStreamingEngine : public Object
{
  public:
    static TypeId GetTypeId();
    WeightStreamingEngine();

    /// \p broadcast and \p reduce: streams over the same SwarmX tree (MemoryX at the root).
    void Setup(Ptr<MemoryXStore> store, TreeStream* broadcast, TreeStream* reduce);

    /// Run \p items; \p done when every compute, reduction and update has finished.
    void Run(std::vector<StreamItem> items, Callback<void> done);
    const std::vector<StreamItem>& Items() const;

  protected:
    void DoDispose() override;

  private:
    void Advance();

    uint32_t m_buffers;
    Ptr<MemoryXStore> m_store;
    TreeStream* m_broadcast{nullptr};
    TreeStream* m_reduce{nullptr};
    std::vector<StreamItem> m_items;
    Callback<void> m_done;
    Time m_start;
    size_t m_nextBroadcast{0};
    bool m_broadcasting{false};
    size_t m_loaded{0}; ///< items whose weights are in
    size_t m_nextCompute{0};
    bool m_computing{false};
    size_t m_computed{0};
    size_t m_nextReduce{0};
    bool m_reducing{false};
    size_t m_updatesLeft{0};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_WEIGHT_STREAMING_ENGINE_H
