/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_DIGEST_H
#define WAFER_RESULT_DIGEST_H

// Digests of what a result file holds, for the golden-result test: one digest per dataset and
// per attribute, over its HDF5 type, shape and raw bytes.

#include <map>
#include <string>
#include <vector>

namespace wafertest
{

/// FNV-1a (64 bit) of \p bytes, as 16 hex digits; \p seed chains digests.
std::string Fnv1a(const std::string& bytes);

/**
 * Digest of every object of an HDF5 file: "/name" for a dataset, "/name@attr" for a dataset's
 * attribute, "@attr" for a root attribute. The wall_* attributes (wall-clock timing) are left
 * out. In string attributes, each of \p locations (the folders the run happened in) is
 * replaced by "<location>", since where a checkout lives is not a result.
 */
std::map<std::string, std::string> DigestResultFile(const std::string& path,
                                                    const std::vector<std::string>& locations);

/// Digest of a text output (a CSV file, a program's stdout) with \p locations replaced.
std::string DigestText(std::string text, const std::vector<std::string>& locations);

} // namespace wafertest

#endif // WAFER_RESULT_DIGEST_H
