// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_steps.h"

#include "core/optimizer/exact_memo.h"
#include "core/optimizer/resource_search.h"

#include <algorithm>

namespace collapipe::dssda_steps {

void equalShares(ClusterDecision &d)
{
    const double share = 1.0 / double(std::max<std::size_t>(1, d.stages.size()));
    d.controlUnitShare = share;
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        d.stages[j].bandwidthShare = j + 1 < d.stages.size() ? share : 0.0;
    }
}

void optimizePowers(const ClusterSurrogate &model, ClusterDecision &d)
{
    for (StageDecision &st : d.stages) {
        const double lo = model.minPower(st.device);
        const double hi = model.maxPower(st.device);
        st.powerW = goldenSectionMinOf(
            [&](double p) {
                st.powerW = p;
                return model.objective(d);
            },
            lo, hi, 20);
    }
}

void optimizeShares(const ClusterSurrogate &model, ClusterDecision &d)
{
    const std::vector<double> shares = allocateBandwidth(model.bandProblem(d));
    if (shares.size() != d.stages.size()) {
        return;
    }
    d.controlUnitShare = shares[0];
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        d.stages[j].bandwidthShare = j + 1 < d.stages.size() ? shares[j + 1] : 0.0;
    }
}

void ResourceStepMemo::apply(const ClusterSurrogate &model, ClusterDecision &d)
{
    if (!m_enabled) {
        optimizeShares(model, d);
        optimizePowers(model, d);
        return;
    }
    const std::uint64_t hash = ExactMemo::hashOf(d);
    for (const Entry &e : m_entries) {
        if (e.hash == hash && ExactMemo::sameBits(e.input, d)) {
            ++m_hits;
            d = e.output;
            return;
        }
    }
    Entry e{hash, d, {}};
    optimizeShares(model, d);
    optimizePowers(model, d);
    e.output = d;
    m_entries.push_back(std::move(e));
}

} // namespace collapipe::dssda_steps
