// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/optimizer/resource_search.h"
#include "core/optimizer/segment_dp.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <algorithm>
#include <functional>
#include <vector>

/// The closed-form model of one cluster's round that DSSDA searches over (spec §2.3 closed form,
/// §5 drift-plus-penalty, §6). Built from the cost module's pure functions (core/cost/cost_terms.h,
/// core/channel/channel_model.h) so its per-micro-batch times equal the evaluator's; only the
/// makespan is approximated (Σ_r t_r + (M−1)·max_r occupancy_r over the flow-shop resources
/// instead of the exact recursion). Final decisions are always re-scored by evaluateCluster().
namespace collapipe {

/// Objective weights of one cluster in one round (spec §5 P1(t)).
struct ClusterWeights
{
    double v = 1.0;                   ///< Lyapunov V (> 0)
    std::vector<double> energyQueues; ///< Q_k per device (J); empty = all 0 (myopic)
    double convergenceQueue = 0.0;    ///< Z_n
};

/// What a ClusterSurrogate derives from the scenario alone, never from the channel or the queues:
/// the memory limits and the edge tail's block limit per M (an O(K²·L) memory table per M). They
/// are the same every round, so a policy keeps one memo per cluster across rounds (issue [5/7])
/// and hands it to each round's surrogate. The memo remembers the inputs it was filled from
/// (`key`) and empties itself when they differ, so a stale memo is never read. One thread at a
/// time per memo.
struct SurrogateMemo
{
    std::vector<double> key; ///< the inputs the tables are for, but the devices
    /// [M][(stagesFromHere − 1)·(L + 1) + blocks]: bytes a stage needs (memoryNeeded()), for as
    /// many stage counts as a solve has asked so far. It does not depend on the devices, so it
    /// outlives a change of the cluster's present devices (issue [6/7]: under churn every
    /// fail-over and the next round's solve saw another set and rebuilt it per M).
    std::vector<std::vector<double>> needByM;
    std::vector<int> edgeMaxBlocksByM; ///< [M], −1 = not yet computed
    /// A device's limits depend on its memory alone: per memory_bytes seen, [M][stagesFromHere
    /// − 1] → most blocks that fit (as many stage counts as asked so far), for any set of
    /// devices (a device that leaves or comes back keeps its rows).
    struct CapacityLimits
    {
        double memoryBytes = 0.0;
        std::vector<std::vector<int>> byM;
    };
    std::vector<CapacityLimits> limitsByCapacity;

    /// The limits of a device with `memoryBytes` at `microbatches` (empty when new: the
    /// surrogate fills it). Bounded: a scenario edited in place could grow it without end.
    std::vector<int> &limitsFor(double memoryBytes, int microbatches)
    {
        auto entry = std::find_if(limitsByCapacity.begin(), limitsByCapacity.end(),
            [memoryBytes](const CapacityLimits &e) { return e.memoryBytes == memoryBytes; });
        if (entry == limitsByCapacity.end()) {
            if (limitsByCapacity.size() >= 64) {
                limitsByCapacity.clear();
            }
            limitsByCapacity.push_back({memoryBytes, {}});
            entry = limitsByCapacity.end() - 1;
        }
        if (entry->byM.size() <= std::size_t(microbatches)) {
            entry->byM.resize(std::size_t(microbatches) + 1);
        }
        return entry->byM[std::size_t(microbatches)];
    }
};

/// Per-cluster surrogate. Units: seconds of one local iteration; energy terms enter as
/// Q_k·E_k/(V·I) so that the surrogate is (V·latency + Σ Q·E)/(V·I) up to constants.
class ClusterSurrogate
{
public:
    /// `memo` (may be null, not owned): per-M tables kept from earlier rounds (SurrogateMemo).
    ClusterSurrogate(const Scenario &scenario, int cluster, const ClusterChannel &channel,
        const ClusterWeights &weights, SurrogateMemo *memo = nullptr);
    ClusterSurrogate(const ClusterSurrogate &) = delete; ///< m_memo may point into itself
    ClusterSurrogate &operator=(const ClusterSurrogate &) = delete;

    /// Sets M and derives b (MicrobatchMode), payload, per-block compute and memory limits.
    void setMicrobatches(int microbatches);
    int microbatches() const { return m_microbatches; }
    int microbatchSize() const { return m_microbatchSize; }
    int deviceCount() const { return m_deviceCount; }

    /// Most blocks device k can hold as a stage with `stagesFromHere` stages from itself to the
    /// end (1F1B stash stashedMicrobatches(): min(M, S − j + 1)); 0 if not even one block fits.
    int maxBlocks(int device, int stagesFromHere) const;
    /// Bytes device k needs for `blocks` blocks with `stagesFromHere` stages from itself on.
    double memoryNeeded(int device, int blocks, int stagesFromHere) const;

    /// The DP instance for devices in `order` with per-device outgoing share and power. The
    /// reference stays valid (and its content unchanged) until the next call.
    const SegmentProblem &segmentProblem(const std::vector<int> &order,
        const std::vector<double> &share, double controlUnitShare,
        const std::vector<double> &power) const;

    /// Surrogate objective of a concrete pipeline decision (same units as the DP).
    double objective(const ClusterDecision &decision) const;

    /// The D2D bandwidth problem of a pipeline: links CU → s0 and s_j → s_{j+1} (the last
    /// stage's hop is D2E, outside the band).
    BandProblem bandProblem(const ClusterDecision &decision) const;

    /// A decision skeleton (M, b, schedule, mode Pipeline) for this surrogate's M.
    ClusterDecision emptyDecision() const;

    /// Encoder blocks the edge runs under `decision` (those no stage covers; edge tail).
    int edgeBlocks(const ClusterDecision &decision) const;
    /// Most blocks the edge may take at this M (0 when edge offload is off or none fits).
    int edgeMaxBlocks() const { return m_edgeMaxBlocks; }

    /// Polled while the O(K²) tables of segmentProblem() are built (may be null or empty; not
    /// owned). Once true segmentProblem() returns an empty problem (no positions).
    void setCancelCheck(const std::function<bool()> *cancelled) { m_cancelled = cancelled; }

    double maxPower(int device) const;
    double minPower(int device) const { return 1e-3 * maxPower(device); }

private:
    /// The node-indexed link and head tables of segmentProblem() for these shares and powers.
    void buildNodeTables(const std::vector<double> &share, double controlUnitShare,
        const std::vector<double> &power) const;
    /// SegmentProblem::fromByKey of the current tables.
    void sortNodeTables() const;
    bool cancelRequested() const { return m_cancelled && *m_cancelled && (*m_cancelled)(); }
    void setLastLimitChanges();
    double d2dTime(int from, int to, double share, double powerW) const;
    double d2dSnr(int from, int to, double powerW) const; ///< at the full band
    /// A D2D link's pace in the bottleneck: its slower direction (1F1B), or both directions
    /// (GPipe: forwards and backwards run in separate phases, BandLink::serialised).
    double linkOccupancy(double forwardS, double backwardS) const;
    double d2eTime(int device, double powerW) const;
    double edgeGradTime(int device) const; ///< edge → device gradient at the server's power
    double energyWeight(int device) const; ///< M·Q_k/V
    double computePowerW(int device) const;

    const Scenario &m_scenario;
    const Cluster &m_cluster;
    const ClusterChannel &m_channel;
    ClusterWeights m_weights;
    int m_deviceCount = 0;
    int m_microbatches = 1;
    int m_microbatchSize = 1;
    double m_payloadBytes = 0.0;
    double m_d2eBandwidthHz = 0.0;
    double m_embedS = 0.0;
    double m_decoderS = 0.0; ///< forward + backward at the edge
    double m_edgeFlops = 0.0;
    double m_edgeMemoryBytes = 0.0;
    double m_edgeBlockS = 0.0; ///< forward + backward of one block at the edge, per micro-batch
    int m_edgeMaxBlocks = 0;
    /// Upload + broadcast time of one device-held block per local iteration: the CU uploads what
    /// the devices trained (spec §2.2 t^up) and receives it back aggregated (§2.3 t^bcast), so
    /// every block kept off the edge costs this once per round.
    double m_uploadPerBlockS = 0.0;
    double m_edgeGradPowerW = 0.0;
    double m_n0d2d = 0.0; ///< noise PSD, W/Hz
    double m_n0d2e = 0.0;
    /// The last rate asked of a link (d2dTime(), d2eTime()): rates do not depend on M.
    struct CachedRate
    {
        double share = -1.0;
        double powerW = -1.0;
        double rateBps = 0.0;
        double bytes = -1.0; ///< the payload timeS is for (the M it was asked at)
        double timeS = 0.0;  ///< transferTimeS(bytes, rateBps)
    };
    mutable std::vector<CachedRate> m_d2dRates; ///< [from·(K + 1) + to], CU = K
    mutable std::vector<CachedRate> m_d2eRates; ///< [device]
    std::vector<double> m_edgeGradRateBps;      ///< [device]
    SurrogateMemo m_ownMemo;                    ///< the tables when no memo is handed in
    SurrogateMemo *m_memo = nullptr;       ///< m_maxBlocks and m_edgeMaxBlocks per M, once computed
    std::vector<double> m_computePerBlock; ///< F + B per micro-batch per block, per device
    std::vector<std::vector<int>> m_maxBlocks; ///< [device][stagesFromHere − 1]
    std::vector<int> m_lastLimitChange;        ///< [device]: see setLastLimitChanges()
    /// segmentProblem()'s tables and what they were built for (issue [7/7]): the link tables
    /// themselves live in m_problem (indexed by device), the head ones here.
    struct NodeTables
    {
        bool valid = false;
        bool sorted = false;
        int microbatches = 0;
        double controlUnitShare = 0.0;
        std::vector<double> share;
        std::vector<double> power;
        std::vector<double> headTime;      ///< [device]
        std::vector<double> headExtra;     ///< [device]
        std::vector<double> headOccupancy; ///< [device]
        std::vector<std::vector<SegmentProblem::KeyedNode>> byKey;
    };
    mutable NodeTables m_tables;
    const std::function<bool()> *m_cancelled = nullptr;
    mutable SegmentProblem m_problem;        ///< segmentProblem()'s, reused
    mutable std::vector<double> m_roundTrip; ///< objective()'s per-stage scratch
    // Per M, what objective() (the power search's inner loop) used to recompute per call; the
    // same expressions, so the same bits (issue [5/7] "Speed").
    double m_zTerm = 0.0;                ///< the convergence term of the surrogate
    std::vector<double> m_energyWeights; ///< energyWeight(k)
    /// stashedMicrobatches(OneFOneB, M, S, j) at [S][j], filled per S when first asked.
    mutable std::vector<std::vector<int>> m_stash;
    const std::vector<int> &stashFor(int stages) const;
};

} // namespace collapipe
