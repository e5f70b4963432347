/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Result files describe themselves: every field of every dataset has a unit and a description,
// text attributes are variable-length UTF-8, counts are integers, growing tables compressed.

#include "test-util.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <map>

using namespace wafertest;

namespace
{
bool
EndsWith(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The unit a field's name promises by the project's naming convention, or "?" if it says none.
std::string
UnitByName(const std::string& field)
{
    if (field.find("tokens_per_s") == 0 || field.find("_tokens_per_s") != std::string::npos)
    {
        return "tokens/s";
    }
    if (EndsWith(field, "_per_s"))
    {
        return EndsWith(field, "bytes_per_s") ? "bytes/s" : "?";
    }
    if (EndsWith(field, "_s"))
    {
        return "s";
    }
    if (EndsWith(field, "_j"))
    {
        return "J";
    }
    if (EndsWith(field, "_bps"))
    {
        return "bit/s";
    }
    if (EndsWith(field, "bytes"))
    {
        return "bytes";
    }
    if (EndsWith(field, "_usd"))
    {
        return "USD";
    }
    return "?";
}

/// Whether \p attribute of \p object is variable-length UTF-8 text.
bool
IsUtf8Text(hid_t object, const std::string& attribute)
{
    const hid_t a = H5Aopen(object, attribute.c_str(), H5P_DEFAULT);
    const hid_t t = H5Aget_type(a);
    const bool text = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0
                      && H5Tget_cset(t) == H5T_CSET_UTF8;
    H5Tclose(t);
    H5Aclose(a);
    return text;
}

/// Check every dataset of \p file.
void
ExpectSelfDescribing(const std::string& file)
{
    SCOPED_TRACE(file);
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    for (const std::string& attr : RootAttributes(file))
    {
        const hid_t a = H5Aopen(f, attr.c_str(), H5P_DEFAULT);
        const hid_t t = H5Aget_type(a);
        if (H5Tget_class(t) == H5T_STRING)
        {
            EXPECT_TRUE(IsUtf8Text(f, attr)) << attr;
        }
        H5Tclose(t);
        H5Aclose(a);
    }
    for (const std::string& ds : Datasets(file))
    {
        const std::vector<std::string> fields = FieldNames(file, "/" + ds);
        const hid_t d = H5Dopen2(f, ds.c_str(), H5P_DEFAULT);
        for (const char* attr : {"description", "units", "descriptions"})
        {
            EXPECT_TRUE(IsUtf8Text(d, attr)) << ds << "@" << attr;
        }
        H5Dclose(d);
        const auto units = DatasetTexts(file, "/" + ds, "units");
        const auto descriptions = DatasetTexts(file, "/" + ds, "descriptions");
        ASSERT_EQ(units.size(), fields.size()) << ds;
        ASSERT_EQ(descriptions.size(), fields.size()) << ds;
        for (size_t k = 0; k < fields.size(); ++k)
        {
            EXPECT_GT(descriptions[k].size(), 10u) << "/" << ds << "/" << fields[k];
            EXPECT_EQ(descriptions[k].find('`'), std::string::npos) << descriptions[k];
            const std::string promised = UnitByName(fields[k]);
            if (promised != "?")
            {
                EXPECT_EQ(units[k], promised) << "/" << ds << "/" << fields[k];
            }
        }
    }
    H5Fclose(f);
}

/// The HDF5 type class of \p field in \p dataset.
H5T_class_t
FieldClass(const std::string& file, const std::string& dataset, const std::string& field)
{
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const hid_t t = H5Dget_type(d);
    const int idx = H5Tget_member_index(t, field.c_str());
    const H5T_class_t cls = idx < 0 ? H5T_NO_CLASS : H5Tget_member_class(t, idx);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
    return cls;
}

bool
IsDeflated(const std::string& file, const std::string& dataset)
{
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const hid_t plist = H5Dget_create_plist(d);
    bool deflated = false;
    for (int i = 0; i < H5Pget_nfilters(plist); ++i)
    {
        unsigned flags = 0;
        size_t n = 0;
        deflated |= H5Pget_filter2(plist, i, &flags, &n, nullptr, 0, nullptr, nullptr)
                    == H5Z_FILTER_DEFLATE;
    }
    H5Pclose(plist);
    H5Dclose(d);
    H5Fclose(f);
    return deflated;
}
} // namespace

TEST(SelfDescribingResults, EveryFieldOfEveryProgramsFilesHasUnitAndDescription)
{
    const std::string dir = TempDir("self-describing");
    std::vector<std::string> sims;
    // The default run; faults with a prefill split; a tensor-parallel pool with /collectives.
    for (const char* s : {"default", "link-faults-pd-70b", "llama-70b-gb300"})
    {
        const std::string out = dir + "/" + s + ".h5";
        const RunOutput r = RunProgram(
            "wafer-sim",
            "--scenario=" + SourcePath(std::string("scenarios/") + s + ".json") + " --out=" + out);
        ASSERT_EQ(r.exitCode, 0) << r.err;
        sims.push_back(out);
    }
    EXPECT_EQ(FieldNames(sims[1], "/faults").size(),
              DatasetTexts(sims[1], "/faults", "units").size());
    EXPECT_EQ(FieldNames(sims[2], "/collectives").size(),
              DatasetTexts(sims[2], "/collectives", "units").size());
    const std::string stream = dir + "/stream.h5";
    RunOutput r
        = RunProgram("wafer-stream",
                     "--scenario=" + SourcePath("scenarios/streaming/llama-8b-decode-streamed.json")
                         + " --out=" + stream);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string merged = dir + "/analysis.h5";
    r = RunProgram("wafer-analyze",
                   sims[0] + " " + sims[1] + " " + sims[2]
                       + " --group-by=model --metrics=ttft_s,tokens_per_s --quiet --h5=" + merged);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const std::string& file : {sims[0], sims[1], sims[2], stream, merged})
    {
        ExpectSelfDescribing(file);
    }
    // A field the document explains, spot-checked; the /runs copy of a /summary field keeps its
    // unit.
    const auto fields = FieldNames(sims[0], "/requests");
    const auto descriptions = DatasetTexts(sims[0], "/requests", "descriptions");
    const size_t ttft = std::find(fields.begin(), fields.end(), "ttft_s") - fields.begin();
    ASSERT_LT(ttft, fields.size());
    EXPECT_EQ(descriptions[ttft].rfind("Time to first token", 0), 0u) << descriptions[ttft];
    const auto runFields = FieldNames(merged, "/runs");
    const size_t energy
        = std::find(runFields.begin(), runFields.end(), "energy_per_token_j") - runFields.begin();
    ASSERT_LT(energy, runFields.size());
    EXPECT_EQ(DatasetTexts(merged, "/runs", "units")[energy], "J");
}

TEST(SelfDescribingResults, CountsAreIntegersAndGrowingTablesCompressed)
{
    const std::string dir = TempDir("self-describing-types");
    const std::string out = dir + "/default.h5";
    const RunOutput r = RunProgram(
        "wafer-sim", "--scenario=" + SourcePath("scenarios/default.json") + " --out=" + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* count : {"requests", "completed", "output_tokens", "events", "accelerators"})
    {
        EXPECT_EQ(FieldClass(out, "/summary", count), H5T_INTEGER) << count;
    }
    for (const char* rate : {"tokens_per_s", "ttft_p50_s", "energy_j"})
    {
        EXPECT_EQ(FieldClass(out, "/summary", rate), H5T_FLOAT) << rate;
    }
    EXPECT_EQ(FieldClass(out, "/stages", "decode_tokens"), H5T_INTEGER);
    EXPECT_EQ(FieldClass(out, "/links", "bytes"), H5T_INTEGER);
    // The counts are the rows they count: 32 requests, every one through the pipeline.
    EXPECT_EQ(ReadField(out, "/summary", "requests")[0], ReadField(out, "/requests", "id").size());
    EXPECT_TRUE(IsDeflated(out, "/transfers"));
    EXPECT_TRUE(IsDeflated(out, "/requests"));
    EXPECT_FALSE(IsDeflated(out, "/summary"));
    // Text attributes read back as text.
    EXPECT_EQ(StringAttribute(out, "schema_version"), "wafer-results/1");
}
