// SPDX-License-Identifier: MIT
// Field-path assignments on a scenario's JSON tree: `collapipe run --set` and the experiment
// files' axes share this one reader of paths like clusters[0].devices[1].memory_bytes.
#include "core/scenario/scenario_patch.h"

#include "core/scenario/device_count.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace collapipe {

namespace {

struct Segment
{
    QString key;
    int index = -1; ///< ≥ 0 for "key[index]"
};

/// How an assignment is named in messages: "--set <path>" for the CLI, or the caller's origin.
QString origin(const SetAssignment &set)
{
    return set.origin.isEmpty() ? QStringLiteral("--set ") + set.path : set.origin;
}

bool splitPath(const SetAssignment &set, std::vector<Segment> *segments, QString *error)
{
    const QString &path = set.path;
    // One key and at most one index per dotted part; the index is digits only and must fit an
    // int (QString::toInt() gives 0 on overflow, which would silently address element 0).
    static const QRegularExpression pattern(QStringLiteral("^([A-Za-z0-9_]+)(?:\\[([0-9]+)\\])?$"));
    for (const QString &part : path.split(QLatin1Char('.'))) {
        const QRegularExpressionMatch m = pattern.match(part);
        if (!m.hasMatch()) {
            *error = QStringLiteral("%1: '%2' is not a key or key[index]").arg(origin(set), part);
            return false;
        }
        int index = -1;
        if (!m.captured(2).isEmpty()) {
            bool ok = false;
            index = m.captured(2).toInt(&ok);
            if (!ok) {
                *error = QStringLiteral("%1: index %2 in '%3' is out of range")
                             .arg(origin(set), m.captured(2), part);
                return false;
            }
        }
        segments->push_back({m.captured(1), index});
    }
    return true;
}

bool typedValue(const QJsonValue &old, const SetAssignment &set, QJsonValue *out, QString *error)
{
    const QString &text = set.value;
    switch (old.type()) {
    case QJsonValue::Double: {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok) {
            *error = QStringLiteral("%1: expected a number (got '%2')").arg(set.path, text);
            return false;
        }
        if (!std::isfinite(v)) {
            // JSON cannot hold nan/inf (they would become null): refuse here, worded as
            // validation words it for a struct (checkFieldValue).
            *error = QStringLiteral("%1: must be a finite number (got %2)")
                         .arg(set.path, formatFieldNumber(v));
            return false;
        }
        *out = v;
        return true;
    }
    case QJsonValue::Bool: {
        const QString t = text.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("on") || t == QLatin1String("1")
            || t == QLatin1String("yes")) {
            *out = true;
        } else if (t == QLatin1String("false") || t == QLatin1String("off")
            || t == QLatin1String("0") || t == QLatin1String("no")) {
            *out = false;
        } else {
            *error = QStringLiteral("%1: expected on/off or true/false (got '%2')")
                         .arg(set.path, text);
            return false;
        }
        return true;
    }
    case QJsonValue::String:
        *out = text;
        return true;
    default:
        *error = QStringLiteral("%1: is a section, not a single value; set one of its fields")
                     .arg(set.path);
        return false;
    }
}

QString keysOf(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.removeAll(QStringLiteral("format"));
    return keys.join(QStringLiteral(", "));
}

// Recursive: QJsonObject/QJsonArray are values, so each level is copied, changed, written back.
bool setAt(QJsonValue *node, const std::vector<Segment> &segs, std::size_t i, const QString &done,
    const SetAssignment &set, QString *error)
{
    const Segment &seg = segs[i];
    if (!node->isObject()) {
        *error = QStringLiteral("%1: %2 has no fields").arg(origin(set), done);
        return false;
    }
    QJsonObject object = node->toObject();
    const QString here = done.isEmpty() ? seg.key : done + QLatin1Char('.') + seg.key;
    if (!object.contains(seg.key) || seg.key == QLatin1String("format")) {
        *error = QStringLiteral("%1: unknown key '%2'%3 (valid: %4)")
                     .arg(origin(set), seg.key,
                         done.isEmpty() ? QString() : QStringLiteral(" in %1").arg(done),
                         keysOf(object));
        return false;
    }
    QJsonValue child = object.value(seg.key);
    QString childPath = here;
    QJsonArray array;
    if (seg.index >= 0) {
        if (!child.isArray()) {
            *error = QStringLiteral("%1: %2 is not a list").arg(origin(set), here);
            return false;
        }
        array = child.toArray();
        if (seg.index >= array.size()) {
            *error = QStringLiteral("%1: %2[%3] does not exist (%2 has %4 entries)")
                         .arg(origin(set), here)
                         .arg(seg.index)
                         .arg(array.size());
            return false;
        }
        child = array.at(seg.index);
        childPath = here + QStringLiteral("[%1]").arg(seg.index);
    } else if (child.isArray() && i + 1 < segs.size()) {
        *error = QStringLiteral("%1: %2 is a list; use %2[index]").arg(origin(set), here);
        return false;
    }
    if (i + 1 == segs.size()) {
        if (!typedValue(child, SetAssignment{childPath, set.value, {}}, &child, error)) {
            return false;
        }
    } else if (!setAt(&child, segs, i + 1, childPath, set, error)) {
        return false;
    }
    if (seg.index >= 0) {
        array.replace(seg.index, child);
        object.insert(seg.key, array);
    } else {
        object.insert(seg.key, child);
    }
    *node = object;
    return true;
}

bool parseAndValidate(const QJsonObject &root, Scenario *out, QStringList *problems)
{
    std::vector<ScenarioProblem> found;
    if (scenarioFromJson(QJsonDocument(root).toJson(QJsonDocument::Compact), out, &found)) {
        return true;
    }
    for (const ScenarioProblem &p : found) {
        *problems << p.toString();
    }
    return false;
}

} // namespace

bool parseAssignment(const QString &text, SetAssignment *out, QString *error)
{
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0) {
        *error = QStringLiteral("--set '%1': expected key=value, e.g. optimizer.v=10").arg(text);
        return false;
    }
    out->path = text.left(eq).trimmed();
    out->value = text.mid(eq + 1);
    return true;
}

bool applyAssignment(QJsonObject *root, const SetAssignment &set, QString *error)
{
    if (isDeviceCountPath(set.path)) {
        return setDeviceCount(root, set.path, set.value, origin(set), error);
    }
    std::vector<Segment> segments;
    if (!splitPath(set, &segments, error)) {
        return false;
    }
    addOmittedDefaults(root); // a field the file leaves out at its default is still a field
    QJsonValue node(*root);
    if (!setAt(&node, segments, 0, QString(), set, error)) {
        return false;
    }
    *root = node.toObject();
    return true;
}

bool patchScenario(const Scenario &base, const std::vector<SetAssignment> &sets, Scenario *out,
    QStringList *problems)
{
    QJsonObject root = QJsonDocument::fromJson(scenarioToJson(base)).object();
    bool ok = true;
    for (const SetAssignment &set : sets) {
        QString error;
        if (!applyAssignment(&root, set, &error)) {
            *problems << escapeControlCharacters(error);
            ok = false;
        }
    }
    if (!ok) {
        return false;
    }
    const qsizetype firstProblem = problems->size();
    if (!parseAndValidate(root, out, problems)) {
        // A problem names the number in its shortest form ("got 1e+05"); when that is not the
        // text the user gave, name that too, so the message quotes the value as typed.
        for (qsizetype i = firstProblem; i < problems->size(); ++i) {
            QString &problem = (*problems)[i];
            for (auto set = sets.rbegin(); set != sets.rend(); ++set) {
                if (!set->origin.isEmpty()
                    || !problem.startsWith(set->path + QLatin1String(": "))) {
                    continue;
                }
                const QString typed = escapeControlCharacters(set->value.trimmed());
                if (!problem.contains(typed)) {
                    problem += QStringLiteral(" (given as %1)").arg(typed);
                }
                break;
            }
        }
        return false;
    }
    // A trace's rows are read from its file, not kept in the JSON: a device that still names the
    // same trace file keeps the rows `base` loaded (else `run --set` of a trace scenario had
    // none, issue [6/7]).
    QHash<QString, const DeviceAvailability *> loaded;
    for (const Cluster &c : base.topology.clusters) {
        for (const Device &d : c.devices) {
            loaded.insert(d.id, &d.availability);
        }
    }
    for (Cluster &c : out->topology.clusters) {
        for (Device &d : c.devices) {
            const DeviceAvailability *before = loaded.value(d.id, nullptr);
            if (d.availability.kind == AvailabilityKind::Trace && d.availability.trace.empty()
                && before && before->kind == AvailabilityKind::Trace
                && before->file == d.availability.file) {
                d.availability.trace = before->trace;
            }
        }
    }
    return true;
}

} // namespace collapipe
