/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-set.h"

#include "sweep-index.h"

#include "ns3/input-error.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace ns3
{
namespace wafer
{

namespace
{
void
AddIndex(const std::string& path, InputSet& set)
{
    const SweepIndex index = SweepIndex::Load(path);
    const fs::path dir = fs::path(path).parent_path();
    for (const auto& name : index.parameterNames)
    {
        if (std::find(set.indexParameters.begin(), set.indexParameters.end(), name)
            == set.indexParameters.end())
        {
            set.indexParameters.push_back(name);
        }
    }
    for (const auto& p : index.points)
    {
        if (p.status != "done")
        {
            ++set.notDone;
            continue;
        }
        InputFile f;
        f.path = (dir / p.result).lexically_normal().string();
        f.parameters = p.parameters;
        f.fromIndex = true;
        set.files.push_back(f);
    }
}

void
AddFolder(const std::string& dir, InputSet& set)
{
    std::vector<std::string> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::end(it); it.increment(ec))
    {
        if (it->is_regular_file() && it->path().extension() == ".h5")
        {
            found.push_back(it->path().string());
        }
    }
    if (found.empty())
    {
        throw InputError(dir + ": no index.json and no .h5 files in this folder");
    }
    std::sort(found.begin(), found.end());
    for (const auto& f : found)
    {
        set.files.push_back(InputFile{f, nlohmann::json::object(), false, true});
    }
}
} // namespace

InputSet
ResolveInputs(const std::vector<std::string>& arguments)
{
    InputSet set;
    size_t fromIndex = 0;
    for (const auto& arg : arguments)
    {
        const size_t before = set.files.size();
        if (fs::is_directory(arg))
        {
            if (fs::exists(fs::path(arg) / "index.json"))
            {
                AddIndex((fs::path(arg) / "index.json").string(), set);
                fromIndex += set.files.size() - before;
            }
            else
            {
                AddFolder(arg, set);
            }
        }
        else if (arg.find_first_of("*?[") != std::string::npos)
        {
            glob_t g;
            const int rc = ::glob(arg.c_str(), 0, nullptr, &g);
            if (rc != 0)
            {
                globfree(&g);
                throw InputError(arg + ": matches no file");
            }
            std::vector<std::string> found(g.gl_pathv, g.gl_pathv + g.gl_pathc);
            globfree(&g);
            std::sort(found.begin(), found.end());
            for (const auto& f : found)
            {
                set.files.push_back(InputFile{f, nlohmann::json::object(), false, true});
            }
        }
        else if (fs::path(arg).extension() == ".json")
        {
            AddIndex(arg, set);
            fromIndex += set.files.size() - before;
        }
        else if (fs::exists(arg))
        {
            set.files.push_back(InputFile{arg, nlohmann::json::object(), false});
        }
        else
        {
            throw InputError(arg + ": no such file or folder");
        }
    }
    set.allFromIndex = !set.files.empty() && fromIndex == set.files.size();
    return set;
}

} // namespace wafer
} // namespace ns3
