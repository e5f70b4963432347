/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_INPUT_ERROR_H
#define WAFER_INPUT_ERROR_H

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

/**
 * \defgroup wafer Wafer-scale and GPU LLM serving simulator
 *
 * Devices (wafer-scale engines, GPUs), a calibrated roofline compute engine, LLM architectures,
 * pipeline placement, a chunk-level message transport over ns-3 NetDevices and a serving engine.
 */

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Bad user input: a malformed file, an unknown name, an impossible value or a model that does not
 * fit. The message names the field and the reason on one line; programs turn it into exit code 2.
 */
class InputError : public std::runtime_error
{
  public:
    /// \param message "where: what is wrong", e.g. "scenario.wafers: must be >= 1"; kept to one
    /// line of at most 1,000 characters (control characters escaped, the rest cut)
    explicit InputError(const std::string& message);
};

/// The longest time an input may give (a trace's arrival, a latency, an overhead, a workload's
/// span): 1e6 s, 11.6 days. ns-3's Time counts picoseconds in 64 bits (about 106 days), and a
/// run lasts beyond its last arrival; larger values used to wrap into negative times.
constexpr double kMaxInputSeconds = 1e6;

/**
 * \ingroup wafer
 * Checks a name against the choices a field accepts.
 * \throws InputError "<field>: must be a, b or c (got '<value>')" unless \p value is one of
 * \p choices
 */
void RequireOneOf(const std::string& value,
                  const std::vector<std::string>& choices,
                  const std::string& field);

/**
 * Stop the running simulation because an input turned out impossible mid-run (a message that no
 * link can carry within the time a run may span). An exception cannot pass through ns-3's event
 * loop without leaking the event it interrupts, so the run ends after the current event instead,
 * and RunSimulation() throws InputError(message).
 */
void StopRunWithInputError(const std::string& message);

/// The message given to StopRunWithInputError since the last call, if any (and forget it).
std::optional<std::string> TakeRunInputError();

} // namespace wafer
} // namespace ns3

#endif // WAFER_INPUT_ERROR_H
