/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// ns-3 TestSuite of the wafer module (runs under ns-3's test.py in a source tree, and here through
// wafer-ns3-tests): closed forms of the transport and the roofline engine.

#include "ns3/double.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include "ns3/wafer-module.h"

using namespace ns3;
using namespace ns3::wafer;

namespace
{

/// One message striped one chunk per lane through one switch: 2 x serialisation + 2 x delay + hop.
class SwitchedMessageTestCase : public TestCase
{
  public:
    SwitchedMessageTestCase() :
        TestCase("one striped message through one store-and-forward switch")
    {
    }

  private:
    void DoRun() override
    {
        // The closed form needs picosecond time, as wafer's programs use. ns-3's test-runner (one
        // process per suite under test.py) starts at nanoseconds; wafer-ns3-tests sets it itself.
        if (Time::GetResolution() != Time::PS)
        {
            Time::SetResolution(Time::PS);
        }
        FabricHelper h;
        h.SetLinkAttribute("LaneRate", DoubleValue(100e9));
        h.SetLinkAttribute("EndpointLatency", TimeValue(NanoSeconds(40)));
        h.SetLinkAttribute("Length", DoubleValue(2.0));
        h.SetLinkAttribute("PropagationPerMetre", TimeValue(NanoSeconds(5)));
        h.SetFabricAttribute("SwitchLatency", TimeValue(MicroSeconds(5)));
        Cluster c = h.Install(2, 12, "w", "chunk");
        Time end;
        c.transport->Send(c.NodeIds()[0],
                          c.NodeIds()[1],
                          12 * 8972,
                          TransferKind::Other,
                          [&end](const TransferRecord& r)
                          {
                              end = r.end;
                          });
        Simulator::Run();
        // One 9,000-byte IP packet per lane (+2 B framing), twice; 2 x 50 ns; the switch's 5 us.
        const double expected = 2 * 9002 * 8 / 100e9 + 100e-9 + 5e-6;
        NS_TEST_EXPECT_MSG_EQ_TOL(end.GetSeconds(), expected, 1e-11, "closed form");
        Simulator::Destroy();
    }
};

/// A memory-bound kernel: bytes / (bandwidth x efficiency) + overhead.
class RooflineTestCase : public TestCase
{
  public:
    RooflineTestCase() :
        TestCase("roofline time of a memory-bound kernel")
    {
    }

  private:
    void DoRun() override
    {
        DeviceSpec d;
        d.name = "t";
        d.memory = {MemoryTier{"hbm", 80e9, 2e12, 0}};
        d.peakFlops = {{Precision::BF16, 1e15}};
        Ptr<RooflineEngine> e = CreateObject<RooflineEngine>();
        e->SetAttribute("MemoryEfficiency", DoubleValue(0.5));
        e->SetAttribute("KernelOverhead", TimeValue(Seconds(0)));
        const KernelTiming t = e->Evaluate(d, Kernel{2e9, {1e9}, Precision::BF16});
        NS_TEST_EXPECT_MSG_EQ_TOL(t.timeS, 1e-3, 1e-15, "1 GB at 1 TB/s effective");
        NS_TEST_EXPECT_MSG_EQ((t.bound == Bound::Memory), true, "memory bound");
    }
};

class WaferTestSuite : public TestSuite
{
  public:
    WaferTestSuite() :
        TestSuite("wafer", UNIT)
    {
        AddTestCase(new SwitchedMessageTestCase, TestCase::QUICK);
        AddTestCase(new RooflineTestCase, TestCase::QUICK);
    }
};

WaferTestSuite g_waferTestSuite;

} // namespace
