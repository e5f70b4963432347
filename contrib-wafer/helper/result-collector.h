/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_COLLECTOR_H
#define WAFER_RESULT_COLLECTOR_H

#include "result-table.h"
#include "wafer-cluster-helper.h"

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
    /// Connect to the engine's, transport's and links' trace sources.
    void Attach(Ptr<PipelineServingEngine> engine, const WaferCluster& cluster);

    /// Named run-level figures, in output order (units in the names).
    typedef std::vector<std::pair<std::string, double>> Summary;

    /**
     * Build the tables after Simulator::Run.
     * \param placement per-stage layers and memory
     * \param extra run-level figures to append to /summary
     */
    std::vector<ResultTable> Tables(const std::vector<StageAssignment>& placement,
                                    const std::vector<StageStats>& stages,
                                    double simTimeS,
                                    Summary extra) const;

    /// Summary of the last Tables call (for printing).
    const Summary& LastSummary() const;

    /// Chunks dropped anywhere (must stay 0: the transport is lossless).
    uint64_t Drops() const;

  private:
    struct LinkCount
    {
        LinkInfo info;
        uint64_t bytes{0};
        uint64_t packets{0};
        uint64_t drops{0};
    };

    void OnRequestDone(const LlmRequest& r);
    void OnDelivered(const TransferRecord& t);
    static void OnTx(LinkCount* link, Ptr<const Packet> p);
    static void OnDrop(LinkCount* link, Ptr<const Packet> p);

    std::vector<LlmRequest> m_requests;
    std::vector<std::unique_ptr<LinkCount>> m_links;
    std::vector<uint32_t> m_stageNodes;
    uint64_t m_transfers{0};
    double m_transferBytes{0};
    double m_transferSeconds{0};
    mutable Summary m_summary;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_COLLECTOR_H
