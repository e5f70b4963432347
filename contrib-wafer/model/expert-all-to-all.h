/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_EXPERT_ALL_TO_ALL_H
#define WAFER_EXPERT_ALL_TO_ALL_H

#include "expert-group.h"
#include "message-transport.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The dispatch (or combine) all-to-all of an expert group across nodes (ExpertGroup), executed
 * message by message on two networks: the scale-out fabric that joins every rank's NIC, and the
 * scale-up domain (NVLink) of each node. Phase one: every rank sends ToEachNode(S) bytes to the
 * rank of its index on every other node, all at once over the scale-out fabric. Phase two, when
 * all have arrived: every rank forwards ToEachRank(S) bytes to every other rank of its node over
 * NVLink. Each phase starts after StepOverhead, as the steps of a NetworkCollective do. The
 * phases do not overlap: DeepEP's normal kernels forward chunks over NVLink while later ones
 * still cross the NICs, so this is their time without that overlap.
 */
class ExpertAllToAll : public Object
{
  public:
    /// Called with the all-to-all's duration when it completes.
    typedef Callback<void, Time> DoneCallback;
    /// Signature of CollectiveDone: bytes per rank and the duration.
    typedef void (*DoneTracedCallback)(uint64_t bytesPerRank, Time duration);

    static TypeId GetTypeId();
    ExpertAllToAll();

    /**
     * \param scaleOut the fabric of the NICs
     * \param nics ns-3 node id of rank r of node n's NIC on \p scaleOut, as nics[n][r]
     * \param scaleUp each node's NVLink transport (empty with one rank per node)
     * \param gpus node ids of the ranks on their node's \p scaleUp, as gpus[n][r]
     * \param group the group's shape and shares (the bandwidths are not used)
     */
    void Setup(Ptr<MessageTransport> scaleOut,
               std::vector<std::vector<uint32_t>> nics,
               std::vector<Ptr<MessageTransport>> scaleUp,
               std::vector<std::vector<uint32_t>> gpus,
               const ExpertGroup& group);

    /// Run once with \p bytesPerRank bytes of token activations on every rank.
    void Run(uint64_t bytesPerRank, DoneCallback done);

  protected:
    void DoDispose() override;

  private:
    void ScaleOutPhase();
    void ScaleUpPhase();
    void Arrived();

    Time m_stepOverhead;
    Ptr<MessageTransport> m_scaleOut;
    std::vector<std::vector<uint32_t>> m_nics;
    std::vector<Ptr<MessageTransport>> m_scaleUp;
    std::vector<std::vector<uint32_t>> m_gpus;
    ExpertGroup m_group;

    uint64_t m_bytesPerRank{0};
    uint32_t m_phase{0};
    uint64_t m_outstanding{0};
    Time m_start;
    DoneCallback m_done;
    TracedCallback<uint64_t, Time> m_doneTrace;
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_EXPERT_ALL_TO_ALL_H
