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
 * Units belong in column names (ttft_s, bytes, utilisation).
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
    };

    ResultTable(std::string name, std::string description);

    /// Add a column; returns its index.
    size_t AddFloat(const std::string& name);
    size_t AddInt(const std::string& name);
    size_t AddString(const std::string& name, size_t width);

    void Set(size_t col, double v);
    void Set(size_t col, int64_t v);
    void Set(size_t col, const std::string& v);

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
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_TABLE_H
