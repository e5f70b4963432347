/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_SERVING_ENGINE_HELPER_H
#define WAFER_SERVING_ENGINE_HELPER_H

#include "attribute-settings.h"
#include "collective-measurement.h"
#include "resolved-scenario.h"

#include "ns3/message-transport.h"
#include "ns3/object-factory.h"
#include "ns3/pipeline-serving-engine.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Builds a serving engine for a resolved scenario's deployment: a compute model per stage (the
 * roofline engine on each stage's layers, tensor-parallel over its domain), the decode and
 * prefill pipelines on their nodes, and the KV store node, with the engine and every
 * collaborator it creates configured by the given attribute settings.
 */
class ServingEngineHelper
{
  public:
    ServingEngineHelper();

    /// Attributes of the engine and of every collaborator it creates.
    void SetAttributes(const AttributeSettings& settings);

    /**
     * \param nodes ns-3 node ids: the decode stages, then the prefill stages, then the KV store
     * \param collectives the collective model of each pipeline (MeasureCollectives)
     * \param faults the scenario's straggler faults, whose effects the run fills in (they must
     * outlive the engine; nullptr: none)
     * \param replica the replica this engine serves: it takes the stragglers on its stages
     */
    Ptr<PipelineServingEngine> Install(const ResolvedScenario& scenario,
                                       const std::vector<uint32_t>& nodes,
                                       Ptr<MessageTransport> transport,
                                       const PoolCollectives& collectives,
                                       std::vector<StragglerFault>* faults = nullptr,
                                       uint32_t replica = 0) const;

  private:
    ObjectFactory m_engineFactory;
    AttributeSettings m_settings;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_SERVING_ENGINE_HELPER_H
