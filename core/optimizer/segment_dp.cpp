// SPDX-License-Identifier: MIT
#include "core/optimizer/segment_dp.h"

#include "core/types/special_values.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

struct Label
{
    double sum = 0.0;
    double max = 0.0;
    double time = 0.0; ///< round trip of the suffix (1F1B window bound), 0 when unused
    int count = 0;     ///< stages in the suffix
    int fromState = -1;
    int fromLabel = -1;
    int position = -1; ///< the stage this label prepended
    int firstBlock = 0;
    int blockCount = 0;
};

/// Fewer stages after a label help memory (smaller 1F1B stash) but hurt the 1F1B window (fewer
/// micro-batches in flight), so with the window on only equal counts are comparable.
bool dominates(const Label &a, const Label &b, bool windowed)
{
    return a.sum <= b.sum && a.max <= b.max && a.time <= b.time
        && (windowed ? a.count == b.count : a.count <= b.count);
}

/// Inserts `label` into the Pareto set set[0..size) over (sum, max, count, time), keeping at
/// most `cap` entries (the worst scalarised objective is dropped). Order is not preserved.
void insertLabel(Label *set, int &size, const Label &label, double weight, int cap, bool windowed)
{
    if (size >= cap) {
        // A full set drops its worst scalarised label: one worse than every member would be
        // dropped at once, so skip the dominance work (exact; weight = M − 1 ≥ 0).
        const double v = label.sum + weight * label.max;
        bool worst = true;
        for (int i = 0; i < size && worst; ++i) {
            worst = v > set[i].sum + weight * set[i].max;
        }
        if (worst) {
            return;
        }
    }
    for (int i = 0; i < size; ++i) {
        if (dominates(set[i], label, windowed)) {
            return;
        }
    }
    // Members the new label dominates leave, the others keep their order; up to the first one
    // that leaves, nothing moves (usually none leaves: no copy at all).
    int kept = 0;
    while (kept < size && !dominates(label, set[kept], windowed)) {
        ++kept;
    }
    for (int i = kept + 1; i < size; ++i) {
        if (!dominates(label, set[i], windowed)) {
            set[kept++] = set[i];
        }
    }
    size = kept;
    set[size++] = label;
    if (size > cap) {
        int worst = 0;
        for (int i = 1; i < size; ++i) {
            if (set[i].sum + weight * set[i].max > set[worst].sum + weight * set[worst].max) {
                worst = i;
            }
        }
        set[worst] = set[size - 1];
        --size;
    }
}

} // namespace

SegmentPlan solveSegments(const SegmentProblem &problem, int maxLabels, double upperBound,
    const std::function<bool()> *cancelled)
{
    SegmentPlan plan;
    const int P = problem.positions;
    const int L = problem.blocks;
    if (P <= 0 || L <= 0) {
        return plan;
    }
    const double w = problem.bottleneckWeight;
    // State (i, q): blocks i..L−1 placed, q = first active position (P = none yet).
    auto stateIndex = [P](int i, int q) { return i * (P + 1) + q; };
    // Fixed-capacity label sets in one reused buffer per thread (no allocation per state).
    const int cap = std::max(1, maxLabels);
    const int slots = cap + 1;
    const std::size_t stateCount = std::size_t((L + 1) * (P + 1));
    thread_local std::vector<Label> pool;
    thread_local std::vector<int> sizes;
    pool.resize(stateCount * std::size_t(slots));
    sizes.assign(stateCount, 0);
    auto setOf = [&](int state) { return pool.data() + std::size_t(state) * std::size_t(slots); };
    // Stage counts beyond the point where no memory limit changes any more are equivalent
    // (e.g. GPipe, or 1F1B once S − j ≥ M): cap them so the Pareto sets stay small. Exact.
    int countCap = std::max(0, problem.limitCountCap);
    for (int p = 0; problem.limitCountCap < 0 && p < P; ++p) {
        const std::vector<int> &limits = problem.limitsAt(p);
        int c = int(limits.size()) - 1;
        while (c > 0 && limits[std::size_t(c - 1)] == limits[std::size_t(c)]) {
            --c;
        }
        countCap = std::max(countCap, c);
    }
    const bool windowed = problem.windowed();
    if (windowed) {
        // Likewise the in-flight window: counts past the point where it stops changing (S − j + 1
        // reaching M) are equivalent. A label's count is its stages after the one it prepends.
        int c = std::min(int(problem.inFlight.size()), P) - 1;
        while (c > 0 && problem.inFlightAt(c) == problem.inFlightAt(c + 1)) {
            --c;
        }
        countCap = std::max(countCap, c);
    }
    // Completion bounds of a suffix that starts at position p with i blocks still to place on
    // positions < p: they need room (Σ of the largest limits before p) and at least i blocks of
    // the cheapest compute before p, plus the cheapest head. Dead or hopeless labels are cut.
    thread_local std::vector<int> roomBefore;
    thread_local std::vector<double> cheapestBefore;
    thread_local std::vector<double> headBefore;
    roomBefore.assign(std::size_t(P + 1), 0);
    cheapestBefore.assign(std::size_t(P + 1), kInf);
    headBefore.assign(std::size_t(P + 1), kInf);
    for (int p = 0; p < P; ++p) {
        const std::vector<int> &limits = problem.limitsAt(p);
        roomBefore[std::size_t(p + 1)]
            = roomBefore[std::size_t(p)] + (limits.empty() ? 0 : limits.front());
        cheapestBefore[std::size_t(p + 1)] = std::min(cheapestBefore[std::size_t(p)],
            problem.computePerBlock[std::size_t(p)] + problem.extraPerBlock[std::size_t(p)]);
        headBefore[std::size_t(p + 1)] = std::min(headBefore[std::size_t(p)],
            problem.headTime[std::size_t(p)] + problem.headExtra[std::size_t(p)]);
    }
    // The empty suffix, and each edge tail of e blocks: the edge's resource grows by e blocks.
    const int edgeMax = std::clamp(problem.edgeMaxBlocks, 0, L - 1);
    for (int e = 0; e <= edgeMax; ++e) {
        const double edge = e * problem.edgePerBlock;
        setOf(stateIndex(L - e, P))[0]
            = Label{problem.fixedSum + edge, std::max(problem.fixedTime, problem.edgeBase + edge),
                windowed ? problem.loopBase + edge : 0.0, 0, -1, -1, -1, 0, 0};
        sizes[std::size_t(stateIndex(L - e, P))] = 1;
    }

    const bool walk = problem.fromByKey && !problem.node.empty() && std::isfinite(upperBound)
        && upperBound > 0.0;
    thread_local std::vector<int> visit;
    const bool pollable = cancelled && *cancelled;
    for (int i = L; i >= 1; --i) {
        for (int q = 0; q <= P; ++q) {
            if (pollable && q % 64 == 0 && (*cancelled)()) {
                return plan; // infeasible: the caller gives up too
            }
            const int from = stateIndex(i, q);
            const Label *labels = setOf(from);
            const int labelCount = sizes[std::size_t(from)];
            for (int li = 0; li < labelCount; ++li) {
                // A copy, and everything the loops below only read in locals: the inserts go to
                // states (i − c, p), never to `from`, but the compiler cannot know that the label
                // stores leave the problem's arrays alone (same arithmetic, same results).
                const Label label = labels[li];
                const int nextCount = std::min(label.count + 1, countCap);
                const double inFlight = windowed ? problem.inFlightAt(label.count + 1) : 1.0;
                // One source label through the link p → q, for each block count c on p.
                auto extend = [&](int p) {
                    const double link = problem.link(p, q);
                    if (!std::isfinite(link)) {
                        return;
                    }
                    const double linkSum = link + problem.linkEx(p, q);
                    const double baseMax = std::max(label.max, problem.linkOcc(p, q));
                    // Every count c below costs at least this (its blocks at the cheapest rate of
                    // positions ≤ p, the cheapest head among them): a link that cannot beat the
                    // bound with it adds no label (margin as in the bound walk below).
                    if (label.sum + linkSum + w * baseMax + i * cheapestBefore[std::size_t(p + 1)]
                            + headBefore[std::size_t(p + 1)]
                        >= upperBound * (1.0 + 1e-12)) {
                        return;
                    }
                    const double perBlock = problem.computePerBlock[std::size_t(p)];
                    const double extraPerBlock = problem.extraPerBlock[std::size_t(p)];
                    const int room = roomBefore[std::size_t(p)];
                    const double cheapest = cheapestBefore[std::size_t(p)];
                    const double headAfter = headBefore[std::size_t(p)];
                    const double head
                        = problem.headTime[std::size_t(p)] + problem.headExtra[std::size_t(p)];
                    const int limit = std::min(i, problem.limitsAt(p)[std::size_t(label.count)]);
                    // While blocks are left for the positions before p, one more block on p adds
                    // at least what the bound takes off (no cheaper block there) and the
                    // bottleneck only grows: once a count is cut with a margin, so are the
                    // larger ones — all but the last (the head replaces the bound there).
                    const bool monotone = perBlock + extraPerBlock >= cheapest;
                    // Counts that leave more blocks than the positions before p can hold fail
                    // the room test below: start at the first that passes (c = i always does).
                    for (int c = std::max(1, i - room); c <= limit; ++c) {
                        const int remaining = i - c;
                        // The completion bound (above): nothing left = p's own head.
                        if (remaining > 0 && room < remaining) {
                            continue;
                        }
                        const double rest
                            = remaining == 0 ? head : remaining * cheapest + headAfter;
                        if (!std::isfinite(rest)) {
                            continue;
                        }
                        const double compute = c * perBlock;
                        Label next;
                        next.sum = label.sum + linkSum + compute + c * extraPerBlock;
                        next.max = std::max(baseMax, compute);
                        if (windowed) {
                            next.time = label.time + compute + link;
                            next.max = std::max(next.max, next.time / inFlight);
                        }
                        const double value = next.sum + rest + w * next.max;
                        if (value >= upperBound) {
                            if (monotone && remaining > 0 && value >= upperBound * (1.0 + 1e-12)
                                && c < i) {
                                c = std::max(c, i - 1); // only c = i (nothing left) may pass
                            }
                            continue;
                        }
                        next.count = nextCount;
                        next.fromState = from;
                        next.fromLabel = li;
                        next.position = p;
                        next.firstBlock = remaining;
                        next.blockCount = c;
                        const int to = stateIndex(remaining, p);
                        insertLabel(setOf(to), sizes[std::size_t(to)], next, w, cap, windowed);
                    }
                };
                if (!walk) {
                    for (int p = 0; p < q; ++p) {
                        extend(p);
                    }
                    continue;
                }
                // The bound walk (SegmentProblem::fromByKey): every value below is at least
                // label.sum + link + w·occupancy of its link (each other term is ≥ 0), so the
                // positions whose key reaches the bar (with a margin far above the rounding of
                // those few sums) add nothing; the rest run in position order as in the scan.
                const double bar = upperBound * (1.0 + 1e-12);
                visit.clear();
                for (const SegmentProblem::KeyedNode &source :
                    (*problem.fromByKey)[std::size_t(problem.node[std::size_t(q)])]) {
                    if (label.sum + source.key >= bar) {
                        break;
                    }
                    const int p = problem.positionOfNode[std::size_t(source.node)];
                    if (p >= 0 && p < q) {
                        visit.push_back(p);
                    }
                }
                std::sort(visit.begin(), visit.end());
                for (int p : visit) {
                    extend(p);
                }
            }
        }
    }

    double best = upperBound;
    int bestState = -1;
    int bestLabel = -1;
    for (int q = 0; q < P; ++q) {
        const double head = problem.headTime[std::size_t(q)];
        if (!std::isfinite(head)) {
            continue;
        }
        const Label *labels = setOf(stateIndex(0, q));
        const int labelCount = sizes[std::size_t(stateIndex(0, q))];
        for (int li = 0; li < labelCount; ++li) {
            const Label &label = labels[li];
            const double sum = label.sum + head + problem.headExtra[std::size_t(q)];
            const double max = std::max(label.max, problem.headOcc(q));
            const double objective = sum + w * max;
            if (objective < best) {
                best = objective;
                bestState = stateIndex(0, q);
                bestLabel = li;
                plan.sumTerm = sum;
                plan.bottleneck = max;
            }
        }
    }
    if (bestState < 0) {
        return plan;
    }
    plan.feasible = true;
    plan.objective = best;
    for (int s = bestState, l = bestLabel; s >= 0 && l >= 0;) {
        const Label &label = setOf(s)[l];
        if (label.position < 0) {
            plan.edgeBlocks = L - s / (P + 1); // the terminal label's state is (L − e, none)
            break;
        }
        plan.stages.push_back(SegmentStage{label.position, label.firstBlock, label.blockCount});
        s = label.fromState;
        l = label.fromLabel;
    }
    return plan;
}

namespace {

/// Scores `stages` (covering blocks 0 … L − e − 1) followed by an edge tail of e blocks.
void scoreComplete(const SegmentProblem &problem, const std::vector<SegmentStage> &stages, int e,
    SegmentPlan &best)
{
    const int P = problem.positions;
    const int S = int(stages.size());
    const double edge = e * problem.edgePerBlock;
    double sum = problem.fixedSum + edge;
    double max = std::max(problem.fixedTime, problem.edgeBase + edge);
    double loop = problem.loopBase + edge;
    for (int j = S - 1; j >= 0 && problem.windowed(); --j) {
        const SegmentStage &stage = stages[std::size_t(j)];
        const int to = j + 1 < S ? stages[std::size_t(j + 1)].position : P;
        loop += stage.blockCount * problem.computePerBlock[std::size_t(stage.position)]
            + problem.link(stage.position, to);
        max = std::max(max, loop / problem.inFlightAt(S - j));
    }
    for (int j = 0; j < S; ++j) {
        const SegmentStage &stage = stages[std::size_t(j)];
        if (stage.blockCount > problem.limitsAt(stage.position)[std::size_t(S - j - 1)]) {
            return;
        }
        const int to = j + 1 < S ? stages[std::size_t(j + 1)].position : P;
        const double compute
            = stage.blockCount * problem.computePerBlock[std::size_t(stage.position)];
        const double link = problem.link(stage.position, to);
        sum += compute + stage.blockCount * problem.extraPerBlock[std::size_t(stage.position)]
            + link + problem.linkEx(stage.position, to);
        max = std::max({max, compute, problem.linkOcc(stage.position, to)});
    }
    const int first = stages.front().position;
    sum += problem.headTime[std::size_t(first)] + problem.headExtra[std::size_t(first)];
    max = std::max(max, problem.headOcc(first));
    const double objective = sum + problem.bottleneckWeight * max;
    if (std::isfinite(objective) && (!best.feasible || objective < best.objective)) {
        best.feasible = true;
        best.objective = objective;
        best.sumTerm = sum;
        best.bottleneck = max;
        best.stages = stages;
        best.edgeBlocks = e;
    }
}

void bruteForce(const SegmentProblem &problem, std::vector<SegmentStage> &stages, int nextBlock,
    int nextPosition, SegmentPlan &best)
{
    const int P = problem.positions;
    const int L = problem.blocks;
    if (nextBlock > 0 && L - nextBlock <= std::min(problem.edgeMaxBlocks, L - 1)) {
        scoreComplete(problem, stages, L - nextBlock, best);
    }
    if (nextBlock == L) {
        return;
    }
    for (int p = nextPosition; p < P; ++p) {
        for (int c = 1; nextBlock + c <= L; ++c) {
            stages.push_back(SegmentStage{p, nextBlock, c});
            bruteForce(problem, stages, nextBlock + c, p + 1, best);
            stages.pop_back();
        }
    }
}

} // namespace

SegmentPlan solveSegmentsBruteForce(const SegmentProblem &problem)
{
    SegmentPlan best;
    std::vector<SegmentStage> stages;
    if (problem.positions > 0 && problem.blocks > 0) {
        bruteForce(problem, stages, 0, 0, best);
    }
    return best;
}

} // namespace collapipe
