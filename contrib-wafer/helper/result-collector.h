/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_COLLECTOR_H
#define WAFER_RESULT_COLLECTOR_H

#include "fabric-helper.h"
#include "result-table.h"

#include "ns3/llm-request.h"
#include "ns3/pipeline-serving-engine.h"

#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Linear-interpolated percentile (q in [0, 1]) of \p values; 0 for an empty set.
double Percentile(std::vector<double> values, double q);

/**
 * \ingroup wafer
 * Subscribes to the trace sources of a serving run (requests, stage work, message deliveries,
 * link transmissions and drops) and turns them into the /requests, /stages, /links and /summary
 * tables of a result file.
 */
class ResultCollector
{
  public:
    /**
     * Connect to the engine's and transport's trace sources.
     * \param recordTransfers which deliveries become /transfers rows: "all", "kv" or "none"
     */
    void Attach(Ptr<PipelineServingEngine> engine,
                const Cluster& cluster,
                const std::string& recordTransfers);

    /// Named run-level figures, in output order (units in the names).
    typedef std::vector<std::pair<std::string, double>> Summary;

    /**
     * Build the tables after Simulator::Run.
     * \param placement per-stage layers and memory: the decode (or only) pipeline, then the
     *        prefill pipeline of a split
     * \param servingStages how many of them belong to the decode (or only) pipeline
     * \param devicePowerW all-in power of the devices, drawn for the whole run
     * \param deviceUsdPerHour cost of the devices per hour, paid for the whole run
     * \param extra run-level figures to append to /summary
     */
    std::vector<ResultTable> Tables(const std::vector<StageAssignment>& placement,
                                    const std::vector<StageStats>& stages,
                                    uint32_t servingStages,
                                    double simTimeS,
                                    double devicePowerW,
                                    double deviceUsdPerHour,
                                    Summary extra) const;

    /// The value of \p name in \p summary, or 0 if it is not there.
    static double Value(const Summary& summary, const std::string& name);

    /// Summary of the last Tables call (for printing).
    const Summary& LastSummary() const;

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
    uint64_t m_transfers{0};
    double m_transferBytes{0};
    double m_transferSeconds{0};
    double m_transferEnergyJ{0};
    uint64_t m_kvTransfers{0};
    double m_kvTransferSeconds{0};
    mutable Summary m_summary;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_COLLECTOR_H
