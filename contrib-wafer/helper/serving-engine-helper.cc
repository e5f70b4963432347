/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "serving-engine-helper.h"

#include "ns3/roofline-engine.h"
#include "ns3/stage-compute-model.h"
#include "ns3/straggler-compute.h"

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
                             const PoolCollectives& collectives,
                             std::vector<StragglerFault>* faults,
                             uint32_t replica) const
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
    auto computeModels = [&](const PoolPlan& pool, Ptr<CollectiveModel> collective, bool prefill)
    {
        std::vector<std::unique_ptr<StageCompute>> stages;
        // One pool: one device, model, roofline and parallelism, as the memo requires.
        auto memo = std::make_shared<DecodeTimingMemo>();
        for (const auto& a : pool.placement)
        {
            auto stage = std::make_unique<StageComputeModel>(
                pool.device, *scenario.model, a, roofline, engine->GetLayerPipelining());
            stage->SetTensorParallel(pool.tensorParallel, collective, scenario.expertParallel);
            if (pool.experts)
            {
                stage->SetExpertGroup(*pool.experts);
            }
            stage->ShareDecodeTimings(memo);
            // A stage with stragglers on it is slowed while they last.
            std::vector<StragglerFault*> on;
            for (size_t i = 0; faults && i < faults->size(); ++i)
            {
                StragglerFault& f = (*faults)[i];
                if (f.replica == replica && f.prefillPool == prefill && f.stage == stages.size())
                {
                    on.push_back(&f);
                }
            }
            if (on.empty())
            {
                stages.push_back(std::move(stage));
            }
            else
            {
                stages.push_back(std::make_unique<StragglerCompute>(std::move(stage), on));
            }
        }
        return stages;
    };
    const uint32_t decodeStages = scenario.decode.Stages();
    engine->Configure(*scenario.model,
                      computeModels(scenario.decode, collectives.decode, false),
                      std::vector<uint32_t>(nodes.begin(), nodes.begin() + decodeStages),
                      transport);
    if (scenario.prefill)
    {
        engine->ConfigurePrefillPool(
            computeModels(*scenario.prefill, collectives.prefill, true),
            std::vector<uint32_t>(nodes.begin() + decodeStages,
                                  nodes.begin() + decodeStages + scenario.prefill->Stages()),
            scenario.kvTransfer);
    }
    if (scenario.kvStore)
    {
        // One store serves every replica: each has an equal share of it.
        engine->ConfigureKvStore(nodes.back(),
                                 scenario.kvStore->MainMemoryBytes() / scenario.replicas);
    }
    return engine;
}

} // namespace wafer
} // namespace ns3
