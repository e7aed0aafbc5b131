// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

/// Segment scheduling by dynamic programming over contiguous block ranges (spec §6 step 2.1).
namespace collapipe {

/// The surrogate of one cluster's round that the DP optimises, for a fixed device order, M, β
/// and p. Every pipeline resource (CU embedding, each device's compute, each link, the decoder)
/// is a flow-shop stage with time t_r per micro-batch (forward + backward), and the round costs
/// the closed form of spec §2.3  Σ_r t_r + (M−1)·max_r t_r  plus energy terms that only add
/// (Σ Q·E / V, spec §5). Positions are indices into the device order; position `positions` means
/// "the edge" (the last stage's D2E link).
struct SegmentProblem
{
    int positions = 0;                   ///< devices in the candidate pipeline order
    int blocks = 0;                      ///< L
    double bottleneckWeight = 0.0;       ///< M − 1
    std::vector<double> computePerBlock; ///< [pos] seconds per block per micro-batch (F + B)
    std::vector<double> extraPerBlock;   ///< [pos] additive objective per block (energy weight)
    /// [pos][stagesFromHere − 1]: most blocks that fit memory when the stage has
    /// `stagesFromHere` stages from itself to the end (1F1B stash depends on it), 0 = none.
    std::vector<std::vector<int>> maxBlocks;
    /// [from·(positions+1) + to], to ∈ (from, positions]: boundary time (forward + gradient).
    std::vector<double> linkTime;
    std::vector<double> linkExtra; ///< same layout, additive objective (radio energy weight)
    /// Same layout: the boundary's occupancy in the bottleneck (its slower direction, as the two
    /// directions are separate resources). Empty = linkTime.
    std::vector<double> linkOccupancy;
    std::vector<double> headTime;      ///< [first pos]: the CU ↔ first stage boundary
    std::vector<double> headExtra;     ///< [first pos]
    std::vector<double> headOccupancy; ///< [first pos], empty = headTime
    double fixedTime = 0.0;            ///< max of the constant resources (embedding, decoder)
    double fixedSum = 0.0;             ///< their sum
    /// 1F1B: [stagesFromHere − 1] = the micro-batches a stage with that many device stages from
    /// itself to the end keeps in flight (the engine's stashedMicrobatches(): min(M, S − j + 1),
    /// the edge counts as a stage). A stage cannot start a new micro-batch faster than its round
    /// trip (its forward … the edge … its backward) divided by that window — a throughput bound
    /// the plain flow-shop form misses (a single stage with the edge keeps two micro-batches in
    /// flight). Empty = off (GPipe); past its end the last entry holds.
    std::vector<int> inFlight;
    double loopBase = 0.0; ///< the edge's part of every round trip (decoder forward + backward)
    /// Edge tail (DSSDA.md "Edge tail"): the edge server may run the last e ≤ edgeMaxBlocks
    /// blocks (at least one block stays on a device). Its resource time grows from edgeBase
    /// (the head, also counted in fixedSum/fixedTime/loopBase) by edgePerBlock per block.
    int edgeMaxBlocks = 0;
    double edgeBase = 0.0;
    double edgePerBlock = 0.0;

    /// Node indirection (ClusterSurrogate, issue [7/7]): when `node` is set (positions + 1
    /// entries, the last one the edge), the link tables are indexed [node[from]·nodeStride +
    /// node[to]] and the memory limits are nodeMaxBlocks[node[p]], so one table built per
    /// (M, shares, powers) serves every device order instead of O(K²) work per order. Empty:
    /// the position-indexed layout above.
    std::vector<int> node;
    int nodeStride = 0;
    const std::vector<std::vector<int>> *nodeMaxBlocks = nullptr;
    /// The largest stage count at which some position's memory limit still changes (see
    /// solveSegments); −1 = derived from the limits there (O(P·K)), ≥ 0 = precomputed.
    int limitCountCap = -1;
    /// Optional (with `node`): for each node t (the edge last), every other device node f with
    /// its key link(f, t) + bottleneckWeight·linkOcc(f, t), ascending. A DP label whose sum plus
    /// a key already reaches the bound cannot extend through that link or any later in the list
    /// (every other term is ≥ 0), so the DP visits only the positions before the first such key
    /// (in position order, so the labels and their order are those of the full scan).
    struct KeyedNode
    {
        double key = 0.0;
        int node = 0;
    };
    const std::vector<std::vector<KeyedNode>> *fromByKey = nullptr;
    /// With fromByKey: node → position in this order, −1 for a node not in it.
    std::vector<int> positionOfNode;

    std::size_t linkIndex(int from, int to) const
    {
        return node.empty() ? std::size_t(from * (positions + 1) + to)
                            : std::size_t(node[std::size_t(from)]) * std::size_t(nodeStride)
                + std::size_t(node[std::size_t(to)]);
    }
    double link(int from, int to) const { return linkTime[linkIndex(from, to)]; }
    double linkEx(int from, int to) const { return linkExtra[linkIndex(from, to)]; }
    bool windowed() const { return !inFlight.empty(); }
    /// inFlight for a stage with `stagesFromHere` (≥ 1) device stages from itself on.
    int inFlightAt(int stagesFromHere) const
    {
        return inFlight[std::size_t(std::min(stagesFromHere, int(inFlight.size())) - 1)];
    }
    double linkOcc(int from, int to) const
    {
        return linkOccupancy.empty() ? link(from, to) : linkOccupancy[linkIndex(from, to)];
    }
    double headOcc(int first) const
    {
        return headOccupancy.empty() ? headTime[first] : headOccupancy[first];
    }
    /// Memory limits of position p ([stagesFromHere − 1]).
    const std::vector<int> &limitsAt(int p) const
    {
        return nodeMaxBlocks ? (*nodeMaxBlocks)[std::size_t(node[std::size_t(p)])]
                             : maxBlocks[std::size_t(p)];
    }
};

/// One stage of a DP solution.
struct SegmentStage
{
    int position = 0;
    int firstBlock = 0;
    int blockCount = 0;
};

struct SegmentPlan
{
    bool feasible = false;
    double objective = 0.0;           ///< Σ t + extras + (M−1)·max t of the surrogate
    double sumTerm = 0.0;             ///< Σ t + extras
    double bottleneck = 0.0;          ///< max t
    std::vector<SegmentStage> stages; ///< pipeline order, every stage ≥ 1 block
    int edgeBlocks = 0;               ///< blocks L − e … L − 1 run on the edge server
};

/// Exact minimiser of the surrogate over all contiguous assignments of the L blocks to a
/// subsequence of the positions (devices may get no block) that fit memory, optionally followed
/// by an edge tail (the suffix starts as a label at state (L − e, none)). Backward DP over
/// (first block of the suffix, first active position) whose labels are the Pareto set of
/// (sum, bottleneck, stage count): the scalarisation Σ + (M−1)·max is not decomposable, but it is
/// monotone in both, and 1F1B memory is monotone in the stage count. O(K²·L²·|Pareto|).
/// `maxLabels` caps each Pareto set (lowest objective kept), which bounds the time on adversarial
/// inputs (tst_segment_dp checks the default against brute force). With a finite
/// `upperBound` only plans strictly below it are searched (labels whose partial objective
/// already reaches it are pruned — exact, as every term only grows); none = infeasible.
/// `cancelled` (may be null or empty) is polled every few states; once true the DP stops and
/// returns an infeasible plan (a DP without a bound over 1,000 devices takes most of a second).
SegmentPlan solveSegments(const SegmentProblem &problem, int maxLabels = 16,
    double upperBound = std::numeric_limits<double>::infinity(),
    const std::function<bool()> *cancelled = nullptr);

/// Brute force over the same space (test oracle for small K, L).
SegmentPlan solveSegmentsBruteForce(const SegmentProblem &problem);

} // namespace collapipe
