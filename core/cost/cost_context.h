// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"

#include <algorithm>
#include <cmath>
#include <limits>

/// Internal to core/cost: what evaluating one cluster needs besides the stage at hand.
namespace collapipe {

inline const EdgeServer *serverOf(const Scenario &scenario, const Cluster &cluster)
{
    for (const EdgeServer &es : scenario.topology.edgeServers) {
        if (es.id == cluster.edgeServerId) {
            return &es;
        }
    }
    return scenario.topology.edgeServers.empty() ? nullptr : &scenario.topology.edgeServers[0];
}

inline int clustersServedBy(const Scenario &scenario, const QString &serverId)
{
    int n = 0;
    for (const Cluster &c : scenario.topology.clusters) {
        n += c.edgeServerId == serverId ? 1 : 0;
    }
    return std::max(1, n);
}

/// Clusters sharing `cluster`'s edge server (d2eShareOfCluster()'s denominator), from the
/// channel when it carries the count.
inline int clustersServedByOrOne(const Scenario &scenario, int cluster, const ClusterChannel &ch)
{
    return ch.edgeSharing > 0
        ? ch.edgeSharing
        : clustersServedBy(scenario, scenario.topology.clusters[cluster].edgeServerId);
}

// Everything of a cluster's round that does not depend on the stage under consideration.
struct Context
{
    const Scenario &s;
    const Cluster &cluster;
    const ClusterChannel &ch;
    const TransformerDims &dims;
    TrainedParts
        trained; ///< what training.mode trains at the profiled width (FLOPs, memory, upload)
    int q = 4;
    int blocks = 0;
    double d2dW = 0.0;
    double d2eW = 0.0; ///< this cluster's share of its server's D2E band (spec §2.2, MODEL.md)
    double edgeFlops = 0.0;       ///< the server's FLOP/s shared equally by the clusters it serves
    double edgeMemoryBytes = 0.0; ///< the server's memory, shared equally likewise
    double edgePowerW = 0.0;
    double n0d2d = 0.0; ///< noise PSD, W/Hz
    double n0d2e = 0.0;

    Context(const Scenario &scenario, int c, const ClusterChannel &channel)
        : s(scenario)
        , cluster(scenario.topology.clusters[c])
        , ch(channel)
        , dims(scenario.model.profiled)
        , trained(trainedParts(scenario.model.profiled, scenario.training))
        , q(scenario.model.bytesPerElement)
        , blocks(scenario.model.encoderBlocks)
    {
        d2dW = s.topology.d2d.bandwidthHz;
        n0d2d = noisePowerW(1.0, s.topology.d2d.noisePsdDbmPerHz);
        n0d2e = noisePowerW(1.0, s.topology.d2e.noisePsdDbmPerHz);
        const EdgeServer *es = serverOf(s, cluster);
        const int sharing = clustersServedByOrOne(s, c, channel);
        d2eW = s.topology.d2e.bandwidthHz / sharing;
        edgeFlops = es ? es->computeFlops / sharing : 0.0;
        edgeMemoryBytes = es ? es->memoryBytes / sharing : 0.0;
        edgePowerW = es ? es->txPowerW : 0.0;
    }
    // shannonRateBps() and snrDb() with the noise PSD (W/Hz) converted once: pow() is not free
    // and the optimizer evaluates thousands of decisions per round.
    static double rate(double bandwidthHz, double powerW, double gain, double n0)
    {
        if (bandwidthHz <= 0.0 || powerW <= 0.0 || gain <= 0.0) {
            return 0.0;
        }
        return bandwidthHz * std::log2(1.0 + powerW * gain / (n0 * bandwidthHz));
    }
    static double snr(double bandwidthHz, double powerW, double gain, double n0)
    {
        if (bandwidthHz <= 0.0 || powerW <= 0.0 || gain <= 0.0) {
            return -std::numeric_limits<double>::infinity();
        }
        return 10.0 * std::log10(powerW * gain / (n0 * bandwidthHz));
    }
    double d2dRate(double share, double powerW, int from, int to) const
    {
        return rate(share * d2dW, powerW, ch.gain(from, to), n0d2d);
    }
    double d2eRate(double bandwidthHz, double powerW, int node) const
    {
        return rate(bandwidthHz, powerW, ch.d2eGain[node], n0d2e);
    }
    /// Parameter uploads last many coherence times: ergodic rate over the fading distribution
    /// at the node's path-loss gain (core/MODEL.md "Long transfers").
    double d2eErgodicRate(double bandwidthHz, double powerW, int node) const
    {
        return ergodicRateBps(s.topology.d2e.fading, bandwidthHz, powerW, ch.meanD2eGain(node),
            s.topology.d2e.noisePsdDbmPerHz);
    }
    double d2dSnr(double share, double powerW, int from, int to) const
    {
        return snr(share * d2dW, powerW, ch.gain(from, to), n0d2d);
    }
    double d2eSnr(double bandwidthHz, double powerW, int node) const
    {
        return snr(bandwidthHz, powerW, ch.d2eGain[node], n0d2e);
    }
};

/// Busy/transmit time and energy of a stage from its per-micro-batch times (spec §2.5): fills busy, transmit time and energy of a stage. `txPerMicrobatchS`: the stage's transmit
/// time per micro-batch; < 0 means tSendS + tSendGradS (one send each way, no chunks).
void finishStage(const Context &ctx, StageCost *st, int iterations, int microbatches,
    double txPerMicrobatchS = -1.0);

/// FederatedFull mode (the `fl` baseline; core/MODEL.md "Baselines").
ClusterCost evaluateFederatedFull(
    const Context &ctx, int cluster, const ClusterDecision &d, std::vector<ChainTimes> *chains);

} // namespace collapipe
