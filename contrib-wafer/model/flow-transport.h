/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_FLOW_TRANSPORT_H
#define WAFER_FLOW_TRANSPORT_H

#include "message-transport.h"

#include "ns3/event-id.h"

#include <map>

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
 */
class FlowTransport : public MessageTransport
{
  public:
    static TypeId GetTypeId();
    FlowTransport();

    std::string Fidelity() const override;
    /// Flows currently sharing the network.
    size_t ActiveFlows() const;

  protected:
    void DoInstall() override;
    uint32_t DoSend(uint64_t id,
                    uint32_t src,
                    uint32_t dst,
                    const std::vector<Lane>& lanes) override;
    void DoDispose() override;

  private:
    struct Flow
    {
        uint64_t message{0};
        uint64_t payload{0};
        double remainingBits{0};
        double rateBps{0};
        Time tail; ///< link delays + store-and-forward of the last frame
        const std::vector<uint32_t>* path{nullptr};
    };

    /// Drain every flow up to now, finish the empty ones, recompute rates, plan the next end.
    void Update();
    void Reallocate();
    void OnFlowEnd();

    /// Lanes of one message still draining, and when its last byte can arrive at the earliest.
    struct MessageState
    {
        uint32_t lanesLeft{0};
        uint64_t payload{0};
        Time arrival;
    };

    std::vector<Flow> m_flows; ///< in start order: deterministic
    std::map<uint64_t, MessageState> m_messages;
    Time m_lastUpdate;
    EventId m_next;
    EventId m_deferred;          ///< the re-allocation after several messages at one instant
    Time m_lastSend;             ///< when the last message was sent
    bool m_sentAtInstant{false}; ///< a message was sent at m_lastSend
    // Scratch space of Reallocate, indexed by link id (kept to avoid allocations per event).
    std::vector<double> m_capacity;
    std::vector<uint32_t> m_open;
    std::vector<std::vector<Flow*>> m_users;
    std::vector<uint32_t> m_activeLinks;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_FLOW_TRANSPORT_H
