/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-validation.h"

#include "result-file.h"

#include "ns3/hdf5-result-writer.h"

#include <sys/stat.h>

namespace ns3
{
namespace wafer
{

const std::vector<std::string>&
ResultDatasets()
{
    static const std::vector<std::string> names
        = {"requests", "stages", "links", "transfers", "summary"};
    return names;
}

std::string
CheckResultFile(const std::string& path, const ExpectedRun& expected)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
    {
        return "missing";
    }
    try
    {
        ResultFile f(path);
        f.RequireSchema(kResultSchemaVersion);
        f.RequireDatasets(ResultDatasets());
        if (f.Rows("summary") != 1)
        {
            return "/summary does not have one row";
        }
        if (f.StringAttribute("scenario") != expected.scenarioText)
        {
            return "scenario differs";
        }
        if (f.StringAttribute("attribute_overrides") != expected.attributeOverrides)
        {
            return "attribute overrides differ";
        }
        if (f.IntegerAttribute("seed") != static_cast<int64_t>(expected.seed))
        {
            return "seed differs";
        }
    }
    catch (const H5::Exception& e)
    {
        return "unreadable (" + e.getDetailMsg() + ")";
    }
    catch (const std::exception& e)
    {
        // ResultFileError and unexpected HDF5 failures: the file is not usable either way.
        const std::string what = e.what();
        const std::string prefix = path + ": ";
        return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
    }
    return "";
}

} // namespace wafer
} // namespace ns3
