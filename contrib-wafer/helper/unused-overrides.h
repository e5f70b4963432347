/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_UNUSED_OVERRIDES_H
#define WAFER_UNUSED_OVERRIDES_H

#include "attribute-settings.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

struct ResolvedScenario;
struct StreamingScenario;

/**
 * \ingroup wafer
 * The models a run builds, as far as the attributes a user may override are concerned: an
 * override of a class the run never builds is read by nothing, which is almost always a
 * mistake (a packet-level device attribute on a flow-level run), so the programs warn of it.
 */
struct ModelsInRun
{
    std::string program;                 ///< "wafer-sim" or "wafer-stream"
    std::vector<std::string> fidelities; ///< the transports built (flow, chunk, packet)
    bool linkFaults{false};              ///< a LinkFaultInjector is built
    bool kvStore{false};                 ///< a KvStoreClient is built
    bool collectives{false};             ///< tensor or expert parallel stages
    bool expertGroups{false};            ///< expert all-to-alls across nodes are simulated

    static ModelsInRun Of(const ResolvedScenario& scenario);
    static ModelsInRun Of(const StreamingScenario& study);
};

/**
 * \ingroup wafer
 * Why no object of the run reads attributes of \p typeName ("ns3::PointToPointNetDevice"), or
 * "" when the run builds that class (or when it cannot tell: unknown classes are the attribute
 * parser's to refuse).
 */
std::string WhyUnused(const std::string& typeName, const ModelsInRun& run);

/**
 * \ingroup wafer
 * One warning line per override of \p overrides (attribute paths "ns3::X::Y" and their values)
 * whose class the run does not build, each naming the override as \p where shows it
 * (AttributeSettings::kCommandLine: "--ns3::X::Y"; otherwise "<where>.ns3::X::Y").
 */
std::vector<std::string> UnusedOverrides(const AttributeTexts& overrides,
                                         const std::string& where,
                                         const ModelsInRun& run);

} // namespace wafer
} // namespace ns3

#endif // WAFER_UNUSED_OVERRIDES_H
