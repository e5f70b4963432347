/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "serving-engine-helper.h"

#include "ns3/roofline-engine.h"
#include "ns3/stage-compute-model.h"

namespace ns3
{
namespace wafer
{

ServingEngineHelper::ServingEngineHelper()
{
    m_engineFactory.SetTypeId(PipelineServingEngine::GetTypeId());
}

void
ServingEngineHelper::SetAttributes(const AttributeSettings& settings)
{
    m_settings = settings;
}

Ptr<PipelineServingEngine>
ServingEngineHelper::Install(const ResolvedScenario& scenario,
                             const std::vector<uint32_t>& nodes,
                             Ptr<MessageTransport> transport,
                             const PoolCollectives& collectives) const
{
    ObjectFactory factory = m_engineFactory;
    m_settings.ApplyTo(factory);
    Ptr<PipelineServingEngine> engine = factory.Create<PipelineServingEngine>();
    const AttributeSettings settings = m_settings;
    engine->SetCollaboratorFactoryCallback(
        [settings](ObjectFactory& f)
        {
            settings.ApplyTo(f);
        });

    Ptr<RooflineEngine> roofline = CreateObject<RooflineEngine>();
    auto computeModels = [&](const PoolPlan& pool, Ptr<CollectiveModel> collective)
    {
        std::vector<std::unique_ptr<StageCompute>> stages;
        // One pool: one device, model, roofline and parallelism, as the memo requires.
        auto memo = std::make_shared<DecodeTimingMemo>();
        for (const auto& a : pool.placement)
        {
            auto stage = std::make_unique<StageComputeModel>(
                pool.device, *scenario.model, a, roofline, engine->GetLayerPipelining());
            stage->SetTensorParallel(pool.tensorParallel, collective, scenario.expertParallel);
            stage->ShareDecodeTimings(memo);
            stages.push_back(std::move(stage));
        }
        return stages;
    };
    const uint32_t decodeStages = scenario.decode.Stages();
    engine->Configure(*scenario.model,
                      computeModels(scenario.decode, collectives.decode),
                      std::vector<uint32_t>(nodes.begin(), nodes.begin() + decodeStages),
                      transport);
    if (scenario.prefill)
    {
        engine->ConfigurePrefillPool(
            computeModels(*scenario.prefill, collectives.prefill),
            std::vector<uint32_t>(nodes.begin() + decodeStages,
                                  nodes.begin() + decodeStages + scenario.prefill->Stages()),
            scenario.kvTransfer);
    }
    if (scenario.kvStore)
    {
        engine->ConfigureKvStore(nodes.back(), scenario.kvStore->MainMemoryBytes());
    }
    return engine;
}

} // namespace wafer
} // namespace ns3
