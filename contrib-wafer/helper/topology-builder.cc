/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-builder.h"

#include "leaf-spine-topology.h"
#include "rail-optimized-topology.h"
#include "ring-topology.h"
#include "single-switch-topology.h"

#include "ns3/input-error.h"

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
