// SPDX-License-Identifier: MIT
#include "core/store/run_compare.h"

#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <map>
#include <set>

namespace collapipe {

namespace {

using FlatConfig = std::map<QString, QString>;

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
        return QStringLiteral("null");
    default:
        return {};
    }
}

void flatten(const QJsonValue &value, const QString &path, FlatConfig *out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            flatten(
                it.value(), path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), out);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            (*out)[path] = QStringLiteral("[]");
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            flatten(array.at(i), path + QStringLiteral("[%1]").arg(i), out);
        }
    } else {
        (*out)[path] = scalarText(value);
    }
}

} // namespace

double MetricComparison::deltaPercent(std::size_t run) const
{
    const double reference = values[0];
    if (std::isnan(reference) || std::isnan(values[run]) || reference == 0.0) {
        return std::nan("");
    }
    return 100.0 * (values[run] - reference) / std::abs(reference);
}

bool compareRuns(
    RunStore *store, const std::vector<std::int64_t> &ids, RunComparison *out, QString *error)
{
    RunReader reader(store);
    *out = RunComparison{};
    std::vector<FlatConfig> configs;
    std::vector<RunSummary> summaries;
    for (std::int64_t id : ids) {
        RunInfo info;
        QString json;
        RunSummary summary;
        if (!reader.run(id, &info, error) || !reader.scenarioJson(id, &json, error)
            || !reader.summary(id, &summary, error)) {
            return false;
        }
        FlatConfig flat;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &parseError);
        if (doc.isNull()) {
            *error = QStringLiteral("%1: run %2 has an unreadable stored scenario (%3)")
                         .arg(store->path())
                         .arg(id)
                         .arg(parseError.errorString());
            return false;
        }
        flatten(doc.object(), QString(), &flat);
        flat[QStringLiteral("run.policy")] = info.policy;
        flat[QStringLiteral("run.seed")] = QString::number(info.seed);
        flat[QStringLiteral("run.train")]
            = info.train ? QStringLiteral("on") : QStringLiteral("off");
        flat[QStringLiteral("run.rounds")] = QString::number(info.roundsDone);
        flat[QStringLiteral("run.status")] = runStatusName(info.status);
        out->runs.push_back(info);
        configs.push_back(std::move(flat));
        summaries.push_back(summary);
    }
    std::set<QString> paths;
    for (const FlatConfig &flat : configs) {
        for (const auto &entry : flat) {
            paths.insert(entry.first);
        }
    }
    for (const QString &path : paths) {
        QStringList values;
        for (const FlatConfig &flat : configs) {
            const auto it = flat.find(path);
            values << (it == flat.end() ? QStringLiteral("(absent)") : it->second);
        }
        QStringList unique = values;
        unique.removeDuplicates();
        if (unique.size() > 1) {
            out->config.push_back(ConfigDifference{path, values});
        }
    }
    struct MetricDef
    {
        const char *key;
        const char *unit;
        double RunSummary::*field;
    };
    static const MetricDef defs[] = {
        {"mean_latency_s", "s", &RunSummary::meanLatencyS},
        {"sim_time_s", "s", &RunSummary::simTimeS},
        {"mean_energy_j", "J", &RunSummary::meanEnergyJ},
        {"total_energy_j", "J", &RunSummary::totalEnergyJ},
        {"mean_bubble_fraction", "", &RunSummary::meanBubbleFraction},
        {"mean_computation_efficiency", "", &RunSummary::meanComputationEfficiency},
        {"mean_energy_queue_j", "J", &RunSummary::meanEnergyQueueJ},
        {"max_memory_fraction", "", &RunSummary::maxMemoryFraction},
        {"mean_objective", "", &RunSummary::meanObjective},
        {"final_loss", "", &RunSummary::finalLoss},
        {"final_accuracy", "", &RunSummary::finalAccuracy},
        {"mean_decision_time_s", "s", &RunSummary::meanDecisionTimeS},
    };
    MetricComparison rounds{QStringLiteral("rounds"), QString(), {}};
    for (const RunSummary &s : summaries) {
        rounds.values.push_back(s.rounds);
    }
    out->metrics.push_back(rounds);
    for (const MetricDef &def : defs) {
        MetricComparison m{QString::fromUtf8(def.key), QString::fromUtf8(def.unit), {}};
        for (const RunSummary &s : summaries) {
            m.values.push_back(s.*(def.field));
        }
        out->metrics.push_back(std::move(m));
    }
    return true;
}

} // namespace collapipe
