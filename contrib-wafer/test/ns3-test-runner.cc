/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Debian ships no ns-3 test runner: this one runs the module's ns-3 TestSuites.
#include "ns3/nstime.h"
#include "ns3/test.h"

int
main(int argc, char** argv)
{
    ns3::Time::SetResolution(ns3::Time::PS);
    return ns3::TestRunner::Run(argc, argv);
}
