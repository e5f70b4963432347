/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "chunk-tag.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferChunkTag");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(ChunkTag);

TypeId
ChunkTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::ChunkTag")
                            .SetParent<Tag>()
                            .SetGroupName("Wafer")
                            .AddConstructor<ChunkTag>();
    return tid;
}

TypeId
ChunkTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
ChunkTag::GetSerializedSize() const
{
    return 8 + 4 + 4 + 4 + 8;
}

void
ChunkTag::Serialize(TagBuffer buf) const
{
    buf.WriteU64(messageId);
    buf.WriteU32(srcNode);
    buf.WriteU32(dstNode);
    buf.WriteU32(stripe);
    buf.WriteU64(payload);
}

void
ChunkTag::Deserialize(TagBuffer buf)
{
    messageId = buf.ReadU64();
    srcNode = buf.ReadU32();
    dstNode = buf.ReadU32();
    stripe = buf.ReadU32();
    payload = buf.ReadU64();
}

void
ChunkTag::Print(std::ostream& os) const
{
    os << "msg=" << messageId << " " << srcNode << "->" << dstNode << " stripe=" << stripe
       << " payload=" << payload;
}

} // namespace wafer
} // namespace ns3
