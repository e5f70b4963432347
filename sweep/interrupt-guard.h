/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_INTERRUPT_GUARD_H
#define WAFER_INTERRUPT_GUARD_H

#include <signal.h>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * While alive, SIGINT and SIGTERM only set a flag that the sweep loop polls, so it can stop its
 * children, remove their temporary files and leave a consistent index before exiting. The
 * previous handlers come back on destruction.
 */
class InterruptGuard
{
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    /// The signal received (SIGINT or SIGTERM), or 0.
    static int Received();

  private:
    struct sigaction m_oldInt;
    struct sigaction m_oldTerm;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_INTERRUPT_GUARD_H
