// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QString>

#include <cmath>
#include <cstring>

/// Bit-exact comparison of RoundRecords (NaN equals NaN) with the first difference named, for
/// QVERIFY2 messages.
namespace collapipe::testing {

inline bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

#define COLLAPIPE_CMP_FIELD(a, b, field, where)                                                    \
    if (!same(double((a).field), double((b).field))) {                                             \
        return QStringLiteral("%1 %2: %3 != %4")                                                   \
            .arg(where, QStringLiteral(#field))                                                    \
            .arg(double((a).field), 0, 'g', 17)                                                    \
            .arg(double((b).field), 0, 'g', 17);                                                   \
    }

/// Empty when equal, else the first differing field. `parts`: compare clusters/devices/events too.
inline QString firstDifference(const RoundRecord &a, const RoundRecord &b, bool parts = true)
{
    const QString where = QStringLiteral("round %1").arg(a.round);
    COLLAPIPE_CMP_FIELD(a, b, round, where)
    COLLAPIPE_CMP_FIELD(a, b, simTimeS, where)
    COLLAPIPE_CMP_FIELD(a, b, latencyS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.computeS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.d2dS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.d2eS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.decoderS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.uploadS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.aggregationS, where)
    COLLAPIPE_CMP_FIELD(a, b, split.bubbleS, where)
    COLLAPIPE_CMP_FIELD(a, b, bubbleFraction, where)
    COLLAPIPE_CMP_FIELD(a, b, computationEfficiency, where)
    COLLAPIPE_CMP_FIELD(a, b, energyJ, where)
    COLLAPIPE_CMP_FIELD(a, b, loss, where)
    COLLAPIPE_CMP_FIELD(a, b, accuracy, where)
    COLLAPIPE_CMP_FIELD(a, b, drift, where)
    COLLAPIPE_CMP_FIELD(a, b, penalty, where)
    COLLAPIPE_CMP_FIELD(a, b, objective, where)
    COLLAPIPE_CMP_FIELD(a, b, decisionTimeS, where)
    COLLAPIPE_CMP_FIELD(a, b, bytesMoved, where)
    if (!parts) {
        return {};
    }
    if (a.clusters.size() != b.clusters.size() || a.devices.size() != b.devices.size()
        || a.events.size() != b.events.size()) {
        return QStringLiteral(
            "%1: part counts differ (clusters %2/%3, devices %4/%5, events %6/%7)")
            .arg(where)
            .arg(a.clusters.size())
            .arg(b.clusters.size())
            .arg(a.devices.size())
            .arg(b.devices.size())
            .arg(a.events.size())
            .arg(b.events.size());
    }
    for (std::size_t i = 0; i < a.clusters.size(); ++i) {
        const QString w = where + QStringLiteral(" cluster %1").arg(i);
        const ClusterRound &x = a.clusters[i];
        const ClusterRound &y = b.clusters[i];
        COLLAPIPE_CMP_FIELD(x, y, cluster, w)
        COLLAPIPE_CMP_FIELD(x, y, microbatches, w)
        COLLAPIPE_CMP_FIELD(x, y, microbatchSize, w)
        COLLAPIPE_CMP_FIELD(x, y, makespanS, w)
        COLLAPIPE_CMP_FIELD(x, y, bubbleFraction, w)
        COLLAPIPE_CMP_FIELD(x, y, computationEfficiency, w)
        COLLAPIPE_CMP_FIELD(x, y, uploadS, w)
        COLLAPIPE_CMP_FIELD(x, y, latencyS, w)
        COLLAPIPE_CMP_FIELD(x, y, convergenceQueue, w)
        COLLAPIPE_CMP_FIELD(x, y, loss, w)
        COLLAPIPE_CMP_FIELD(x, y, edgeFirstBlock, w)
        COLLAPIPE_CMP_FIELD(x, y, edgeLastBlock, w)
        COLLAPIPE_CMP_FIELD(x, y, edgeMemoryBytes, w)
        COLLAPIPE_CMP_FIELD(x, y, controlUnitEnergyJ, w)
        if (x.schedule != y.schedule) {
            return w
                + QStringLiteral(": schedule %1 != %2")
                      .arg(QLatin1String(scheduleName(x.schedule)),
                          QLatin1String(scheduleName(y.schedule)));
        }
        COLLAPIPE_CMP_FIELD(x, y, interleave, w)
        COLLAPIPE_CMP_FIELD(x, y, aggregated, w)
        COLLAPIPE_CMP_FIELD(x, y, satOut, w)
        if (x.satOutReason != y.satOutReason) {
            return w
                + QStringLiteral(": satOutReason '%1' != '%2'").arg(x.satOutReason, y.satOutReason);
        }
        COLLAPIPE_CMP_FIELD(x, y, dropouts, w)
        COLLAPIPE_CMP_FIELD(x, y, lostS, w)
        COLLAPIPE_CMP_FIELD(x, y, recoveryS, w)
        COLLAPIPE_CMP_FIELD(x, y, controlUnitXM, w)
        COLLAPIPE_CMP_FIELD(x, y, controlUnitYM, w)
    }
    for (std::size_t i = 0; i < a.devices.size(); ++i) {
        const QString w = where + QStringLiteral(" device row %1").arg(i);
        const DeviceRound &x = a.devices[i];
        const DeviceRound &y = b.devices[i];
        if (x.deviceId != y.deviceId) {
            return w + QStringLiteral(": deviceId %1 != %2").arg(x.deviceId, y.deviceId);
        }
        COLLAPIPE_CMP_FIELD(x, y, cluster, w)
        COLLAPIPE_CMP_FIELD(x, y, device, w)
        COLLAPIPE_CMP_FIELD(x, y, stage, w)
        COLLAPIPE_CMP_FIELD(x, y, firstBlock, w)
        COLLAPIPE_CMP_FIELD(x, y, lastBlock, w)
        COLLAPIPE_CMP_FIELD(x, y, microbatches, w)
        COLLAPIPE_CMP_FIELD(x, y, bandwidthShare, w)
        COLLAPIPE_CMP_FIELD(x, y, powerW, w)
        COLLAPIPE_CMP_FIELD(x, y, memoryPredictedBytes, w)
        COLLAPIPE_CMP_FIELD(x, y, memoryMeasuredBytes, w)
        COLLAPIPE_CMP_FIELD(x, y, memoryPredictedTrainerBytes, w)
        COLLAPIPE_CMP_FIELD(x, y, memoryCapacityBytes, w)
        COLLAPIPE_CMP_FIELD(x, y, energyJ, w)
        COLLAPIPE_CMP_FIELD(x, y, energyQueueJ, w)
        COLLAPIPE_CMP_FIELD(x, y, busyS, w)
        COLLAPIPE_CMP_FIELD(x, y, linkDistanceM, w)
        COLLAPIPE_CMP_FIELD(x, y, present, w)
        COLLAPIPE_CMP_FIELD(x, y, linkSnrDb, w)
        COLLAPIPE_CMP_FIELD(x, y, linkRateBps, w)
        COLLAPIPE_CMP_FIELD(x, y, xM, w)
        COLLAPIPE_CMP_FIELD(x, y, yM, w)
    }
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        const QString w = where + QStringLiteral(" event %1").arg(i);
        const TimelineEvent &x = a.events[i];
        const TimelineEvent &y = b.events[i];
        if (!(x.resource == y.resource) || x.kind != y.kind) {
            return w + QStringLiteral(": resource or kind differs");
        }
        COLLAPIPE_CMP_FIELD(x, y, cluster, w)
        COLLAPIPE_CMP_FIELD(x, y, microbatch, w)
        COLLAPIPE_CMP_FIELD(x, y, stage, w)
        COLLAPIPE_CMP_FIELD(x, y, startS, w)
        COLLAPIPE_CMP_FIELD(x, y, endS, w)
    }
    return {};
}

#undef COLLAPIPE_CMP_FIELD

} // namespace collapipe::testing
