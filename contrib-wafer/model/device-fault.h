/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_DEVICE_FAULT_H
#define WAFER_DEVICE_FAULT_H

#include <cstddef>
#include <cstdint>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * A device lost mid-run: the device of stage `stage` (of the decode pipeline, or of the prefill
 * pool) fails at `startS`; a spare takes its
 * place once the loss is detected (`detectS`) and the stage's weights are loaded onto it (see
 * PipelineServingEngine::LoseDevice for what happens to the requests). Without a spare the
 * replica is drained (PipelineServingEngine::Drain).
 */
struct DeviceFault
{
    size_t index{0};         ///< position in the scenario's faults list (for error messages)
    bool prefillPool{false}; ///< a stage of the prefill pool (else of the decode pipeline)
    uint32_t replica{0};     ///< the serving replica whose stage it is
    uint32_t stage{0};
    double startS{0};
    double detectS{0};
    bool spare{true}; ///< a spare device takes over; else the replica is drained
    // Filled in by the run:
    bool happened{false};         ///< the loss came before the workload was done
    double replaceS{0};           ///< from the loss to the spare serving: detection + weights
    uint32_t requestsRequeued{0}; ///< admitted requests whose KV was lost and is recomputed
    uint32_t requestsFailed{0};   ///< without a spare: requests in service or queued, failed
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_DEVICE_FAULT_H
