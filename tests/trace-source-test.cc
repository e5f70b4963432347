/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Trace sources reached by Config paths, as a researcher hooks them: the trace example connects
// /NodeList/*/$ns3::wafer::PipelineServingEngine/FirstToken and .../Token and
// .../$ns3::wafer::MessageTransport/MessageDelivered and writes a CSV. Every request must show
// exactly one first token and then tokens 2 .. output in order, after its first token; the
// messages are the pipeline's hand-offs.

#include "test-util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace wafertest;

TEST(TraceSources, ConfigPathsReachTheEngineAndTheTransport)
{
    const std::string dir = TempDir("trace-example");
    const RunOutput r
        = RunProgram("wafer-trace-example", "--requests=3 --out=" + dir + "/trace.csv");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::ifstream in(dir + "/trace.csv");
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "time_s,event,request_or_path,tokens_or_bytes");
    std::map<std::string, double> first;     // request -> time of its first token
    std::map<std::string, uint32_t> tokens;  // request -> tokens so far
    std::map<std::string, double> lastToken; // request -> time of its latest token
    size_t messages = 0;
    while (std::getline(in, line))
    {
        std::stringstream row(line);
        std::string time, event, who, count;
        std::getline(row, time, ',');
        std::getline(row, event, ',');
        std::getline(row, who, ',');
        std::getline(row, count, ',');
        const double t = std::stod(time);
        if (event == "first_token")
        {
            EXPECT_EQ(first.count(who), 0u) << "request " << who << ": two first tokens";
            first[who] = t;
            tokens[who] = 1;
            lastToken[who] = t;
        }
        else if (event == "token")
        {
            ASSERT_EQ(first.count(who), 1u) << "request " << who << ": a token before the first";
            EXPECT_EQ(std::stoul(count), tokens[who] + 1) << "request " << who;
            EXPECT_GE(t, lastToken[who]);
            tokens[who] = std::stoul(count);
            lastToken[who] = t;
        }
        else
        {
            EXPECT_EQ(event, "message");
            ++messages;
        }
    }
    // Three requests of 16 output tokens each (the example's), every one traced.
    EXPECT_EQ(first.size(), 3u);
    for (const auto& [request, n] : tokens)
    {
        EXPECT_EQ(n, 16u) << "request " << request;
    }
    // Four stages: prefills and decode steps hand activations over 3 boundaries, tokens go back.
    EXPECT_GT(messages, 3u * 3);
}
