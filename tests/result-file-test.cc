/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Reading result files back: a table that the writer's deflate shrank below its row count's
// bytes is still read whole (the corrupt-size guard allows for compression).

#include "result-file.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace wafertest;

TEST(ResultFile, ATableDeflatedBelowItsRowBytesIsReadWhole)
{
    // 3,000 identical requests make a /requests table that deflates far below its raw size.
    const std::string dir = TempDir("wafer-result-file");
    const std::string file = Simulate(dir, "many", R"({"schema": "wafer-scenario/1", "name": "many",
  "model": "llama-3.1-8b", "device": "wse-3", "wafers": 1, "fidelity": "flow",
  "output": {"transfers": "none"},
  "workload": {"generator": {"rate_per_s": 100, "requests": 3000,
    "input_tokens": {"dist": "fixed", "value": 100}, "output_tokens": {"dist": "fixed", "value": 2}}}})");
    struct stat st
    {
    };
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    const ns3::wafer::ResultFile r(file);
    const size_t rawBytes = 3000 * r.Fields("requests").size() * 8; // at least 8 bytes a field
    ASSERT_LT(size_t(st.st_size), rawBytes) << "the case must be one the old guard refused";
    EXPECT_EQ(r.Column("requests", "ttft_s").size(), 3000u);
    EXPECT_EQ(r.Rows("requests"), 3000u);
}
