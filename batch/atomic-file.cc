/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "atomic-file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ns3
{
namespace wafer
{

void
WriteFileAtomically(const std::string& path, const std::string& text)
{
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
        {
            std::remove(tmp.c_str());
            throw std::runtime_error(path + ": cannot write file");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        std::remove(tmp.c_str());
        throw std::runtime_error(path + ": cannot rename temporary file into place");
    }
}

std::string
ReadTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error(path + ": cannot open file");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace wafer
} // namespace ns3
