/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The fidelity ladder held together: on one switch hop, three hops and an 8-to-1 incast, chunk
// level within 2 % of packet level (UDP/IP) for every message, flow level within 5 % on the mean.
// docs/validation.md is the same comparison printed by wafer-netval.

#include "ns3/network-validation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3::wafer;

class Ladder : public ::testing::TestWithParam<size_t>
{
};

TEST_P(Ladder, ChunkAndFlowTrackPacket)
{
    const NetCase c = ValidationCases().at(GetParam());
    const NetCaseResult packet = RunNetCase(c, "packet");
    const NetCaseResult chunk = RunNetCase(c, "chunk");
    const NetCaseResult flow = RunNetCase(c, "flow");
    ASSERT_EQ(packet.completionS.size(), c.messages.size());
    double errFlow = 0;
    for (size_t i = 0; i < packet.completionS.size(); ++i)
    {
        EXPECT_NEAR(chunk.completionS[i] / packet.completionS[i], 1.0, 0.02) << c.name << " " << i;
        errFlow += std::abs(flow.completionS[i] / packet.completionS[i] - 1.0);
    }
    EXPECT_LT(errFlow / packet.completionS.size(), 0.05) << c.name;
    // Alone in the network, a message meets its fidelity's closed form.
    if (c.name != "8-to-1 incast")
    {
        for (size_t i = 0; i < packet.completionS.size(); ++i)
        {
            EXPECT_NEAR(packet.completionS[i], packet.idealS[i], 1e-9) << c.name << " " << i;
            EXPECT_NEAR(chunk.completionS[i], chunk.idealS[i], 1e-9) << c.name << " " << i;
            EXPECT_NEAR(flow.completionS[i], flow.idealS[i], 1e-9) << c.name << " " << i;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, Ladder, ::testing::Values(0, 1, 2));
