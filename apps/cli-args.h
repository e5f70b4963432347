/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CLI_ARGS_H
#define WAFER_CLI_ARGS_H

#include "ns3/resolved-scenario.h"
#include "ns3/unused-overrides.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

/**
 * Command-line arguments of the wafer programs: --name=value options, --flag switches, and ns-3
 * attribute overrides (--ns3::Class::Attribute=value, or --Class::Attribute=value for the wafer
 * module's classes). Anything else is an error.
 */
class CliArgs
{
  public:
    /// \throws ns3::wafer::InputError for an unknown option or a missing value.
    CliArgs(int argc,
            char** argv,
            const std::set<std::string>& options,
            const std::set<std::string>& flags);

    bool Has(const std::string& name) const;
    std::string Get(const std::string& name, const std::string& fallback = "") const;
    /// The value of a required option. \throws InputError "--name: missing (see --help)".
    std::string Require(const std::string& name) const;
    /// A whole number in [min, max]. \throws InputError naming the option.
    uint64_t GetCount(const std::string& name, uint64_t min, uint64_t max) const;
    bool Flag(const std::string& name) const;
    const std::vector<std::pair<std::string, std::string>>& Attributes() const;
    /// The attribute overrides as given: "--Name=value" separated by spaces.
    std::string AttributesText() const;

  private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::pair<std::string, std::string>> m_attributes;
};

/// The options of a serving run the command line sets: attribute overrides, --seed and
/// --fidelity (where the program accepts them).
ns3::wafer::ResolveOptions ResolveOptionsFrom(const CliArgs& args);

/// A warning line on stderr ("<program>: warning: ...") for each attribute override, on the
/// command line or in the input file \p path's "attributes" map, that no object of the run reads.
void WarnUnusedOverrides(const std::string& program,
                         const CliArgs& args,
                         const std::string& path,
                         const ns3::wafer::AttributeTexts& fileAttributes,
                         const ns3::wafer::ModelsInRun& run);

/// Create the folder that will hold \p path if it is missing. \throws InputError naming --out.
void CreateOutputFolder(const std::string& path);

/// Check, before any work, that results can be written to \p path: not empty, not a folder, not
/// a device, FIFO or socket, not one of \p inputs, and in a folder that takes a new file.
/// \throws InputError naming --out.
void CheckOutputFile(const std::string& path, const std::vector<std::string>& inputs);

/// Print "<program>: error: <message>" on one line to stderr; returns 2 (bad input).
int ReportInputError(const char* program, const std::string& message);

/// What a program offers of the conventions every program shares (see CommonOptions).
enum class Introspection
{
    None, ///< --help, -h, --PrintHelp and --version only
    Ns3,  ///< also ns-3 CommandLine's --PrintTypeIds, --PrintGroups, --PrintGroup=GROUP,
          ///< --PrintGlobals and --PrintAttributes=TYPEID (a program that builds a simulation)
};

/**
 * The conventions every program shares, looked for before its own arguments (the first one
 * given wins): --help, -h and --PrintHelp print \p usage; --version and --PrintVersion print the
 * program's and ns-3's versions; with Introspection::Ns3, ns-3's --Print... options print what
 * ns-3's CommandLine prints (an unknown TypeId is an error naming the option).
 * \return -1 if none was given (the program goes on), else its exit code (0, or 2 after an
 * error line)
 */
int CommonOptions(int argc,
                  char** argv,
                  const char* program,
                  const std::string& usage,
                  Introspection introspection);

#endif // WAFER_CLI_ARGS_H
