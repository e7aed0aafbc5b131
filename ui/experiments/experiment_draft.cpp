// SPDX-License-Identifier: MIT
#include "ui/experiments/experiment_draft.h"

#include "core/experiment/experiment.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace collapipe {
namespace {

constexpr int kMaxRangeValues = 1000;

QJsonValue tokenValue(const QString &token)
{
    bool ok = false;
    const double number = token.toDouble(&ok);
    if (ok) {
        return number;
    }
    if (token == QLatin1String("true") || token == QLatin1String("false")) {
        return token == QLatin1String("true");
    }
    return token;
}

bool expandRange(const QString &token, std::vector<QJsonValue> *values, QString *error)
{
    const QStringList parts = token.split(QLatin1Char(':'));
    bool ok[3] = {false, false, false};
    const double from = parts.value(0).toDouble(&ok[0]);
    const double to = parts.value(1).toDouble(&ok[1]);
    const double step = parts.value(2).toDouble(&ok[2]);
    if (parts.size() != 3 || !ok[0] || !ok[1] || !ok[2] || !(step > 0.0) || to < from
        || (to - from) / step >= kMaxRangeValues) {
        *error = QStringLiteral("range '%1': expected from:to:step with from <= to, step > 0 and "
                                "at most %2 values")
                     .arg(token)
                     .arg(kMaxRangeValues);
        return false;
    }
    // Counted, not accumulated, so 0.1 steps do not drift past `to`.
    const int count = int(std::floor((to - from) / step * (1.0 + 1e-12))) + 1;
    for (int i = 0; i < count; ++i) {
        values->push_back(from + step * i);
    }
    return true;
}

} // namespace

bool parseAxisValues(const QString &text, std::vector<QJsonValue> *values, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    values->clear();
    for (const QString &token : text.split(separators, Qt::SkipEmptyParts)) {
        if (token.count(QLatin1Char(':')) > 0) {
            if (!expandRange(token, values, error)) {
                return false;
            }
        } else {
            values->push_back(tokenValue(token));
        }
    }
    return true;
}

bool draftToJson(const ExperimentDraft &draft, QByteArray *json, QString *error)
{
    QJsonArray axes;
    for (std::size_t i = 0; i < draft.axes.size(); ++i) {
        const DraftAxis &axis = draft.axes[i];
        std::vector<QJsonValue> values;
        QString problem;
        if (!parseAxisValues(axis.values, &values, &problem)) {
            *error = QStringLiteral("axes[%1] (%2): %3").arg(i).arg(axis.path, problem);
            return false;
        }
        QJsonArray array;
        for (const QJsonValue &v : values) {
            array.append(v);
        }
        axes.append(
            QJsonObject{{QStringLiteral("path"), axis.path}, {QStringLiteral("values"), array}});
    }
    QJsonArray seeds;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (const QString &token : draft.seeds.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong seed = token.toLongLong(&ok);
        if (!ok || seed < 0) {
            *error = QStringLiteral("seeds: '%1' is not a non-negative integer").arg(token);
            return false;
        }
        seeds.append(seed);
    }
    QJsonObject root{
        {QStringLiteral("experiment_version"), kExperimentVersion},
        {QStringLiteral("name"), draft.name},
        {QStringLiteral("scenario"), draft.scenario},
        {QStringLiteral("axes"), axes},
        {QStringLiteral("policies"), QJsonArray::fromStringList(draft.policies)},
        {QStringLiteral("seeds"), seeds},
        {QStringLiteral("rounds"), draft.rounds},
        {QStringLiteral("train"), draft.train},
    };
    *json = QJsonDocument(root).toJson(QJsonDocument::Indented);
    return true;
}

bool draftFromJson(
    const QByteArray &json, const QString &baseDir, ExperimentDraft *draft, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("not an experiment file: %1").arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    ExperimentDraft out;
    out.name = root.value(QLatin1String("name")).toString(out.name);
    const QJsonValue scenario = root.value(QLatin1String("scenario"));
    if (scenario.isString()) {
        out.scenario = QDir::cleanPath(QDir(baseDir).absoluteFilePath(scenario.toString()));
    } else if (scenario.isObject()) {
        out.scenario = scenario;
    } else {
        *error = QStringLiteral("scenario: expected a file path or a scenario object");
        return false;
    }
    if (root.contains(QLatin1String("set"))) {
        *error = QStringLiteral("set: fixed changes are not editable in the Studio (run this file "
                                "with collapipe experiment)");
        return false;
    }
    const QJsonArray axes = root.value(QLatin1String("axes")).toArray();
    for (qsizetype i = 0; i < axes.size(); ++i) {
        const QJsonObject axis = axes[i].toObject();
        if (axis.contains(QLatin1String("zip"))) {
            *error
                = QStringLiteral("axes[%1]: zipped axes are not editable in the Studio (run this "
                                 "file with collapipe experiment)")
                      .arg(i);
            return false;
        }
        QStringList values;
        for (const QJsonValue &v : axis.value(QLatin1String("values")).toArray()) {
            values << axisValueText(v);
        }
        out.axes.push_back(
            {axis.value(QLatin1String("path")).toString(), values.join(QStringLiteral(", "))});
    }
    for (const QJsonValue &p : root.value(QLatin1String("policies")).toArray()) {
        out.policies << p.toString();
    }
    QStringList seeds;
    for (const QJsonValue &s : root.value(QLatin1String("seeds")).toArray()) {
        seeds << QString::number(s.toInteger());
    }
    if (!seeds.isEmpty()) {
        out.seeds = seeds.join(QStringLiteral(", "));
    }
    out.rounds = root.value(QLatin1String("rounds")).toInt(out.rounds);
    out.train = root.value(QLatin1String("train")).toBool(out.train);
    *draft = out;
    return true;
}

} // namespace collapipe
