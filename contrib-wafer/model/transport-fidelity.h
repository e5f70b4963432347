/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_TRANSPORT_FIDELITY_H
#define WAFER_TRANSPORT_FIDELITY_H

#include "message-transport.h"

#include "ns3/object-factory.h"
#include "ns3/type-id.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The fidelity ladder in one table: each name ("flow", "chunk", "packet") with the TypeId of the
 * MessageTransport that runs it and whether its cables need ns-3 NetDevices. Every place that
 * accepts a fidelity checks it here, so the names and the error message live in one place.
 */
struct TransportFidelity
{
    std::string name;   ///< "flow", "chunk" or "packet"
    TypeId transport;   ///< the MessageTransport subclass of this fidelity
    bool devices;       ///< whether every cable gets a PointToPointNetDevice pair
    bool offered{true}; ///< whether inputs may name it (else: for validation only)

    /// Every fidelity, coarsest first.
    static const std::vector<TransportFidelity>& All();
    /// The names inputs may give, coarsest first.
    static std::vector<std::string> Names();
    /// Every name, those for validation only included.
    static std::vector<std::string> AllNames();

    /**
     * The fidelity called \p name.
     * \param field what the caller names the value in errors ("fidelity", "--fidelity", ...)
     * \param allowed the names the caller supports (empty: all)
     * \throws InputError "<field>: must be flow, chunk or packet (got '<name>')", listing
     * \p allowed, unless \p name is one of them
     */
    static const TransportFidelity& Get(const std::string& name,
                                        const std::string& field,
                                        const std::vector<std::string>& allowed = {});

    /// A factory of this fidelity's transport, for the caller's attributes.
    ObjectFactory Factory() const;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_TRANSPORT_FIDELITY_H
