/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_TABLE_H
#define WAFER_RESULT_TABLE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A named table of typed columns, written as one HDF5 compound dataset (one field per column).
 * Units are also in column names (ttft_s, bytes, utilisation); the writer adds each column's
 * unit and description from doc/hdf5-schema.md.
 */
class ResultTable
{
  public:
    enum class Type
    {
        Float64,
        Int64,
        String, ///< fixed-length, NUL-padded
    };

    struct Column
    {
        std::string name;
        Type type{Type::Float64};
        size_t width{0}; ///< String: bytes per cell
        std::vector<double> f;
        std::vector<int64_t> i;
        std::vector<std::string> s;
        /// Set only where doc/hdf5-schema.md cannot name the column (fields copied from other
        /// files, group keys); otherwise the writer takes both from the document.
        std::string unit;
        std::string description;
        bool documented{false};
    };

    ResultTable(std::string name, std::string description);

    /// Add a column; returns its index.
    size_t AddFloat(const std::string& name);
    size_t AddInt(const std::string& name);
    size_t AddString(const std::string& name, size_t width);

    void Set(size_t col, double v);
    void Set(size_t col, int64_t v);
    void Set(size_t col, const std::string& v);

    /// Give column \p col its unit and description (see Column::unit).
    void Describe(size_t col, const std::string& unit, const std::string& description);
    /// Write the table chunked and compressed (tables that grow with the run).
    void SetCompressed(bool compressed);
    bool Compressed() const;

    const std::string& Name() const;
    const std::string& Description() const;
    const std::vector<Column>& Columns() const;
    size_t Rows() const;

    /// Index of column \p name, or -1.
    int Find(const std::string& name) const;

  private:
    std::string m_name;
    std::string m_description;
    std::vector<Column> m_columns;
    bool m_compressed{false};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_TABLE_H
