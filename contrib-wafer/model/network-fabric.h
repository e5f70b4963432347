/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_NETWORK_FABRIC_H
#define WAFER_NETWORK_FABRIC_H

#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * One direction of one cable, and what crossed it.
 */
struct FabricLink
{
    uint32_t id{0};
    uint32_t from{0};      ///< ns-3 node id of the sender
    uint32_t to{0};        ///< ns-3 node id of the receiver
    uint32_t port{0};      ///< port index at the sender
    double rateBps{0};     ///< line rate
    Time delay;            ///< fixed one-way latency: technology + transit share (see class doc)
    double pjPerBit{0};    ///< energy per bit
    double staticW{0};     ///< static power of the sending port
    std::string name;      ///< e.g. "wafer0.p3->leaf0"
    Ptr<NetDevice> device; ///< transmitting device (chunk and packet fidelity)
    uint64_t bytes{0};     ///< wire bytes sent
    uint64_t frames{0};    ///< frames (IP packets) sent, whatever the fidelity
    uint64_t drops{0};     ///< packets dropped
    uint32_t reverse{std::numeric_limits<uint32_t>::max()}; ///< the cable's other direction
    uint32_t lanes{1};     ///< lanes ganged in the cable (a fault may take some of them)
    double upShare{1};     ///< share of its lanes that work: 1 healthy, 0 down
    double baseRateBps{0}; ///< line rate with every lane up
};

/**
 * \ingroup wafer
 * The network as a graph of directed links between ns-3 nodes, with lane-aware routing, shared by
 * every fidelity (flow, chunk, packet), so that all three see the same paths and latencies.
 *
 * - Endpoints (accelerators) own ports, numbered 0..P-1; a message striped over lane i leaves on
 *   port i and follows, at every node, the i-th (modulo) candidate link towards its destination:
 *   lanes keep their lane end to end and spread evenly over equal-cost uplinks (ECMP by lane).
 * - A node's transit latency (a switch's hop latency, a ring wafer's forwarding) is split over
 *   the links it touches: a link's delay = technology latency + (transit(from) + transit(to)) / 2.
 *   Along any path between endpoints with no transit latency of their own this adds exactly the
 *   sum of the intermediate nodes' latencies, and a constant shift before a queue changes no
 *   queueing order, so the timing equals a switch that waits before forwarding.
 */
class NetworkFabric : public Object
{
  public:
    static TypeId GetTypeId();
    NetworkFabric();

    /// Transit latency of \p node (0 if none was set).
    Time TransitLatency(uint32_t node) const;
    void SetTransitLatency(uint32_t node, Time latency);

    /// Add a directed link; returns its id. Its delay must already include the transit shares.
    uint32_t AddLink(FabricLink link);

    /// Declare \p node an endpoint whose ports are links \p ports (by port index).
    void AddEndpoint(uint32_t node, const std::vector<uint32_t>& ports);

    /// At \p node, towards endpoint \p dst, the candidate links (chosen by lane modulo size).
    void AddRoute(uint32_t node, uint32_t dst, const std::vector<uint32_t>& links);

    /// NextLink's answer when every candidate link is down.
    static constexpr uint32_t kNoLink = std::numeric_limits<uint32_t>::max();
    /// The link a lane-\p lane message leaves \p node on towards \p dst (kNoLink: none is up).
    uint32_t NextLink(uint32_t node, uint32_t dst, uint32_t lane) const;

    /// Link ids from \p src to \p dst on lane \p lane (computed once, then remembered); empty
    /// when faults have cut every way. A path stays valid for the fabric's life.
    const std::vector<uint32_t>& Path(uint32_t src, uint32_t dst, uint32_t lane) const;

    /**
     * A fault or repair: \p id and its reverse (one cable) keep \p upShare of their lanes
     * (0: down). Routing avoids a down link from now on: a node spreads lanes over its candidate
     * links that are up (ECMP over what survives), and an endpoint's lane whose port is down
     * leaves on one of its ports that are up. Fires LinkState for each direction.
     */
    void SetCableUpShare(uint32_t id, double upShare);
    /// Whether lane \p lane leaves \p node towards \p dst on its own link (up), not on another
    /// lane's because faults took its own.
    bool FirstHopUp(uint32_t node, uint32_t dst, uint32_t lane) const;
    /// Whether \p link is up (at least one lane works).
    bool IsUp(uint32_t link) const;
    /// Links down now.
    uint32_t LinksDown() const;

    /// Signature of the LinkState trace source: the link and its share of lanes up.
    typedef void (*LinkStateTracedCallback)(uint32_t link, double upShare);
    /// Signature of the LinkTx trace source: the link (index in Links()) and the wire bytes put
    /// on it.
    typedef void (*LinkTxTracedCallback)(uint32_t link, uint64_t wireBytes);

    /// Ports of endpoint \p node.
    uint32_t Ports(uint32_t node) const;
    /// The links leaving endpoint \p node, by port.
    const std::vector<uint32_t>& PortLinks(uint32_t node) const;
    bool IsEndpoint(uint32_t node) const;
    std::vector<uint32_t> Endpoints() const;

    const FabricLink& Link(uint32_t id) const;
    FabricLink& MutableLink(uint32_t id);
    const std::vector<FabricLink>& Links() const;

    /// Link id of the transmitting device \p device, or -1.
    int LinkOfDevice(Ptr<const NetDevice> device) const;

    /// Account wire bytes sent on a link.
    void CountTx(uint32_t link, uint64_t wireBytes, uint64_t frames = 1);
    /// Device trace sinks (PhyTxBegin, MacTxDrop) with the link id bound first.
    void OnTx(uint32_t link, Ptr<const Packet> packet);
    void OnDrop(uint32_t link, Ptr<const Packet> packet);

    std::string GetTopology() const;
    Time GetSwitchLatency() const;
    Time GetWaferTransitLatency() const;
    uint32_t GetDevicesPerLeaf() const;
    uint32_t GetSpines() const;
    double GetOversubscription() const;

  protected:
    void DoDispose() override;

  private:
    std::string m_topology;
    Time m_switchLatency;
    Time m_waferTransitLatency;
    uint32_t m_devicesPerLeaf;
    uint32_t m_spines;
    double m_oversubscription;

    std::vector<FabricLink> m_links;
    std::map<uint32_t, Time> m_transit;
    std::map<uint32_t, std::vector<uint32_t>> m_endpoints;
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> m_routes;
    std::map<const NetDevice*, uint32_t> m_deviceLinks;
    /// Paths by (src, dst, lane), packed in one key: looked up for every lane of every message.
    /// Forgotten when a link changes state; the paths themselves are kept in m_distinctPaths.
    mutable std::unordered_map<uint64_t, const std::vector<uint32_t>*> m_paths;
    /// Every distinct path ever taken, once: flows in flight point into it across link state
    /// changes, and its size is bounded by the topology, not by how often links fail.
    mutable std::set<std::vector<uint32_t>> m_distinctPaths;
    uint32_t m_linksDown{0};
    TracedCallback<uint32_t, double> m_linkStateTrace;
    TracedCallback<uint32_t, uint64_t> m_linkTxTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_NETWORK_FABRIC_H
