/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LINK_FAULT_INJECTOR_H
#define WAFER_LINK_FAULT_INJECTOR_H

#include "message-transport.h"
#include "network-fabric.h"

#include "ns3/event-id.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * How often a cable of a technology fails and for how long: a failure is a flap (the link
 * retrains by itself) with probability flapShare, else a hard failure that waits for a repair.
 */
struct LinkReliability
{
    double cableMtbfHours{0}; ///< mean time between failures of one cable (both ends)
    double flapShare{0};      ///< share of failures that are flaps
    double flapS{0};          ///< mean time a flap keeps the link down
    double repairS{0};        ///< mean time to repair a hard failure
};

/**
 * \ingroup wafer
 * A link fault of the scenario: one named cable down (or some of its lanes lost) for a while,
 * a switch lost (every cable on it down), or failures drawn at random over every cable of the
 * fabric.
 */
struct LinkFaultSpec
{
    size_t index{0};         ///< position in the scenario's faults list (for error messages)
    bool random{false};      ///< failures over every cable (else the cable or switch `link`)
    bool wholeSwitch{false}; ///< `link` names a switch: every cable on it fails
    std::string link;        ///< a cable, by either direction's name (e.g. wafer0.p3->switch)
    uint32_t lanesLost{0};   ///< lanes of the cable lost (0: the whole cable is down)
    double startS{0};
    double durationS{0};         ///< how long the cable is down; for random failures, the window
    double rateScale{1};         ///< random: failure rate over the reliability's (stress studies)
    LinkReliability reliability; ///< random: the figures used (the link preset's by default)
};

/**
 * \ingroup wafer
 * One link fault as it happened, and what it did.
 */
struct LinkFaultRecord
{
    std::string kind;   ///< "link", "switch" (scheduled), "link_flap" or "link_failure" (random)
    std::string target; ///< the cable (its first direction's name) or the switch
    double startS{0};
    double endS{0};            ///< when the cable is back (as scheduled or drawn)
    double upShare{0};         ///< share of the cable's lanes that kept working
    uint64_t lanesRerouted{0}; ///< lanes of messages moved off it
    uint64_t bytesResent{0};   ///< bytes in flight on it, sent again
    double recoveryS{0};       ///< longest time a moved lane waited to resume
};

/**
 * \ingroup wafer
 * Applies link faults to a NetworkFabric at their times (NetworkFabric::SetCableUpShare) and
 * records, per fault, the lanes the transport rerouted and the bytes it sent again. Random
 * failures form one Poisson process over every cable (rate = cables x rateScale / MTBF); a
 * failure on a cable already down is absorbed. Overlapping faults on one cable leave it with
 * the smallest share of lanes up. The injector stops (its events are taken out of the
 * scheduler) when Stop is called, so that it never extends a run past its workload.
 */
class LinkFaultInjector : public Object
{
  public:
    static TypeId GetTypeId();
    LinkFaultInjector();

    /**
     * Schedule \p faults on \p fabric and watch \p transport's reroutes.
     * \throws InputError (scenario.faults[i].field) for an unknown cable or impossible lanes; a
     *         random process too busy to simulate stops the run with an input error
     */
    void Install(Ptr<NetworkFabric> fabric,
                 Ptr<MessageTransport> transport,
                 const std::vector<LinkFaultSpec>& faults);
    /// No fault starts or ends after now.
    void Stop();

    /// Faults that started, in start order.
    const std::vector<LinkFaultRecord>& Records() const;

    /// Random streams used (ns-3 convention); \return the number assigned.
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    /// The cables of the switch a fault names. \throws InputError
    std::vector<uint32_t> CablesOfSwitch(const LinkFaultSpec& f) const;
    /// A fault's row and the cables it takes (by the link id of their first direction).
    size_t AddRecord(const LinkFaultRecord& record, const std::vector<uint32_t>& cables);
    /// Fault \p record starts (its cables keep its share of lanes) or ends.
    void Begin(size_t record);
    void End(size_t record);
    /// The next random failure of fault \p spec.
    void ScheduleNextFailure(size_t spec);
    void RandomFailure(size_t spec);
    void OnRerouted(uint32_t link, uint64_t resentBytes, Time waited);
    /// Set the cable's share to the smallest of its active faults (1 if none).
    void Apply(uint32_t cable);

    Ptr<NetworkFabric> m_fabric;
    Ptr<MessageTransport> m_transport;
    std::vector<LinkFaultSpec> m_specs;
    std::vector<uint32_t> m_cables;                        ///< first direction of every cable
    std::map<uint32_t, std::map<size_t, double>> m_active; ///< cable -> record -> share up
    std::map<uint32_t, size_t> m_lastRecord;               ///< link -> its cable's latest record
    std::vector<LinkFaultRecord> m_records;
    std::vector<std::vector<uint32_t>> m_recordCables; ///< by record
    std::vector<EventId> m_events;
    bool m_stopped{false};
    uint64_t m_draws{0}; ///< random failures drawn (those on a cable already down included)
    Ptr<UniformRandomVariable> m_uniform;
    Ptr<ExponentialRandomVariable> m_exponential;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LINK_FAULT_INJECTOR_H
