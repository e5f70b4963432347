/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "run-record.h"

#include "result-file.h"

#include "ns3/hdf5-result-writer.h"
#include "ns3/input-error.h"
#include "ns3/json-fields.h"

#include <boost/algorithm/string.hpp>

namespace ns3
{
namespace wafer
{

namespace
{
/// wafer-sim's "--A=1 --B=x" back into pairs.
std::vector<std::pair<std::string, std::string>>
ParseOverrides(const std::string& text)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::vector<std::string> parts;
    boost::algorithm::split(parts, text, boost::is_any_of(" "), boost::token_compress_on);
    for (const auto& p : parts)
    {
        if (p.rfind("--", 0) != 0)
        {
            continue;
        }
        const auto eq = p.find('=');
        out.emplace_back(p.substr(2, eq == std::string::npos ? std::string::npos : eq - 2),
                         eq == std::string::npos ? "" : p.substr(eq + 1));
    }
    return out;
}

} // namespace

std::vector<double>
RunRecord::Samples(const MetricInfo& m) const
{
    if (m.perRequest)
    {
        auto it = requests.find(m.name);
        return it == requests.end() ? std::vector<double>{} : it->second;
    }
    auto it = summary.find(m.name);
    return it == summary.end() ? std::vector<double>{} : std::vector<double>{it->second};
}

RunRecord
LoadRun(const std::string& path,
        const std::vector<std::string>& requestFields,
        const std::vector<std::string>& summaryFields)
{
    ResultFile f(path);
    f.RequireSchema(kResultSchemaVersion);
    f.RequireDatasets({"requests", "summary"});
    RunRecord r;
    r.path = path;
    try
    {
        r.scenario
            = JsonFields::ParseText(path + ": attribute scenario", f.StringAttribute("scenario"));
    }
    catch (const InputError& e)
    {
        throw ResultFileError(e.what());
    }
    r.overrides = ParseOverrides(f.StringAttribute("attribute_overrides"));
    r.seed = f.IntegerAttribute("seed");

    try
    {
        if (!requestFields.empty())
        {
            const std::vector<double> rejected = f.Column("requests", "rejected");
            const std::vector<double> outputs = f.Column("requests", "output_tokens");
            for (const auto& field : requestFields)
            {
                const std::vector<double> values = f.Column("requests", field);
                std::vector<double>& kept = r.requests[field];
                for (size_t k = 0; k < values.size(); ++k)
                {
                    if (rejected[k] != 0 || values[k] < 0 || (field == "tpot_s" && outputs[k] <= 1))
                    {
                        continue;
                    }
                    kept.push_back(values[k]);
                }
            }
        }
        // Every run-level figure is in /summary (RunMetrics wrote it); none is derived here.
        r.summary = f.FirstRow("summary");
        for (const auto& field : summaryFields)
        {
            if (r.summary.count(field) == 0)
            {
                throw ResultFileError(path + ": /summary has no field '" + field + "'");
            }
        }
    }
    catch (const H5::Exception& e)
    {
        throw ResultFileError(path + ": unreadable (" + e.getDetailMsg() + ")");
    }
    return r;
}

} // namespace wafer
} // namespace ns3
