/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_TOPOLOGY_BUILDER_H
#define WAFER_TOPOLOGY_BUILDER_H

#include "ns3/network-fabric.h"
#include "ns3/node-container.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One end of a cable: a node, its port and the name its links are labelled with.
 */
struct CableEnd
{
    Ptr<Node> node;
    uint32_t port;
    std::string name;
};

/**
 * \ingroup wafer
 * Cables \p a to \p b at the rate of one port of a device with \p ports ports (a photonic face's
 * bandwidth is split over its ports); returns the two link ids (a->b, b->a). FabricHelper gives
 * it, so builders never deal with NetDevices or link technologies.
 */
using CableFunction = std::function<std::pair<uint32_t, uint32_t>(
    const CableEnd& a, const CableEnd& b, uint32_t ports)>;

/**
 * \ingroup wafer
 * What a TopologyBuilder connects: the endpoints (already created, in order), their port counts
 * and names, and the fabric that gets the links, routes and transit latencies.
 */
struct TopologyContext
{
    Ptr<NetworkFabric> fabric;
    NodeContainer endpoints;
    std::vector<uint32_t> ports;    ///< ports per endpoint
    std::vector<std::string> names; ///< link-label name per endpoint
    CableFunction cable;
};

/**
 * \ingroup wafer
 * Builds one topology between endpoints: its switches (if any), its cables (through the
 * context's cable function), its routes and transit latencies. FabricHelper creates the
 * endpoints before and declares them to the fabric after. Node and link ids follow creation
 * order, so a builder's order of Create and cable calls is part of its results.
 */
class TopologyBuilder
{
  public:
    virtual ~TopologyBuilder() = default;

    /**
     * \param context the endpoints and the fabric
     * \param switches receives the switch nodes this topology creates
     * \return per endpoint, the links leaving it, by port index
     * \throws InputError if the topology cannot be built for these endpoints
     */
    virtual std::vector<std::vector<uint32_t>> Build(const TopologyContext& context,
                                                     NodeContainer& switches) const = 0;
};

/// Names of the registered topologies, in registration order.
std::vector<std::string> TopologyNames();

/**
 * The builder of the topology called \p name.
 * \throws InputError "<field>: must be single-switch, leaf-spine, ring or rail-optimized (got
 * '<name>')" for an
 * unregistered name
 */
std::unique_ptr<TopologyBuilder> CreateTopology(const std::string& name, const std::string& field);

/// Checks that \p name is a registered topology; \throws InputError as CreateTopology does.
void CheckTopology(const std::string& name, const std::string& field);

/**
 * The switches of a leaf-spine fabric (leaf-spine, rail-optimized): \p leaves leaf switches, then
 * the spines (NetworkFabric::Spines, or min(\p uplinks, 16) if 0; none if \p withSpines is
 * false), each with the fabric's SwitchLatency. \return the number of spines
 * \throws InputError if Spines is more than a leaf's \p uplinks
 */
uint32_t CreateLeavesAndSpines(const TopologyContext& context,
                               NodeContainer& switches,
                               uint32_t leaves,
                               uint32_t uplinks,
                               bool withSpines);

/// What CableSpines built: leafUp[l], leaf l's uplinks; spineDown[s][l], spine s's links down to
/// leaf l.
struct SpineCables
{
    std::vector<std::vector<uint32_t>> leafUp;
    std::vector<std::vector<std::vector<uint32_t>>> spineDown;
};

/**
 * Cables each of the \p leaves first switches (leaves, named by \p leafName) to the \p spines
 * after them: uplink u of a leaf, its port \p firstPort + u, goes to spine u mod spines, at the
 * rate of one port of a device with \p ports ports. Leaf by leaf, so that link ids follow.
 */
SpineCables CableSpines(const TopologyContext& context,
                        const NodeContainer& switches,
                        uint32_t leaves,
                        uint32_t spines,
                        uint32_t uplinks,
                        uint32_t firstPort,
                        uint32_t ports,
                        const std::function<std::string(uint32_t)>& leafName);

} // namespace wafer
} // namespace ns3

#endif // WAFER_TOPOLOGY_BUILDER_H
