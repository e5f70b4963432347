/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RUN_SIMULATION_H
#define WAFER_RUN_SIMULATION_H

#include "ns3/simulator.h"

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Simulator::Run(), destroying the simulator if an event throws (an input found impossible
 * mid-run, such as a message that no link can carry in time), so that the events still scheduled
 * are freed before the error reaches the program instead of leaking.
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
}

} // namespace wafer
} // namespace ns3

#endif // WAFER_RUN_SIMULATION_H
