// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario_fields.h"

#include <QJsonObject>
#include <QString>

/// K, the devices per cluster (spec §1 item 2), as a settable path: the one structural field of
/// `--set` and the experiment files' axes. `clusters[i].device_count=K` resizes cluster i's device
/// list to K; `clusters[*].device_count=K` resizes every cluster's. Removing keeps the first K
/// devices. Adding clones the cluster's own devices in turn (new device j copies device j mod n of
/// the n it had), so the cluster keeps its mix of device kinds as K grows; each clone gets a fresh
/// id ("<cluster id>-d<number>", unique in the scenario) and sits at its template's distance from
/// the control unit, turned by a golden angle per copy, so it sees a similar channel and no two
/// devices share a spot. Deterministic: the same scenario and K give the same file.
namespace collapipe {

/// The field as `collapipe validate --fields` lists it: an integer in [1, 1000].
const FieldInfo &deviceCountField();

/// True when `path` is `clusters[i].device_count` or `clusters[*].device_count`.
bool isDeviceCountPath(const QString &path);

/// Resizes the device lists `path` names in the scenario JSON `root` to `value` devices.
/// False + a message naming `origin` (how the user wrote the path) or the path and the value:
/// a value that is not an integer in range, a cluster index that does not exist, a cluster with
/// no device to clone.
bool setDeviceCount(QJsonObject *root, const QString &path, const QString &value,
    const QString &origin, QString *error);

} // namespace collapipe
