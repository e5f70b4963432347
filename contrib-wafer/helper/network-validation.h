/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_NETWORK_VALIDATION_H
#define WAFER_NETWORK_VALIDATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A network-only experiment: messages between endpoints of one fabric, run at any fidelity.
 * Used by the cross-fidelity tests, wafer-netval (docs/validation.md) and the KV-60 benchmark.
 */
struct NetCase
{
    struct Message
    {
        uint32_t src{0};
        uint32_t dst{0};
        uint64_t bytes{0};
        double startS{0};
        bool measured{true}; ///< counted in the results (background traffic is not)
    };

    std::string name;
    std::string topology{"single-switch"};
    uint32_t devices{2};
    uint32_t ports{12};
    uint32_t devicesPerLeaf{1};
    double portRateBps{100e9};
    double switchLatencyS{5e-6};
    std::vector<Message> messages;
};

/**
 * \ingroup wafer
 * What one run of a NetCase gave.
 */
struct NetCaseResult
{
    std::vector<double> completionS; ///< per measured message: end - start
    std::vector<double> idealS;      ///< per measured message: the fidelity's closed form alone
    uint64_t events{0};
    double wallS{0};
    uint64_t peakRssKb{0}; ///< peak resident memory during the run (Linux), 0 if unknown
};

/// Run \p c at \p fidelity ("flow", "chunk", "packet", "chunk-devices" or "bare": one frame per
/// chunk through ns-3 devices).
NetCaseResult RunNetCase(const NetCase& c, const std::string& fidelity);

/// The validation cases: one switch hop, three hops (leaf-spine-leaf), and an 8-to-1 incast.
std::vector<NetCase> ValidationCases();

/**
 * Read a network case file (schema "wafer-netcase/1", e.g. scenarios/bench/kv60-1hop.json):
 * fabric, measured messages and periodic background messages. \p scaleBytes multiplies the
 * measured messages' sizes and the background's duration (for quick runs).
 * \throws InputError naming the field.
 */
NetCase LoadNetCase(const std::string& path, double scaleBytes = 1.0);

} // namespace wafer
} // namespace ns3

#endif // WAFER_NETWORK_VALIDATION_H
