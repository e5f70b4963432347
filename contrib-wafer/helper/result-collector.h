/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_COLLECTOR_H
#define WAFER_RESULT_COLLECTOR_H

#include "fabric-helper.h"
#include "result-table.h"
#include "run-metrics.h"

#include "ns3/llm-request.h"
#include "ns3/pipeline-serving-engine.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Subscribes to the trace sources of a serving run (finished requests, message deliveries) and
 * turns what it saw, with the engine's stage totals and the fabric's link counters, into the
 * /requests, /stages, /links and /transfers tables of a result file and the records RunMetrics
 * computes /summary from.
 */
class ResultCollector
{
  public:
    /**
     * Connect to the engines' (one per replica) and the transport's trace sources.
     * \param recordTransfers which deliveries become /transfers rows: "all", "kv" or "none"
     */
    void Attach(const std::vector<Ptr<PipelineServingEngine>>& replicas,
                const Cluster& cluster,
                const std::string& recordTransfers);

    /// What the run left behind (after Simulator::Run), for RunMetrics.
    RunRecords Records(const std::vector<StageStats>& stages, double simTimeS) const;

    /// One row per request, by id.
    ResultTable RequestTable(const RunRecords& run) const;
    /**
     * One row per stage.
     * \param placement per-stage layers and memory, in the order of run.stages
     * \param servingStages how many stages of a replica belong to its decode (or only) pipeline
     * \param replicaStages a replica's stages (its rows follow the previous replica's)
     */
    ResultTable StageTable(const RunRecords& run,
                           const std::vector<StageAssignment>& placement,
                           uint32_t servingStages,
                           uint32_t replicaStages) const;
    /// One row per link direction.
    ResultTable LinkTable(const RunRecords& run) const;
    /// One row per recorded delivery.
    ResultTable TransferTable() const;

    /// Chunks dropped anywhere (must stay 0: the transport is lossless).
    uint64_t Drops() const;

  private:
    void OnRequestDone(const LlmRequest& r);
    void OnDelivered(const TransferRecord& t);

    std::vector<LlmRequest> m_requests;
    Ptr<NetworkFabric> m_fabric;
    std::vector<uint32_t> m_stageNodes;
    std::string m_record{"all"};
    std::vector<TransferRecord> m_transferRows;
    TransferTotals m_totals;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_COLLECTOR_H
