/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The model documentation (contrib-wafer/doc/wafer.md) lists every attribute and trace source of
// the wafer module's classes: each TypeId registered under ns3::wafer:: is asked for its own
// attributes and trace sources, so a new one without a line in the tables fails here. And each
// such class has an NS_LOG component, Wafer<Class> (NS_LOG=WaferStagePipeline=level_all).

#include "test-util.h"

#include "ns3/log.h"
#include "ns3/type-id.h"

#include "ns3/wafer-module.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

using namespace wafertest;

namespace
{
/// The text of wafer.md from \p heading up to the next heading of the same level.
std::string
Section(const std::string& heading)
{
    std::ifstream in(SourcePath("contrib-wafer/doc/wafer.md"));
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto start = doc.find("\n" + heading + "\n");
    EXPECT_NE(start, std::string::npos) << heading;
    const auto end = doc.find("\n### ", start + heading.size() + 1);
    return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}
} // namespace

TEST(Documentation, EveryAttributeAndTraceSourceOfTheModuleIsListed)
{
    const std::string attributes = Section("### Attributes");
    const std::string traces = Section("### Trace sources");
    size_t types = 0;
    for (uint16_t i = 0; i < ns3::TypeId::GetRegisteredN(); ++i)
    {
        const ns3::TypeId tid = ns3::TypeId::GetRegistered(i);
        const std::string name = tid.GetName();
        if (name.rfind("ns3::wafer::", 0) != 0)
        {
            continue;
        }
        ++types;
        for (size_t k = 0; k < tid.GetAttributeN(); ++k)
        {
            const std::string path = "`" + name + "::" + tid.GetAttribute(k).name + "`";
            EXPECT_NE(attributes.find("| " + path + " |"), std::string::npos)
                << path << " is not in the attribute table of contrib-wafer/doc/wafer.md";
        }
        const std::string object = "| `" + name.substr(std::string("ns3::wafer::").size()) + "` |";
        for (size_t k = 0; k < tid.GetTraceSourceN(); ++k)
        {
            const std::string row = object + " `" + tid.GetTraceSource(k).name + "` |";
            EXPECT_NE(traces.find(row), std::string::npos)
                << row << " is not in the trace-source table of contrib-wafer/doc/wafer.md";
        }
    }
    EXPECT_GT(types, 10u);
}

TEST(Documentation, EveryClassOfTheModuleHasALogComponent)
{
    const auto* components = ns3::LogComponent::GetComponentList();
    size_t types = 0;
    for (uint16_t i = 0; i < ns3::TypeId::GetRegisteredN(); ++i)
    {
        const std::string name = ns3::TypeId::GetRegistered(i).GetName();
        if (name.rfind("ns3::wafer::", 0) != 0)
        {
            continue;
        }
        ++types;
        const std::string component = "Wafer" + name.substr(std::string("ns3::wafer::").size());
        EXPECT_EQ(components->count(component), 1u) << name << ": no log component " << component;
    }
    EXPECT_GT(types, 10u);
}
