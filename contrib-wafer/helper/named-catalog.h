/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_NAMED_CATALOG_H
#define WAFER_NAMED_CATALOG_H

#include "ns3/input-error.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Entries by name, with the one-line error for an unknown name that lists the known ones.
 */
template<typename T>
class NamedCatalog
{
  public:
    /// \param kind what an entry is, for messages ("device", "model")
    explicit NamedCatalog(std::string kind) :
        m_kind(std::move(kind))
    {
    }

    /// Add or replace an entry.
    void Put(const std::string& name, const T& entry)
    {
        m_entries[name] = entry;
    }

    /// \throws InputError "<kind>: unknown 'x' (known: a, b)".
    const T& Get(const std::string& name) const
    {
        auto it = m_entries.find(name);
        if (it == m_entries.end())
        {
            std::string known;
            for (const auto& n : Names())
            {
                known += (known.empty() ? "" : ", ") + n;
            }
            throw InputError(m_kind + ": unknown '" + name + "' (known: " + known + ")");
        }
        return it->second;
    }

    /// Names in sorted order.
    std::vector<std::string> Names() const
    {
        std::vector<std::string> out;
        for (const auto& entry : m_entries)
        {
            out.push_back(entry.first);
        }
        return out;
    }

  private:
    std::string m_kind;
    std::map<std::string, T> m_entries;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_NAMED_CATALOG_H
