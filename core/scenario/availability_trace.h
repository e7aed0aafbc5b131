// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/scenario_json.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>

#include <vector>

/// Availability traces (issue [6/7] "A living edge"): CSV files of on/off rows
/// `time_s,device_id,up` that a device with "availability": {"model": "trace", "file": ...}
/// replays. Parsed and checked here, next to the scenario that names them; evaluated by
/// core/availability.
namespace collapipe {

/// Parses one trace file's text. Rows: `time_s,device_id,up` with time_s a number >= 0 (seconds
/// of simulated time), device_id one of `knownDevices`, up 0 or 1; a device's rows strictly
/// increasing in time. Blank lines, lines starting with '#' and a first line
/// `time_s,device_id,up` are skipped. Every bad row is reported (all of them, not just the first)
/// as one problem at `path` whose message starts with "<fileName> line <n>:" and quotes the bad
/// value. `out` gets the good rows per device id, in file order. True when no row was bad.
bool parseAvailabilityTrace(const QByteArray &csv, const QString &fileName, const QString &path,
    const QSet<QString> &knownDevices, QHash<QString, std::vector<AvailabilityEvent>> *out,
    std::vector<ScenarioProblem> *problems);

/// Reads the trace file of every device whose availability model is "trace" (a relative file
/// name resolved against `baseDir`, each file read once) and fills its availability.trace.
/// Problems name the device's field path (clusters[i].devices[k].availability.file): a missing or
/// unreadable file, every bad row, and a trace device without rows. False when any was found.
bool loadAvailabilityTraces(
    const QString &baseDir, Scenario *scenario, std::vector<ScenarioProblem> *problems);

} // namespace collapipe
