// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_steps.h"

#include "core/optimizer/exact_memo.h"
#include "core/optimizer/resource_search.h"
#include "core/types/special_values.h"

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

/// Decision from a DP plan: stages in order with the per-device share and power.
ClusterDecision decisionFromPlan(const ClusterSurrogate &model, const SegmentPlan &plan,
    const std::vector<int> &order, const std::vector<double> &share, double cuShare,
    const std::vector<double> &power)
{
    ClusterDecision d = model.emptyDecision();
    d.controlUnitShare = cuShare;
    if (plan.edgeBlocks > 0) {
        d.mode = ClusterDecision::Mode::EdgeTail;
    }
    for (const SegmentStage &st : plan.stages) {
        const int device = order[std::size_t(st.position)];
        StageDecision sd;
        sd.device = device;
        sd.firstBlock = st.firstBlock;
        sd.lastBlock = st.firstBlock + st.blockCount - 1;
        sd.bandwidthShare = share[std::size_t(device)];
        sd.powerW = power[std::size_t(device)];
        d.stages.push_back(sd);
    }
    return d;
}

bool sameSegments(const ClusterDecision &a, const ClusterDecision &b)
{
    if (a.stages.size() != b.stages.size()) {
        return false;
    }
    for (std::size_t j = 0; j < a.stages.size(); ++j) {
        if (a.stages[j].device != b.stages[j].device
            || a.stages[j].firstBlock != b.stages[j].firstBlock
            || a.stages[j].lastBlock != b.stages[j].lastBlock) {
            return false;
        }
    }
    return true;
}

/// Block-coordinate descent for one (order, M): DP → power → bandwidth until the segments
/// repeat and the surrogate stops improving (spec §6 step 2.4).
ClusterDecision runBcd(ClusterSurrogate &model, const std::vector<int> &order,
    const SegmentPlan &screened, const DssdaOptions &options, ResourceStepMemo &steps,
    double *value)
{
    const int K = model.deviceCount();
    const double initialShare = 1.0 / double(std::max(1, K));
    std::vector<double> share(std::size_t(K), initialShare);
    std::vector<double> power(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) {
        power[std::size_t(k)] = model.maxPower(k);
    }
    double cuShare = initialShare;
    ClusterDecision best;
    double bestValue = kInf;
    ClusterDecision last;
    for (int it = 0;
         it < std::max(1, options.maxIterations) && !(options.cancelled && options.cancelled());
         ++it) {
        // The first round's DP is the screening DP (same equal shares and max power); later
        // rounds only look for a strictly better segmentation: the current one, re-priced with
        // the new shares and powers, bounds the search (exact pruning).
        const SegmentPlan plan = it == 0
            ? screened
            : solveSegments(model.segmentProblem(order, share, cuShare, power), options.dpLabels,
                bestValue * (1.0 - 1e-9), &options.cancelled);
        if (!plan.feasible) {
            break;
        }
        ClusterDecision d = decisionFromPlan(model, plan, order, share, cuShare, power);
        if (options.optimizeResources) {
            steps.apply(model, d);
        } else {
            equalShares(d);
        }
        const double v = model.objective(d);
        const bool converged = it > 0 && sameSegments(d, last) && v >= bestValue * (1.0 - 1e-9);
        if (v < bestValue) {
            bestValue = v;
            best = d;
        }
        if (converged || !options.optimizeResources) {
            break;
        }
        last = d;
        // Feed the new shares and powers back to the DP; devices off the pipeline (and the last
        // stage, whose hop is D2E) get the mean link share as their hypothetical share.
        const double mean = 1.0 / double(d.stages.size());
        std::fill(share.begin(), share.end(), mean);
        cuShare = d.controlUnitShare;
        for (std::size_t j = 0; j + 1 < d.stages.size(); ++j) {
            share[std::size_t(d.stages[j].device)] = d.stages[j].bandwidthShare;
        }
        for (const StageDecision &st : d.stages) {
            power[std::size_t(st.device)] = st.powerW;
        }
    }
    *value = bestValue;
    return best;
}

} // namespace collapipe::dssda_steps
