// SPDX-License-Identifier: MIT
#include "core/optimizer/exact_refine.h"

#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/exact_bound.h"
#include "core/optimizer/resource_search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace collapipe {

namespace exact_refine_detail {

/// A structural trial waiting to be scored (PolishScope::boundOrder): its key (bound or known
/// value), the trial, and the stages whose power its ladder may lower.
struct PendingTrial
{
    double key = 0.0;
    ClusterDecision trial;
    std::array<std::size_t, 2> changed{};
    int changedCount = 0;
};

/// The structural passes' buffers of one refineExact() call.
struct PassScratch
{
    std::vector<PendingTrial> trials;
    std::vector<std::size_t> order;
};

} // namespace exact_refine_detail

namespace {

/// Link shares of a pipeline in band order: CU → s0, then s_j → s_{j+1}.
double &linkShare(ClusterDecision &d, std::size_t link)
{
    return link == 0 ? d.controlUnitShare : d.stages[link - 1].bandwidthShare;
}

/// The last stage's hop is D2E (share 0); the D2D links' shares are scaled to fill the band.
void normaliseShares(ClusterDecision &d)
{
    if (d.stages.empty()) {
        return;
    }
    d.stages.back().bandwidthShare = 0.0;
    double total = 0.0;
    for (std::size_t link = 0; link < d.stages.size(); ++link) {
        total += linkShare(d, link);
    }
    for (std::size_t link = 0; total > 0.0 && link < d.stages.size(); ++link) {
        linkShare(d, link) /= total;
    }
}

/// Sets M and the micro-batch size that goes with it (MicrobatchMode).
void setMicrobatches(const Scenario &scenario, ClusterDecision &d, int m)
{
    d.microbatches = m;
    d.microbatchSize = microbatchSizeFor(scenario.training, scenario.optimizer.microbatchMode, m);
}

/// The edge-tail mode that matches the blocks the stages cover.
void fixMode(const Scenario &scenario, ClusterDecision &d)
{
    const int covered = d.stages.empty() ? 0 : d.stages.back().lastBlock + 1;
    d.mode = covered < scenario.model.encoderBlocks ? ClusterDecision::Mode::EdgeTail
                                                    : ClusterDecision::Mode::Pipeline;
}

/// Re-derives the stages' block ranges from their counts, first block 0 (counts ≥ 1).
void relayBlocks(ClusterDecision &d, const std::vector<int> &counts)
{
    int first = 0;
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        d.stages[j].firstBlock = first;
        d.stages[j].lastBlock = first + counts[j] - 1;
        first += counts[j];
    }
}

std::vector<int> blockCounts(const ClusterDecision &d)
{
    std::vector<int> counts;
    for (const StageDecision &st : d.stages) {
        counts.push_back(st.blockCount());
    }
    return counts;
}

/// Structural moves the surrogate may have ranked wrongly (issue [3/7] finding 1: its makespan
/// is an approximation, so the device choice and M it prefers can be off by several percent):
/// another M for the same segments; a stage handed to an unused device; two stages' devices
/// swapped; a stage merged into its neighbour (or, with edge offload, the last stage's blocks
/// handed to the edge); a stage split with an unused device. Each trial is scored exactly and
/// the best one taken (best improvement: the moves interact, first improvement wandered).
/// Returns true if `d` improved.
bool structuralPass(const Scenario &scenario, const Cluster &c, const ExactBound &bound,
    ExactMemo &memo, bool changeMicrobatches, bool nearestM, bool boundOrder, int splitDevices,
    exact_refine_detail::PassScratch &scratch, ClusterDecision &d, double &best)
{
    auto score = [&](const ClusterDecision &x) { return memo(x); };
    const std::vector<double> &queues = memo.weights().energyQueues;
    ClusterDecision trial; // one buffer for every move: `trial = d` reuses its stages' storage
    ClusterDecision bestTrial;
    double bestValue = best;
    // A stage that gets another device gets that device's power too: the best of a ladder of
    // fractions of its p_max (the incumbent's power was tuned, a new device's p_max can lose to
    // it only because of the radio energy); the power step of refineExact() then fine-tunes.
    ClusterCost cost; // one buffer: only a trial with a power ladder reads it
    // `known` (boundOrder): the trial's bound at these powers, computed when it was made.
    auto scoreTrial = [&](ClusterDecision &trial, std::initializer_list<std::size_t> changed,
                          const double *known = nullptr) {
        double v = 0.0;
        if (changed.size() == 0) {
            // No ladder: the value alone decides. A trial scored before in this solve needs
            // no bound (its value is at least the bound, so it loses whenever the bound would
            // have ruled it out), and no cost (issue #15: asking for one re-evaluated a trial
            // whose memo entry had none).
            if (!memo.find(trial, &v)) {
                if ((known ? *known : bound.atPowers(trial)) >= bestValue * (1.0 - 1e-12)) {
                    return;
                }
                v = memo(trial);
            }
            if (v < bestValue * (1.0 - 1e-12)) {
                bestValue = v;
                bestTrial = trial;
            }
            return;
        }
        // Only a trial below bestValue·(1 − 1e-12) is taken, at p_max or at a lower power of
        // the ladder: the bound holds for both (ExactBound), so scoring it could change nothing.
        if ((known ? *known : bound.atPowers(trial, changed)) >= bestValue * (1.0 - 1e-12)) {
            return;
        }
        v = memo(trial, &cost);
        if (!std::isfinite(v)) {
            return;
        }
        for (std::size_t j : changed) {
            StageDecision &st = trial.stages[j];
            const std::size_t k = std::size_t(st.device);
            const double queue = k < queues.size() ? queues[k] : 0.0;
            // Lower power only trades latency for radio energy: with Q_k = 0, or when even a
            // radio energy of zero would not beat the best trial, p_max stays.
            const double radio
                = j < cost.stages.size() ? cost.stages[j].powerW * cost.stages[j].txS : 0.0;
            if (queue <= 0.0 || !(v - queue * radio < bestValue)) {
                continue;
            }
            const double pmax = c.devices[k].maxPowerW;
            double bestPower = st.powerW;
            for (double fraction : {0.5, 0.25, 0.125, 0.0625, 0.03125}) {
                st.powerW = fraction * pmax;
                // A rung whose bound at its powers does not beat v is not taken: not scored.
                if (!(bound.atPowers(trial) < v)) {
                    continue;
                }
                const double x = score(trial);
                if (x < v) {
                    v = x;
                    bestPower = st.powerW;
                }
            }
            st.powerW = bestPower;
        }
        if (v < bestValue * (1.0 - 1e-12)) {
            bestValue = v;
            bestTrial = trial;
        }
    };
    // boundOrder (warm solves): every trial is made first, keyed by its bound (by its value when
    // scored before in this solve), and scored in that order until a key cannot beat the best
    // so far: the trials that win come first, and the ones after them are not scored.
    // The buffers outlive the pass (`pending`'s decisions keep their stages' storage).
    std::vector<exact_refine_detail::PendingTrial> &pending = scratch.trials;
    std::vector<std::size_t> &order = scratch.order;
    std::size_t made = 0;
    // Returns the trial's key under boundOrder (+inf otherwise).
    auto consider = [&](ClusterDecision &trial, std::initializer_list<std::size_t> changed = {}) {
        fixMode(scenario, trial);
        if (!boundOrder) {
            scoreTrial(trial, changed);
            return std::numeric_limits<double>::infinity();
        }
        double key = 0.0;
        if (changed.size() != 0 || !memo.find(trial, &key)) {
            key = bound.atPowers(trial, changed);
        }
        if (!(key < bestValue * (1.0 - 1e-12))) {
            return key;
        }
        if (made == pending.size()) {
            pending.emplace_back();
        }
        exact_refine_detail::PendingTrial &p = pending[made++];
        p.key = key;
        p.trial = trial; // reuses the slot's storage
        p.changedCount = 0;
        for (std::size_t j : changed) {
            p.changed[std::size_t(p.changedCount++)] = j;
        }
        return key;
    };
    const std::size_t S = d.stages.size();
    const int K = int(c.devices.size());
    std::vector<bool> used(std::size_t(K), false);
    for (const StageDecision &st : d.stages) {
        used[std::size_t(st.device)] = true;
    }
    auto maxPower = [&](int k) { return c.devices[std::size_t(k)].maxPowerW; };
    const std::vector<int> ms
        = changeMicrobatches ? candidateMicrobatches(scenario) : std::vector<int>{};
    const auto at = std::find(ms.begin(), ms.end(), d.microbatches);
    for (auto it = ms.begin(); it != ms.end(); ++it) {
        const int m = *it;
        // nearestM (warm solves): only the candidates next to M.
        if (nearestM && (at == ms.end() || std::abs(int(it - at)) != 1)) {
            continue;
        }
        // Within a factor of 2: the surrogate's M is rarely further off, and every M is a
        // full pipeline evaluation (O(S·M)).
        if (m != d.microbatches && 2 * m >= d.microbatches && m <= 2 * d.microbatches) {
            trial = d;
            setMicrobatches(scenario, trial, m);
            consider(trial);
        }
    }
    // splitDevices: the replacement keys (boundOrder's) rank the unused devices per stage for
    // the splits.
    splitDevices = boundOrder ? splitDevices : 0;
    std::vector<double> replaceKey(
        splitDevices > 0 ? S * std::size_t(K) : 0, std::numeric_limits<double>::infinity());
    for (std::size_t j = 0; j < S; ++j) {
        for (int k = 0; k < K; ++k) {
            if (!used[std::size_t(k)]) {
                trial = d;
                trial.stages[j].device = k;
                trial.stages[j].powerW = maxPower(k);
                const double key = consider(trial, {j});
                if (!replaceKey.empty()) {
                    replaceKey[j * std::size_t(K) + std::size_t(k)] = key;
                }
            }
        }
        for (std::size_t i = j + 1; i < S; ++i) {
            trial = d;
            std::swap(trial.stages[i].device, trial.stages[j].device);
            trial.stages[i].powerW = maxPower(trial.stages[i].device);
            trial.stages[j].powerW = maxPower(trial.stages[j].device);
            consider(trial, {i, j});
        }
    }
    const std::vector<int> counts = blockCounts(d);
    std::vector<int> merged; // one buffer for the merges' and splits' block counts
    for (std::size_t j = 0; S > 1 && j < S; ++j) {
        // Merge stage j into the stage before or after it: the link into j carries what j's
        // outgoing link did, so it takes that share too.
        for (std::size_t into : {j - 1, j + 1}) {
            if (into >= S) {
                continue; // j − 1 wrapped around for j = 0
            }
            trial = d;
            merged = counts;
            merged[into] += merged[j];
            merged.erase(merged.begin() + std::ptrdiff_t(j));
            linkShare(trial, j) += j + 1 < S ? trial.stages[j].bandwidthShare : 0.0;
            trial.stages.erase(trial.stages.begin() + std::ptrdiff_t(j));
            relayBlocks(trial, merged);
            normaliseShares(trial);
            consider(trial);
        }
    }
    if (scenario.optimizer.edgeOffload && S > 1) {
        trial = d;
        trial.stages.pop_back();
        normaliseShares(trial);
        consider(trial);
    }
    for (std::size_t j = 0; j < S; ++j) {
        if (counts[j] < 2) {
            continue;
        }
        for (int k = 0; k < K; ++k) {
            if (used[std::size_t(k)]) {
                continue;
            }
            if (splitDevices > 0) {
                // Devices whose replacement key beats k's (or ties it at a lower index).
                const double mine = replaceKey[j * std::size_t(K) + std::size_t(k)];
                int ahead = 0;
                for (int o = 0; o < K; ++o) {
                    const double other = replaceKey[j * std::size_t(K) + std::size_t(o)];
                    ahead += !used[std::size_t(o)] && (other < mine || (other == mine && o < k));
                }
                if (ahead >= splitDevices) {
                    continue;
                }
            }
            // Split stage j with device k, which takes its first half (before it) or its second
            // half (after it); the new link gets half the share of the link next to it.
            for (bool after : {false, true}) {
                trial = d;
                std::vector<int> &split = merged;
                split = counts;
                const int moved = after ? counts[j] / 2 : (counts[j] + 1) / 2;
                split[j] -= moved;
                const std::size_t at = after ? j + 1 : j;
                split.insert(split.begin() + std::ptrdiff_t(at), moved);
                StageDecision extra = d.stages[j];
                extra.device = k;
                extra.powerW = maxPower(k);
                const double half = 0.5 * linkShare(trial, j);
                linkShare(trial, j) -= half;
                if (after) {
                    // j → new (half of j's incoming), new → j + 1 (j's old outgoing share).
                    extra.bandwidthShare = trial.stages[j].bandwidthShare;
                    trial.stages[j].bandwidthShare = half;
                } else {
                    extra.bandwidthShare = half; // new → j; j keeps its outgoing share
                }
                trial.stages.insert(trial.stages.begin() + std::ptrdiff_t(at), extra);
                relayBlocks(trial, split);
                normaliseShares(trial);
                consider(trial, {at});
            }
        }
    }
    if (boundOrder) {
        // Stable: among equal keys the order the trials were made in.
        order.resize(made);
        for (std::size_t i = 0; i < made; ++i) {
            order[i] = i;
        }
        std::stable_sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return pending[a].key < pending[b].key; });
        for (std::size_t i : order) {
            exact_refine_detail::PendingTrial &p = pending[i];
            if (!(p.key < bestValue * (1.0 - 1e-12))) {
                break;
            }
            switch (p.changedCount) {
            case 0:
                scoreTrial(p.trial, {}, &p.key);
                break;
            case 1:
                scoreTrial(p.trial, {p.changed[0]}, &p.key);
                break;
            default:
                scoreTrial(p.trial, {p.changed[0], p.changed[1]}, &p.key);
                break;
            }
        }
    }
    if (bestValue < best) {
        best = bestValue;
        d = std::move(bestTrial);
        return true;
    }
    return false;
}

} // namespace

double refineExact(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, ClusterDecision *decision, int rounds, bool changeMicrobatches,
    ExactMemo *memo, const ExactBound *solveBound, const PolishScope *scope)
{
    const PolishScope all;
    const PolishScope &moves = scope ? *scope : all;
    ClusterDecision &d = *decision;
    std::optional<ExactMemo> own;
    if (!memo) {
        own.emplace(scenario, cluster, channel, weights);
        memo = &*own;
    }
    auto score = [&](const ClusterDecision &x) { return (*memo)(x); };
    double best = score(d);
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    // A trial is scored only if its lower bound does not already lose to the value it must beat
    // (the moves' decisions are those of scoring every trial; issue [3/7]).
    std::optional<ExactBound> ownBound;
    if (!solveBound) {
        ownBound.emplace(scenario, cluster, channel, weights);
        solveBound = &*ownBound;
    }
    const ExactBound &bound = *solveBound;
    // A trial scored before in this solve (the second pass repeats most of the first's) gets
    // its value without a bound: every caller compares the result with `bar`, and a value the
    // bound would have ruled out is ≥ the bound ≥ bar, so it loses as the infinity would.
    auto scoreBelow = [&](const ClusterDecision &x, double bar) {
        double known = 0.0;
        if (memo->find(x, &known)) {
            return known;
        }
        return bound.atPowers(x) >= bar ? std::numeric_limits<double>::infinity() : score(x);
    };
    // The structure is revisited in the first pass and again only after it changed: a pass
    // that finds no better structure rarely finds one after the small continuous moves, and it
    // is most of the polish's cost.
    exact_refine_detail::PassScratch scratch;
    bool structureChanged = moves.structure;
    ClusterDecision trial; // one buffer for every move: `trial = d` reuses its stages' storage
    for (int round = 0; round < rounds; ++round) {
        const double start = best;
        if (structureChanged) {
            structureChanged = structuralPass(scenario, c, bound, *memo, changeMicrobatches,
                moves.nearestM, moves.boundOrder, moves.splitDevices, scratch, d, best);
        }
        const std::size_t S = d.stages.size();
        // One block across each boundary, both ways (memory is checked by the evaluator).
        for (std::size_t j = 0; moves.blocks && j + 1 < S; ++j) {
            for (int dir : {-1, +1}) {
                trial = d;
                StageDecision &left = trial.stages[j];
                StageDecision &right = trial.stages[j + 1];
                if ((dir < 0 && left.blockCount() < 2) || (dir > 0 && right.blockCount() < 2)) {
                    continue;
                }
                left.lastBlock += dir;
                right.firstBlock += dir;
                const double v = scoreBelow(trial, best);
                if (v < best) {
                    best = v;
                    d = trial;
                }
            }
        }
        // The edge tail's boundary: the last stage hands a block to the edge or takes one back.
        if (scenario.optimizer.edgeOffload && S > 0) {
            for (int dir : {-1, +1}) {
                trial = d;
                StageDecision &last = trial.stages.back();
                const int edge = scenario.model.encoderBlocks - 1 - last.lastBlock;
                if ((dir < 0 && last.blockCount() < 2) || (dir > 0 && edge < 1)) {
                    continue;
                }
                last.lastBlock += dir;
                trial.mode = last.lastBlock + 1 < scenario.model.encoderBlocks
                    ? ClusterDecision::Mode::EdgeTail
                    : ClusterDecision::Mode::Pipeline;
                const double v = scoreBelow(trial, best);
                if (v < best) {
                    best = v;
                    d = trial;
                }
            }
        }
        // Power per stage (spec §6 step 2.2 on the exact objective).
        for (std::size_t j = 0; moves.power && j < S; ++j) {
            const double pmax = c.devices[std::size_t(d.stages[j].device)].maxPowerW;
            trial = d;
            double value = 0.0;
            // The surrogate's power is nearly always already optimal: only search (18
            // evaluations) when a ±5 % step improves the exact objective (2 evaluations).
            const double p0 = d.stages[j].powerW;
            bool helps = false;
            for (double x : {std::max(1e-3 * pmax, 0.95 * p0), std::min(pmax, 1.05 * p0)}) {
                trial.stages[j].powerW = x;
                helps = helps || (x != p0 && scoreBelow(trial, best) < best);
            }
            trial.stages[j].powerW = p0;
            if (!helps) {
                continue;
            }
            // Points the bound at their power settles are not scored (the same search).
            const double p = goldenSectionMinPrunedOf(
                [&](double x) {
                    trial.stages[j].powerW = x;
                    return score(trial);
                },
                [&](double x) {
                    trial.stages[j].powerW = x;
                    return bound.atPowers(trial);
                },
                1e-3 * pmax, pmax, 18, &value);
            if (value < best) {
                best = value;
                d.stages[j].powerW = p;
            }
        }
        // Pairwise bandwidth moves over the S D2D links (the last stage's hop is D2E).
        int stepIndex = 0;
        for (double step : {0.05, 0.01, 0.002}) {
            if (stepIndex++ >= moves.bandwidthSteps) {
                break;
            }
            bool moved = true;
            for (int guard = 0; moved && guard < 6; ++guard) {
                moved = false;
                for (std::size_t a = 0; a < S; ++a) {
                    for (std::size_t b = 0; b < S; ++b) {
                        if (a == b) {
                            continue;
                        }
                        trial = d;
                        const double delta = std::min(step, linkShare(trial, a));
                        if (delta <= 0.0) {
                            continue;
                        }
                        linkShare(trial, a) -= delta;
                        linkShare(trial, b) += delta;
                        const double v = scoreBelow(trial, best * (1.0 - 1e-12));
                        if (v < best * (1.0 - 1e-12)) {
                            best = v;
                            d = trial;
                            moved = true;
                        }
                    }
                }
            }
        }
        if (!(best < start * (1.0 - 1e-9))) {
            break;
        }
    }
    return best;
}

} // namespace collapipe
