/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cli-args.h"

#include "ns3/command-line.h"
#include "ns3/input-error.h"
#include "ns3/scenario.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>

using ns3::wafer::InputError;

CliArgs::CliArgs(int argc,
                 char** argv,
                 const std::set<std::string>& options,
                 const std::set<std::string>& flags)
{
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0)
        {
            throw InputError("argument '" + arg + "': expected --name=value");
        }
        const auto eq = arg.find('=');
        const std::string name
            = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (name.find("::") != std::string::npos)
        {
            if (eq == std::string::npos)
            {
                throw InputError("--" + name + ": needs =value");
            }
            m_attributes.emplace_back(name, arg.substr(eq + 1));
            continue;
        }
        if (flags.count(name) && eq == std::string::npos)
        {
            m_flags.insert(name);
            continue;
        }
        if (!options.count(name))
        {
            throw InputError("--" + name + ": unknown option (see --help)");
        }
        if (eq == std::string::npos)
        {
            throw InputError("--" + name + ": needs =value");
        }
        m_values[name] = arg.substr(eq + 1);
    }
}

bool
CliArgs::Has(const std::string& name) const
{
    return m_values.count(name) > 0;
}

std::string
CliArgs::Get(const std::string& name, const std::string& fallback) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

uint64_t
CliArgs::GetCount(const std::string& name, uint64_t min, uint64_t max) const
{
    const std::string text = Get(name);
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-' || v < min || v > max)
    {
        throw InputError("--" + name + ": must be a whole number in [" + std::to_string(min) + ", "
                         + std::to_string(max) + "] (got '" + text + "')");
    }
    return v;
}

bool
CliArgs::Flag(const std::string& name) const
{
    return m_flags.count(name) > 0;
}

const std::vector<std::pair<std::string, std::string>>&
CliArgs::Attributes() const
{
    return m_attributes;
}

std::string
CliArgs::Require(const std::string& name) const
{
    if (!Has(name))
    {
        throw ns3::wafer::InputError("--" + name + ": missing (see --help)");
    }
    return Get(name);
}

void
CreateOutputFolder(const std::string& path)
{
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent))
    {
        std::filesystem::create_directories(parent, ec);
        if (ec)
        {
            throw ns3::wafer::InputError("--out: cannot create folder " + parent.string() + ": "
                                         + ec.message());
        }
    }
}

void
CheckOutputFile(const std::string& path, const std::vector<std::string>& inputs)
{
    namespace fs = std::filesystem;
    using ns3::wafer::InputError;
    if (path.empty())
    {
        throw InputError("--out: empty path");
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (fs::exists(st))
    {
        if (fs::is_directory(st))
        {
            throw InputError("--out: " + path + " is a folder");
        }
        if (!fs::is_regular_file(st))
        {
            // Results are written beside it and renamed over it: a device, FIFO or socket
            // would be replaced by a regular file.
            throw InputError("--out: " + path + " is not a regular file");
        }
        for (const auto& input : inputs)
        {
            if (!input.empty() && fs::equivalent(path, input, ec))
            {
                throw InputError("--out: " + path + " is an input of the run (" + input + ")");
            }
        }
    }
    // The nearest existing folder on the way must take a new file (checked before simulating).
    fs::path folder = fs::absolute(fs::path(path), ec).parent_path();
    while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.parent_path())
    {
        folder = folder.parent_path();
    }
    if (!fs::is_directory(folder, ec))
    {
        throw InputError("--out: " + folder.string() + " is not a folder");
    }
    // A real file, not access(2): root passes that check where no file can be made (/proc).
    const fs::path probe = folder / (".wafer-out-probe." + std::to_string(getpid()));
    const int fd = open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0)
    {
        throw InputError("--out: cannot write in " + folder.string());
    }
    close(fd);
    unlink(probe.c_str());
}

std::string
CliArgs::AttributesText() const
{
    std::string text;
    for (const auto& [k, v] : m_attributes)
    {
        text += (text.empty() ? "" : " ") + std::string("--") + k + "=" + v;
    }
    return text;
}

int
ReportInputError(const char* program, const std::string& message)
{
    std::cerr << program << ": error: " << message << std::endl;
    return 2;
}

int
CommonOptions(int argc,
              char** argv,
              const char* program,
              const std::string& usage,
              Introspection introspection)
{
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        const auto eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        if (arg == "--help" || arg == "-h" || arg == "--PrintHelp")
        {
            std::cout << usage;
            return 0;
        }
        if (arg == "--version" || arg == "--PrintVersion")
        {
            std::cout << program << " " << WAFER_VERSION << " (the wafer module, built on ns-"
                      << WAFER_NS3_VERSION << ")\n";
            return 0;
        }
        const bool ns3Option = name == "--PrintTypeIds" || name == "--PrintGroups"
                               || name == "--PrintGlobals" || name == "--PrintAttributes"
                               || name == "--PrintGroup";
        if (!ns3Option)
        {
            continue;
        }
        if (introspection == Introspection::None)
        {
            return ReportInputError(program,
                                    name
                                        + ": this program builds no simulation (no ns-3 objects "
                                          "to print)");
        }
        const bool takesValue = name == "--PrintAttributes" || name == "--PrintGroup";
        if (takesValue != (eq != std::string::npos) || (takesValue && eq + 1 == arg.size()))
        {
            return ReportInputError(program,
                                    name + (takesValue ? ": needs =VALUE" : ": takes no value"));
        }
        ns3::TypeId tid;
        if (name == "--PrintAttributes"
            && !ns3::TypeId::LookupByNameFailSafe(arg.substr(eq + 1), &tid))
        {
            // ns-3's CommandLine aborts on an unknown name; a one-line error instead.
            // (InputError makes it one line of bounded length, whatever the name.)
            return ReportInputError(program,
                                    InputError(name + ": unknown TypeId '" + arg.substr(eq + 1)
                                               + "' (--PrintTypeIds lists them)")
                                        .what());
        }
        // ns-3's own printing, which exits once it has printed.
        ns3::CommandLine cmd;
        cmd.Parse(std::vector<std::string>{program, arg});
        return 0;
    }
    return -1;
}

void
WarnUnusedOverrides(const std::string& program,
                    const CliArgs& args,
                    const std::string& path,
                    const ns3::wafer::AttributeTexts& fileAttributes,
                    const ns3::wafer::ModelsInRun& run)
{
    using namespace ns3::wafer;
    std::vector<std::string> lines
        = UnusedOverrides(args.Attributes(), AttributeSettings::kCommandLine, run);
    const auto more = UnusedOverrides(fileAttributes, path + ": attributes", run);
    lines.insert(lines.end(), more.begin(), more.end());
    for (const std::string& l : lines)
    {
        std::cerr << program << ": warning: " << l << "\n";
    }
}

ns3::wafer::ResolveOptions
ResolveOptionsFrom(const CliArgs& args)
{
    ns3::wafer::ResolveOptions options;
    options.overrides = args.Attributes();
    if (args.Has("seed"))
    {
        options.seed = args.GetCount("seed", 1, ns3::wafer::kMaxSeed);
    }
    // ns-3's habits: --RngSeed is the seed, --RngRun the run number (independent replications
    // of one seed: ns-3 moves every random stream to another substream).
    if (args.Has("RngSeed"))
    {
        const uint64_t seed = args.GetCount("RngSeed", 1, ns3::wafer::kMaxSeed);
        if (options.seed && *options.seed != seed)
        {
            throw ns3::wafer::InputError("--RngSeed: differs from --seed (give one of them)");
        }
        options.seed = seed;
    }
    if (args.Has("RngRun"))
    {
        options.run = args.GetCount("RngRun", 1, ns3::wafer::kMaxRun);
    }
    if (args.Has("fidelity"))
    {
        options.fidelity = args.Get("fidelity");
    }
    return options;
}
