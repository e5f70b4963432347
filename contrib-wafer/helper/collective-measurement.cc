/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "collective-measurement.h"

#include "scale-up-domain-helper.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

namespace
{
/// The /collectives table: collective times simulated on each tensor-parallel pool's domain.
ResultTable
MakeCollectiveTable(bool experts)
{
    ResultTable t("collectives",
                  "Collective times simulated on each tensor-parallel pool's scale-up domain "
                  "(ns-3 nodes behind one switch), beside the alpha-beta closed forms; bytes is "
                  "the all-reduce size or the all-to-all bytes per rank; seconds.");
    t.AddInt("ranks");
    t.AddString("pool", 16);
    for (const char* name : {"bytes",
                             "ring_s",
                             "tree_s",
                             "all_to_all_s",
                             "closed_ring_s",
                             "closed_tree_s",
                             "closed_all_to_all_s"})
    {
        t.AddFloat(name);
    }
    if (experts)
    {
        t.AddInt("nodes");
        t.AddFloat("expert_all_to_all_s");
        t.AddFloat("closed_expert_all_to_all_s");
    }
    return t;
}

/// Rows of one measured domain.
void
AddCollectiveRows(ResultTable& t,
                  const MeasuredCollectiveModel& m,
                  const PoolPlan& plan,
                  const std::string& pool,
                  bool expertColumns)
{
    Ptr<CollectiveModel> closed = CreateObject<CollectiveModel>();
    const uint32_t ranks = plan.tensorParallel;
    const double bandwidth = plan.device.scaleUpBytesPerS;
    for (const auto& s : m.Samples())
    {
        if (expertColumns)
        {
            t.Set(t.Find("nodes"), int64_t(plan.expertNodes));
            t.Set(t.Find("expert_all_to_all_s"), plan.experts ? s.expertAllToAllS : 0.0);
            t.Set(t.Find("closed_expert_all_to_all_s"),
                  plan.experts ? closed->ExpertAllToAllS(s.bytes, *plan.experts) : 0.0);
        }
        t.Set(t.Find("ranks"), int64_t(ranks));
        t.Set(t.Find("pool"), pool);
        t.Set(t.Find("bytes"), s.bytes);
        t.Set(t.Find("ring_s"), s.ringS);
        t.Set(t.Find("tree_s"), s.treeS);
        t.Set(t.Find("all_to_all_s"), s.allToAllS);
        t.Set(t.Find("closed_ring_s"), closed->RingAllReduceS(s.bytes, ranks, bandwidth));
        t.Set(t.Find("closed_tree_s"), closed->TreeAllReduceS(s.bytes, ranks, bandwidth));
        t.Set(t.Find("closed_all_to_all_s"), closed->AllToAllS(s.bytes, ranks, bandwidth));
    }
}
} // namespace

PoolCollectives
MeasureCollectives(const ResolvedScenario& scenario, const std::vector<LlmRequest>& requests)
{
    const bool experts = scenario.decode.experts || (scenario.prefill && scenario.prefill->experts);
    PoolCollectives out{nullptr, nullptr, MakeCollectiveTable(experts)};
    auto measure = [&](const PoolPlan& pool, const std::string& name) -> Ptr<CollectiveModel>
    {
        const uint32_t ranks = pool.tensorParallel;
        if ((ranks < 2 && !pool.experts) || !scenario.scaleUp.simulated)
        {
            return CreateObject<CollectiveModel>();
        }
        // The largest message: a whole prompt's activations, or one token of every request.
        double maxTokens = double(requests.size());
        for (const auto& r : requests)
        {
            maxTokens = std::max(maxTokens, double(r.inputTokens));
        }
        const double k = scenario.expertParallel
                             ? scenario.model->Config().moe->activeExperts / double(ranks)
                             : 1;
        ScaleUpDomainHelper domain;
        domain.SetSwitchLatency(Seconds(scenario.scaleUp.switchLatencyS));
        const double maxBytes
            = maxTokens * scenario.model->ActivationBytesPerToken() * std::max(1.0, k);
        const uint32_t ports
            = &pool == &scenario.decode ? scenario.portsPerDevice : pool.device.ioPorts;
        Ptr<MeasuredCollectiveModel> measured;
        if (ranks < 2)
        {
            // Experts across single-device nodes: nothing to all-reduce inside a node.
            std::vector<CollectiveSample> sizes;
            for (double b : ScaleUpDomainHelper::SizeGrid(maxBytes))
            {
                sizes.push_back({b, 0, 0, 0, 0});
            }
            measured = CreateObject<MeasuredCollectiveModel>();
            measured->SetSamples(ranks, pool.device.scaleUpBytesPerS, std::move(sizes));
        }
        else if (pool.tensorParallelOverIo)
        {
            measured = domain.MeasureOn(
                domain.InstallOverIo(ranks, ports, scenario.settings, scenario.scaleUp.fidelity),
                ranks,
                pool.device.scaleUpBytesPerS,
                maxBytes);
        }
        else
        {
            measured = domain.Measure(ranks,
                                      pool.device.scaleUpBytesPerS,
                                      *scenario.scaleUpLink,
                                      maxBytes,
                                      scenario.scaleUp.fidelity);
        }
        if (pool.experts)
        {
            measured->SetExpertAllToAll(*pool.experts,
                                        domain.MeasureExpertAllToAll(
                                            *pool.experts,
                                            ports,
                                            scenario.settings,
                                            scenario.scaleUpLink ? &*scenario.scaleUpLink : nullptr,
                                            ScaleUpDomainHelper::SizeGrid(maxBytes),
                                            scenario.scaleUp.fidelity));
        }
        AddCollectiveRows(out.table, *measured, pool, name, experts);
        return measured;
    };
    out.decode = measure(scenario.decode, "decode");
    out.prefill = scenario.prefill ? measure(*scenario.prefill, "prefill") : out.decode;
    return out;
}

} // namespace wafer
} // namespace ns3
