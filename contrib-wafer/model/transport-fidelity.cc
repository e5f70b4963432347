/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "transport-fidelity.h"

#include "chunk-transport.h"
#include "device-chunk-transport.h"
#include "flow-transport.h"
#include "input-error.h"
#include "packet-transport.h"

#include "ns3/abort.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

const std::vector<TransportFidelity>&
TransportFidelity::All()
{
    static const std::vector<TransportFidelity> table{
        {"flow", FlowTransport::GetTypeId(), false},
        {"chunk", ChunkTransport::GetTypeId(), false},
        {"packet", PacketTransport::GetTypeId(), true},
        // The chunk level through ns-3's devices and queues: the reference ChunkTransport is
        // checked against (tests, wafer-netval), not offered as an input's fidelity.
        {"chunk-devices", DeviceChunkTransport::GetTypeId(), true, false},
    };
    return table;
}

std::vector<std::string>
TransportFidelity::Names()
{
    std::vector<std::string> names;
    for (const auto& f : All())
    {
        if (f.offered)
        {
            names.push_back(f.name);
        }
    }
    return names;
}

std::vector<std::string>
TransportFidelity::AllNames()
{
    std::vector<std::string> names;
    for (const auto& f : All())
    {
        names.push_back(f.name);
    }
    return names;
}

const TransportFidelity&
TransportFidelity::Get(const std::string& name,
                       const std::string& field,
                       const std::vector<std::string>& allowed)
{
    RequireOneOf(name, allowed.empty() ? Names() : allowed, field);
    const auto it = std::find_if(All().begin(),
                                 All().end(),
                                 [&name](const TransportFidelity& f)
                                 {
                                     return f.name == name;
                                 });
    NS_ABORT_MSG_IF(it == All().end(), "fidelity '" << name << "' allowed but not in the table");
    return *it;
}

ObjectFactory
TransportFidelity::Factory() const
{
    ObjectFactory factory;
    factory.SetTypeId(transport);
    return factory;
}

} // namespace wafer
} // namespace ns3
