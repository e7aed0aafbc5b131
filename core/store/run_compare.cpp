// SPDX-License-Identifier: MIT
#include "core/store/run_compare.h"

#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
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

QString scaled(double value, const char *const *prefixes, const double *factors, int count,
    const QString &unit)
{
    const double a = std::abs(value);
    int i = count - 1;
    while (i > 0 && a < factors[i]) {
        --i;
    }
    if (a == 0.0) {
        i = 0;
        while (i < count && factors[i] != 1.0) {
            ++i;
        }
        i = std::min(i, count - 1);
    }
    const double v = value / factors[i];
    const double av = std::abs(v);
    const int decimals = av >= 100.0 ? 0 : (av >= 10.0 ? 1 : 2);
    return QStringLiteral("%1 %2%3")
        .arg(v, 0, 'f', decimals)
        .arg(QString::fromUtf8(prefixes[i]), unit);
}

QString formatScaled(double value, const QString &unit)
{
    static const char *const prefixes[] = {"n", "µ", "m", "", "k", "M", "G"};
    static const double factors[] = {1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6, 1e9};
    return scaled(value, prefixes, factors, 7, unit);
}

} // namespace

double timeToAccuracy(const std::vector<AccuracyPoint> &points, double target)
{
    if (std::isnan(target)) {
        return std::nan("");
    }
    const AccuracyPoint *previous = nullptr;
    for (const AccuracyPoint &p : points) {
        if (std::isnan(p.accuracy)) {
            continue;
        }
        if (p.accuracy >= target) {
            if (!previous || p.accuracy <= previous->accuracy) {
                return p.simTimeS;
            }
            const double f = (target - previous->accuracy) / (p.accuracy - previous->accuracy);
            return previous->simTimeS + std::clamp(f, 0.0, 1.0) * (p.simTimeS - previous->simTimeS);
        }
        previous = &p;
    }
    return std::nan("");
}

QString formatMetricValue(double value, const QString &unit)
{
    if (!std::isfinite(value)) {
        return std::isnan(value) ? QStringLiteral("-")
                                 : (value > 0 ? QStringLiteral("∞") : QStringLiteral("−∞"));
    }
    if (unit == QLatin1String("%")) {
        return QStringLiteral("%1 %").arg(100.0 * value, 0, 'f', 1);
    }
    if (unit.isEmpty()) {
        return value == std::round(value) && std::abs(value) < 1e15
            ? QString::number(static_cast<qint64>(value))
            : QString::number(value, 'g', 4);
    }
    return formatScaled(value, unit);
}

QString formatMetricDelta(const MetricComparison &metric, std::size_t run)
{
    const double delta = metric.delta(run);
    if (std::isnan(delta)) {
        return QStringLiteral("-");
    }
    if (delta == 0.0) {
        return QStringLiteral("0");
    }
    const QString sign = delta > 0 ? QStringLiteral("+") : QString();
    QString text = metric.unit == QLatin1String("%")
        ? QStringLiteral("%1%2 pp").arg(sign).arg(100.0 * delta, 0, 'f', 1)
        : sign + formatMetricValue(delta, metric.unit);
    const double percent = metric.deltaPercent(run);
    if (std::isfinite(percent) && metric.unit != QLatin1String("%")) {
        text += QStringLiteral(" (%1%2 %)")
                    .arg(percent > 0 ? QStringLiteral("+") : QString())
                    .arg(percent, 0, 'f', 1);
    }
    return text;
}

QStringList runLabels(const RunComparison &comparison)
{
    // What people vary most often first; a path's last component names the rest.
    static const char *const preferred[]
        = {"optimizer.schedule", "run.policy", "run.seed", "optimizer.v", "run.train"};
    std::vector<const ConfigDifference *> chosen;
    // A setting recorded twice (run.policy and optimizer.policy) names a run once.
    const auto repeats = [&chosen](const ConfigDifference &d) {
        return std::any_of(chosen.begin(), chosen.end(),
            [&d](const ConfigDifference *c) { return c == &d || c->values == d.values; });
    };
    for (const char *path : preferred) {
        for (const ConfigDifference &d : comparison.config) {
            if (d.path == QLatin1String(path) && !repeats(d)) {
                chosen.push_back(&d);
            }
        }
    }
    for (const ConfigDifference &d : comparison.config) {
        if (chosen.size() >= 3) {
            break;
        }
        const bool skip = d.path == QLatin1String("name") || d.path == QLatin1String("description")
            || d.path.startsWith(QLatin1String("run.")) || repeats(d);
        if (!skip) {
            chosen.push_back(&d);
        }
    }
    if (chosen.size() > 3) {
        chosen.resize(3);
    }
    QStringList labels;
    for (std::size_t r = 0; r < comparison.runs.size(); ++r) {
        QStringList parts{QStringLiteral("#%1").arg(comparison.runs[r].id)};
        for (const ConfigDifference *d : chosen) {
            const QString value = d->values.value(static_cast<qsizetype>(r));
            if (d->path == QLatin1String("optimizer.schedule")
                || d->path == QLatin1String("run.policy")) {
                parts << value;
            } else if (d->path == QLatin1String("run.seed")) {
                parts << QStringLiteral("seed %1").arg(value);
            } else if (d->path == QLatin1String("run.train")) {
                parts << QStringLiteral("training %1").arg(value);
            } else {
                parts << QStringLiteral("%1=%2").arg(d->path.section(QLatin1Char('.'), -1), value);
            }
        }
        labels << parts.join(QLatin1Char(' '));
    }
    return labels;
}

double MetricComparison::deltaPercent(std::size_t run) const
{
    const double reference = values[0];
    if (std::isnan(reference) || std::isnan(values[run]) || reference == 0.0) {
        return std::nan("");
    }
    return 100.0 * (values[run] - reference) / std::abs(reference);
}

bool compareRuns(RunStore *store, const std::vector<std::int64_t> &ids, RunComparison *out,
    QString *error, const CompareOptions &options)
{
    RunReader reader(store);
    *out = RunComparison{};
    std::vector<FlatConfig> configs;
    std::vector<RunSummary> summaries;
    for (std::int64_t id : ids) {
        RunInfo info;
        QString json;
        RunSummary summary;
        std::vector<RoundRecord> rounds;
        if (!reader.run(id, &info, error) || !reader.scenarioJson(id, &json, error)
            || !reader.summary(id, &summary, error) || !reader.rounds(id, &rounds, error)) {
            return false;
        }
        std::vector<AccuracyPoint> accuracy;
        for (const RoundRecord &r : rounds) {
            if (!std::isnan(r.accuracy)) {
                accuracy.push_back({r.simTimeS, r.accuracy});
            }
        }
        // A run without evaluations (training off) has no accuracy, not an accuracy of 0.
        if (accuracy.empty()) {
            summary.finalAccuracy = std::nan("");
        }
        if (std::none_of(rounds.begin(), rounds.end(),
                [](const RoundRecord &r) { return !std::isnan(r.loss); })) {
            summary.finalLoss = std::nan("");
        }
        out->accuracy.push_back(std::move(accuracy));
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
    // Time to accuracy first: it is the question a comparison answers (issue [1/7] #9).
    double lowestFinal = std::nan("");
    for (std::size_t r = 0; r < summaries.size(); ++r) {
        if (out->accuracy[r].empty()) {
            continue;
        }
        const double final = summaries[r].finalAccuracy;
        out->bestFinalAccuracy
            = std::isnan(out->bestFinalAccuracy) ? final : std::max(out->bestFinalAccuracy, final);
        lowestFinal = std::isnan(lowestFinal) ? final : std::min(lowestFinal, final);
    }
    out->targetAccuracy = std::isnan(options.targetAccuracy) ? lowestFinal : options.targetAccuracy;
    MetricComparison toTarget{QStringLiteral("time_to_target_s"), QStringLiteral("s"),
        QStringLiteral("Simulated time to accuracy %1")
            .arg(formatMetricValue(out->targetAccuracy, QStringLiteral("%"))),
        {}, false};
    MetricComparison to90{QStringLiteral("time_to_90pct_best_s"), QStringLiteral("s"),
        QStringLiteral("Simulated time to 90 % of the best final accuracy (%1)")
            .arg(formatMetricValue(0.9 * out->bestFinalAccuracy, QStringLiteral("%"))),
        {}, false};
    for (const std::vector<AccuracyPoint> &points : out->accuracy) {
        toTarget.values.push_back(timeToAccuracy(points, out->targetAccuracy));
        to90.values.push_back(timeToAccuracy(points, 0.9 * out->bestFinalAccuracy));
    }
    out->metrics.push_back(std::move(toTarget));
    out->metrics.push_back(std::move(to90));

    struct MetricDef
    {
        const char *key;
        const char *unit;
        const char *label;
        double RunSummary::*field;
        bool higherIsBetter;
    };
    static const MetricDef defs[] = {
        {"final_accuracy", "%", "Final validation accuracy", &RunSummary::finalAccuracy, true},
        {"final_loss", "", "Final training loss", &RunSummary::finalLoss, false},
        {"sim_time_s", "s", "Simulated time (all rounds)", &RunSummary::simTimeS, false},
        {"mean_latency_s", "s", "Mean latency per round", &RunSummary::meanLatencyS, false},
        {"mean_energy_j", "J", "Mean energy per round (all devices)", &RunSummary::meanEnergyJ,
            false},
        {"total_energy_j", "J", "Total energy (all devices)", &RunSummary::totalEnergyJ, false},
        {"mean_bubble_fraction", "%", "Mean pipeline bubble", &RunSummary::meanBubbleFraction,
            false},
        {"mean_computation_efficiency", "%", "Mean computation efficiency",
            &RunSummary::meanComputationEfficiency, true},
        {"mean_energy_queue_j", "J", "Mean energy queue Q", &RunSummary::meanEnergyQueueJ, false},
        {"max_memory_fraction", "%", "Peak memory / capacity", &RunSummary::maxMemoryFraction,
            false},
        {"mean_objective", "", "Mean drift-plus-penalty objective", &RunSummary::meanObjective,
            false},
        {"mean_decision_time_s", "s", "Mean decision time (wall clock)",
            &RunSummary::meanDecisionTimeS, false},
    };
    MetricComparison rounds{
        QStringLiteral("rounds"), QString(), QStringLiteral("Rounds"), {}, false};
    for (const RunSummary &s : summaries) {
        rounds.values.push_back(s.rounds);
    }
    out->metrics.push_back(rounds);
    for (const MetricDef &def : defs) {
        MetricComparison m{QString::fromUtf8(def.key), QString::fromUtf8(def.unit),
            QString::fromUtf8(def.label), {}, def.higherIsBetter};
        for (const RunSummary &s : summaries) {
            m.values.push_back(s.*(def.field));
        }
        out->metrics.push_back(std::move(m));
    }
    return true;
}

} // namespace collapipe
