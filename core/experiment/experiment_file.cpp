// SPDX-License-Identifier: MIT
// Experiment files: JSON -> ExperimentSpec, every problem at once with its field path (as the
// scenario reader does), so a user fixes a file in one pass.
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_metrics.h"
#include "core/experiment/experiment_parse.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>

#include <algorithm>

namespace collapipe {
namespace {

const QStringList &topLevelKeys()
{
    static const QStringList keys{QStringLiteral("experiment_version"), QStringLiteral("name"),
        QStringLiteral("description"), QStringLiteral("scenario"), QStringLiteral("set"),
        QStringLiteral("axes"), QStringLiteral("policies"), QStringLiteral("seeds"),
        QStringLiteral("rounds"), QStringLiteral("train"), QStringLiteral("events"),
        QStringLiteral("metrics")};
    return keys;
}

/// Fields with their own key: an axis or "set" over them would fight that key.
const std::pair<const char *, const char *> kOwnKeys[] = {{"optimizer.policy", "policies"},
    {"training.seed", "seeds"}, {"training.rounds", "rounds"}, {"training.train", "train"}};

/// At most this many bad values of one axis are listed; the rest are counted.
constexpr int kMaxValueProblems = 20;

QString indexed(const QString &path, qsizetype i)
{
    return path + QStringLiteral("[%1]").arg(i);
}

const FieldInfo &trainingField(const char *key)
{
    for (const FieldSpec<TrainingSettings> &f : trainingFields()) {
        if (f.key == QLatin1String(key)) {
            return f;
        }
    }
    Q_UNREACHABLE();
}

class FileReader
{
public:
    FileReader(const QJsonObject &root, std::vector<ExperimentProblem> *problems)
        : m_root(root)
        , m_problems(problems)
    { }

    void add(const QString &path, const QString &message)
    {
        m_problems->push_back({path, message});
    }

    /// False (and a problem) when `v` is not of the wanted kind.
    bool expect(const QJsonValue &v, QJsonValue::Type type, const QString &path)
    {
        if (v.type() == type) {
            return true;
        }
        const char *what = type == QJsonValue::String ? "a string"
            : type == QJsonValue::Bool                ? "true or false"
            : type == QJsonValue::Array               ? "an array"
            : type == QJsonValue::Object              ? "an object"
                                                      : "a number";
        add(path,
            QStringLiteral("must be %1 (got %2)").arg(QLatin1String(what), describeJsonValue(v)));
        return false;
    }

    /// An integer within the range of the scenario field `field` (seed, rounds).
    bool integer(const QJsonValue &v, const QString &path, const FieldInfo &field, double *out)
    {
        if (!expect(v, QJsonValue::Double, path)) {
            return false;
        }
        const QString reason = checkFieldValue(field, v.toDouble());
        if (!reason.isEmpty()) {
            add(path, reason);
            return false;
        }
        *out = v.toDouble();
        return true;
    }

    /// Reports keys of `obj` not in `known`.
    void unknownKeys(const QJsonObject &obj, const QString &path, const QStringList &known)
    {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (!known.contains(it.key())) {
                add(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                    QStringLiteral("unknown key (valid: %1)")
                        .arg(known.join(QStringLiteral(", "))));
            }
        }
    }

    /// A field path that must exist in the scenario and not be one with its own key. `hasBase`
    /// false (the base scenario could not be read) skips the lookup.
    bool fieldPath(const QJsonValue &v, const QString &where, bool hasBase, QString *out)
    {
        if (!expect(v, QJsonValue::String, where)) {
            return false;
        }
        *out = v.toString();
        if (out->trimmed().isEmpty()) {
            add(where,
                QStringLiteral("must not be empty (a field path such as optimizer.v; got %1)")
                    .arg(describeJsonValue(v)));
            return false;
        }
        for (const auto &[field, key] : kOwnKeys) {
            if (*out == QLatin1String(field)) {
                add(where,
                    QStringLiteral("%1 has its own key: use \"%2\"").arg(*out, QLatin1String(key)));
                return false;
            }
        }
        if (!hasBase) {
            return true;
        }
        // "1" is a valid value for a number, a switch, a string and a device count alike: a
        // failure here is the path's, not the value's.
        QJsonObject probe = m_root;
        QString error;
        if (!applyAssignment(&probe, SetAssignment{*out, QStringLiteral("1"), *out}, &error)) {
            add(where, error);
            return false;
        }
        return true;
    }

    /// One value for `path`: a scalar of the field's type.
    bool value(const QJsonValue &v, const QString &path, const QString &where, bool hasBase)
    {
        if (!v.isDouble() && !v.isString() && !v.isBool()) {
            add(where,
                QStringLiteral("must be a number, a string or true/false (got %1)")
                    .arg(describeJsonValue(v)));
            return false;
        }
        if (!hasBase || path.isEmpty()) {
            return true;
        }
        QJsonObject probe = m_root;
        QString error;
        if (!applyAssignment(&probe, SetAssignment{path, axisValueText(v), path}, &error)) {
            add(where, error);
            return false;
        }
        return true;
    }

    /// {"path": P, "values": [...]} at `where`. `unique`: a value may not repeat (a grid axis; in
    /// a zip only the combined rows must differ, zip() checks those).
    bool column(
        const QJsonValue &v, const QString &where, bool hasBase, bool unique, AxisColumn *out)
    {
        if (!expect(v, QJsonValue::Object, where)) {
            return false;
        }
        const QJsonObject obj = v.toObject();
        unknownKeys(obj, where, {QStringLiteral("path"), QStringLiteral("values")});
        bool ok = true;
        const QString pathKey = where + QStringLiteral(".path");
        const QString valuesKey = where + QStringLiteral(".values");
        if (!obj.contains(QStringLiteral("path"))) {
            add(pathKey, QStringLiteral("missing required key"));
            ok = false;
        } else if (!fieldPath(obj.value(QStringLiteral("path")), pathKey, hasBase, &out->path)) {
            out->path.clear();
            ok = false;
        }
        // Each value is checked against the path on its own: a bad value must not hide the
        // ones after it (a user fixes the file in one pass).
        const QString valuePath = ok ? out->path : QString();
        if (!obj.contains(QStringLiteral("values"))) {
            add(valuesKey, QStringLiteral("missing required key"));
            return false;
        }
        const QJsonValue values = obj.value(QStringLiteral("values"));
        if (!expect(values, QJsonValue::Array, valuesKey)) {
            return false;
        }
        const QJsonArray array = values.toArray();
        if (array.isEmpty()) {
            add(valuesKey, QStringLiteral("must not be empty (an axis needs at least one value)"));
            return false;
        }
        QHash<QString, qsizetype> firstOf; // value text -> first index: a repeat is one point twice
        // A long axis of bad values (a 100,000-value list) names the first ones and counts the
        // rest, as invalid points are.
        std::vector<ExperimentProblem> *const listed = m_problems;
        std::vector<ExperimentProblem> unlisted;
        int bad = 0;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue v = array.at(i);
            m_problems = bad < kMaxValueProblems ? listed : &unlisted;
            const std::size_t before = m_problems->size();
            const auto countBad = qScopeGuard([&] {
                bad += m_problems->size() > before ? 1 : 0;
                m_problems = listed;
            });
            ok = value(v, valuePath, indexed(valuesKey, i), hasBase) && ok;
            if (unique && (v.isDouble() || v.isString() || v.isBool())) {
                const QString text = axisValueText(v);
                const auto seen = firstOf.constFind(text);
                if (seen != firstOf.constEnd()) {
                    add(indexed(valuesKey, i),
                        QStringLiteral("%1 is listed twice (as %2 too): the same point would run "
                                       "twice")
                            .arg(describeJsonValue(v), indexed(valuesKey, *seen)));
                    ok = false;
                } else {
                    firstOf.insert(text, i);
                }
            }
            out->values.push_back(v);
        }
        if (bad > kMaxValueProblems) {
            add(valuesKey,
                QStringLiteral("%1 more bad values not listed").arg(bad - kMaxValueProblems));
        }
        return ok;
    }

    void axes(const QJsonValue &v, bool hasBase, ExperimentSpec *spec)
    {
        const QString path = QStringLiteral("axes");
        if (!expect(v, QJsonValue::Array, path)) {
            return;
        }
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString where = indexed(path, i);
            if (!expect(array.at(i), QJsonValue::Object, where)) {
                continue;
            }
            const QJsonObject obj = array.at(i).toObject();
            ExperimentAxis axis;
            if (!obj.contains(QStringLiteral("zip"))) {
                AxisColumn c;
                if (column(obj, where, hasBase, true, &c)) {
                    axis.columns.push_back(std::move(c));
                }
            } else {
                axis.zipped = true;
                unknownKeys(obj, where, {QStringLiteral("zip")});
                zip(obj.value(QStringLiteral("zip")), where + QStringLiteral(".zip"), hasBase,
                    &axis);
            }
            if (!axis.columns.empty()) {
                spec->axes.push_back(std::move(axis));
                m_axisWhere.push_back(where);
            }
        }
    }

    void zip(const QJsonValue &v, const QString &where, bool hasBase, ExperimentAxis *axis)
    {
        if (!expect(v, QJsonValue::Array, where)) {
            return;
        }
        const QJsonArray array = v.toArray();
        if (array.isEmpty()) {
            add(where, QStringLiteral("must not be empty (list the paths that advance together)"));
            return;
        }
        std::vector<AxisColumn> columns;
        bool ok = true;
        for (qsizetype j = 0; j < array.size(); ++j) {
            AxisColumn c;
            ok = column(array.at(j), indexed(where, j), hasBase, false, &c) && ok;
            if (!columns.empty() && ok && c.values.size() != columns.front().values.size()) {
                add(indexed(where, j) + QStringLiteral(".values"),
                    QStringLiteral("has %1 values, %2.values has %3 (zipped paths advance "
                                   "together: give each the same number)")
                        .arg(c.values.size())
                        .arg(indexed(where, 0))
                        .arg(columns.front().values.size()));
                ok = false;
            }
            columns.push_back(std::move(c));
        }
        if (!ok) {
            return;
        }
        // A row repeated (every column's value the same as in an earlier row) is one point twice.
        QHash<QString, std::size_t> firstOf;
        for (std::size_t i = 0; i < columns.front().values.size(); ++i) {
            QStringList row;
            for (const AxisColumn &c : columns) {
                row << axisValueText(c.values[i]);
            }
            const QString key = row.join(QChar(0x1f));
            const auto seen = firstOf.constFind(key);
            if (seen != firstOf.constEnd()) {
                add(where,
                    QStringLiteral("row %1 (%2) repeats row %3: the same point would run twice")
                        .arg(i)
                        .arg(row.join(QStringLiteral(", ")))
                        .arg(*seen));
                return;
            }
            firstOf.insert(key, i);
        }
        axis->columns = std::move(columns);
    }

    /// A path varied or set twice is ambiguous: which value wins would depend on the order.
    void duplicatePaths(const ExperimentSpec &spec)
    {
        QHash<QString, QString> seen;
        for (const SetAssignment &s : spec.fixed) {
            seen.insert(s.path, QStringLiteral("set"));
        }
        for (std::size_t a = 0; a < spec.axes.size(); ++a) {
            for (const AxisColumn &c : spec.axes[a].columns) {
                if (seen.contains(c.path)) {
                    add(m_axisWhere[a],
                        QStringLiteral("%1 is already given by %2")
                            .arg(c.path, seen.value(c.path)));
                } else {
                    seen.insert(c.path, m_axisWhere[a]);
                }
            }
        }
    }

    void fixedSets(const QJsonValue &v, bool hasBase, ExperimentSpec *spec)
    {
        if (!expect(v, QJsonValue::Object, QStringLiteral("set"))) {
            return;
        }
        const QJsonObject obj = v.toObject();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const QString where = QStringLiteral("set.") + it.key();
            QString path;
            if (fieldPath(QJsonValue(it.key()), where, hasBase, &path)
                && value(it.value(), path, where, hasBase)) {
                spec->fixed.push_back({path, axisValueText(it.value()), where});
            }
        }
    }

    void policies(const QJsonValue &v, ExperimentSpec *spec)
    {
        const QString path = QStringLiteral("policies");
        if (!expect(v, QJsonValue::Array, path)) {
            return;
        }
        const QJsonArray array = v.toArray();
        if (array.isEmpty()) {
            add(path,
                QStringLiteral("must not be empty (leave the key out for the scenario's policy)"));
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString where = indexed(path, i);
            if (!expect(array.at(i), QJsonValue::String, where)) {
                continue;
            }
            const QString name = array.at(i).toString();
            QString error;
            if (!makePolicy(name, &error)) {
                add(where, error);
            } else if (spec->policies.contains(name)) {
                add(where, QStringLiteral("\"%1\" is listed twice").arg(name));
            } else {
                spec->policies << name;
            }
        }
    }

    void seeds(const QJsonValue &v, ExperimentSpec *spec)
    {
        const QString path = QStringLiteral("seeds");
        if (!expect(v, QJsonValue::Array, path)) {
            return;
        }
        const QJsonArray array = v.toArray();
        if (array.isEmpty()) {
            add(path,
                QStringLiteral("must not be empty (leave the key out for the scenario's seed)"));
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            double seed = 0;
            if (!integer(array.at(i), indexed(path, i), trainingField("seed"), &seed)) {
                continue;
            }
            const auto value = std::uint64_t(seed);
            if (std::find(spec->seeds.begin(), spec->seeds.end(), value) != spec->seeds.end()) {
                add(indexed(path, i), QStringLiteral("seed %1 is listed twice").arg(value));
            } else {
                spec->seeds.push_back(value);
            }
        }
    }

    void metrics(const QJsonValue &v, ExperimentSpec *spec)
    {
        const QString path = QStringLiteral("metrics");
        if (!expect(v, QJsonValue::Array, path)) {
            return;
        }
        const QJsonArray array = v.toArray();
        if (array.isEmpty()) {
            add(path, QStringLiteral("must not be empty (leave the key out for the default)"));
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString where = indexed(path, i);
            if (!expect(array.at(i), QJsonValue::String, where)) {
                continue;
            }
            const QString key = array.at(i).toString();
            if (!findExperimentMetric(key)) {
                add(where,
                    QStringLiteral("unknown metric \"%1\" (valid: %2)")
                        .arg(key, experimentMetricKeys().join(QStringLiteral(", "))));
            } else if (spec->metrics.contains(key)) {
                add(where, QStringLiteral("\"%1\" is listed twice").arg(key));
            } else {
                spec->metrics << key;
            }
        }
    }

private:
    QJsonObject m_root; ///< the base scenario as JSON (every field present), for path checks
    std::vector<ExperimentProblem> *m_problems;
    std::vector<QString> m_axisWhere; ///< "axes[i]" of each kept axis
};

/// Reads "scenario" (a file relative to `baseDir`, or an inline object) into spec->base.
bool readBase(const QJsonObject &root, const QString &baseDir, ExperimentSpec *spec,
    std::vector<ExperimentProblem> *problems)
{
    const QString key = QStringLiteral("scenario");
    if (!root.contains(key)) {
        problems->push_back({key,
            QStringLiteral("missing required key (a scenario file path "
                           "relative to this file, or a scenario object)")});
        return false;
    }
    const QJsonValue v = root.value(key);
    std::vector<ScenarioProblem> found;
    if (v.isString() && v.toString().trimmed().isEmpty()) {
        problems->push_back({key,
            QStringLiteral("must not be empty (a scenario file path relative to this file, or a "
                           "scenario object; got %1)")
                .arg(describeJsonValue(v))});
        return false;
    }
    if (v.isString()) {
        const QString file = QDir(baseDir).filePath(v.toString());
        spec->scenarioSource = QDir::cleanPath(file);
        if (loadScenarioFile(file, &spec->base, &found)) {
            return true;
        }
        for (const ScenarioProblem &p : found) {
            problems->push_back({key, QStringLiteral("%1: %2").arg(file, p.toString())});
        }
        return false;
    }
    if (v.isObject()) {
        spec->scenarioSource = QStringLiteral("inline");
        const QByteArray text = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        if (scenarioFromJson(text, &spec->base, &found)) {
            return true;
        }
        for (const ScenarioProblem &p : found) {
            // Duplicate keys were already reported from the experiment's own text.
            if (!p.message.contains(QLatin1String("duplicate key"))) {
                problems->push_back(
                    {p.path.isEmpty() ? key : key + QLatin1Char('.') + p.path, p.message});
            }
        }
        return false;
    }
    problems->push_back({key,
        QStringLiteral("must be a file path or a scenario object (got %1)")
            .arg(describeJsonValue(v))});
    return false;
}

} // namespace

namespace experiment_detail {

bool parseExperiment(const QByteArray &json, const QString &baseDir, ExperimentSpec *out,
    std::vector<ExperimentProblem> *problems, bool *expandable)
{
    std::vector<ExperimentProblem> local;
    std::vector<ExperimentProblem> &found = problems ? *problems : local;
    const std::size_t before = found.size();
    ExperimentSpec ignored;
    ExperimentSpec &spec = out ? *out : ignored;
    spec = ExperimentSpec{};
    if (expandable) {
        *expandable = false;
    }

    QJsonObject root;
    if (!parseJsonObject(json, QStringLiteral("experiment"), &root, &found)) {
        return false;
    }

    const QString versionKey = QStringLiteral("experiment_version");
    if (!root.contains(versionKey)) {
        found.push_back({versionKey,
            QStringLiteral("missing required key (expected %1)").arg(kExperimentVersion)});
    } else if (root.value(versionKey) != QJsonValue(kExperimentVersion)) {
        found.push_back({versionKey,
            QStringLiteral("unsupported version %1 (this build reads %2)")
                .arg(describeJsonValue(root.value(versionKey)))
                .arg(kExperimentVersion)});
    }
    const bool hasBase = readBase(root, baseDir, &spec, &found);
    FileReader r(
        hasBase ? QJsonDocument::fromJson(scenarioToJson(spec.base)).object() : QJsonObject(),
        &found);
    r.unknownKeys(root, QString(), topLevelKeys());
    for (const auto &[key, field] :
        {std::pair{"name", &spec.name}, std::pair{"description", &spec.description}}) {
        const QString k = QLatin1String(key);
        if (root.contains(k) && r.expect(root.value(k), QJsonValue::String, k)) {
            *field = root.value(k).toString();
        }
    }
    if (root.contains(QStringLiteral("set"))) {
        r.fixedSets(root.value(QStringLiteral("set")), hasBase, &spec);
    }
    if (root.contains(QStringLiteral("axes"))) {
        r.axes(root.value(QStringLiteral("axes")), hasBase, &spec);
    }
    r.duplicatePaths(spec);
    if (root.contains(QStringLiteral("policies"))) {
        r.policies(root.value(QStringLiteral("policies")), &spec);
    }
    if (root.contains(QStringLiteral("seeds"))) {
        r.seeds(root.value(QStringLiteral("seeds")), &spec);
    }
    double rounds = 0;
    if (root.contains(QStringLiteral("rounds"))
        && r.integer(root.value(QStringLiteral("rounds")), QStringLiteral("rounds"),
            trainingField("rounds"), &rounds)) {
        spec.rounds = int(rounds);
    }
    if (root.contains(QStringLiteral("train"))
        && r.expect(
            root.value(QStringLiteral("train")), QJsonValue::Bool, QStringLiteral("train"))) {
        spec.train = root.value(QStringLiteral("train")).toBool();
    }
    if (root.contains(QStringLiteral("events"))
        && r.expect(
            root.value(QStringLiteral("events")), QJsonValue::Bool, QStringLiteral("events"))) {
        spec.events = root.value(QStringLiteral("events")).toBool();
    }
    if (root.contains(QStringLiteral("metrics"))) {
        r.metrics(root.value(QStringLiteral("metrics")), &spec);
    } else {
        spec.metrics = defaultExperimentMetrics();
    }
    const std::size_t count = experimentPointCount(spec);
    if (count > kMaxExperimentPoints) {
        found.push_back({spec.axes.empty() ? QStringLiteral("seeds") : QStringLiteral("axes"),
            experimentTooLargeMessage(spec, count)});
    }
    if (expandable) {
        *expandable = hasBase && count <= kMaxExperimentPoints;
    }
    return found.size() == before;
}

} // namespace experiment_detail

bool experimentFromJson(const QByteArray &json, const QString &baseDir, ExperimentSpec *out,
    std::vector<ExperimentProblem> *problems)
{
    return experiment_detail::parseExperiment(json, baseDir, out, problems, nullptr);
}

} // namespace collapipe
