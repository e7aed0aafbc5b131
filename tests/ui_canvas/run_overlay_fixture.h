// SPDX-License-Identifier: MIT
// The run overlay tests' shared fixture: default.json and a synthetic round of its cluster c1.
#pragma once

#include "core/types/round_record.h"
#include "ui/model/topology_document.h"

#include <QString>
#include <QtGlobal>

namespace collapipe::run_overlay_fixture {

inline const QString kDefaultScenario
    = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");

inline DeviceRound row(const QString &id, int stage, int first, int last, double predicted,
    double measured, double capacity, double busyS, double rateBps)
{
    DeviceRound d;
    d.cluster = 0;
    d.deviceId = id;
    d.stage = stage;
    d.firstBlock = first;
    d.lastBlock = last;
    d.microbatches = stage >= 0 ? 4 : 0;
    d.memoryPredictedBytes = predicted;
    d.memoryMeasuredBytes = measured;
    d.memoryCapacityBytes = capacity;
    d.busyS = busyS;
    d.linkRateBps = rateBps;
    d.linkDistanceM = 40.0;
    d.linkSnrDb = 25.0;
    return d;
}

/// Cluster c1 of default.json: a two-stage pipeline c1-d4 (blocks 0–5) → c1-d5 (6–11), the
/// other three idle; c1-d5 predicted over its 12 GB. Rows deliberately out of stage order.
inline RoundRecord syntheticRound()
{
    RoundRecord r;
    r.round = 7;
    r.latencyS = 2.0;
    r.devices.push_back(row(QStringLiteral("c1-d5"), 1, 6, 11, 13e9, kNotMeasured, 12e9, 0.5, 2e8));
    r.devices.push_back(row(QStringLiteral("c1-d1"), -1, -1, -1, 0.0, kNotMeasured, 1.2e9, 0, 0));
    r.devices.push_back(row(QStringLiteral("c1-d4"), 0, 0, 5, 1.5e9, 1.8e9, 3e9, 1.5, 5e7));
    r.devices.push_back(row(QStringLiteral("c1-d2"), -1, -1, -1, 0.0, kNotMeasured, 2e9, 0, 0));
    r.devices.push_back(row(QStringLiteral("c1-d3"), -1, -1, -1, 0.0, kNotMeasured, 2e9, 0, 0));
    return r;
}

inline bool loadDefault(TopologyDocument *document)
{
    QString error;
    const bool ok = document->load(kDefaultScenario, &error);
    if (!ok) {
        qWarning("%s", qPrintable(error));
    }
    return ok;
}

} // namespace collapipe::run_overlay_fixture
