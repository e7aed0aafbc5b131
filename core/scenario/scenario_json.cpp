// SPDX-License-Identifier: MIT
// JSON <-> Scenario, driven by the field tables of scenario_fields.h. The reader never stops at the
// first problem: it records each one with its path and keeps going, so a user fixes a file in one
// pass.
#include "core/scenario/scenario_json.h"

#include "core/scenario/display_text.h"
#include "core/scenario/json_duplicate_keys.h"
#include "core/scenario/scenario_fields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace collapipe {
namespace {

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString indexed(const QString &path, qsizetype i)
{
    return path + QStringLiteral("[%1]").arg(i);
}

class Reader
{
public:
    explicit Reader(std::vector<ScenarioProblem> *problems)
        : m_problems(problems)
    { }

    void add(const QString &path, const QString &message)
    {
        m_problems->push_back({path, message});
    }

    /// Reads every field of `fields` present in obj into *out; reports keys of obj that are
    /// neither a field nor in `nested` (the caller reads those).
    template <typename T>
    void readFields(const QJsonObject &obj, const QString &path,
        const std::vector<FieldSpec<T>> &fields, T *out, const QStringList &nested = {})
    {
        QSet<QString> known(nested.begin(), nested.end());
        for (const FieldSpec<T> &f : fields) {
            known.insert(f.key);
            const QString fieldPath = join(path, f.key);
            if (!obj.contains(f.key)) {
                if (f.required) {
                    add(fieldPath, QStringLiteral("missing required key"));
                }
                continue;
            }
            readValue(obj.value(f.key), fieldPath, f, out);
        }
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (!known.contains(it.key())) {
                QStringList valid(known.begin(), known.end());
                valid.sort();
                add(join(path, it.key()),
                    QStringLiteral("unknown key (valid: %1)")
                        .arg(valid.join(QStringLiteral(", "))));
            }
        }
    }

    /// An object-valued key; returns false (and reports) if it is missing-but-required or not an
    /// object.
    bool object(const QJsonObject &parent, const QString &path, const QString &key, bool required,
        QJsonObject *out)
    {
        if (!parent.contains(key)) {
            if (required) {
                add(join(path, key), QStringLiteral("missing required key"));
            }
            return false;
        }
        const QJsonValue v = parent.value(key);
        if (!v.isObject()) {
            add(join(path, key),
                QStringLiteral("must be an object (got %1)").arg(describeJsonValue(v)));
            return false;
        }
        *out = v.toObject();
        return true;
    }

    bool array(const QJsonObject &parent, const QString &path, const QString &key, QJsonArray *out)
    {
        if (!parent.contains(key)) {
            add(join(path, key), QStringLiteral("missing required key"));
            return false;
        }
        const QJsonValue v = parent.value(key);
        if (!v.isArray()) {
            add(join(path, key),
                QStringLiteral("must be an array (got %1)").arg(describeJsonValue(v)));
            return false;
        }
        *out = v.toArray();
        return true;
    }

    /// Each element of an array as an object (reports non-objects and skips them).
    template <typename Fn> void forEachObject(const QJsonArray &items, const QString &path, Fn &&fn)
    {
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemPath = indexed(path, i);
            if (!items.at(i).isObject()) {
                add(itemPath,
                    QStringLiteral("must be an object (got %1)")
                        .arg(describeJsonValue(items.at(i))));
                continue;
            }
            fn(items.at(i).toObject(), itemPath);
        }
    }

private:
    template <typename T>
    void readValue(const QJsonValue &v, const QString &path, const FieldSpec<T> &f, T *out)
    {
        switch (f.kind) {
        case FieldKind::String:
            if (!v.isString()) {
                add(path, QStringLiteral("must be a string (got %1)").arg(describeJsonValue(v)));
                return;
            }
            f.setString(*out, v.toString());
            return;
        case FieldKind::Bool:
            if (!v.isBool()) {
                add(path,
                    QStringLiteral("must be true or false (got %1)").arg(describeJsonValue(v)));
                return;
            }
            f.set(*out, v.toBool() ? 1.0 : 0.0);
            return;
        case FieldKind::Enum: {
            const qsizetype index = v.isString() ? f.enumValues.indexOf(v.toString()) : -1;
            if (index < 0) {
                add(path,
                    QStringLiteral("unknown value %1 (valid: %2)")
                        .arg(v.isString() ? QStringLiteral("\"%1\"").arg(v.toString())
                                          : describeJsonValue(v),
                            f.enumValues.join(QStringLiteral(", "))));
                return;
            }
            f.set(*out, static_cast<double>(index));
            return;
        }
        case FieldKind::Real:
        case FieldKind::Integer:
            break;
        }
        if (!v.isDouble()) {
            add(path, QStringLiteral("must be a number (got %1)").arg(describeJsonValue(v)));
            return;
        }
        // Range-check before set(): an out-of-range double cast to int is undefined behaviour.
        // The struct keeps its default, so validateScenario() does not report the field again.
        const QString reason = checkFieldValue(f, v.toDouble());
        if (!reason.isEmpty()) {
            add(path, reason);
            return;
        }
        f.set(*out, v.toDouble());
    }

    std::vector<ScenarioProblem> *m_problems;
};

/// A node's optional "mobility" object: its scalars, then "waypoints" (an array of {x_m, y_m}).
void readMobility(Reader &r, const QJsonObject &node, const QString &nodePath, Mobility *m)
{
    QJsonObject obj;
    if (!r.object(node, nodePath, QStringLiteral("mobility"), false, &obj)) {
        return;
    }
    const QString path = join(nodePath, QStringLiteral("mobility"));
    r.readFields(obj, path, mobilityFields(), m, {QStringLiteral("waypoints")});
    QJsonArray points;
    if (obj.contains(QStringLiteral("waypoints"))
        && r.array(obj, path, QStringLiteral("waypoints"), &points)) {
        r.forEachObject(points, join(path, QStringLiteral("waypoints")),
            [&](const QJsonObject &o, const QString &p) {
                m->waypoints.emplace_back();
                r.readFields(o, p, waypointFields(), &m->waypoints.back());
            });
    }
}

void readCluster(Reader &r, const QJsonObject &obj, const QString &path, Cluster *c)
{
    r.readFields(
        obj, path, clusterFields(), c, {QStringLiteral("control_unit"), QStringLiteral("devices")});
    QJsonObject cu;
    if (r.object(obj, path, QStringLiteral("control_unit"), true, &cu)) {
        const QString cuPath = join(path, QStringLiteral("control_unit"));
        r.readFields(
            cu, cuPath, controlUnitFields(), &c->controlUnit, {QStringLiteral("mobility")});
        readMobility(r, cu, cuPath, &c->controlUnit.mobility);
    }
    QJsonArray devices;
    const QString devicesPath = join(path, QStringLiteral("devices"));
    if (r.array(obj, path, QStringLiteral("devices"), &devices)) {
        r.forEachObject(devices, devicesPath, [&](const QJsonObject &d, const QString &p) {
            c->devices.emplace_back();
            r.readFields(d, p, deviceFields(), &c->devices.back(), {QStringLiteral("mobility")});
            readMobility(r, d, p, &c->devices.back().mobility);
        });
    }
}

void readScenario(Reader &r, const QJsonObject &root, Scenario *s)
{
    const QStringList nested{QStringLiteral("format"), QStringLiteral("edge_servers"),
        QStringLiteral("clusters"), QStringLiteral("d2d"), QStringLiteral("d2e"),
        QStringLiteral("model"), QStringLiteral("training"), QStringLiteral("optimizer")};
    r.readFields(root, QString(), scenarioFields(), s, nested);

    const QString expected = QLatin1String(kScenarioFormat);
    if (!root.contains(QStringLiteral("format"))) {
        r.add(QStringLiteral("format"),
            QStringLiteral("missing required key (expected \"%1\")").arg(expected));
    } else if (root.value(QStringLiteral("format")).toString() != expected) {
        r.add(QStringLiteral("format"),
            QStringLiteral("unsupported format %1 (expected \"%2\")")
                .arg(describeJsonValue(root.value(QStringLiteral("format"))), expected));
    }

    QJsonArray items;
    if (r.array(root, QString(), QStringLiteral("edge_servers"), &items)) {
        r.forEachObject(
            items, QStringLiteral("edge_servers"), [&](const QJsonObject &o, const QString &p) {
                s->topology.edgeServers.emplace_back();
                r.readFields(o, p, edgeServerFields(), &s->topology.edgeServers.back());
            });
    }
    if (r.array(root, QString(), QStringLiteral("clusters"), &items)) {
        r.forEachObject(
            items, QStringLiteral("clusters"), [&](const QJsonObject &o, const QString &p) {
                s->topology.clusters.emplace_back();
                readCluster(r, o, p, &s->topology.clusters.back());
            });
    }
    QJsonObject obj;
    if (r.object(root, QString(), QStringLiteral("d2d"), false, &obj)) {
        r.readFields(obj, QStringLiteral("d2d"), channelFields(), &s->topology.d2d);
    }
    if (r.object(root, QString(), QStringLiteral("d2e"), false, &obj)) {
        r.readFields(obj, QStringLiteral("d2e"), channelFields(), &s->topology.d2e);
    }
    if (r.object(root, QString(), QStringLiteral("model"), false, &obj)) {
        const QString path = QStringLiteral("model");
        r.readFields(obj, path, modelFields(), &s->model,
            {QStringLiteral("trainer"), QStringLiteral("profiled")});
        QJsonObject dims;
        if (r.object(obj, path, QStringLiteral("trainer"), false, &dims)) {
            r.readFields(
                dims, QStringLiteral("model.trainer"), transformerDimsFields(), &s->model.trainer);
        }
        if (r.object(obj, path, QStringLiteral("profiled"), false, &dims)) {
            r.readFields(dims, QStringLiteral("model.profiled"), transformerDimsFields(),
                &s->model.profiled);
        }
    }
    if (r.object(root, QString(), QStringLiteral("training"), false, &obj)) {
        r.readFields(obj, QStringLiteral("training"), trainingFields(), &s->training);
    }
    if (r.object(root, QString(), QStringLiteral("optimizer"), false, &obj)) {
        r.readFields(obj, QStringLiteral("optimizer"), optimizerFields(), &s->optimizer);
    }
}

} // namespace

bool parseJsonObject(const QByteArray &json, const QString &what, QJsonObject *out,
    std::vector<ScenarioProblem> *problems)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        problems->push_back({QString(),
            QStringLiteral("invalid JSON at %1: %2")
                .arg(jsonLineColumn(json, error.offset), error.errorString())});
        return false;
    }
    if (!doc.isObject()) {
        problems->push_back({QString(),
            QStringLiteral("invalid %1: the top level must be a JSON object").arg(what)});
        return false;
    }
    findDuplicateJsonKeys(json, problems);
    *out = doc.object();
    return true;
}

QString jsonLineColumn(const QByteArray &json, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, json.size());
    const QByteArray before = json.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

QString describeJsonValue(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return formatFieldNumber(v.toDouble());
    case QJsonValue::String:
        return QStringLiteral("string \"%1\"").arg(v.toString().left(60));
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QString ScenarioProblem::toString() const
{
    // Paths hold keys and messages hold values from the file: escaped, so one problem stays on
    // one line whatever the file contains.
    return escapeControlCharacters(
        path.isEmpty() ? message : path + QStringLiteral(": ") + message);
}

bool scenarioFromJson(const QByteArray &json, Scenario *out, std::vector<ScenarioProblem> *problems)
{
    std::vector<ScenarioProblem> local;
    std::vector<ScenarioProblem> &found = problems ? *problems : local;
    const std::size_t before = found.size();
    Scenario ignored;
    if (!out) {
        out = &ignored; // a caller that only wants the problems
    }
    *out = Scenario{};

    QJsonObject root;
    if (!parseJsonObject(json, QStringLiteral("scenario"), &root, &found)) {
        return false;
    }
    Reader reader(&found);
    readScenario(reader, root, out);

    // A field the reader already complained about keeps its default or is empty; do not report it
    // a second time from the semantic pass.
    QSet<QString> reported;
    for (std::size_t i = before; i < found.size(); ++i) {
        reported.insert(found[i].path);
    }
    for (ScenarioProblem &p : validateScenario(*out)) {
        if (!reported.contains(p.path)) {
            found.push_back(std::move(p));
        }
    }
    return found.size() == before;
}

} // namespace collapipe
