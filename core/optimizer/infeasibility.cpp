// SPDX-License-Identifier: MIT
// Why a cluster has no feasible decision: the message names the binding constraint (a link, a
// compute speed, memory) and the node, not always memory (issue [2/7] item 9). Only the message:
// feasibility itself is decided by the solvers and the cost model.
#include "core/cost/cost_context.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

QString gb(double bytes)
{
    return QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'g', 3);
}

QString linkText(double rateBps, double distanceM, double snrDb, double powerW)
{
    return QStringLiteral("rate %1 bit/s at distance %2 m (SNR %3 dB at %4 W)")
        .arg(rateBps, 0, 'g', 3)
        .arg(distanceM, 0, 'g', 4)
        .arg(snrDb, 0, 'f', 1)
        .arg(powerW, 0, 'g', 3);
}

/// Blocks of one segment that fit `capacity` bytes at the smallest footprint (M = 1, one stash).
int blocksThatFit(const Scenario &s, int b, double capacity)
{
    int fit = 0;
    while (fit < s.model.encoderBlocks
        && segmentMemoryBytes(s.model.profiled, trainedParts(s.model.profiled, s.training), fit + 1,
               b, 1, s.model.bytesPerElement)
            <= capacity) {
        ++fit;
    }
    return fit;
}

} // namespace

QString infeasibleClusterMessage(const Scenario &s, int cluster, const ClusterChannel &channel)
{
    const Context ctx(s, cluster, channel);
    const Cluster &c = ctx.cluster;
    const EdgeServer *es = serverOf(s, c);
    const QString edge
        = es ? QStringLiteral("edge server %1").arg(es->id) : QStringLiteral("the edge server");
    const QString head = QStringLiteral("infeasible: cluster %1: ").arg(c.id);
    const int L = s.model.encoderBlocks;
    const int K = int(c.devices.size());
    const int cu = channel.controlUnitNode();
    // The smallest footprint any decision has: the largest M, so the smallest b.
    const int b = microbatchSizeFor(
        s.training, s.optimizer.microbatchMode, std::max(1, s.optimizer.maxMicrobatches));
    const double phiF = blockForwardFlops(ctx.dims);

    // Cluster-wide constraints first: each alone rules out every decision.
    const double cuUpload = ctx.d2eErgodicRate(ctx.d2eW, c.controlUnit.maxPowerW, cu);
    if (!(cuUpload > 0.0)) {
        return head
            + QStringLiteral("control unit %1 cannot reach %2: %3")
                  .arg(c.controlUnit.id, edge,
                      linkText(cuUpload, channel.d2eDistanceM[std::size_t(cu)],
                          ctx.d2eSnr(ctx.d2eW, c.controlUnit.maxPowerW, cu),
                          c.controlUnit.maxPowerW));
    }
    if (!std::isfinite(computeTimeS(b * embeddingFlops(ctx.dims), c.controlUnit.computeFlops))) {
        return head
            + QStringLiteral("control unit %1 at %2 FLOP/s cannot compute the embedding")
                  .arg(c.controlUnit.id)
                  .arg(c.controlUnit.computeFlops, 0, 'g', 3);
    }
    if (!std::isfinite(computeTimeS(b * decoderForwardFlops(s.model), ctx.edgeFlops))) {
        return head
            + QStringLiteral("%1 at %2 FLOP/s (its share) cannot compute the head")
                  .arg(edge)
                  .arg(ctx.edgeFlops, 0, 'g', 3);
    }

    // Per device: what it can and cannot do on its own.
    const double oneBlock
        = segmentMemoryBytes(ctx.dims, ctx.trained, 1, b, 1, s.model.bytesPerElement);
    QStringList memory, reach, fromCu, compute;
    int blocksOnComputingDevices = 0;
    int bestDevice = 0;
    bool anyReachesEdge = false;
    bool cuReachesAny = false;
    for (int k = 0; k < K; ++k) {
        const Device &d = c.devices[std::size_t(k)];
        const int fit = blocksThatFit(s, b, d.memoryBytes);
        memory << QStringLiteral("device %1 memory %2 holds %3 block(s) (one needs %4; %5 B "
                                 "available)")
                      .arg(d.id, gb(d.memoryBytes))
                      .arg(fit)
                      .arg(gb(oneBlock))
                      .arg(d.memoryBytes, 0, 'g', 6);
        const bool computes = std::isfinite(computeTimeS(b * phiF, d.computeFlops));
        if (!computes) {
            compute << QStringLiteral("device %1 at %2 FLOP/s cannot compute one block")
                           .arg(d.id)
                           .arg(d.computeFlops, 0, 'g', 3);
        } else {
            blocksOnComputingDevices += fit;
            bestDevice = std::max(bestDevice, fit);
        }
        // The last stage sends activations to the edge and receives gradients back.
        const double up = ctx.d2eRate(ctx.d2eW, d.maxPowerW, k);
        const double down = ctx.d2eRate(ctx.d2eW, ctx.edgePowerW, k);
        if (up > 0.0 && down > 0.0) {
            anyReachesEdge = true;
        } else {
            const bool upFails = !(up > 0.0);
            const double power = upFails ? d.maxPowerW : ctx.edgePowerW;
            reach << QStringLiteral("device %1 cannot reach %2 (%3: %4)")
                         .arg(d.id, edge,
                             upFails ? QStringLiteral("uplink") : QStringLiteral("downlink"),
                             linkText(upFails ? up : down, channel.d2eDistanceM[std::size_t(k)],
                                 ctx.d2eSnr(ctx.d2eW, power, k), power));
        }
        const double fromControlUnit = ctx.d2dRate(1.0, c.controlUnit.maxPowerW, cu, k);
        if (fromControlUnit > 0.0) {
            cuReachesAny = true;
        } else {
            fromCu << QStringLiteral("device %1: %2")
                          .arg(d.id,
                              linkText(fromControlUnit, channel.distance(cu, k),
                                  ctx.d2dSnr(1.0, c.controlUnit.maxPowerW, cu, k),
                                  c.controlUnit.maxPowerW));
        }
    }
    const QString sep = QStringLiteral("; ");
    if (compute.size() == K) {
        return head + QStringLiteral("no device can compute: ") + compute.join(sep);
    }
    if (!anyReachesEdge) {
        return head + QStringLiteral("no device can reach the edge (the last stage must): ")
            + reach.join(sep);
    }
    if (!cuReachesAny) {
        return head
            + QStringLiteral("control unit %1 cannot reach any device (the first stage must): ")
                  .arg(c.controlUnit.id)
            + fromCu.join(sep);
    }
    const int edgeBlocks = s.optimizer.edgeOffload ? blocksThatFit(s, b, ctx.edgeMemoryBytes) : 0;
    if (bestDevice == 0 || blocksOnComputingDevices + edgeBlocks < L) {
        return head
            + QStringLiteral("memory: the devices hold %1 of the %2 encoder blocks at the "
                             "smallest footprint (b = %3, one micro-batch in flight)%4: ")
                  .arg(blocksOnComputingDevices)
                  .arg(L)
                  .arg(b)
                  .arg(s.optimizer.edgeOffload
                          ? QStringLiteral(", the edge's share %1 more").arg(edgeBlocks)
                          : QString())
            + memory.join(sep);
    }
    // Each constraint alone can be met, but no chain meets them together (e.g. the devices
    // that reach the edge are not reachable from the ones the control unit reaches): list all.
    QStringList facts = compute + reach + fromCu + memory;
    return head + QStringLiteral("no decision meets every constraint at once: ") + facts.join(sep);
}

} // namespace collapipe
