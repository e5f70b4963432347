/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_MESSAGE_TRANSPORT_H
#define WAFER_MESSAGE_TRANSPORT_H

#include "network-fabric.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * What a message carries (for results only).
 */
enum class TransferKind : uint8_t
{
    Activation, ///< hidden states between pipeline stages
    Token,      ///< sampled token ids back to the first stage
    KvCache,    ///< a sequence's KV cache (or a layer's share of it)
    Other,
};

/// "activation", "token", "kv" or "other".
std::string ToString(TransferKind kind);

/**
 * \ingroup wafer
 * One delivered message.
 */
struct TransferRecord
{
    uint64_t id{0};
    uint32_t srcNode{0};
    uint32_t dstNode{0};
    uint64_t bytes{0};  ///< payload
    uint32_t lanes{0};  ///< ports it was striped over
    uint32_t chunks{0}; ///< units the fidelity moved it in (flows, chunks or packets)
    uint32_t hops{0};   ///< links on its (lane 0) path
    TransferKind kind{TransferKind::Other};
    Time start;
    Time end;
    double energyJ{0}; ///< wire bits x energy per bit, over every link crossed
    uint64_t tag{0};   ///< the sender's, given back (one callback can serve many messages)
};

/**
 * \ingroup wafer
 * Moves messages between endpoints of a NetworkFabric at one of three fidelities (subclasses):
 * flow (max-min fair rates, an event per flow start and end), chunk (messages cut into chunks
 * that cross ns-3 NetDevices and queues) and packet (UDP datagrams through the ns-3 Internet
 * stack). All three stripe a message the same way and count the same wire bytes:
 *
 * - lanes = min(ports, ceil(B / frame payload)); lane j of a message takes B / lanes bytes (the
 *   first lanes one byte more) and leaves on port (first + j) mod ports, where the first port
 *   rotates from message to message of a sender;
 * - frame payload = FrameBytes - HeaderBytes (IPv4 + UDP); a lane of b bytes is ceil(b / payload)
 *   frames, and every frame adds HeaderBytes + 2 bytes of point-to-point framing on the wire.
 */
class MessageTransport : public Object
{
  public:
    /// Called when a message is fully delivered.
    typedef Callback<void, const TransferRecord&> DeliveredCallback;
    /// Signature of the MessageDelivered trace source.
    typedef void (*DeliveredTracedCallback)(const TransferRecord& record);

    static TypeId GetTypeId();
    MessageTransport();

    /// Use \p fabric (built by a helper) and hook into its nodes and devices.
    void Install(Ptr<NetworkFabric> fabric);
    Ptr<NetworkFabric> GetFabric() const;

    /// Send \p bytes (>= 1) from endpoint \p src to endpoint \p dst; the record given to
    /// \p onDelivered carries \p tag. \return the message id (virtual so that a test double
    /// can deliver without a fabric)
    virtual uint64_t Send(uint32_t src,
                          uint32_t dst,
                          uint64_t bytes,
                          TransferKind kind,
                          DeliveredCallback onDelivered,
                          uint64_t tag = 0);

    /// Messages sent but not yet delivered.
    size_t InFlight() const;
    /// Messages waiting for a path (faults cut every way to their destination).
    size_t Stalled() const;

    /// Signature of the LaneRerouted trace source: the failed link a lane of a message left,
    /// the bytes it sends again on its new path (unsent + in flight), and how long it waited.
    typedef void (*ReroutedTracedCallback)(uint32_t link, uint64_t resentBytes, Time waited);

    /// Frames a lane of \p payload bytes takes.
    uint64_t Frames(uint64_t payload) const;
    /// Wire bytes of \p payload bytes sent as \p frames frames.
    uint64_t WireBytes(uint64_t payload, uint64_t frames) const;
    /// Lanes a message of \p bytes uses on \p ports ports.
    uint32_t LaneCount(uint64_t bytes, uint32_t ports) const;

    /**
     * Closed form of a message alone in the network: the slowest lane's
     * wire bytes / rate + (links - 1) x one unit / rate + sum of link delays, where a unit is
     * what the fidelity stores and forwards (a frame; a chunk at chunk level).
     */
    virtual Time UncontendedTime(uint32_t src, uint32_t dst, uint64_t bytes) const;

    /// "flow", "chunk" or "packet".
    virtual std::string Fidelity() const = 0;

  protected:
    void DoDispose() override;

    /// One lane of a message.
    struct Lane
    {
        uint32_t lane{0};
        uint64_t bytes{0};
        const std::vector<uint32_t>* path{nullptr}; ///< link ids (the fabric's cached path)
    };

    /// Hook into the fabric (devices, nodes).
    virtual void DoInstall() = 0;
    /// Move the lanes of message \p id; call LaneArrived for every byte that arrives.
    /// \return the number of units (flows, chunks, packets) used
    virtual uint32_t DoSend(uint64_t id, uint32_t src, uint32_t dst, const std::vector<Lane>& lanes)
        = 0;
    /// Bytes of message \p id arrived at its destination; completes it when all have.
    void Arrived(uint64_t id, uint64_t payloadBytes);
    /// Largest unit a lane of \p bytes over \p links links is stored and forwarded in.
    virtual uint64_t UnitWireBytes(uint64_t bytes, uint32_t links) const;

    /**
     * Link \p link changed state (NetworkFabric::SetCableUpShare): new rates, and the lanes on
     * a link that went down move to surviving paths. Paths and routes are already renewed.
     * The default refuses: only fidelities that model failures override it.
     */
    virtual void DoLinkState(uint32_t link, double upShare);
    /// Wire bytes \p wireBytes (of \p frames frames) of message \p id move from \p from to
    /// \p to (a rerouted lane): link counters and the message's energy follow.
    void MoveWireBytes(uint64_t id,
                       const std::vector<uint32_t>& from,
                       const std::vector<uint32_t>& to,
                       uint64_t wireBytes,
                       uint64_t frames,
                       uint64_t resentBytes);

    Time m_rerouteDelay;
    TracedCallback<uint32_t, uint64_t, Time> m_reroutedTrace;

    Ptr<NetworkFabric> m_fabric;
    uint32_t m_frameBytes;
    uint32_t m_headerBytes;

  private:
    struct Pending
    {
        TransferRecord record;
        uint64_t remaining{0};
        DeliveredCallback onDelivered;
        bool live{false}; ///< sent and not yet delivered
    };
    /// Message \p id if it is in flight, else nullptr.
    Pending* Find(uint64_t id);
    /// The slot of message \p id (sent now), made if new.
    Pending& Slot(uint64_t id);
    /// Move the ring's start past delivered messages.
    void SkipDelivered();

    /// What a message from one endpoint to another needs, found once per pair.
    struct Route
    {
        uint32_t ports{0};
        bool degraded{false};         ///< faults took some lanes: only `usable` carry messages
        std::vector<uint32_t> usable; ///< lanes with their own first link and a path
        uint32_t* nextPort{nullptr};  ///< the source's next lane (m_nextPort)
        std::vector<const std::vector<uint32_t>*> paths; ///< by lane (the fabric's paths)
        double slowestBps{0};                            ///< the slowest link of any lane's path
    };
    const Route& RouteOf(uint32_t src, uint32_t dst);
    /// The fabric's LinkState: renew routes, let the fidelity react, retry stalled messages.
    void OnLinkState(uint32_t link, double upShare);

    /// A message that found no path when sent: it goes when one exists.
    struct Waiting
    {
        uint64_t id{0};
        uint32_t src{0};
        uint32_t dst{0};
        uint64_t bytes{0};
        TransferKind kind{TransferKind::Other};
        Time since;
        DeliveredCallback onDelivered;
        uint64_t tag{0};
    };
    /// Send message \p id now (Send, or a stalled message's retry); false if it has no path.
    bool SendNow(const Waiting& m);

    uint64_t m_nextId{1};
    std::map<uint32_t, uint32_t> m_nextPort;      ///< node -> its next message's first lane
    std::unordered_map<uint64_t, Route> m_routes; ///< by (src << 32 | dst)
    // Messages in flight, by id, in a ring: ids are handed out in order and most are delivered
    // within a few thousand of each other, so a message costs no allocation of its own. The
    // ring runs from id m_firstId (its oldest message in flight) for m_span ids; messages
    // older than that (sent late after waiting for a path, or moved out of a ring that a
    // few long ones held open) are in m_old.
    std::vector<Pending> m_pending; ///< size a power of two
    size_t m_firstSlot{0};          ///< where m_firstId is
    uint64_t m_firstId{1};
    uint64_t m_span{0};
    size_t m_ringLive{0}; ///< live messages in the ring
    size_t m_inFlight{0}; ///< in the ring and in m_old
    std::unordered_map<uint64_t, Pending> m_old;
    std::vector<Lane> m_lanes; ///< scratch space of Send
    std::vector<Waiting> m_stalled;
    TracedCallback<const TransferRecord&> m_deliveredTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_MESSAGE_TRANSPORT_H
