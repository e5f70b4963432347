/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "atomic-file.h"

#include "ns3/output-temp.h"

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
    OutputTemp tmp(path); // removed on failure and on SIGINT or SIGTERM
    {
        std::ofstream out(tmp.Path(), std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        out.close();
        if (!out)
        {
            throw std::runtime_error(path + ": cannot write file");
        }
    }
    tmp.Commit();
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
