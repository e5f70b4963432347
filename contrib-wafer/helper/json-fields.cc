/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "json-fields.h"

#include "ns3/input-error.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ns3
{
namespace wafer
{

std::string
DataDirectory()
{
    const char* env = std::getenv("WAFER_DATA_DIR");
    return (env && *env) ? std::string(env) : std::string(WAFER_DEFAULT_DATA_DIR);
}

nlohmann::json
JsonFields::ParseFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw InputError(path + ": cannot open file");
    }
    std::stringstream text;
    text << in.rdbuf();
    return ParseText(path, text.str());
}

namespace
{
/// Parse \p text, refusing nesting deeper than JsonFields::kMaxDepth while parsing (before any
/// deep value exists) and reporting malformed text in one line.
template<class Json>
Json
ParseBounded(const std::string& where, const std::string& text)
{
    // nlohmann's parser takes a NUL byte for the end of the text: anything after one (a
    // truncated or binary file) would be ignored silently.
    const size_t nul = text.find('\0');
    if (nul != std::string::npos)
    {
        throw InputError(where + ": a NUL byte at offset " + std::to_string(nul)
                         + " (not a JSON text file)");
    }
    bool tooDeep = false;
    const typename Json::parser_callback_t bound
        = [&tooDeep](int depth, typename Json::parse_event_t event, Json&)
    {
        if ((event == Json::parse_event_t::object_start
             || event == Json::parse_event_t::array_start)
            && depth >= JsonFields::kMaxDepth)
        {
            tooDeep = true;
            // Stop here: the parser cannot be told to give up without an exception.
            throw InputError("");
        }
        return true;
    };
    try
    {
        return Json::parse(text, bound);
    }
    catch (const InputError&)
    {
        if (tooDeep)
        {
            throw InputError(where + ": JSON nested deeper than "
                             + std::to_string(JsonFields::kMaxDepth) + " levels");
        }
        throw;
    }
    catch (const nlohmann::json::parse_error& e)
    {
        std::string what = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] "; keep the readable part.
        const auto pos = what.find("] ");
        what = pos == std::string::npos ? what : what.substr(pos + 2);
        if (what.size() > 200)
        {
            what = what.substr(0, 200) + "...";
        }
        throw InputError(where + ": malformed JSON: " + what);
    }
}
} // namespace

nlohmann::json
JsonFields::ParseText(const std::string& where, const std::string& text)
{
    return ParseBounded<nlohmann::json>(where, text);
}

nlohmann::ordered_json
JsonFields::ParseOrderedText(const std::string& where, const std::string& text)
{
    return ParseBounded<nlohmann::ordered_json>(where, text);
}

std::string
JsonFields::Echo(const nlohmann::json& value)
{
    std::string text = value.dump();
    if (text.size() > 80)
    {
        text = text.substr(0, 77) + "...";
    }
    return text;
}

JsonFields::JsonFields(const nlohmann::json& object, std::string where) :
    m_object(object),
    m_where(std::move(where))
{
    if (!m_object.is_object())
    {
        throw InputError(m_where + ": must be a JSON object");
    }
}

bool
JsonFields::Has(const std::string& key) const
{
    return m_object.contains(key) && !m_object.at(key).is_null();
}

std::string
JsonFields::Where(const std::string& key) const
{
    return m_where + "." + key;
}

const nlohmann::json&
JsonFields::Get(const std::string& key) const
{
    if (!Has(key))
    {
        throw InputError(Where(key) + ": missing");
    }
    return m_object.at(key);
}

const nlohmann::json&
JsonFields::Raw(const std::string& key) const
{
    return Get(key);
}

std::string
JsonFields::String(const std::string& key) const
{
    const auto& v = Get(key);
    if (!v.is_string())
    {
        throw InputError(Where(key) + ": must be a string");
    }
    return v.get<std::string>();
}

std::string
JsonFields::String(const std::string& key, const std::string& fallback) const
{
    return Has(key) ? String(key) : fallback;
}

double
JsonFields::Number(const std::string& key) const
{
    const auto& v = Get(key);
    if (!v.is_number())
    {
        throw InputError(Where(key) + ": must be a number");
    }
    const double d = v.get<double>();
    if (!std::isfinite(d))
    {
        throw InputError(Where(key) + ": must be finite");
    }
    return d;
}

double
JsonFields::Positive(const std::string& key) const
{
    const double d = Number(key);
    if (!(d > 0))
    {
        throw InputError(Where(key) + ": must be > 0 (got " + Echo(Get(key)) + ")");
    }
    return d;
}

double
JsonFields::Positive(const std::string& key, double fallback) const
{
    return Has(key) ? Positive(key) : fallback;
}

double
JsonFields::NonNegative(const std::string& key, double fallback) const
{
    return Has(key) ? NonNegative(key) : fallback;
}

double
JsonFields::NonNegative(const std::string& key) const
{
    const double d = Number(key);
    if (d < 0)
    {
        throw InputError(Where(key) + ": must be >= 0 (got " + Echo(Get(key)) + ")");
    }
    return d;
}

uint64_t
JsonFields::Count(const std::string& key, uint64_t min, uint64_t max) const
{
    const auto& v = Get(key);
    const bool integral
        = v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)
          || (v.is_number_float() && v.get<double>() >= 0
              && std::floor(v.get<double>()) == v.get<double>() && v.get<double>() < 1.8e19);
    if (!integral)
    {
        throw InputError(Where(key) + ": must be a whole number >= " + std::to_string(min)
                         + " (got " + Echo(v) + ")");
    }
    const uint64_t n = v.is_number_float() ? uint64_t(v.get<double>()) : v.get<uint64_t>();
    if (n < min || n > max)
    {
        throw InputError(Where(key) + ": must be in [" + std::to_string(min) + ", "
                         + std::to_string(max) + "] (got " + Echo(v) + ")");
    }
    return n;
}

uint64_t
JsonFields::Count(const std::string& key, uint64_t min, uint64_t max, uint64_t fallback) const
{
    return Has(key) ? Count(key, min, max) : fallback;
}

bool
JsonFields::Bool(const std::string& key, bool fallback) const
{
    if (!Has(key))
    {
        return fallback;
    }
    const auto& v = Get(key);
    if (!v.is_boolean())
    {
        throw InputError(Where(key) + ": must be true or false");
    }
    return v.get<bool>();
}

JsonFields
JsonFields::Object(const std::string& key) const
{
    return JsonFields(Get(key), Where(key));
}

void
JsonFields::OnlyKeys(const std::set<std::string>& known) const
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it)
    {
        if (known.count(it.key()) == 0)
        {
            std::string list;
            for (const auto& k : known)
            {
                list += (list.empty() ? "" : ", ") + k;
            }
            throw InputError(Where(it.key()) + ": unknown field (known: " + list + ")");
        }
    }
}

} // namespace wafer
} // namespace ns3
