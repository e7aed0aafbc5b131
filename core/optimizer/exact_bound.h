// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/cluster_surrogate.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <initializer_list>
#include <vector>

/// A cheap lower bound on exactObjective() (dssda_solver.h): the polish (exact_refine.h) scores
/// a trial exactly only if this bound does not already rule it out, so the decisions are those
/// of scoring every trial (issue [3/7]: the polish's structural moves made DSSDA 40 % slower).
namespace collapipe {

/// Lower bound of one cluster's exact objective for decisions in Pipeline and EdgeTail mode.
/// Per-micro-batch times as evaluateCluster() derives them (core/MODEL.md "Pipeline recursion"),
/// but the makespan bounded instead of recursed (O(S) instead of O(S·M)): every resource runs
/// its M operations one at a time, after the chain before its first one and before the chain
/// after its last one, so makespan ≥ max over resources of (Σ chain + (M − 1)·its time per
/// micro-batch), a device's time being its F + B and its first F and last B taken apart
/// (Σ chain − the chain between its F and its B + (M − 1)·(F + B)). The upload, the broadcast,
/// the compute energy and the convergence term are exact; radio energy counts 0 (so the bound
/// holds at any lower power of the same decision: a slower link only lengthens the makespan);
/// memory is not checked. Under ZB-H1 and ZB-V (the backward split into B and W) the makespan
/// is bounded on the chain that carries only B, with each device's W off it
/// (exact_bound_detail::splitBackwardMakespan(), issue #15: the fused form exceeded the exact
/// objective there). The result is shrunk by 1e-9 so a rounding difference to the
/// evaluator's sums can never make it exceed the exact value. FederatedFull: 0.
/// Keeps the last rate of each link (mutable): one thread at a time per object.
class ExactBound
{
public:
    ExactBound(const Scenario &scenario, int cluster, const ClusterChannel &channel,
        const ClusterWeights &weights);

    double operator()(const ClusterDecision &decision) const;
    /// The bound of `decision` at its own powers: also counts each stage's radio energy
    /// Q_k·p·I·M·(send + grad) (GPipe, 1F1B, ZB-H1; ZB-V: what each stage sends, twice each
    /// way on a middle stage; interleaved: operator()), so it holds for
    /// that decision, not at lower powers, except for the stages listed in `freePowers`
    /// (indices into decision.stages), whose radio energy counts 0 as in operator(): it then
    /// holds at any lower power of those stages. Issue [6/7]: with energy queues that bind, the
    /// polish scored many trials their radio energy alone rules out.
    double atPowers(
        const ClusterDecision &decision, std::initializer_list<std::size_t> freePowers = {}) const;

private:
    const Scenario &m_scenario;
    int m_cluster = 0;
    const Cluster &m_c;
    const ClusterChannel &m_channel;
    ClusterWeights m_weights;
    double m_d2eBandwidthHz = 0.0; ///< the cluster's share of its server's D2E band
    double m_edgeFlops = 0.0;      ///< the server's FLOP/s shared likewise
    double m_edgePowerW = 0.0;
    double m_uploadRateBps = 0.0; ///< the CU's ergodic D2E rate (the upload)
    double m_n0d2d = 0.0;         ///< noise PSD, W/Hz
    double m_n0d2e = 0.0;
    std::vector<double> m_broadcastS; ///< broadcastTimeS() by device-held blocks 0…L
    TrainedParts m_trained;           ///< trainedParts() of the scenario (per call before)

    /// The last rate asked of each link (issue [5/7]: the polish bounds hundreds of trials that
    /// share most links): the same expression of the same inputs, so the same bits. Clusters of
    /// more than kCachedNodes nodes compute every rate (the table is quadratic).
    static constexpr std::size_t kCachedNodes = 257;
    struct CachedRate
    {
        bool used = false;
        double share = 0.0;
        double powerW = 0.0;
        double rateBps = 0.0;
    };
    mutable std::vector<CachedRate> m_d2dRates; ///< [from·(K + 1) + to], CU = K
    mutable std::vector<CachedRate> m_d2eRates; ///< [device]
    /// [device]: the edge → last stage gradient's rate at the server's power, which depends on
    /// the device alone within a solve (a log2 per bound before).
    mutable std::vector<CachedRate> m_edgeGradRates;
    double bound(const ClusterDecision &decision, bool radio,
        std::initializer_list<std::size_t> freePowers) const;
    double d2dRate(double share, double powerW, int from, int to) const;
    double d2eRate(double powerW, int device) const;
    double edgeGradRate(int device) const;
};

} // namespace collapipe
