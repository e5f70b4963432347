/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SWARMX_HELPER_H
#define WAFER_SWARMX_HELPER_H

#include "fabric-helper.h"

#include "ns3/memoryx-store.h"
#include "ns3/tree-stream.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A weight-streaming cluster as built: MemoryX at the root of a SwarmX tree, wafers at its leaves.
 */
struct SwarmXCluster
{
    Cluster cluster;                  ///< accelerators: MemoryX, the SwarmX nodes, the wafers
    std::vector<int32_t> parent;      ///< tree position -> parent position (-1: MemoryX)
    uint32_t swarmxNodes{0};          ///< broadcast/reduce nodes
    Ptr<MemoryXStore> memoryx;        ///< the weight store at the root
    std::unique_ptr<TreeStream> down; ///< weight broadcast
    std::unique_ptr<TreeStream> up;   ///< gradient reduction
};

/**
 * \ingroup wafer
 * Builds MemoryX, SwarmX and N wafers as ns-3 nodes: SwarmX is a tree of broadcast/reduce nodes
 * of fan-out F (wafers grouped F per node, those nodes F per node above, up to one node below
 * MemoryX), every edge cabled with the network's link technology and port count; each SwarmX
 * node adds its hop latency. Broadcasts replicate chunks at every SwarmX node; reductions sum
 * children's chunks there (in-network) or forward them unreduced.
 */
class SwarmXHelper
{
  public:
    SwarmXHelper();

    /// The settings the tree's fabric, links and transport have (see FabricHelper).
    void SetAttributes(const AttributeSettings& settings);
    void SetFanout(uint32_t fanout);
    void SetPorts(uint32_t ports);
    void SetHopLatency(Time latency);
    void SetChunkBytes(uint64_t bytes);
    void SetInNetworkReduction(bool on);

    /// \p wafers CS systems, at \p fidelity (flow or chunk).
    SwarmXCluster Install(uint32_t wafers, const std::string& fidelity);

    /// Parent of every position: 0 MemoryX, then SwarmX nodes top-down, then the wafers.
    static std::vector<int32_t> Tree(uint32_t wafers, uint32_t fanout, uint32_t* swarmxNodes);

  private:
    FabricHelper m_fabric;
    uint32_t m_fanout{4};
    uint32_t m_ports{12};
    Time m_hopLatency;
    uint64_t m_chunkBytes{4 << 20};
    bool m_inNetwork{true};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SWARMX_HELPER_H
