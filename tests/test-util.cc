/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "test-util.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace wafertest
{

namespace
{
std::string
Slurp(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
} // namespace

std::string
Simulate(const std::string& dir, const std::string& name, const std::string& text)
{
    WriteFile(dir + "/" + name + ".json", text);
    const std::string out = dir + "/" + name + ".h5";
    const RunOutput r
        = RunProgram("wafer-sim", "--quiet --scenario=" + dir + "/" + name + ".json --out=" + out);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return out;
}

RunOutput
RunProgram(const std::string& program, const std::string& args)
{
    static int counter = 0;
    const std::string dir = TempDir("run-" + std::to_string(++counter));
    const std::string cmd = std::string(WAFER_BIN_DIR) + "/" + program + " " + args + " >" + dir
                            + "/out 2>" + dir + "/err </dev/null";
    const int status = std::system(cmd.c_str());
    RunOutput r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir + "/out");
    r.err = Slurp(dir + "/err");
    fs::remove_all(dir);
    return r;
}

int
StartProgram(const std::string& program,
             const std::vector<std::string>& args,
             const std::string& log)
{
    const pid_t pid = ::fork();
    if (pid == 0)
    {
        std::vector<std::string> all = {std::string(WAFER_BIN_DIR) + "/" + program};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all)
        {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        std::freopen(log.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

int
WaitExit(int pid)
{
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

namespace
{
/// The folders TempDir made in this process, removed when it exits (each test runs in a process
/// of its own under CTest), unless WAFER_TEST_KEEP is set to look at them.
struct TempDirs
{
    std::vector<fs::path> made;

    ~TempDirs()
    {
        if (std::getenv("WAFER_TEST_KEEP") != nullptr)
        {
            return;
        }
        for (const fs::path& p : made)
        {
            std::error_code ignored; // a folder a test removed itself is fine
            fs::remove_all(p, ignored);
        }
    }
};

TempDirs&
MadeTempDirs()
{
    static TempDirs dirs;
    return dirs;
}
} // namespace

std::string
TempDir(const std::string& name)
{
    const fs::path p
        = fs::temp_directory_path() / ("wafer-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(p);
    fs::create_directories(p);
    MadeTempDirs().made.push_back(p);
    return p.string();
}

void
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
}

std::string
SourcePath(const std::string& relative)
{
    return std::string(WAFER_SOURCE_DIR) + "/" + relative;
}

bool
Exists(const std::string& path)
{
    return fs::exists(path);
}

std::vector<std::string>
ListDir(const std::string& dir)
{
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
    {
        out.push_back(e.path().filename().string());
    }
    return out;
}

std::vector<double>
ReadField(const std::string& file, const std::string& dataset, const std::string& field)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::DataSet ds = f.openDataSet(dataset);
    H5::CompType fileType = ds.getCompType();
    const int idx = fileType.getMemberIndex(field);
    const H5T_class_t cls = fileType.getMemberClass(idx);
    H5::CompType mem(sizeof(double));
    mem.insertMember(field, 0, H5::PredType::NATIVE_DOUBLE);
    (void) cls; // integers convert to double on read
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<double> out(n);
    if (n > 0)
    {
        ds.read(out.data(), mem);
    }
    return out;
}

std::vector<std::string>
ReadStringField(const std::string& file, const std::string& dataset, const std::string& field)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::DataSet ds = f.openDataSet(dataset);
    const H5::StrType str = ds.getCompType().getMemberStrType(
        ds.getCompType().getMemberIndex(field)); // fixed length, as written
    const size_t width = str.getSize();
    H5::CompType mem(width);
    mem.insertMember(field, 0, str);
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<char> raw(n * width);
    if (n > 0)
    {
        ds.read(raw.data(), mem);
    }
    std::vector<std::string> out;
    for (hsize_t i = 0; i < n; ++i)
    {
        const char* s = raw.data() + i * width;
        out.emplace_back(s, strnlen(s, width));
    }
    return out;
}

std::vector<std::string>
FieldNames(const std::string& file, const std::string& dataset)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::CompType t = f.openDataSet(dataset).getCompType();
    std::vector<std::string> out;
    for (int i = 0; i < t.getNmembers(); ++i)
    {
        out.push_back(t.getMemberName(i));
    }
    return out;
}

std::vector<std::string>
Datasets(const std::string& file)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    std::vector<std::string> out;
    for (hsize_t i = 0; i < f.getNumObjs(); ++i)
    {
        out.push_back(f.getObjnameByIdx(i));
    }
    return out;
}

std::vector<std::string>
RootAttributes(const std::string& file)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    std::vector<std::string> out;
    for (int i = 0; i < f.getNumAttrs(); ++i)
    {
        out.push_back(f.openAttribute(static_cast<unsigned>(i)).getName());
    }
    return out;
}

std::vector<char>
DatasetBytes(const std::string& file, const std::string& dataset)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::DataSet ds = f.openDataSet(dataset);
    H5::DataType t = ds.getDataType();
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<char> buf(n * t.getSize());
    if (n > 0)
    {
        ds.read(buf.data(), t);
    }
    return buf;
}

std::vector<char>
AttributeBytes(const std::string& file, const std::string& attribute)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::Attribute a = f.openAttribute(attribute);
    H5::DataType t = a.getDataType();
    if (t.getClass() == H5T_STRING && t.isVariableStr())
    {
        const std::string text = StringAttribute(file, attribute);
        return std::vector<char>(text.begin(), text.end()); // the text, not its heap address
    }
    std::vector<char> buf(t.getSize());
    a.read(t, buf.data());
    return buf;
}

namespace
{
std::vector<std::string>
ReadTexts(const H5::Attribute& a)
{
    const H5::StrType mem = a.getStrType(); // variable-length, in the attribute's character set
    std::vector<char*> texts(a.getSpace().getSimpleExtentNpoints(), nullptr);
    a.read(mem, texts.data());
    std::vector<std::string> out;
    for (char* t : texts)
    {
        out.emplace_back(t ? t : "");
        H5free_memory(t);
    }
    return out;
}
} // namespace

std::string
StringAttribute(const std::string& file, const std::string& attribute)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    H5::Attribute a = f.openAttribute(attribute);
    H5::DataType t = a.getDataType();
    if (t.getClass() == H5T_STRING && t.isVariableStr())
    {
        return ReadTexts(a).at(0);
    }
    std::vector<char> b(t.getSize());
    a.read(t, b.data());
    return std::string(b.begin(), b.end()).c_str();
}

std::vector<std::string>
DatasetTexts(const std::string& file, const std::string& dataset, const std::string& attribute)
{
    H5::H5File f(file, H5F_ACC_RDONLY);
    return ReadTexts(f.openDataSet(dataset).openAttribute(attribute));
}

} // namespace wafertest
