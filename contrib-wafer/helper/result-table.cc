/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-table.h"

#include <algorithm>

namespace ns3
{
namespace wafer
{

ResultTable::ResultTable(std::string name, std::string description) :
    m_name(std::move(name)),
    m_description(std::move(description))
{
}

size_t
ResultTable::AddFloat(const std::string& name)
{
    m_columns.push_back(Column{name, Type::Float64, 8, {}, {}, {}, {}, {}, false});
    return m_columns.size() - 1;
}

size_t
ResultTable::AddInt(const std::string& name)
{
    m_columns.push_back(Column{name, Type::Int64, 8, {}, {}, {}, {}, {}, false});
    return m_columns.size() - 1;
}

size_t
ResultTable::AddString(const std::string& name, size_t width)
{
    m_columns.push_back(Column{name, Type::String, width, {}, {}, {}, {}, {}, false});
    return m_columns.size() - 1;
}

void
ResultTable::Set(size_t col, double v)
{
    m_columns.at(col).f.push_back(v);
}

void
ResultTable::Set(size_t col, int64_t v)
{
    m_columns.at(col).i.push_back(v);
}

void
ResultTable::Set(size_t col, const std::string& v)
{
    auto& c = m_columns.at(col);
    c.s.push_back(v.substr(0, c.width - 1));
}

void
ResultTable::Describe(size_t col, const std::string& unit, const std::string& description)
{
    auto& c = m_columns.at(col);
    c.unit = unit;
    c.description = description;
    c.documented = true;
}

void
ResultTable::SetCompressed(bool compressed)
{
    m_compressed = compressed;
}

bool
ResultTable::Compressed() const
{
    return m_compressed;
}

const std::string&
ResultTable::Name() const
{
    return m_name;
}

const std::string&
ResultTable::Description() const
{
    return m_description;
}

const std::vector<ResultTable::Column>&
ResultTable::Columns() const
{
    return m_columns;
}

size_t
ResultTable::Rows() const
{
    size_t rows = 0;
    for (const auto& c : m_columns)
    {
        rows = std::max({rows, c.f.size(), c.i.size(), c.s.size()});
    }
    return rows;
}

int
ResultTable::Find(const std::string& name) const
{
    for (size_t k = 0; k < m_columns.size(); ++k)
    {
        if (m_columns[k].name == name)
        {
            return static_cast<int>(k);
        }
    }
    return -1;
}

} // namespace wafer
} // namespace ns3
