// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"
#include "core/types/round_record.h"

#include <cmath>

/// A RoundRecord with every field set to a distinct, awkward value (no field equals another, some
/// NaN "not measured", values that need all 17 digits) so a store round trip catches a swapped or
/// dropped column.
namespace collapipe::testing {

inline double awkward(int round, int field)
{
    return (round + 1) * 1.0000000000000002 + field / 3.0 + 1e-7 * field * field;
}

inline RoundRecord syntheticRound(
    int round, int clusters = 2, int devicesPerCluster = 3, int eventsPerDevice = 4)
{
    RoundRecord r;
    int f = 0;
    r.round = round;
    r.simTimeS = awkward(round, ++f);
    r.latencyS = awkward(round, ++f);
    r.split.computeS = awkward(round, ++f);
    r.split.d2dS = awkward(round, ++f);
    r.split.d2eS = awkward(round, ++f);
    r.split.decoderS = awkward(round, ++f);
    r.split.uploadS = awkward(round, ++f);
    r.split.aggregationS = awkward(round, ++f);
    r.split.bubbleS = awkward(round, ++f);
    r.bubbleFraction = awkward(round, ++f) / 100.0;
    r.computationEfficiency = awkward(round, ++f) / 100.0;
    r.energyJ = awkward(round, ++f);
    r.loss = awkward(round, ++f);
    r.accuracy = round % 2 == 0 ? awkward(round, ++f) / 100.0 : kNotMeasured;
    r.drift = -awkward(round, ++f);
    r.penalty = awkward(round, ++f);
    r.objective = r.drift + r.penalty;
    r.decisionTimeS = awkward(round, ++f) * 1e-6;
    r.bytesMoved = round % 3 == 0 ? kNotMeasured : awkward(round, ++f) * 1e6;
    for (int c = 0; c < clusters; ++c) {
        ClusterRound cr;
        cr.cluster = c;
        cr.microbatches = 2 + c + round;
        cr.microbatchSize = 4 + c;
        cr.makespanS = awkward(round, ++f);
        cr.bubbleFraction = awkward(round, ++f) / 100.0;
        cr.computationEfficiency = awkward(round, ++f) / 100.0;
        cr.uploadS = awkward(round, ++f);
        cr.latencyS = awkward(round, ++f);
        cr.convergenceQueue = awkward(round, ++f);
        cr.loss = c == 0 ? awkward(round, ++f) : kNotMeasured;
        // Derived, not drawn: the later fields keep the values they had before v3.
        cr.edgeFirstBlock = c % 2 == 1 ? 3 * (devicesPerCluster - 1) : -1;
        cr.edgeLastBlock = c % 2 == 1 ? 3 * devicesPerCluster + 4 : -1;
        cr.edgeMemoryBytes = c % 2 == 1 ? cr.makespanS * 1.25e9 : kNotMeasured;
        cr.controlUnitEnergyJ = cr.uploadS * 0.2 + c; // v4
        // v6: a chunked schedule on odd clusters, so a lost column shows.
        cr.schedule = c % 2 ? ScheduleKind::Interleaved : ScheduleKind::ZeroBubbleH1;
        cr.interleave = c % 2 ? 3 : 1;
        cr.controlUnitXM = cr.makespanS * 2.0 + c; // v7, derived like the fields above
        cr.controlUnitYM = -cr.uploadS;
        // v8: churn and deadline flags, derived so that the earlier fields keep their values.
        cr.aggregated = (round + c) % 3 != 0;
        cr.satOut = (round + c) % 5 == 0;
        cr.dropouts = (round + c) % 4;
        cr.lostS = cr.dropouts * 0.375;
        cr.recoveryS = cr.dropouts * 0.0625;
        if (cr.satOut) { // v9: why, quoted and with a comma so CSV quoting shows
            cr.satOutReason
                = QStringLiteral("infeasible: cluster \"c%1\", round %2").arg(c).arg(round);
        }
        r.clusters.push_back(cr);
        for (int d = 0; d < devicesPerCluster; ++d) {
            DeviceRound dr;
            dr.cluster = c;
            dr.device = d;
            dr.deviceId = QStringLiteral("c%1-d%2 \"q\",x").arg(c).arg(d); // CSV quoting
            dr.stage = d == devicesPerCluster - 1 ? -1 : d;
            dr.firstBlock = dr.stage < 0 ? -1 : 3 * d;
            dr.lastBlock = dr.stage < 0 ? -1 : 3 * d + 2;
            dr.microbatches = cr.microbatches;
            dr.bandwidthShare = awkward(round, ++f) / 1000.0;
            dr.powerW = awkward(round, ++f) / 100.0;
            dr.memoryPredictedBytes = awkward(round, ++f) * 1e8;
            dr.memoryMeasuredBytes = d == 0 ? kNotMeasured : awkward(round, ++f) * 1e8;
            dr.memoryPredictedTrainerBytes
                = d == 0 ? kNotMeasured : dr.memoryPredictedBytes * 1.5e-3 + 0.1;
            dr.memoryCapacityBytes = 4e9 + d;
            dr.energyJ = awkward(round, ++f);
            dr.energyQueueJ = awkward(round, ++f);
            dr.busyS = awkward(round, ++f);
            dr.linkDistanceM = awkward(round, ++f) * 10;
            dr.linkSnrDb = -awkward(round, ++f);
            dr.linkRateBps = awkward(round, ++f) * 1e6;
            dr.xM = dr.linkDistanceM * 0.5 - d; // v7, derived: later fields keep their values
            dr.yM = -dr.busyS * 3.0;
            dr.present = (round + c + d) % 3 != 1; // v8
            r.devices.push_back(dr);
            for (int e = 0; e < eventsPerDevice; ++e) {
                TimelineEvent ev;
                ev.cluster = c;
                ev.resource.kind = e % 2 == 0 ? ResourceKind::Device : ResourceKind::Link;
                ev.resource.from = d;
                ev.resource.to
                    = e % 2 == 0 ? 0 : (d + 1 == devicesPerCluster ? kEdgeServerNode : d + 1);
                ev.kind = EventKind(e % 9);
                ev.microbatch = e;
                ev.stage = d;
                ev.startS = awkward(round, ++f);
                ev.endS = ev.startS + 0.125;
                r.events.push_back(ev);
            }
        }
    }
    return r;
}

/// A run's metadata for store tests: a named, 3-round uniform run of a synthetic scenario whose
/// seed needs all 64 bits.
inline RunMeta syntheticRunMeta(const QString &name)
{
    RunMeta m;
    m.name = name;
    m.scenarioName = QStringLiteral("synthetic");
    m.scenarioJson = QStringLiteral("{\"name\":\"synthetic\"}");
    m.policy = QStringLiteral("uniform");
    m.seed = 0xfedcba9876543210ull;
    m.roundsPlanned = 3;
    m.version = QStringLiteral("test");
    return m;
}

} // namespace collapipe::testing
