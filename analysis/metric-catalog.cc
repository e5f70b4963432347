/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "metric-catalog.h"

#include <map>

namespace ns3
{
namespace wafer
{

namespace
{
struct Display
{
    const char* label;
    const char* unit;
    double scale;
};

const std::map<std::string, Display>&
KnownMetrics()
{
    static const std::map<std::string, Display> known = {
        {"ttft_s", {"TTFT", "ms", 1e3}},
        {"tpot_s", {"time per output token", "ms", 1e3}},
        {"e2e_s", {"end-to-end latency", "s", 1}},
        {"queue_s", {"queueing time", "ms", 1e3}},
        {"prefill_s", {"prefill time", "ms", 1e3}},
        {"kv_transfer_s", {"KV-cache transfer time", "ms", 1e3}},
        {"kv_wait_s", {"KV-cache wait after prefill", "ms", 1e3}},
        {"kv_reload_s", {"KV-cache reload time", "ms", 1e3}},
        {"kv_bytes", {"KV-cache bytes moved", "GB", 1e-9}},
        {"ttft_mean_s", {"mean TTFT", "ms", 1e3}},
        {"ttft_p50_s", {"TTFT p50", "ms", 1e3}},
        {"ttft_p99_s", {"TTFT p99", "ms", 1e3}},
        {"tpot_mean_s", {"mean time per output token", "ms", 1e3}},
        {"tpot_p50_s", {"time per output token p50", "ms", 1e3}},
        {"tpot_p99_s", {"time per output token p99", "ms", 1e3}},
        {"request_kv_wait_mean_s", {"mean KV-cache wait after prefill", "ms", 1e3}},
        {"request_kv_transfer_mean_s", {"mean KV-cache transfer time", "ms", 1e3}},
        {"tokens_per_s", {"output throughput", "tokens/s", 1}},
        {"tokens_per_s_per_wafer", {"output throughput per wafer", "tokens/s", 1}},
        {"tokens_per_s_per_accelerator", {"throughput per accelerator", "tokens/s", 1}},
        {"tokens_per_s_per_user", {"interactivity", "tokens/s per user", 1}},
        {"energy_per_token_j", {"energy per output token", "J", 1}},
        {"network_energy_per_token_j", {"network energy per output token", "mJ", 1e3}},
        {"energy_j", {"energy", "kJ", 1e-3}},
        {"network_energy_j", {"network energy", "J", 1}},
        {"device_energy_j", {"device energy", "kJ", 1e-3}},
        {"usd_per_mtok", {"cost per million output tokens", "USD", 1}},
        {"io_bandwidth_bytes_per_s", {"I/O bandwidth per device", "GB/s", 1e-9}},
        {"link_utilisation_max", {"busiest link utilisation", "%", 100}},
        {"stage_utilisation_mean", {"mean stage utilisation", "%", 100}},
    };
    return known;
}

bool
EndsWith(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool
Contains(const std::vector<std::string>& list, const std::string& s)
{
    for (const auto& x : list)
    {
        if (x == s)
        {
            return true;
        }
    }
    return false;
}
} // namespace

std::string
MetricInfo::AxisLabel() const
{
    return unit.empty() ? label : label + " (" + unit + ")";
}

const std::vector<std::string>&
RequestColumns()
{
    static const std::vector<std::string> cols = {"arrival_s",
                                                  "input_tokens",
                                                  "output_tokens",
                                                  "admitted_s",
                                                  "first_token_s",
                                                  "done_s",
                                                  "queue_s",
                                                  "ttft_s",
                                                  "tpot_s",
                                                  "e2e_s",
                                                  "prefill_s",
                                                  "kv_transfer_s",
                                                  "kv_bytes",
                                                  "kv_wait_s",
                                                  "kv_offloads",
                                                  "kv_reload_s"};
    return cols;
}

MetricInfo
DescribeMetric(const std::string& spec)
{
    MetricInfo m;
    m.name = spec;
    if (spec.rfind("requests.", 0) == 0)
    {
        m.name = spec.substr(9);
        m.perRequest = true;
    }
    else if (spec.rfind("summary.", 0) == 0)
    {
        m.name = spec.substr(8);
    }
    else
    {
        m.perRequest = Contains(RequestColumns(), spec);
    }
    const auto it = KnownMetrics().find(m.name);
    if (it != KnownMetrics().end())
    {
        m.label = it->second.label;
        m.unit = it->second.unit;
        m.scale = it->second.scale;
    }
    else
    {
        m.label = m.name;
        if (EndsWith(m.name, "_s"))
        {
            m.unit = "s";
        }
        else if (EndsWith(m.name, "_j"))
        {
            m.unit = "J";
        }
        else if (EndsWith(m.name, "bytes"))
        {
            m.unit = "GB";
            m.scale = 1e-9;
        }
        else if (EndsWith(m.name, "_bps"))
        {
            m.unit = "Gb/s";
            m.scale = 1e-9;
        }
        else if (m.name.find("utilisation") != std::string::npos)
        {
            m.unit = "%";
            m.scale = 100;
        }
        else if (m.name.find("tokens") != std::string::npos)
        {
            m.unit = "tokens";
        }
    }
    m.siUnit = EndsWith(m.name, "_s")             ? "s"
               : EndsWith(m.name, "_j")           ? "J"
               : EndsWith(m.name, "bytes")        ? "bytes"
               : EndsWith(m.name, "_bytes_per_s") ? "bytes/s"
                                                  : "";
    if (m.name == "io_bandwidth_bytes_per_s")
    {
        m.siUnit = "bytes/s";
    }
    else if (m.name.rfind("tokens_per_s", 0) == 0)
    {
        m.siUnit = "tokens/s";
    }
    return m;
}

std::string
ParameterLabel(const std::string& key)
{
    static const std::map<std::string, std::string> labels = {
        {"network.link", "link technology"},
        {"model", "model"},
        {"device", "device"},
        {"wafers", "devices (decode)"},
        {"prefill_pool.wafers", "devices (prefill)"},
        {"workload.generator.input_tokens.value", "prompt tokens"},
        {"workload.generator.rate_per_s", "arrival rate (requests/s)"},
        {"serving.max_sequences", "concurrency (sequences)"},
        {"network.port_rate_bps", "port rate (bit/s)"},
        {"network.face_area_mm2", "photonic face area (mm^2)"},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : it->second;
}

} // namespace wafer
} // namespace ns3
