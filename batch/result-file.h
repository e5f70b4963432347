/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_FILE_H
#define WAFER_RESULT_FILE_H

#include <H5Cpp.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A result file that cannot be used: the message is one line, "<file>: <reason>".
 */
class ResultFileError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * \ingroup wafer
 * Read access to one HDF5 result file (contrib-wafer/doc/hdf5-schema.md): root attributes and
 * columns of the one-dimensional compound datasets. Every failure throws ResultFileError naming the
 * file and, where it applies, the dataset and field.
 */
class ResultFile
{
  public:
    /// Open read-only. \throws ResultFileError if it is missing or not HDF5.
    explicit ResultFile(const std::string& path);

    const std::string& Path() const;

    /// Whether the file's schema_version attribute is \p expected (false without one).
    bool HasSchema(const std::string& expected) const;
    /// \throws ResultFileError unless the root attribute schema_version equals \p expected.
    void RequireSchema(const std::string& expected) const;
    /// \throws ResultFileError "<file>: missing dataset /<name>" unless every one exists.
    void RequireDatasets(const std::vector<std::string>& names) const;

    bool HasAttribute(const std::string& name) const;
    std::string StringAttribute(const std::string& name) const;
    int64_t IntegerAttribute(const std::string& name) const;

    bool HasDataset(const std::string& name) const;
    std::vector<std::string> Fields(const std::string& dataset) const;
    bool HasField(const std::string& dataset, const std::string& field) const;
    size_t Rows(const std::string& dataset) const;
    /// A numeric field (integers are converted), one value per row.
    std::vector<double> Column(const std::string& dataset, const std::string& field) const;
    /// A fixed-length string field, one value per row.
    std::vector<std::string> StringColumn(const std::string& dataset,
                                          const std::string& field) const;
    /// Every numeric field of row 0 (the one-row /summary), by name.
    std::map<std::string, double> FirstRow(const std::string& dataset) const;

  private:
    H5::DataSet Open(const std::string& dataset) const;
    [[noreturn]] void Fail(const std::string& reason) const;

    std::string m_path;
    H5::H5File m_file;
    uint64_t m_fileBytes{0}; ///< no dataset or attribute of the file can hold more
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_FILE_H
