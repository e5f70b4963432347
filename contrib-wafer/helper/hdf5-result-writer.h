/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_HDF5_RESULT_WRITER_H
#define WAFER_HDF5_RESULT_WRITER_H

#include "result-table.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/// Schema version written to every result file (root attribute schema_version).
extern const char* const kResultSchemaVersion;

/**
 * \ingroup wafer
 * Root attributes of a result file.
 */
struct RunMetadata
{
    std::vector<std::pair<std::string, std::string>> text; ///< string attributes
    std::vector<std::pair<std::string, double>> numbers;   ///< numeric attributes
    std::vector<std::pair<std::string, int64_t>> integers; ///< integer attributes
};

/**
 * \ingroup wafer
 * Write one result file: root attributes and one compound dataset per table (at /<name>, with a
 * "description" attribute). The file is written under a temporary name beside \p path and renamed
 * over it only when complete, so a crash never leaves a half file. Object modification times are
 * not recorded, so equal inputs give equal bytes.
 * \throws std::runtime_error if the file cannot be written (the temporary is removed).
 */
void WriteResultFile(const std::string& path,
                     const RunMetadata& meta,
                     const std::vector<ResultTable>& tables);

/**
 * \ingroup wafer
 * The same layout for any table file (for example merged analysis results): root attribute
 * schema_version = \p schemaVersion, then \p meta, then one compound dataset per table; written
 * under a temporary name and renamed. \throws std::runtime_error if it cannot be written.
 */
void WriteTableFile(const std::string& path,
                    const std::string& schemaVersion,
                    const RunMetadata& meta,
                    const std::vector<ResultTable>& tables);

} // namespace wafer
} // namespace ns3

#endif // WAFER_HDF5_RESULT_WRITER_H
