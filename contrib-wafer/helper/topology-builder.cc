/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-builder.h"

#include "leaf-spine-topology.h"
#include "rail-optimized-topology.h"
#include "ring-topology.h"
#include "single-switch-topology.h"

#include "ns3/input-error.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

namespace
{

/// A registered topology: the NetworkFabric Topology value that selects it and its builder.
struct Registration
{
    std::string name;
    std::unique_ptr<TopologyBuilder> (*create)();
};

template<typename T>
std::unique_ptr<TopologyBuilder>
Make()
{
    return std::make_unique<T>();
}

/**
 * The registry: a new topology is one builder file plus one line here. A plain table rather than
 * ns-3 TypeIds or self-registering statics: builders have no attributes of their own (they read
 * the NetworkFabric's), and an explicit list fixes the order the names appear in errors without
 * depending on the initialization order of translation units.
 */
const std::vector<Registration>&
Registry()
{
    static const std::vector<Registration> registry{
        {"single-switch", &Make<SingleSwitchTopology>},
        {"leaf-spine", &Make<LeafSpineTopology>},
        {"ring", &Make<RingTopology>},
        {"rail-optimized", &Make<RailOptimizedTopology>},
    };
    return registry;
}

} // namespace

std::vector<std::string>
TopologyNames()
{
    std::vector<std::string> names;
    for (const auto& r : Registry())
    {
        names.push_back(r.name);
    }
    return names;
}

void
CheckTopology(const std::string& name, const std::string& field)
{
    RequireOneOf(name, TopologyNames(), field);
}

uint32_t
CreateLeavesAndSpines(const TopologyContext& context,
                      NodeContainer& switches,
                      uint32_t leaves,
                      uint32_t uplinks,
                      bool withSpines)
{
    const Ptr<NetworkFabric> f = context.fabric;
    if (f->GetSpines() > uplinks)
    {
        throw InputError("network.spines: " + std::to_string(f->GetSpines())
                         + " spines need at least as many uplinks per leaf (have "
                         + std::to_string(uplinks) + ")");
    }
    const uint32_t spines
        = withSpines ? (f->GetSpines() ? f->GetSpines() : std::min<uint32_t>(uplinks, 16)) : 0;
    switches.Create(leaves + spines);
    for (uint32_t s = 0; s < leaves + spines; ++s)
    {
        f->SetTransitLatency(switches.Get(s)->GetId(), f->GetSwitchLatency());
    }
    return spines;
}

SpineCables
CableSpines(const TopologyContext& context,
            const NodeContainer& switches,
            uint32_t leaves,
            uint32_t spines,
            uint32_t uplinks,
            uint32_t firstPort,
            uint32_t ports,
            const std::function<std::string(uint32_t)>& leafName)
{
    SpineCables c;
    c.leafUp.resize(leaves);
    c.spineDown.assign(spines, std::vector<std::vector<uint32_t>>(leaves));
    for (uint32_t l = 0; spines > 0 && l < leaves; ++l)
    {
        for (uint32_t u = 0; u < uplinks; ++u)
        {
            const uint32_t s = u % spines;
            auto [lu, sd] = context.cable(
                {switches.Get(l), firstPort + u, leafName(l)},
                {switches.Get(leaves + s), l * uplinks + u, "spine" + std::to_string(s)},
                ports);
            c.leafUp[l].push_back(lu);
            c.spineDown[s][l].push_back(sd);
        }
    }
    return c;
}

std::unique_ptr<TopologyBuilder>
CreateTopology(const std::string& name, const std::string& field)
{
    CheckTopology(name, field);
    for (const auto& r : Registry())
    {
        if (r.name == name)
        {
            return r.create();
        }
    }
    return nullptr; // not reached: CheckTopology threw
}

} // namespace wafer
} // namespace ns3
