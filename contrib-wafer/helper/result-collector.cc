/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-collector.h"

#include "ns3/callback.h"
#include "ns3/packet.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace wafer
{

double
Percentile(std::vector<double> values, double q)
{
    if (values.empty())
    {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const double pos = q * (values.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - lo) * (values[hi] - values[lo]);
}

namespace
{
double
Mean(const std::vector<double>& v)
{
    double s = 0;
    for (double x : v)
    {
        s += x;
    }
    return v.empty() ? 0.0 : s / v.size();
}
} // namespace

void
ResultCollector::Attach(Ptr<PipelineServingEngine> engine,
                        const Cluster& cluster,
                        const std::string& recordTransfers)
{
    engine->TraceConnectWithoutContext("RequestDone",
                                       MakeCallback(&ResultCollector::OnRequestDone, this));
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
    m_transfers += 1;
    m_transferBytes += t.bytes;
    m_transferSeconds += seconds;
    m_transferEnergyJ += t.energyJ;
    if (t.kind == TransferKind::KvCache)
    {
        m_kvTransfers += 1;
        m_kvTransferSeconds += seconds;
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

double
ResultCollector::Value(const Summary& summary, const std::string& name)
{
    for (const auto& [k, v] : summary)
    {
        if (k == name)
        {
            return v;
        }
    }
    return 0.0;
}

const ResultCollector::Summary&
ResultCollector::LastSummary() const
{
    return m_summary;
}

std::vector<ResultTable>
ResultCollector::Tables(const std::vector<StageAssignment>& placement,
                        const std::vector<StageStats>& stages,
                        uint32_t servingStages,
                        double simTimeS,
                        double devicePowerW,
                        double deviceUsdPerHour,
                        Summary extra) const
{
    std::vector<LlmRequest> reqs = m_requests;
    std::sort(reqs.begin(),
              reqs.end(),
              [](const LlmRequest& a, const LlmRequest& b)
              {
                  return a.id < b.id;
              });

    ResultTable rt("requests",
                   "One row per request; times in seconds of simulated time, "
                   "-1 where not reached (rejected requests).");
    const size_t cId = rt.AddInt("id");
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
    const size_t cKvBytes = rt.AddFloat("kv_bytes");
    const size_t cKvWait = rt.AddFloat("kv_wait_s");
    const size_t cOffloads = rt.AddInt("kv_offloads");
    const size_t cPreempt = rt.AddInt("preemptions");
    const size_t cSession = rt.AddInt("session");
    const size_t cPrefix = rt.AddInt("cached_prefix_tokens");
    const size_t cReload = rt.AddFloat("kv_reload_s");
    const size_t cRej = rt.AddInt("rejected");
    const size_t cReason = rt.AddString("reject_reason", 16);

    std::vector<double> ttft, tpot, e2e, queue, kvMove, kvWait;
    double offloads = 0;
    double preemptions = 0;
    double prefixReused = 0;
    double reloadTotal = 0;
    double firstArrival = reqs.empty() ? 0.0 : reqs.front().arrivalS;
    double lastDone = 0;
    double outTokens = 0;
    double inTokens = 0;
    int64_t completed = 0;
    int64_t rejected = 0;
    for (const auto& r : reqs)
    {
        rt.Set(cId, int64_t(r.id));
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
        rt.Set(cKvBytes, double(r.kvBytes));
        rt.Set(cKvWait, r.KvWaitS());
        rt.Set(cOffloads, int64_t(r.offloads));
        rt.Set(cPreempt, int64_t(r.preemptions));
        rt.Set(cSession, int64_t(r.session));
        rt.Set(cPrefix, int64_t(r.cachedPrefix));
        rt.Set(cReload, r.reloadS);
        rt.Set(cRej, int64_t(r.rejected ? 1 : 0));
        rt.Set(cReason, r.rejectReason);
        firstArrival = std::min(firstArrival, r.arrivalS);
        if (r.rejected)
        {
            ++rejected;
            continue;
        }
        ++completed;
        ttft.push_back(r.TtftS());
        if (r.outputTokens > 1)
        {
            tpot.push_back(r.TpotS());
        }
        e2e.push_back(r.E2eS());
        queue.push_back(r.QueueS());
        offloads += r.offloads;
        preemptions += r.preemptions;
        prefixReused += r.cachedPrefix;
        reloadTotal += r.reloadS;
        if (r.kvTransferS >= 0)
        {
            kvMove.push_back(r.kvTransferS);
            kvWait.push_back(r.KvWaitS());
        }
        lastDone = std::max(lastDone, r.doneS);
        outTokens += r.outputTokens;
        inTokens += r.inputTokens;
    }

    ResultTable st("stages", "One row per pipeline stage (one device).");
    const size_t sStage = st.AddInt("stage");
    const size_t sPool = st.AddInt("prefill_pool");
    const size_t sNode = st.AddInt("node");
    const size_t sFirst = st.AddInt("first_layer");
    const size_t sLayers = st.AddInt("layers");
    const size_t sW = st.AddFloat("weight_bytes");
    const size_t sKvCap = st.AddFloat("kv_capacity_bytes");
    const size_t sKvPeak = st.AddFloat("peak_kv_bytes");
    const size_t sBusy = st.AddFloat("busy_s");
    const size_t sUtil = st.AddFloat("utilisation");
    const size_t sPre = st.AddInt("prefill_batches");
    const size_t sDec = st.AddInt("decode_steps");
    const size_t sPreTok = st.AddFloat("prefill_tokens");
    const size_t sDecTok = st.AddFloat("decode_tokens");
    std::vector<double> utils;
    for (size_t s = 0; s < stages.size(); ++s)
    {
        const double util = simTimeS > 0 ? stages[s].busyS / simTimeS : 0.0;
        utils.push_back(util);
        st.Set(sStage, int64_t(s < servingStages ? s : s - servingStages));
        st.Set(sPool, int64_t(s < servingStages ? 0 : 1));
        st.Set(sNode, int64_t(m_stageNodes.at(s)));
        st.Set(sFirst, int64_t(placement[s].firstLayer));
        st.Set(sLayers, int64_t(placement[s].layerCount));
        st.Set(sW, placement[s].weightBytes);
        st.Set(sKvCap, stages[s].kvCapacityBytes);
        st.Set(sKvPeak, stages[s].peakKvBytes);
        st.Set(sBusy, stages[s].busyS);
        st.Set(sUtil, util);
        st.Set(sPre, int64_t(stages[s].prefills));
        st.Set(sDec, int64_t(stages[s].decodeSteps));
        st.Set(sPreTok, stages[s].prefillTokens);
        st.Set(sDecTok, stages[s].decodeTokens);
    }

    ResultTable lt("links",
                   "One row per link direction; bytes are wire bytes (payload, IPv4 + UDP "
                   "headers and point-to-point framing of every frame).");
    const size_t lName = lt.AddString("name", 48);
    const size_t lSrc = lt.AddInt("src_node");
    const size_t lDst = lt.AddInt("dst_node");
    const size_t lPort = lt.AddInt("port");
    const size_t lRate = lt.AddFloat("rate_bps");
    const size_t lBytes = lt.AddFloat("bytes");
    const size_t lPk = lt.AddInt("frames");
    const size_t lBusy = lt.AddFloat("busy_s");
    const size_t lUtil = lt.AddFloat("utilisation");
    const size_t lDrop = lt.AddInt("drops");
    const size_t lEnergy = lt.AddFloat("energy_j");
    double linkBytes = 0;
    double maxLinkUtil = 0;
    double networkEnergy = 0;
    for (const auto& l : m_fabric->Links())
    {
        const double busy = l.bytes * 8.0 / l.rateBps;
        const double util = simTimeS > 0 ? busy / simTimeS : 0.0;
        const double energy = l.bytes * 8.0 * l.pjPerBit * 1e-12 + l.staticW * simTimeS;
        lt.Set(lName, l.name);
        lt.Set(lSrc, int64_t(l.from));
        lt.Set(lDst, int64_t(l.to));
        lt.Set(lPort, int64_t(l.port));
        lt.Set(lRate, l.rateBps);
        lt.Set(lBytes, double(l.bytes));
        lt.Set(lPk, int64_t(l.frames));
        lt.Set(lBusy, busy);
        lt.Set(lUtil, util);
        lt.Set(lDrop, int64_t(l.drops));
        lt.Set(lEnergy, energy);
        linkBytes += l.bytes;
        maxLinkUtil = std::max(maxLinkUtil, util);
        networkEnergy += energy;
    }

    ResultTable tt("transfers",
                   "One row per delivered message (all, KV-cache only or none, as "
                   "the scenario's output.transfers says); times in seconds.");
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

    const double makespan = completed > 0 ? lastDone - firstArrival : 0.0;
    const double wafers = stages.size();
    m_summary = {
        {"requests", double(reqs.size())},
        {"completed", double(completed)},
        {"rejected", double(rejected)},
        {"input_tokens", inTokens},
        {"output_tokens", outTokens},
        {"sim_time_s", simTimeS},
        {"makespan_s", makespan},
        {"tokens_per_s", makespan > 0 ? outTokens / makespan : 0.0},
        {"tokens_per_s_per_wafer", makespan > 0 ? outTokens / makespan / wafers : 0.0},
        {"ttft_mean_s", Mean(ttft)},
        {"ttft_p50_s", Percentile(ttft, 0.5)},
        {"ttft_p90_s", Percentile(ttft, 0.9)},
        {"ttft_p99_s", Percentile(ttft, 0.99)},
        {"tpot_mean_s", Mean(tpot)},
        {"tpot_p50_s", Percentile(tpot, 0.5)},
        {"tpot_p90_s", Percentile(tpot, 0.9)},
        {"tpot_p99_s", Percentile(tpot, 0.99)},
        {"e2e_mean_s", Mean(e2e)},
        {"e2e_p50_s", Percentile(e2e, 0.5)},
        {"e2e_p99_s", Percentile(e2e, 0.99)},
        {"queue_mean_s", Mean(queue)},
        {"stage_utilisation_mean", Mean(utils)},
        {"stage_utilisation_max",
         utils.empty() ? 0.0 : *std::max_element(utils.begin(), utils.end())},
        {"link_bytes", linkBytes},
        {"link_utilisation_max", maxLinkUtil},
        {"transfers", double(m_transfers)},
        {"transfer_bytes", m_transferBytes},
        {"transfer_mean_s", m_transfers ? m_transferSeconds / m_transfers : 0.0},
        {"request_kv_transfer_mean_s", Mean(kvMove)},
        {"request_kv_transfer_p99_s", Percentile(kvMove, 0.99)},
        {"request_kv_wait_mean_s", Mean(kvWait)},
        {"request_kv_wait_p99_s", Percentile(kvWait, 0.99)},
        {"kv_offloads", offloads},
        {"kv_preemptions", preemptions},
        {"prefix_tokens_reused", prefixReused},
        {"kv_reload_mean_s", offloads > 0 ? reloadTotal / offloads : 0.0},
        {"kv_transfers", double(m_kvTransfers)},
        {"kv_transfer_mean_s", m_kvTransfers ? m_kvTransferSeconds / m_kvTransfers : 0.0},
        {"drops", double(Drops())},
        {"network_energy_j", networkEnergy},
        {"device_energy_j", devicePowerW * simTimeS},
        {"cost_usd", deviceUsdPerHour * simTimeS / 3600.0},
        {"usd_per_mtok",
         outTokens > 0 ? deviceUsdPerHour * simTimeS / 3600.0 / outTokens * 1e6 : 0.0},
        {"energy_j", networkEnergy + devicePowerW * simTimeS},
        {"energy_per_token_j",
         outTokens > 0 ? (networkEnergy + devicePowerW * simTimeS) / outTokens : 0.0},
        {"network_energy_per_token_j", outTokens > 0 ? networkEnergy / outTokens : 0.0},
    };
    m_summary.insert(m_summary.end(), extra.begin(), extra.end());

    ResultTable sum("summary", "One row of run-level figures; units in the field names.");
    for (const auto& [name, value] : m_summary)
    {
        sum.Set(sum.AddFloat(name), value);
    }
    return {rt, st, lt, tt, sum};
}

} // namespace wafer
} // namespace ns3
