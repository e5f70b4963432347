/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_TEST_UTIL_H
#define WAFER_TEST_UTIL_H

// Shared by the test suites: running the programs, reading result files, temporary folders.

#include <cstdint>
#include <string>
#include <vector>

namespace wafertest
{

/// Exit code and output of one program run.
struct RunOutput
{
    int exitCode{-1};
    std::string out;
    std::string err;
};

/// Run build/bin/<program> with \p args (a shell-quoted string) and capture its output.
RunOutput RunProgram(const std::string& program, const std::string& args);

/// Start build/bin/<program> with \p args in the background, its stderr into \p log.
int StartProgram(const std::string& program,
                 const std::vector<std::string>& args,
                 const std::string& log);

/// Wait for a started program: its exit code, or 128 + the signal that ended it.
int WaitExit(int pid);

/// A fresh empty folder under the system temporary folder, removed when the test process exits
/// (kept if the environment sets WAFER_TEST_KEEP).
std::string TempDir(const std::string& name);

/// Write \p text to \p path.
void WriteFile(const std::string& path, const std::string& text);

/// Writes scenario \p text to dir/name.json, runs wafer-sim on it (expecting success) and
/// returns the result file's path, dir/name.h5.
std::string Simulate(const std::string& dir, const std::string& name, const std::string& text);

/// Path of a file in the source tree.
std::string SourcePath(const std::string& relative);

/// True if \p path exists.
bool Exists(const std::string& path);

/// Files in \p dir.
std::vector<std::string> ListDir(const std::string& dir);

/// One numeric field of a compound dataset, as doubles.
std::vector<double> ReadField(const std::string& file,
                              const std::string& dataset,
                              const std::string& field);

/// One fixed-length string field of a compound dataset.
std::vector<std::string> ReadStringField(const std::string& file,
                                         const std::string& dataset,
                                         const std::string& field);

/// Field names of a compound dataset.
std::vector<std::string> FieldNames(const std::string& file, const std::string& dataset);

/// Names of the root group's members (datasets).
std::vector<std::string> Datasets(const std::string& file);

/// Root attribute names.
std::vector<std::string> RootAttributes(const std::string& file);

/// Raw bytes of a dataset (its file type, packed) or of a root attribute.
std::vector<char> DatasetBytes(const std::string& file, const std::string& dataset);
std::vector<char> AttributeBytes(const std::string& file, const std::string& attribute);

/// A string root attribute (variable-length or fixed-length).
std::string StringAttribute(const std::string& file, const std::string& attribute);
/// A dataset's variable-length text attribute, one string per element (units, descriptions).
std::vector<std::string> DatasetTexts(const std::string& file,
                                      const std::string& dataset,
                                      const std::string& attribute);

} // namespace wafertest

#endif
