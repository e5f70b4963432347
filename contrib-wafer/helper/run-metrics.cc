/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "run-metrics.h"

#include <algorithm>
#include <cmath>
#include <set>

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

/// Time within [from, to] covered by at least one of \p spans (which may overlap).
double
CoveredS(std::vector<std::pair<double, double>> spans, double from, double to)
{
    std::sort(spans.begin(), spans.end());
    double covered = 0;
    double reach = from; // everything before it is counted
    for (const auto& [start, end] : spans)
    {
        const double a = std::max(start, reach);
        const double b = std::min(end, to);
        if (b > a)
        {
            covered += b - a;
            reach = b;
        }
    }
    return covered;
}
} // namespace

double
RunMetrics::StageUtilisation(const StageStats& stage, double simTimeS)
{
    return simTimeS > 0 ? stage.busyS / simTimeS : 0.0;
}

double
RunMetrics::LinkBusyS(const FabricLink& link)
{
    return link.bytes * 8.0 / link.baseRateBps;
}

double
RunMetrics::LinkUtilisation(const FabricLink& link, double simTimeS)
{
    return simTimeS > 0 ? LinkBusyS(link) / simTimeS : 0.0;
}

double
RunMetrics::LinkEnergyJ(const FabricLink& link, double simTimeS)
{
    return link.bytes * 8.0 * link.pjPerBit * 1e-12 + link.staticW * simTimeS;
}

double
RunMetrics::IoBytesPerS(const std::vector<FabricLink>& links, uint32_t node)
{
    double bps = 0;
    for (const auto& l : links)
    {
        bps += l.from == node ? l.baseRateBps : 0.0;
    }
    return bps / 8;
}

bool
RunMetrics::IsCount(const std::string& name)
{
    static const std::set<std::string> counts{"requests",
                                              "completed",
                                              "rejected",
                                              "failed",
                                              "input_tokens",
                                              "output_tokens",
                                              "link_bytes",
                                              "transfers",
                                              "transfer_bytes",
                                              "kv_offloads",
                                              "kv_preemptions",
                                              "prefix_tokens_reused",
                                              "kv_transfers",
                                              "drops",
                                              "replicas",
                                              "wafers",
                                              "prefill_wafers",
                                              "tensor_parallel",
                                              "prefill_tensor_parallel",
                                              "accelerators",
                                              "layers",
                                              "microbatches",
                                              "events",
                                              "expert_parallel",
                                              "collectives_simulated",
                                              "seed"};
    return counts.count(name) > 0;
}

double
RunMetrics::Value(const Summary& summary, const std::string& name)
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

RunMetrics::Summary
RunMetrics::Compute(const RunRecords& run, const DeploymentFacts& deployment)
{
    const auto& reqs = run.requests;
    const double simTimeS = run.simTimeS;
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
    int64_t failed = 0;
    double lastLeft = 0; // the last request out: completed or failed
    for (const auto& r : reqs)
    {
        firstArrival = std::min(firstArrival, r.arrivalS);
        if (r.rejected)
        {
            ++rejected;
            continue;
        }
        if (r.failed)
        {
            ++failed;
            lastLeft = std::max(lastLeft, r.failedS);
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

    std::vector<double> utils;
    for (const auto& s : run.stages)
    {
        utils.push_back(StageUtilisation(s, simTimeS));
    }
    double linkBytes = 0;
    double maxLinkUtil = 0;
    double networkEnergy = 0;
    double drops = 0;
    for (const auto& l : run.links)
    {
        linkBytes += l.bytes;
        maxLinkUtil = std::max(maxLinkUtil, LinkUtilisation(l, simTimeS));
        networkEnergy += LinkEnergyJ(l, simTimeS);
        drops += l.drops;
    }

    const TransferTotals& t = run.transfers;
    const double makespan = completed > 0 ? lastDone - firstArrival : 0.0;
    // Goodput counts the completed requests' tokens over the time every request was in the
    // system, failed ones too: with nothing failed it is the throughput.
    const double servedSpan = std::max(lastLeft, lastDone) - firstArrival;
    const double span = simTimeS - firstArrival;
    const double availability
        = span > 0 ? 1.0 - CoveredS(run.downtime, firstArrival, simTimeS) / span : 1.0;
    const double wafers = run.stages.size();
    const double powerW = deployment.devicePowerW;
    const double usdPerHour = deployment.deviceUsdPerHour;
    Summary summary = {
        {"requests", double(reqs.size())},
        {"completed", double(completed)},
        {"rejected", double(rejected)},
        {"failed", double(failed)},
        {"availability", availability},
        {"input_tokens", inTokens},
        {"output_tokens", outTokens},
        {"sim_time_s", simTimeS},
        {"makespan_s", makespan},
        {"tokens_per_s", makespan > 0 ? outTokens / makespan : 0.0},
        {"goodput_tokens_per_s", completed > 0 && servedSpan > 0 ? outTokens / servedSpan : 0.0},
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
        {"transfers", double(t.count)},
        {"transfer_bytes", t.bytes},
        {"transfer_mean_s", t.count ? t.seconds / t.count : 0.0},
        {"request_kv_transfer_mean_s", Mean(kvMove)},
        {"request_kv_transfer_p99_s", Percentile(kvMove, 0.99)},
        {"request_kv_wait_mean_s", Mean(kvWait)},
        {"request_kv_wait_p99_s", Percentile(kvWait, 0.99)},
        {"kv_offloads", offloads},
        {"kv_preemptions", preemptions},
        {"prefix_tokens_reused", prefixReused},
        {"kv_reload_mean_s", offloads > 0 ? reloadTotal / offloads : 0.0},
        {"kv_transfers", double(t.kvCount)},
        {"kv_transfer_mean_s", t.kvCount ? t.kvSeconds / t.kvCount : 0.0},
        {"drops", drops},
        {"network_energy_j", networkEnergy},
        {"device_energy_j", powerW * simTimeS},
        {"cost_usd", usdPerHour * simTimeS / 3600.0},
        {"usd_per_mtok", outTokens > 0 ? usdPerHour * simTimeS / 3600.0 / outTokens * 1e6 : 0.0},
        {"energy_j", networkEnergy + powerW * simTimeS},
        {"energy_per_token_j",
         outTokens > 0 ? (networkEnergy + powerW * simTimeS) / outTokens : 0.0},
        {"network_energy_per_token_j", outTokens > 0 ? networkEnergy / outTokens : 0.0},
        {"tokens_per_s_per_accelerator",
         makespan > 0 && deployment.accelerators > 0
             ? outTokens / makespan / deployment.accelerators
             : 0.0},
        {"tokens_per_s_per_user", Mean(tpot) > 0 ? 1 / Mean(tpot) : 0.0},
        {"io_bandwidth_bytes_per_s", IoBytesPerS(run.links, run.firstStageNode)},
    };
    summary.insert(summary.end(), deployment.facts.begin(), deployment.facts.end());
    return summary;
}

} // namespace wafer
} // namespace ns3
