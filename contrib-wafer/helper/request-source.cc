/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "request-source.h"

#include "ns3/input-error.h"
#include "ns3/random-variable-stream.h"

#include <boost/algorithm/string.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace ns3
{
namespace wafer
{

namespace
{
// Fixed stream numbers keep draws independent of how many other random variables exist.
const int64_t kArrivalStream = 1;
const int64_t kInputStream = 2;
const int64_t kOutputStream = 3;

class LengthSampler
{
  public:
    LengthSampler(const LengthDistribution& d, int64_t stream) :
        m_dist(d)
    {
        m_uniform = CreateObject<UniformRandomVariable>();
        m_uniform->SetStream(stream);
        m_normal = CreateObject<NormalRandomVariable>();
        m_normal->SetStream(stream + 100);
    }

    uint32_t Next()
    {
        double v = m_dist.value;
        if (m_dist.kind == "uniform")
        {
            v = std::floor(m_uniform->GetValue(m_dist.min, m_dist.max + 1.0));
            v = std::min(v, m_dist.max);
        }
        else if (m_dist.kind == "lognormal")
        {
            v = Lognormal(m_dist);
        }
        else if (m_dist.kind == "mixture")
        {
            double total = 0;
            for (const auto& [w, d] : m_dist.components)
            {
                total += w;
            }
            double pick = m_uniform->GetValue(0.0, total);
            const LengthDistribution* chosen = &m_dist.components.back().second;
            for (const auto& [w, d] : m_dist.components)
            {
                if (pick < w)
                {
                    chosen = &d;
                    break;
                }
                pick -= w;
            }
            v = Lognormal(*chosen);
        }
        return static_cast<uint32_t>(std::max(1.0, v));
    }

  private:
    double Lognormal(const LengthDistribution& d)
    {
        const double v = std::round(d.median * std::exp(d.sigma * m_normal->GetValue(0.0, 1.0)));
        return std::clamp(v, d.min, d.max);
    }

  public:
  private:
    LengthDistribution m_dist;
    Ptr<UniformRandomVariable> m_uniform;
    Ptr<NormalRandomVariable> m_normal;
};

uint32_t
ParseTokens(const std::string& text, const std::string& where)
{
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-' || v == 0 || v > UINT32_MAX)
    {
        throw InputError(where + ": must be a whole number in [1, 4294967295] (got '" + text
                         + "')");
    }
    return static_cast<uint32_t>(v);
}
} // namespace

LengthDistribution
LengthDistribution::Agentic()
{
    LengthDistribution longer{"lognormal", 0, 1000, 1e6, 200000, 0.35, {}};
    LengthDistribution shorter{"lognormal", 0, 1000, 1e6, 42000, 0.6, {}};
    LengthDistribution mix;
    mix.kind = "mixture";
    mix.min = 1000;
    mix.max = 1e6;
    mix.components = {{0.47, longer}, {0.53, shorter}};
    return mix;
}

std::vector<LlmRequest>
RequestGenerator::Generate() const
{
    Ptr<ExponentialRandomVariable> gap = CreateObject<ExponentialRandomVariable>();
    gap->SetStream(kArrivalStream);
    // Gamma gaps of mean 1/rate: shape 1/cv^2, scale mean/shape.
    Ptr<GammaRandomVariable> burstGap = CreateObject<GammaRandomVariable>();
    burstGap->SetStream(kArrivalStream + 10);
    const double shape = 1.0 / (burstiness * burstiness);
    LengthSampler in(input, kInputStream);
    LengthSampler out(output, kOutputStream);
    std::vector<LlmRequest> reqs;
    double t = 0;
    for (uint32_t i = 0; i < requests; ++i)
    {
        if (arrival == "poisson")
        {
            t += gap->GetValue(1.0 / ratePerS, 0.0);
        }
        else if (arrival == "gamma")
        {
            t += burstGap->GetValue(shape, 1.0 / ratePerS / shape);
        }
        LlmRequest r;
        r.id = i;
        r.arrivalS = t;
        r.inputTokens = in.Next();
        r.outputTokens = out.Next();
        reqs.push_back(r);
    }
    return reqs;
}

std::vector<LlmRequest>
ReadRequestTrace(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw InputError(path + ": cannot open request trace");
    }
    std::vector<LlmRequest> reqs;
    std::string line;
    uint64_t lineNo = 0;
    bool header = false;
    size_t columns = 3; // a fourth column names the request's session (multi-turn)
    double last = 0;
    while (std::getline(in, line))
    {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        const std::string where = path + ":" + std::to_string(lineNo);
        if (!header)
        {
            boost::algorithm::erase_all(line, " ");
            if (line == "arrival_s,input_tokens,output_tokens,session")
            {
                columns = 4;
            }
            else if (line != "arrival_s,input_tokens,output_tokens")
            {
                throw InputError(where
                                 + ": header must be 'arrival_s,input_tokens,output_tokens' "
                                   "(optionally ',session')");
            }
            header = true;
            continue;
        }
        if (reqs.size() == kMaxRequests)
        {
            throw InputError(where + ": more than " + std::to_string(kMaxRequests)
                             + " requests (each holds about 1 kB of memory for the whole run)");
        }
        // Cells may carry spaces around the commas ("0.5, 1024, 128").
        std::vector<std::string> cells;
        boost::algorithm::split(cells, line, boost::is_any_of(","));
        for (auto& cell : cells)
        {
            boost::algorithm::trim(cell);
        }
        if (cells.size() != columns)
        {
            throw InputError(where + ": expected " + std::to_string(columns)
                             + " comma-separated fields, got " + std::to_string(cells.size()));
        }
        errno = 0;
        char* end = nullptr;
        const double arrival = std::strtod(cells[0].c_str(), &end);
        if (cells[0].empty() || *end != '\0' || errno != 0 || !std::isfinite(arrival) || arrival < 0
            || arrival > kMaxInputSeconds)
        {
            throw InputError(where + ": arrival_s: must be a number in [0, 1e6] (got '" + cells[0]
                             + "')");
        }
        if (arrival < last)
        {
            throw InputError(where + ": arrival_s: must not decrease (previous "
                             + std::to_string(last) + ")");
        }
        last = arrival;
        LlmRequest r;
        r.id = reqs.size();
        r.arrivalS = arrival;
        r.inputTokens = ParseTokens(cells[1], where + ": input_tokens");
        r.outputTokens = ParseTokens(cells[2], where + ": output_tokens");
        if (columns == 4 && !cells[3].empty())
        {
            r.session = ParseTokens(cells[3], where + ": session");
        }
        reqs.push_back(r);
    }
    if (!header)
    {
        throw InputError(path + ": empty trace (no header line)");
    }
    if (reqs.empty())
    {
        throw InputError(path + ": trace holds no requests");
    }
    return reqs;
}

} // namespace wafer
} // namespace ns3
