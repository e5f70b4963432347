/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-column-docs.h"

#include <map>
#include <sstream>
#include <vector>

extern const char* const kWaferResultSchemaText; // doc/hdf5-schema.md, compiled in

namespace ns3
{
namespace wafer
{

namespace
{
std::string
Trim(const std::string& s)
{
    const size_t a = s.find_first_not_of(" \t\r");
    const size_t b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string>
Cells(const std::string& row)
{
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(Trim(row).substr(1)); // after the leading '|'
    while (std::getline(in, cell, '|'))
    {
        out.push_back(Trim(cell));
    }
    return out;
}

/// The `quoted` names of a cell, in order.
std::vector<std::string>
Quoted(const std::string& cell)
{
    std::vector<std::string> out;
    for (size_t a = cell.find('`'); a != std::string::npos; a = cell.find('`', a + 1))
    {
        const size_t b = cell.find('`', a + 1);
        if (b == std::string::npos)
        {
            break;
        }
        out.push_back(cell.substr(a + 1, b - a - 1));
        a = b;
    }
    return out;
}

std::string
Key(const std::string& program, const std::string& dataset, const std::string& field)
{
    return program + '\n' + dataset + '\n' + field;
}

std::map<std::string, ColumnDoc>
Parse(const char* text)
{
    std::map<std::string, ColumnDoc> docs;
    std::istringstream in(text);
    std::string line;
    std::string program;
    std::string dataset;
    int field = -1;
    int unit = -1;
    int meaning = -1;
    bool fenced = false;
    while (std::getline(in, line))
    {
        if (line.rfind("```", 0) == 0)
        {
            fenced = !fenced;
            continue;
        }
        if (fenced)
        {
            continue;
        }
        if (line.rfind("#", 0) == 0)
        {
            // A section: its dataset is the heading's `/name`, its program the "(wafer-...)".
            dataset.clear();
            field = unit = meaning = -1;
            for (const std::string& q : Quoted(line))
            {
                if (q.size() > 1 && q[0] == '/')
                {
                    dataset = q.substr(1);
                }
            }
            const size_t p = line.rfind("(wafer-");
            program = p == std::string::npos ? "wafer-sim"
                                             : line.substr(p + 1, line.find(')', p) - p - 1);
            continue;
        }
        if (dataset.empty() || Trim(line).rfind("|", 0) != 0)
        {
            continue;
        }
        const std::vector<std::string> cells = Cells(line);
        if (cells.empty() || cells[0].rfind("---", 0) == 0)
        {
            continue;
        }
        if (cells[0] == "Field")
        {
            field = 0;
            for (size_t k = 0; k < cells.size(); ++k)
            {
                unit = cells[k] == "Unit" ? int(k) : unit;
                meaning = cells[k] == "Meaning" ? int(k) : meaning;
            }
            continue;
        }
        if (field < 0 || unit < 0 || meaning < 0 || int(cells.size()) <= std::max(unit, meaning))
        {
            continue;
        }
        ColumnDoc doc;
        doc.unit = (cells[unit] == "–" || cells[unit] == "-") ? "" : cells[unit];
        for (char c : cells[meaning])
        {
            if (c != '`')
            {
                doc.description += c;
            }
        }
        for (const std::string& name : Quoted(cells[field]))
        {
            docs[Key(program, dataset, name.rfind('<', 0) == 0 ? "*" : name)] = doc;
        }
    }
    return docs;
}
} // namespace

const ColumnDoc*
FindColumnDoc(const std::string& program, const std::string& dataset, const std::string& field)
{
    static const std::map<std::string, ColumnDoc> docs = Parse(kWaferResultSchemaText);
    auto it = docs.find(Key(program, dataset, field));
    if (it == docs.end())
    {
        it = docs.find(Key(program, dataset, "*"));
    }
    return it == docs.end() ? nullptr : &it->second;
}

} // namespace wafer
} // namespace ns3
