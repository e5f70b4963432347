/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_SIMULATION_H
#define WAFER_RUN_SIMULATION_H

#include "ns3/input-error.h"
#include "ns3/simulator.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Simulator::Run(), then InputError if the model stopped the run because an input turned out
 * impossible mid-run (StopRunWithInputError), with the simulator destroyed first so that the
 * events still scheduled are freed. An event that throws is handled the same way.
 */
inline void
RunSimulation()
{
    try
    {
        Simulator::Run();
    }
    catch (...)
    {
        Simulator::Destroy();
        throw;
    }
    if (const auto error = TakeRunInputError())
    {
        Simulator::Destroy();
        throw InputError(*error);
    }
}

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_SIMULATION_H
