/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_CHUNK_TAG_H
#define WAFER_CHUNK_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Routing metadata of one chunk of a message. A packet tag rather than a header, so that a chunk
 * occupies the wire for exactly its payload (plus the device's own framing) and nothing is
 * serialised: the htsim idea of packets that only carry a size.
 */
class ChunkTag : public Tag
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint64_t messageId{0}; ///< transport-wide message id
    uint32_t srcNode{0};   ///< ns-3 node id of the sender
    uint32_t dstNode{0};   ///< ns-3 node id of the receiver
    uint32_t stripe{0};    ///< lane: the port index it left on, which picks the link at every hop
    uint64_t payload{0};   ///< message bytes it carries (the rest of its size is framing)
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_CHUNK_TAG_H
