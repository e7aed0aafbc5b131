// SPDX-License-Identifier: MIT
// Expansion of an experiment into points, their fingerprints and shards.
#include "core/experiment/experiment.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_fields.h"

#include <QCryptographicHash>
#include <QHash>

#include <algorithm>
#include <cstdint>

namespace collapipe {
namespace {

/// At most this many invalid points are listed; the rest are counted.
constexpr int kMaxPointProblems = 20;

QString shortHash(const QByteArray &data)
{
    // 16 hex digits (64 bits): collisions among an experiment's points are not a practical
    // concern, and the ids stay short enough to read in a table.
    return QString::fromLatin1(
        QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().left(16));
}

/// "optimizer.v=10, policy dssda, seed 1": where a point sits, for messages.
QString pointWhere(const ExperimentPoint &point, const QString &policy, std::uint64_t seed)
{
    const QString label = point.label();
    return QStringLiteral("%1policy %2, seed %3")
        .arg(label.isEmpty() ? QString() : label + QStringLiteral(", "), policy)
        .arg(seed);
}

} // namespace

QString experimentTooLargeMessage(const ExperimentSpec &spec, std::size_t count)
{
    QStringList factors;
    for (const ExperimentAxis &axis : spec.axes) {
        factors << QString::number(axis.size());
    }
    factors << QStringLiteral("%1 policies").arg(std::max<qsizetype>(1, spec.policies.size()))
            << QStringLiteral("%1 seeds").arg(std::max<std::size_t>(1, spec.seeds.size()));
    return QStringLiteral("%1 points (%2) is more than the %3 one experiment may have: split it "
                          "into several files")
        .arg(count == SIZE_MAX ? QStringLiteral("more than %1").arg(SIZE_MAX)
                               : QString::number(count),
            factors.join(QStringLiteral(" x ")))
        .arg(kMaxExperimentPoints);
}

QString axisValueText(const QJsonValue &v)
{
    if (v.isBool()) {
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    }
    if (v.isDouble()) {
        return formatFieldNumber(v.toDouble());
    }
    return v.toString();
}

QString ExperimentPoint::label() const
{
    QStringList parts;
    for (auto it = coordinates.begin(); it != coordinates.end(); ++it) {
        parts << it.key() + QLatin1Char('=') + axisValueText(it.value());
    }
    return parts.join(QLatin1Char(' '));
}

std::size_t experimentPointCount(const ExperimentSpec &spec)
{
    std::vector<std::size_t> factors{std::max<std::size_t>(1, std::size_t(spec.policies.size())),
        std::max<std::size_t>(1, spec.seeds.size())};
    for (const ExperimentAxis &axis : spec.axes) {
        factors.push_back(axis.size());
    }
    std::size_t n = 1;
    for (const std::size_t f : factors) {
        if (f == 0) {
            return 0;
        }
        n = n > SIZE_MAX / f ? SIZE_MAX : n * f;
    }
    return n;
}

QString pointFingerprint(const Scenario &scenario)
{
    return shortHash(QByteArrayLiteral("collapipe-point/1\n") + scenarioToJson(scenario));
}

QString experimentId(const std::vector<ExperimentPoint> &points)
{
    QByteArray all("collapipe-experiment/1\n");
    for (const ExperimentPoint &p : points) {
        all += p.fingerprint.toLatin1() + '\n';
    }
    return shortHash(all);
}

bool expandExperiment(const ExperimentSpec &spec, std::vector<ExperimentPoint> *points,
    std::vector<ExperimentProblem> *problems)
{
    points->clear();
    if (const std::size_t count = experimentPointCount(spec); count > kMaxExperimentPoints) {
        problems->push_back({QStringLiteral("axes"), experimentTooLargeMessage(spec, count)});
        return false;
    }
    const QStringList policies
        = spec.policies.isEmpty() ? QStringList{spec.base.optimizer.policy} : spec.policies;
    const std::vector<std::uint64_t> seeds
        = spec.seeds.empty() ? std::vector<std::uint64_t>{spec.base.training.seed} : spec.seeds;
    // An odometer over the axes: the last axis turns fastest, then policies, then seeds.
    std::vector<std::size_t> at(spec.axes.size(), 0);
    int invalid = 0;
    QHash<QString, int> byFingerprint; // a valid point's fingerprint -> its index
    for (bool more = true; more;) {
        std::vector<SetAssignment> sets = spec.fixed;
        QJsonObject coordinates;
        for (std::size_t a = 0; a < spec.axes.size(); ++a) {
            for (const AxisColumn &c : spec.axes[a].columns) {
                const QJsonValue &v = c.values[at[a]];
                sets.push_back({c.path, axisValueText(v), {}});
                coordinates.insert(c.path, v);
            }
        }
        if (spec.rounds) {
            sets.push_back({QStringLiteral("training.rounds"), QString::number(*spec.rounds), {}});
        }
        if (spec.train) {
            sets.push_back({QStringLiteral("training.train"),
                *spec.train ? QStringLiteral("true") : QStringLiteral("false"), {}});
        }
        for (const QString &policy : policies) {
            for (const std::uint64_t seed : seeds) {
                std::vector<SetAssignment> all = sets;
                all.push_back({QStringLiteral("optimizer.policy"), policy, {}});
                all.push_back({QStringLiteral("training.seed"), QString::number(seed), {}});
                ExperimentPoint point;
                point.index = int(points->size());
                point.coordinates = coordinates;
                QStringList found;
                const bool valid = patchScenario(spec.base, all, &point.scenario, &found);
                point.fingerprint = pointFingerprint(point.scenario);
                if (valid) {
                    // Two values that read alike ("1e6" and 1000000) or a set value an axis
                    // repeats give one scenario twice: one fingerprint, two runs of one point.
                    const auto twin = byFingerprint.constFind(point.fingerprint);
                    if (twin != byFingerprint.constEnd()) {
                        found << QStringLiteral("the same scenario as points[%1] (%2): each "
                                                "point must differ (a value listed twice?)")
                                     .arg(*twin)
                                     .arg(pointWhere(points->at(std::size_t(*twin)), policy, seed));
                    } else {
                        byFingerprint.insert(point.fingerprint, point.index);
                    }
                }
                if (!found.isEmpty() && ++invalid <= kMaxPointProblems) {
                    for (const QString &f : found) {
                        problems->push_back({QStringLiteral("points[%1]").arg(point.index),
                            QStringLiteral("(%1) %2").arg(pointWhere(point, policy, seed), f)});
                    }
                }
                points->push_back(std::move(point));
            }
        }
        more = false;
        for (std::size_t a = spec.axes.size(); a-- > 0;) {
            if (++at[a] < spec.axes[a].size()) {
                more = true;
                break;
            }
            at[a] = 0;
        }
    }
    if (invalid > kMaxPointProblems) {
        problems->push_back({QStringLiteral("points"),
            QStringLiteral("%1 more invalid points not listed").arg(invalid - kMaxPointProblems)});
    }
    return invalid == 0;
}

std::vector<ExperimentPoint> shardPoints(
    const std::vector<ExperimentPoint> &points, int shard, int count)
{
    std::vector<ExperimentPoint> mine;
    for (std::size_t i = std::size_t(shard); i < points.size(); i += std::size_t(count)) {
        mine.push_back(points[i]);
    }
    return mine;
}

} // namespace collapipe
