/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_ATOMIC_FILE_H
#define WAFER_ATOMIC_FILE_H

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Write \p text to \p path under a temporary name in the same folder (<path>.tmp.<pid>) and rename
 * it into place, so readers see the old file or the new one, never half of one.
 * \throws std::runtime_error naming the file if it cannot be written (the temporary is removed).
 */
void WriteFileAtomically(const std::string& path, const std::string& text);

/// The whole text of a file. \throws std::runtime_error if it cannot be read.
std::string ReadTextFile(const std::string& path);

} // namespace wafer
} // namespace ns3

#endif // WAFER_ATOMIC_FILE_H
