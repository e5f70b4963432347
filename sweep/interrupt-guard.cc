/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "interrupt-guard.h"

namespace ns3
{
namespace wafer
{

namespace
{
volatile sig_atomic_t g_received = 0;

void
OnSignal(int signal)
{
    g_received = signal;
}
} // namespace

InterruptGuard::InterruptGuard()
{
    g_received = 0;
    struct sigaction sa = {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking call returns early with EINTR
    sigaction(SIGINT, &sa, &m_oldInt);
    sigaction(SIGTERM, &sa, &m_oldTerm);
}

InterruptGuard::~InterruptGuard()
{
    sigaction(SIGINT, &m_oldInt, nullptr);
    sigaction(SIGTERM, &m_oldTerm, nullptr);
}

int
InterruptGuard::Received()
{
    return g_received;
}

} // namespace wafer
} // namespace ns3
