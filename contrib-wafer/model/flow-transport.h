/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FLOW_TRANSPORT_H
#define WAFER_FLOW_TRANSPORT_H

#include "message-transport.h"
#include "seconds-memo.h"

#include "ns3/event-id.h"

#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Flow fidelity: every lane of a message is a flow along its path; flows share links max-min
 * fairly (progressive filling), and rates change only when a flow starts or ends, so a message
 * costs a few events whatever its size. A flow's last byte arrives when its wire bytes have
 * drained at its rate, plus the path's link delays and (links - 1) frame times of
 * store-and-forward, as a packet-level transfer would see.
 *
 * Rates are re-allocated only over the flows that share links, directly or through others, with
 * the flows that start or end (max-min fairness is separate in each such group). A flow keeps
 * the bits it had left and the time it got its rate, so its end is exact whatever else happens in
 * the network. A message whose every lane is alone on its links has its delivery planned as it
 * starts and costs one event; a flow that later joins one of its links turns it back into flows
 * whose ends are events.
 */
class FlowTransport : public MessageTransport
{
  public:
    static TypeId GetTypeId();
    FlowTransport();

    std::string Fidelity() const override;
    /// Flows currently draining.
    size_t ActiveFlows() const;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;
    void DoDispose() override;
    void DoLinkState(uint32_t link, double upShare) override;

  private:
    struct Flow
    {
        uint32_t message{0}; ///< slot in m_messages
        double bits{0};      ///< wire bits left at `since`
        double rateBps{0};   ///< 0 until first allocated
        Time since;          ///< when `bits` was measured and the rate set
        Time end;            ///< when the last bit leaves at this rate
        Time tail;           ///< link delays + store-and-forward of the last frame
        const std::vector<uint32_t>* path{nullptr};
        uint32_t lane{0};      ///< the message's lane it carries
        uint64_t laneBytes{0}; ///< payload of that lane
        double totalBits{0};   ///< wire bits it started with
        uint32_t mark{0};      ///< visit stamp of Reallocate
        double fill{0};        ///< its rate being filled in Reallocate
    };

    /// One message: its lanes still draining, and when its last byte can arrive at the earliest.
    struct Message
    {
        uint64_t id{0};
        uint64_t payload{0};
        uint32_t src{0};
        uint32_t dst{0};
        uint32_t lanesLeft{0};
        Time arrival;
        bool planned{false}; ///< delivery planned at the start (every lane alone)
        bool fresh{false};   ///< sent since the last re-allocation, and may be planned
        Time planAt;         ///< latest end + tail of its lanes, for a planned delivery
        EventId delivery;
    };

    /// A lane taken off a failed link, on its way to a surviving path.
    struct Detour
    {
        uint32_t message{0}; ///< slot in m_messages
        uint32_t lane{0};
        uint64_t laneBytes{0};
        double leftBits{0};   ///< wire bits not yet sent
        double resendBits{0}; ///< wire bits in flight, lost with the link
        const std::vector<uint32_t>* oldPath{nullptr};
        uint32_t failedLink{0};
        Time failedAt;
    };

    /// A flow for \p bits wire bits of lane \p lane (of \p laneBytes) of message \p slot on
    /// \p path; its links need new rates.
    uint32_t StartFlow(uint32_t slot,
                       uint32_t lane,
                       uint64_t laneBytes,
                       double bits,
                       const std::vector<uint32_t>* path);
    /// Take the flows on \p link (down) off their paths; they resume after the RerouteDelay.
    void Evacuate(uint32_t link);
    /// A detoured lane starts again on the path it has now, or waits for one.
    void Resume(Detour d);
    /// Stop planning \p msg's delivery ahead: its lanes end by events again.
    void Unplan(Message& msg);

    /// Finish the flows of unplanned messages that have drained by now; take drained flows of
    /// planned messages off their links.
    void FinishDrained();
    /// Take flow \p f off its links, which need new rates.
    void Leave(uint32_t f);
    /// Max-min rates over the flows linked to the dirty links; plan the next end.
    void Reallocate();
    void OnFlowEnd();
    void Deliver(uint32_t message);
    /// Schedule the next end of a flow of an unplanned message.
    void PlanNextEnd();

    std::vector<Flow> m_flows; ///< pool (slots reused)
    std::vector<uint32_t> m_freeFlows;
    std::vector<uint32_t> m_live; ///< draining flows in start order (deterministic)
    std::vector<Message> m_messages;
    std::vector<uint32_t> m_freeMessages;
    std::vector<std::vector<uint32_t>> m_linkFlows; ///< draining flows on each link, by link id
    std::vector<uint32_t> m_dirty;                  ///< links whose flows need new rates
    std::vector<uint32_t> m_fresh;                  ///< messages sent since the last re-allocation
    uint32_t m_unplanned{0};      ///< messages in flight whose lanes end by events
    std::vector<Detour> m_noPath; ///< detoured lanes with no path yet (until a link is back)
    EventId m_next;
    EventId m_deferred;          ///< the re-allocation after several messages at one instant
    Time m_lastSend;             ///< when the last message was sent
    bool m_sentAtInstant{false}; ///< a message was sent at m_lastSend
    SecondsMemo m_seconds;       ///< store-and-forward times
    // Scratch space of Reallocate, indexed by link id (kept to avoid allocations per event).
    uint32_t m_stamp{0};
    std::vector<uint32_t> m_linkMark;
    std::vector<double> m_rate; ///< link rates (the fabric's, looked up once)
    std::vector<double> m_capacity;
    std::vector<uint32_t> m_open;
    std::vector<uint32_t> m_group; ///< flows being re-allocated
    std::vector<uint32_t> m_groupLinks;
    std::vector<uint32_t> m_groupMessages;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_FLOW_TRANSPORT_H
