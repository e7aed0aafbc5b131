// SPDX-License-Identifier: MIT
// K as a path: resizing a cluster's device list on the scenario's JSON tree, so that --set and
// experiment axes apply it in order with the other assignments and the result is parsed and
// validated like any patched scenario (scenario_patch.cpp).
#include "core/scenario/device_count.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <numbers>

namespace collapipe {
namespace {

constexpr double kMaxDeviceCount = 1000; ///< the scale DSSDA is tested at per cluster

const QString kX = QStringLiteral("x_m");
const QString kY = QStringLiteral("y_m");
const QString kId = QStringLiteral("id");
const QString kDevices = QStringLiteral("devices");

/// Every id of the scenario: they share one namespace (scenario_validation.cpp, checkId).
QSet<QString> idsOf(const QJsonObject &root)
{
    QSet<QString> ids;
    for (const QJsonValue &server : root.value(QStringLiteral("edge_servers")).toArray()) {
        ids.insert(server.toObject().value(kId).toString());
    }
    for (const QJsonValue &c : root.value(QStringLiteral("clusters")).toArray()) {
        const QJsonObject cluster = c.toObject();
        ids.insert(cluster.value(kId).toString());
        ids.insert(cluster.value(QStringLiteral("control_unit")).toObject().value(kId).toString());
        for (const QJsonValue &d : cluster.value(kDevices).toArray()) {
            ids.insert(d.toObject().value(kId).toString());
        }
    }
    return ids;
}

/// Centimetres, as `collapipe generate` writes positions: short, readable files.
double roundCm(double metres)
{
    return std::round(metres * 100.0) / 100.0;
}

/// Device `j` (0-based, j >= n) cloned from device j mod n of the cluster's first `n`.
QJsonObject cloneDevice(const QJsonObject &cluster, const QJsonArray &devices, qsizetype n,
    qsizetype j, QSet<QString> *ids)
{
    QJsonObject device = devices.at(j % n).toObject();
    const QString clusterId = cluster.value(kId).toString();
    int number = int(j) + 1;
    QString id;
    do {
        id = QStringLiteral("%1-d%2").arg(clusterId).arg(number++);
    } while (ids->contains(id));
    ids->insert(id);
    device.insert(kId, id);
    // Same distance from the control unit, turned by the golden angle once per copy: copies of
    // one template spread around the control unit instead of stacking on one spot.
    const QJsonObject cu = cluster.value(QStringLiteral("control_unit")).toObject();
    const double cx = cu.value(kX).toDouble();
    const double cy = cu.value(kY).toDouble();
    const double dx = device.value(kX).toDouble() - cx;
    const double dy = device.value(kY).toDouble() - cy;
    const double turn = double(j / n) * std::numbers::pi * (3.0 - std::sqrt(5.0));
    device.insert(kX, roundCm(cx + dx * std::cos(turn) - dy * std::sin(turn)));
    device.insert(kY, roundCm(cy + dx * std::sin(turn) + dy * std::cos(turn)));
    return device;
}

} // namespace

const FieldInfo &deviceCountField()
{
    static const FieldInfo field = [] {
        FieldInfo f;
        f.key = QStringLiteral("device_count");
        f.label = QStringLiteral("Devices (K)");
        f.help = QStringLiteral(
            "K, the devices of the cluster (clusters[*]: of every cluster). Fewer keeps the first "
            "K; more clones the cluster's devices in turn, with fresh ids, around the control "
            "unit. For --set and experiment axes; a file lists its devices.");
        f.kind = FieldKind::Integer;
        f.minValue = 1;
        f.minBound = Bound::Inclusive;
        f.maxValue = kMaxDeviceCount;
        f.maxBound = Bound::Inclusive;
        return f;
    }();
    return field;
}

bool isDeviceCountPath(const QString &path)
{
    static const QRegularExpression pattern(
        QStringLiteral("^clusters\\[(\\*|[0-9]+)\\]\\.device_count$"));
    return pattern.match(path).hasMatch();
}

bool setDeviceCount(QJsonObject *root, const QString &path, const QString &value,
    const QString &origin, QString *error)
{
    bool ok = false;
    const double k = value.trimmed().toDouble(&ok);
    if (!ok) {
        *error = QStringLiteral("%1: expected a number (got '%2')").arg(path, value);
        return false;
    }
    const QString reason = checkFieldValue(deviceCountField(), k);
    if (!reason.isEmpty()) {
        *error = QStringLiteral("%1: %2").arg(path, reason);
        return false;
    }
    QJsonArray clusters = root->value(QStringLiteral("clusters")).toArray();
    const QString index = path.section(QLatin1Char('['), 1).section(QLatin1Char(']'), 0, 0);
    qsizetype first = 0;
    qsizetype last = clusters.size();
    if (index != QLatin1String("*")) {
        bool fits = false;
        first = index.toInt(&fits);
        if (!fits || first >= clusters.size()) {
            *error = QStringLiteral("%1: clusters[%2] does not exist (clusters has %3 entries)")
                         .arg(origin, index)
                         .arg(clusters.size());
            return false;
        }
        last = first + 1;
    }
    QSet<QString> ids = idsOf(*root);
    const auto wanted = qsizetype(k);
    for (qsizetype i = first; i < last; ++i) {
        QJsonObject cluster = clusters.at(i).toObject();
        QJsonArray devices = cluster.value(kDevices).toArray();
        const qsizetype n = devices.size();
        if (n == 0) {
            *error = QStringLiteral("%1: clusters[%2] has no device to clone").arg(origin).arg(i);
            return false;
        }
        while (devices.size() > wanted) {
            devices.removeLast();
        }
        for (qsizetype j = n; j < wanted; ++j) {
            devices.append(cloneDevice(cluster, devices, n, j, &ids));
        }
        cluster.insert(kDevices, devices);
        clusters.replace(i, cluster);
    }
    root->insert(QStringLiteral("clusters"), clusters);
    return true;
}

} // namespace collapipe
