/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "kv-budget.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WaferKvBudget");
namespace wafer
{

NS_OBJECT_ENSURE_REGISTERED(KvBudget);

TypeId
KvBudget::GetTypeId()
{
    static TypeId tid = TypeId("ns3::wafer::KvBudget")
                            .SetParent<Object>()
                            .SetGroupName("Wafer")
                            .AddConstructor<KvBudget>();
    return tid;
}

void
KvBudget::Setup(const LlmCostModel& model, Pool pool, const std::vector<StageAssignment>& stages)
{
    NS_LOG_FUNCTION(this);
    m_model = &model;
    m_pools[pool].clear();
    for (const auto& a : stages)
    {
        Stage st;
        st.firstLayer = a.firstLayer;
        st.layers = a.layerCount;
        st.capacity = a.FreeBytes();
        m_pools[pool].push_back(st);
    }
}

double
KvBudget::StageBytes(const Stage& st, double context) const
{
    NS_LOG_FUNCTION(this);
    double bytes = 0;
    for (uint32_t i = st.firstLayer; i < st.firstLayer + st.layers; ++i)
    {
        bytes += m_model->LayerKvBytes(i, context);
    }
    return bytes;
}

double
KvBudget::Need(Pool pool, const Stage& st, const LlmRequest& r) const
{
    NS_LOG_FUNCTION(this);
    // Decode stages hold the whole sequence; prefill stages only the prompt, until it has moved.
    const double context
        = pool == Serving ? double(r.inputTokens) + r.outputTokens : double(r.inputTokens);
    return StageBytes(st, context);
}

double
KvBudget::Need(Pool pool, uint32_t stage, const LlmRequest& request) const
{
    NS_LOG_FUNCTION(this);
    return Need(pool, m_pools[pool][stage], request);
}

bool
KvBudget::EverFits(const LlmRequest& r) const
{
    NS_LOG_FUNCTION(this);
    for (Pool pool : {Serving, Prefill})
    {
        for (const Stage& st : m_pools[pool])
        {
            if (Need(pool, st, r) > st.capacity)
            {
                return false;
            }
        }
    }
    return true;
}

bool
KvBudget::Fits(const LlmRequest& r) const
{
    NS_LOG_FUNCTION(this);
    return FitsWith(r, nullptr);
}

bool
KvBudget::ServingFits(const LlmRequest& r) const
{
    NS_LOG_FUNCTION(this);
    for (const Stage& st : m_pools[Serving])
    {
        if (st.used + Need(Serving, st, r) > st.capacity)
        {
            return false;
        }
    }
    return true;
}

bool
KvBudget::FitsWith(const LlmRequest& head, const LlmRequest* with) const
{
    NS_LOG_FUNCTION(this);
    for (Pool pool : {Serving, Prefill})
    {
        for (const Stage& st : m_pools[pool])
        {
            if (with && pool == Serving)
            {
                if (st.used + Need(pool, st, *with) + Need(pool, st, head) > st.capacity)
                {
                    return false;
                }
            }
            else if (st.used + Need(pool, st, head) > st.capacity)
            {
                return false;
            }
        }
    }
    return true;
}

void
KvBudget::ReserveServing(const LlmRequest& r, double sign)
{
    NS_LOG_FUNCTION(this);
    for (Stage& st : m_pools[Serving])
    {
        st.used += sign * Need(Serving, st, r);
        st.peak = std::max(st.peak, st.used);
    }
}

void
KvBudget::Reserve(const LlmRequest& r, double sign)
{
    NS_LOG_FUNCTION(this);
    ReserveServing(r, sign);
    if (sign < 0)
    {
        return; // a prefill stage's share is released when its KV has moved
    }
    for (Stage& st : m_pools[Prefill])
    {
        st.used += Need(Prefill, st, r);
        st.peak = std::max(st.peak, st.used);
    }
}

void
KvBudget::ReleasePrefill(const LlmRequest& r)
{
    NS_LOG_FUNCTION(this);
    for (Stage& st : m_pools[Prefill])
    {
        st.used -= Need(Prefill, st, r);
    }
}

uint32_t
KvBudget::Stages(Pool pool) const
{
    NS_LOG_FUNCTION(this);
    return m_pools[pool].size();
}

double
KvBudget::CapacityBytes(Pool pool, uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    return m_pools[pool][stage].capacity;
}

double
KvBudget::PeakBytes(Pool pool, uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    return m_pools[pool][stage].peak;
}

double
KvBudget::UsedBytes(Pool pool, uint32_t stage) const
{
    NS_LOG_FUNCTION(this);
    return m_pools[pool][stage].used;
}

} // namespace wafer
} // namespace ns3
