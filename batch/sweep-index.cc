/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sweep-index.h"

#include "atomic-file.h"
#include "csv-field.h"
#include "json-path.h"

#include "ns3/input-error.h"
#include "ns3/json-fields.h"

#include <sstream>

namespace ns3
{
namespace wafer
{

const char* const kSweepIndexSchema = "wafer-sweep-index/1";

nlohmann::json
SweepIndex::ToJson() const
{
    nlohmann::json doc;
    doc["schema"] = kSweepIndexSchema;
    doc["sweep"] = sweep;
    doc["name"] = name;
    doc["parameters"] = parameterNames;
    doc["points"] = nlohmann::json::array();
    for (const auto& p : points)
    {
        nlohmann::json e;
        e["id"] = p.id;
        e["parameters"] = p.parameters;
        e["seed"] = p.seed;
        e["scenario"] = p.scenario;
        e["result"] = p.result;
        e["status"] = p.status;
        e["error"] = p.error;
        e["wall_s"] = p.wallS;
        e["job"] = p.job;
        doc["points"].push_back(e);
    }
    return doc;
}

std::string
SweepIndex::ToCsv() const
{
    std::ostringstream os;
    os << "id,status,seed";
    for (const auto& n : parameterNames)
    {
        os << "," << CsvField(n);
    }
    os << ",result,scenario,wall_s,job,error\n";
    for (const auto& p : points)
    {
        os << p.id << "," << p.status << "," << p.seed;
        for (const auto& n : parameterNames)
        {
            os << ","
               << CsvField(p.parameters.contains(n) ? JsonValueText(p.parameters.at(n)) : "");
        }
        os << "," << CsvField(p.result) << "," << CsvField(p.scenario) << "," << p.wallS << ","
           << CsvField(p.job) << "," << CsvField(p.error) << "\n";
    }
    return os.str();
}

void
SweepIndex::Write(const std::string& dir) const
{
    WriteFileAtomically(dir + "/index.json", ToJson().dump(2) + "\n");
    WriteFileAtomically(dir + "/index.csv", ToCsv());
}

size_t
SweepIndex::Count(const std::string& status) const
{
    size_t n = 0;
    for (const auto& p : points)
    {
        n += p.status == status ? 1 : 0;
    }
    return n;
}

SweepIndex
SweepIndex::Load(const std::string& path)
{
    const nlohmann::json doc = JsonFields::ParseFile(path);
    JsonFields f(doc, path + ": index");
    if (f.String("schema") != kSweepIndexSchema)
    {
        throw InputError(f.Where("schema") + ": expected \"" + kSweepIndexSchema + "\"");
    }
    SweepIndex index;
    index.sweep = f.String("sweep", "");
    index.name = f.String("name", "");
    for (const auto& n : f.Raw("parameters"))
    {
        if (!n.is_string())
        {
            throw InputError(f.Where("parameters") + ": must be an array of names");
        }
        index.parameterNames.push_back(n.get<std::string>());
    }
    const auto& points = f.Raw("points");
    if (!points.is_array())
    {
        throw InputError(f.Where("points") + ": must be an array");
    }
    for (size_t k = 0; k < points.size(); ++k)
    {
        JsonFields p(points[k], f.Where("points") + "[" + std::to_string(k) + "]");
        SweepIndexEntry e;
        e.id = p.Count("id", 0);
        e.parameters = p.Raw("parameters");
        if (!e.parameters.is_object())
        {
            throw InputError(p.Where("parameters") + ": must be an object");
        }
        e.seed = p.Count("seed", 0);
        e.scenario = p.String("scenario", "");
        e.result = p.String("result");
        e.status = p.String("status");
        e.error = p.String("error", "");
        e.wallS = p.NonNegative("wall_s", 0);
        e.job = p.String("job", "");
        index.points.push_back(e);
    }
    return index;
}

} // namespace wafer
} // namespace ns3
