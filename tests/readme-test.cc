/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The README's commands run as written, so the README cannot drift from the programs: every
// ```sh block, in order, in a scratch folder laid out as the repository (build/, scenarios/ and
// traces/ linked; the ```json sweep file saved as my-sweep.json, as the README says), with
// `make run` as the Makefile runs it. Left out, and said so: `make test` (this suite), the long
// study targets (make study, make study-link-failures) and the SLURM back end
// (tests/slurm-sweep-test.sh runs it against a real SLURM). The GNU parallel back end only
// prints its command: its jobs file is run with bash in its place, as parallel would.

#include "atomic-file.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace wafertest;

namespace
{
/// The README's fenced blocks of language \p lang, in order.
std::vector<std::string>
Blocks(const std::string& text, const std::string& lang)
{
    std::vector<std::string> out;
    const std::regex fence("```" + lang + "\\n([\\s\\S]*?)```");
    for (std::sregex_iterator it(text.begin(), text.end(), fence), end; it != end; ++it)
    {
        out.push_back((*it)[1]);
    }
    return out;
}
} // namespace

TEST(Readme, EveryCommandBlockRunsAsWritten)
{
    const std::string readme = ns3::wafer::ReadTextFile(SourcePath("README.md"));
    const auto sh = Blocks(readme, "sh");
    const auto json = Blocks(readme, "json");
    ASSERT_GE(sh.size(), 4u);
    ASSERT_EQ(json.size(), 1u) << "the sweep file saved as my-sweep.json";

    const std::string dir = TempDir("readme");
    namespace fs = std::filesystem;
    fs::create_directory_symlink(fs::path(WAFER_BIN_DIR).parent_path(), dir + "/build");
    fs::create_directory_symlink(SourcePath("scenarios"), dir + "/scenarios");
    fs::create_directory_symlink(SourcePath("traces"), dir + "/traces");
    WriteFile(dir + "/my-sweep.json", json[0]);

    std::string script = "set -euo pipefail\ncd '" + dir + "'\n";
    std::vector<std::string> skipped;
    for (std::string block : sh)
    {
        block = std::regex_replace(block, std::regex("\\\\\\n"), " "); // continued lines
        std::istringstream lines(block);
        for (std::string line; std::getline(lines, line);)
        {
            if (line == "make run" || line.rfind("make run ", 0) == 0)
            {
                // What `make run` runs once the build is there, from the Makefile itself.
                script += "eval \"$(make -s -n -o build -o deps -f '" + SourcePath("Makefile")
                          + "' run BUILD=build)\"\n";
            }
            else if (line.rfind("make ", 0) == 0
                     || line.find("--backend=slurm") != std::string::npos)
            {
                skipped.push_back(line);
            }
            else
            {
                script += line + "\n";
                if (line.find("--backend=parallel") != std::string::npos)
                {
                    script += "bash results/s/parallel/jobs.txt\n"; // what parallel would run
                }
            }
        }
    }
    WriteFile(dir + "/readme.sh", script);
    const int status
        = std::system(("bash '" + dir + "/readme.sh' > '" + dir + "/log' 2>&1").c_str());
    const std::string log = ns3::wafer::ReadTextFile(dir + "/log");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << script << "\n--- last output:\n"
        << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);

    // What the commands leave: the files the README says they write.
    for (const char* f : {"results/default.h5",
                          "results/405b.h5",
                          "results/frontier.csv",
                          "results/405b-photonic-15t.h5",
                          "results/ws-train.h5",
                          "results/evp/index.json",
                          "results/evp-report/stats.csv",
                          "results/s/index.json"})
    {
        EXPECT_TRUE(Exists(dir + "/" + f)) << f;
    }
    // Only what the header comment says is left out.
    EXPECT_EQ(skipped.size(), 4u);
    for (const std::string& s : skipped)
    {
        EXPECT_TRUE(s.rfind("make test", 0) == 0 || s.rfind("make study", 0) == 0
                    || s.find("--backend=slurm") != std::string::npos)
            << s;
    }
}
