/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FUZZ_INPUT_H
#define WAFER_FUZZ_INPUT_H

// Shared by the libFuzzer targets: the loaders under test read files, so each input is written
// to a file of this process first. A loader may refuse an input only by throwing (InputError,
// std::runtime_error); a crash, an abort, a sanitizer report, a leak or a hang is a finding.

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace waferfuzz
{

/// Write \p data to a fixed file of this process named \p name and return its path.
inline std::string
InputFile(const uint8_t* data, size_t size, const std::string& name)
{
    static const std::string dir = []
    {
        const char* tmp = std::getenv("TMPDIR");
        return std::string(tmp ? tmp : "/tmp") + "/wafer-fuzz-" + std::to_string(::getpid());
    }();
    ::mkdir(dir.c_str(), 0700);
    const std::string path = dir + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

} // namespace waferfuzz

#endif // WAFER_FUZZ_INPUT_H
