/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-collector.h"

#include "ns3/callback.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace wafer
{

void
ResultCollector::Attach(const std::vector<Ptr<PipelineServingEngine>>& replicas,
                        const Cluster& cluster,
                        const std::string& recordTransfers)
{
    for (const auto& engine : replicas)
    {
        engine->TraceConnectWithoutContext("RequestDone",
                                           MakeCallback(&ResultCollector::OnRequestDone, this));
    }
    cluster.transport->TraceConnectWithoutContext(
        "MessageDelivered", MakeCallback(&ResultCollector::OnDelivered, this));
    m_fabric = cluster.fabric;
    m_stageNodes = cluster.NodeIds();
    m_record = recordTransfers;
}

void
ResultCollector::OnRequestDone(const LlmRequest& r)
{
    m_requests.push_back(r);
}

void
ResultCollector::OnDelivered(const TransferRecord& t)
{
    const double seconds = (t.end - t.start).GetSeconds();
    m_totals.count += 1;
    m_totals.bytes += t.bytes;
    m_totals.seconds += seconds;
    m_totals.energyJ += t.energyJ;
    if (t.kind == TransferKind::KvCache)
    {
        m_totals.kvCount += 1;
        m_totals.kvSeconds += seconds;
    }
    if (m_record == "all" || (m_record == "kv" && t.kind == TransferKind::KvCache))
    {
        m_transferRows.push_back(t);
    }
}

uint64_t
ResultCollector::Drops() const
{
    uint64_t d = 0;
    for (const auto& l : m_fabric->Links())
    {
        d += l.drops;
    }
    return d;
}

RunRecords
ResultCollector::Records(const std::vector<StageStats>& stages, double simTimeS) const
{
    RunRecords run;
    run.requests = m_requests;
    std::sort(run.requests.begin(),
              run.requests.end(),
              [](const LlmRequest& a, const LlmRequest& b)
              {
                  return a.id < b.id;
              });
    run.stages = stages;
    run.links = m_fabric->Links();
    run.transfers = m_totals;
    run.simTimeS = simTimeS;
    run.firstStageNode = m_stageNodes.at(0);
    return run;
}

ResultTable
ResultCollector::RequestTable(const RunRecords& run) const
{
    ResultTable rt("requests",
                   "One row per request; times in seconds of simulated time, "
                   "-1 where not reached (rejected or failed requests).");
    rt.SetCompressed(true);
    const size_t cId = rt.AddInt("id");
    const size_t cReplica = rt.AddInt("replica");
    const size_t cRouterQueue = rt.AddInt("router_queue");
    const size_t cArr = rt.AddFloat("arrival_s");
    const size_t cIn = rt.AddInt("input_tokens");
    const size_t cOut = rt.AddInt("output_tokens");
    const size_t cAdm = rt.AddFloat("admitted_s");
    const size_t cFirst = rt.AddFloat("first_token_s");
    const size_t cDone = rt.AddFloat("done_s");
    const size_t cQueue = rt.AddFloat("queue_s");
    const size_t cTtft = rt.AddFloat("ttft_s");
    const size_t cTpot = rt.AddFloat("tpot_s");
    const size_t cE2e = rt.AddFloat("e2e_s");
    const size_t cPrefill = rt.AddFloat("prefill_s");
    const size_t cKv = rt.AddFloat("kv_transfer_s");
    const size_t cKvBytes = rt.AddInt("kv_bytes");
    const size_t cKvWait = rt.AddFloat("kv_wait_s");
    const size_t cOffloads = rt.AddInt("kv_offloads");
    const size_t cPreempt = rt.AddInt("preemptions");
    const size_t cSession = rt.AddInt("session");
    const size_t cPrefix = rt.AddInt("cached_prefix_tokens");
    const size_t cReload = rt.AddFloat("kv_reload_s");
    const size_t cRej = rt.AddInt("rejected");
    const size_t cReason = rt.AddString("reject_reason", 16);
    const size_t cFailed = rt.AddInt("failed");
    const size_t cFailReason = rt.AddString("fail_reason", 16);
    const size_t cFailedAt = rt.AddFloat("failed_s");
    for (const auto& r : run.requests)
    {
        rt.Set(cId, int64_t(r.id));
        rt.Set(cReplica, int64_t(r.replica));
        rt.Set(cRouterQueue, int64_t(r.routerQueue));
        rt.Set(cArr, r.arrivalS);
        rt.Set(cIn, int64_t(r.inputTokens));
        rt.Set(cOut, int64_t(r.outputTokens));
        rt.Set(cAdm, r.admittedS);
        rt.Set(cFirst, r.firstTokenS);
        rt.Set(cDone, r.doneS);
        rt.Set(cQueue, r.QueueS());
        rt.Set(cTtft, r.TtftS());
        rt.Set(cTpot, r.TpotS());
        rt.Set(cE2e, r.E2eS());
        rt.Set(cPrefill, r.PrefillS());
        rt.Set(cKv, r.kvTransferS);
        rt.Set(cKvBytes, static_cast<int64_t>(r.kvBytes));
        rt.Set(cKvWait, r.KvWaitS());
        rt.Set(cOffloads, int64_t(r.offloads));
        rt.Set(cPreempt, int64_t(r.preemptions));
        rt.Set(cSession, int64_t(r.session));
        rt.Set(cPrefix, int64_t(r.cachedPrefix));
        rt.Set(cReload, r.reloadS);
        rt.Set(cRej, int64_t(r.rejected ? 1 : 0));
        rt.Set(cReason, r.rejectReason);
        rt.Set(cFailed, int64_t(r.failed ? 1 : 0));
        rt.Set(cFailReason, r.failReason);
        rt.Set(cFailedAt, r.failedS);
    }
    return rt;
}

ResultTable
ResultCollector::StageTable(const RunRecords& run,
                            const std::vector<StageAssignment>& placement,
                            uint32_t servingStages,
                            uint32_t replicaStages) const
{
    ResultTable st("stages", "One row per pipeline stage (one device), replica by replica.");
    const size_t sReplica = st.AddInt("replica");
    const size_t sStage = st.AddInt("stage");
    const size_t sPool = st.AddInt("prefill_pool");
    const size_t sNode = st.AddInt("node");
    const size_t sFirst = st.AddInt("first_layer");
    const size_t sLayers = st.AddInt("layers");
    const size_t sW = st.AddFloat("weight_bytes");
    const size_t sKvCap = st.AddFloat("kv_capacity_bytes");
    const size_t sKvPeak = st.AddFloat("peak_kv_bytes");
    const size_t sBusy = st.AddFloat("busy_s");
    const size_t sColl = st.AddFloat("collective_s");
    const size_t sUtil = st.AddFloat("utilisation");
    const size_t sPre = st.AddInt("prefill_batches");
    const size_t sDec = st.AddInt("decode_steps");
    const size_t sPreTok = st.AddInt("prefill_tokens");
    const size_t sDecTok = st.AddInt("decode_tokens");
    for (size_t s = 0; s < run.stages.size(); ++s)
    {
        const StageStats& stage = run.stages[s];
        const size_t own = s % replicaStages; // the stage's index in its replica
        st.Set(sReplica, int64_t(s / replicaStages));
        st.Set(sStage, int64_t(own < servingStages ? own : own - servingStages));
        st.Set(sPool, int64_t(own < servingStages ? 0 : 1));
        st.Set(sNode, int64_t(m_stageNodes.at(s)));
        st.Set(sFirst, int64_t(placement[s].firstLayer));
        st.Set(sLayers, int64_t(placement[s].layerCount));
        st.Set(sW, placement[s].weightBytes);
        st.Set(sKvCap, stage.kvCapacityBytes);
        st.Set(sKvPeak, stage.peakKvBytes);
        st.Set(sBusy, stage.busyS);
        st.Set(sColl, stage.collectiveS);
        st.Set(sUtil, RunMetrics::StageUtilisation(stage, run.simTimeS));
        st.Set(sPre, int64_t(stage.prefills));
        st.Set(sDec, int64_t(stage.decodeSteps));
        st.Set(sPreTok, static_cast<int64_t>(std::llround(stage.prefillTokens)));
        st.Set(sDecTok, static_cast<int64_t>(std::llround(stage.decodeTokens)));
    }
    return st;
}

ResultTable
ResultCollector::LinkTable(const RunRecords& run) const
{
    ResultTable lt("links",
                   "One row per link direction; bytes are wire bytes (payload, IPv4 + UDP "
                   "headers and point-to-point framing of every frame).");
    const size_t lName = lt.AddString("name", 48);
    const size_t lSrc = lt.AddInt("src_node");
    const size_t lDst = lt.AddInt("dst_node");
    const size_t lPort = lt.AddInt("port");
    const size_t lRate = lt.AddFloat("rate_bps");
    const size_t lBytes = lt.AddInt("bytes");
    const size_t lPk = lt.AddInt("frames");
    const size_t lBusy = lt.AddFloat("busy_s");
    const size_t lUtil = lt.AddFloat("utilisation");
    const size_t lDrop = lt.AddInt("drops");
    const size_t lEnergy = lt.AddFloat("energy_j");
    for (const auto& l : run.links)
    {
        lt.Set(lName, l.name);
        lt.Set(lSrc, int64_t(l.from));
        lt.Set(lDst, int64_t(l.to));
        lt.Set(lPort, int64_t(l.port));
        lt.Set(lRate, l.baseRateBps);
        lt.Set(lBytes, static_cast<int64_t>(l.bytes));
        lt.Set(lPk, int64_t(l.frames));
        lt.Set(lBusy, RunMetrics::LinkBusyS(l));
        lt.Set(lUtil, RunMetrics::LinkUtilisation(l, run.simTimeS));
        lt.Set(lDrop, int64_t(l.drops));
        lt.Set(lEnergy, RunMetrics::LinkEnergyJ(l, run.simTimeS));
    }
    return lt;
}

ResultTable
ResultCollector::TransferTable() const
{
    ResultTable tt("transfers",
                   "One row per delivered message (all, KV-cache only or none, as "
                   "the scenario's output.transfers says); times in seconds.");
    tt.SetCompressed(true);
    const size_t tId = tt.AddInt("id");
    const size_t tKind = tt.AddString("kind", 12);
    const size_t tSrc = tt.AddInt("src");
    const size_t tDst = tt.AddInt("dst");
    const size_t tBytes = tt.AddInt("bytes");
    const size_t tLanes = tt.AddInt("lanes");
    const size_t tChunks = tt.AddInt("units");
    const size_t tHops = tt.AddInt("links");
    const size_t tStart = tt.AddFloat("start_s");
    const size_t tEnd = tt.AddFloat("end_s");
    const size_t tLat = tt.AddFloat("duration_s");
    const size_t tEnergy = tt.AddFloat("energy_j");
    for (const auto& t : m_transferRows)
    {
        tt.Set(tId, int64_t(t.id));
        tt.Set(tKind, ToString(t.kind));
        tt.Set(tSrc, int64_t(t.srcNode));
        tt.Set(tDst, int64_t(t.dstNode));
        tt.Set(tBytes, int64_t(t.bytes));
        tt.Set(tLanes, int64_t(t.lanes));
        tt.Set(tChunks, int64_t(t.chunks));
        tt.Set(tHops, int64_t(t.hops));
        tt.Set(tStart, t.start.GetSeconds());
        tt.Set(tEnd, t.end.GetSeconds());
        tt.Set(tLat, (t.end - t.start).GetSeconds());
        tt.Set(tEnergy, t.energyJ);
    }
    return tt;
}

} // namespace wafer
} // namespace ns3
