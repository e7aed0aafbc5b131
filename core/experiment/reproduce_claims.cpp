// SPDX-License-Identifier: MIT
#include "core/experiment/reproduce_claims.h"

#include "core/types/special_values.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace collapipe {
namespace {

/// The points of one setting (all coordinates equal), by policy, in index order.
struct Setting
{
    QJsonObject coordinates;
    QString label;
    std::map<QString, std::vector<const StoredPoint *>> byPolicy;
};

std::vector<Setting> settingsOf(const std::vector<StoredPoint> &points)
{
    std::vector<const StoredPoint *> sorted;
    for (const StoredPoint &p : points) {
        sorted.push_back(&p);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const StoredPoint *a, const StoredPoint *b) { return a->index < b->index; });
    std::vector<Setting> out;
    QHash<QString, std::size_t> where;
    for (const StoredPoint *p : sorted) {
        const QString label = settingLabel(p->coordinates);
        auto it = where.constFind(label);
        if (it == where.constEnd()) {
            it = where.insert(label, out.size());
            out.push_back({p->coordinates, label, {}});
        }
        out[*it].byPolicy[p->policy].push_back(p);
    }
    return out;
}

double meanOf(const std::vector<const StoredPoint *> &points, const QString &metric)
{
    std::vector<double> values;
    for (const StoredPoint *p : points) {
        const double v = pointMetric(*p, metric);
        if (std::isfinite(v)) {
            values.push_back(v);
        }
    }
    return values.empty() ? kNaN : meanInterval(values).mean;
}

QHash<QString, double> policyMeans(const Setting &s, const QString &metric)
{
    QHash<QString, double> means;
    for (const auto &[policy, points] : s.byPolicy) {
        means.insert(policy, meanOf(points, metric));
    }
    return means;
}

/// The claim's number for one pair of values (DSSDA's d, the other policy's b).
double pairValue(ClaimKind kind, double d, double b)
{
    switch (kind) {
    case ClaimKind::LatencyReduction:
        return b > 0.0 ? 1.0 - d / b : kNaN;
    case ClaimKind::EfficiencyGain:
        return b > 0.0 ? d / b - 1.0 : kNaN;
    case ClaimKind::MemoryRatio:
        return b > 0.0 ? d / b : kNaN;
    }
    return kNaN;
}

/// Paired over seeds: the claim's number per seed both policies ran, then mean and interval.
MeanInterval pairedInterval(const PaperClaim &claim, const Setting &s, const QString &other)
{
    std::vector<double> values;
    const auto d = s.byPolicy.find(reproducePolicy());
    const auto b = s.byPolicy.find(other);
    if (d == s.byPolicy.end() || b == s.byPolicy.end()) {
        return meanInterval(values);
    }
    for (const StoredPoint *pd : d->second) {
        for (const StoredPoint *pb : b->second) {
            if (pb->seed == pd->seed) {
                const double v = pairValue(
                    claim.kind, pointMetric(*pd, claim.metric), pointMetric(*pb, claim.metric));
                if (std::isfinite(v)) {
                    values.push_back(v);
                }
            }
        }
    }
    return meanInterval(values);
}

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 2) + QStringLiteral(" %");
}

QString seconds(double s)
{
    return QString::number(s, 'g', 3) + QStringLiteral(" s");
}

/// The latency split's parts (spec §2.3) as the metric table names them.
struct SplitPart
{
    const char *metric;
    const char *name;
};
constexpr SplitPart kSplitParts[] = {{"mean_compute_s", "compute"}, {"mean_d2d_s", "D2D hops"},
    {"mean_d2e_s", "device-edge hops"}, {"mean_decoder_s", "edge head"},
    {"mean_upload_s", "encoder upload"}, {"mean_aggregation_s", "aggregation + broadcast"},
    {"mean_bubble_s", "pipeline bubble"}};

/// Why DSSDA's latency is not 48.98 % below `other`'s: the part of the latency split where
/// DSSDA loses the most time to it, or, when DSSDA is ahead in every part, the part that both
/// spend the most time in (it bounds the saving).
QString latencyReason(const Setting &s, const QString &other, double value, const PaperClaim &c)
{
    const auto &d = s.byPolicy.at(reproducePolicy());
    const auto &b = s.byPolicy.at(other);
    const double total = meanOf(d, c.metric);
    const SplitPart *worst = nullptr;
    const SplitPart *floor = nullptr;
    double worstDiff = 0.0;
    double floorValue = -1.0;
    for (const SplitPart &part : kSplitParts) {
        const double pd = meanOf(d, QLatin1String(part.metric));
        const double pb = meanOf(b, QLatin1String(part.metric));
        if (!std::isfinite(pd) || !std::isfinite(pb)) {
            continue;
        }
        if (pd - pb > worstDiff) {
            worstDiff = pd - pb;
            worst = &part;
        }
        if (std::min(pd, pb) > floorValue) {
            floorValue = std::min(pd, pb);
            floor = &part;
        }
    }
    const QString head = QStringLiteral("vs %1 (%2): ").arg(other, claimValueText(c, value));
    const SplitPart *part = worst ? worst : floor;
    if (!part) {
        return head + QStringLiteral("no latency split stored");
    }
    const double pd = meanOf(d, QLatin1String(part->metric));
    const double pb = meanOf(b, QLatin1String(part->metric));
    const QString share = total > 0.0 ? QString::number(100.0 * pd / total, 'f', 0) : QString();
    if (worst) {
        return head
            + QStringLiteral("%1 takes %2 against %3 (%4 % of DSSDA's %5 round)")
                  .arg(QLatin1String(part->name), seconds(pd), seconds(pb), share, seconds(total));
    }
    return head
        + QStringLiteral("DSSDA is ahead in every part, but %1 (%2 against %3, %4 % of DSSDA's "
                         "%5 round) is common to both and bounds the saving")
              .arg(QLatin1String(part->name), seconds(pd), seconds(pb), share, seconds(total));
}

QString efficiencyReason(const Setting &s, const QString &other, double value, const PaperClaim &c)
{
    const double d = meanOf(s.byPolicy.at(reproducePolicy()), c.metric);
    const double b = meanOf(s.byPolicy.at(other), c.metric);
    const double bd
        = meanOf(s.byPolicy.at(reproducePolicy()), QStringLiteral("mean_bubble_fraction"));
    return QStringLiteral("the largest gain is %1, vs %2: efficiency %3 against %4 (DSSDA's "
                          "devices idle %5 of the pipeline's time)")
        .arg(claimValueText(c, value), other, QString::number(d, 'g', 3),
            QString::number(b, 'g', 3), std::isfinite(bd) ? percent(bd) : QStringLiteral("?"));
}

QString memoryReason(const Setting &s, const QString &other, double value, const PaperClaim &c)
{
    const double d = meanOf(s.byPolicy.at(reproducePolicy()), c.metric);
    const double b = meanOf(s.byPolicy.at(other), c.metric);
    return QStringLiteral("DSSDA's fullest device needs %1 GB, %2 of %3's %4 GB: it gives its "
                          "largest devices most blocks, and %3's devices that cannot hold the "
                          "whole model sit out")
        .arg(QString::number(d / 1e9, 'f', 2), claimValueText(c, value), other,
            QString::number(b / 1e9, 'f', 2));
}

QString reason(const PaperClaim &c, const Setting &s, const QString &other, double value)
{
    switch (c.kind) {
    case ClaimKind::LatencyReduction:
        return latencyReason(s, other, value, c);
    case ClaimKind::EfficiencyGain:
        return efficiencyReason(s, other, value, c);
    case ClaimKind::MemoryRatio:
        return memoryReason(s, other, value, c);
    }
    return QString();
}

/// A value's text for ranges: the first component as a number when it is one.
double sortKey(const QString &value, bool *numeric)
{
    bool ok = false;
    const double v = value.section(QLatin1Char('/'), 0, 0).toDouble(&ok);
    *numeric = *numeric && ok;
    return v;
}

/// "holds for ≥ 2e+07 (3 of 5 values)", "holds for ≤ 5", "holds for 2–10", "holds at 1, 20",
/// "holds at every value (1–20)", "holds nowhere in 1–20". `values` in axis order; ranges
/// (≥, ≤, a–b) only when they are numbers ("holds at true", not "≥ true").
QString rangeText(const std::vector<std::pair<QString, bool>> &values, bool numeric)
{
    const int n = int(values.size());
    std::vector<int> held;
    for (int i = 0; i < n; ++i) {
        if (values[std::size_t(i)].second) {
            held.push_back(i);
        }
    }
    const QString span = values.front().first + QStringLiteral("–") + values.back().first;
    if (held.empty()) {
        return QStringLiteral("holds nowhere in %1").arg(span);
    }
    if (int(held.size()) == n) {
        return QStringLiteral("holds at every value (%1)").arg(span);
    }
    const QString count = QStringLiteral(" (%1 of %2 values)").arg(held.size()).arg(n);
    const bool contiguous = numeric && held.back() - held.front() + 1 == int(held.size());
    if (contiguous && held.back() == n - 1) {
        return QStringLiteral("holds for ≥ %1").arg(values[std::size_t(held.front())].first)
            + count;
    }
    if (contiguous && held.front() == 0) {
        return QStringLiteral("holds for ≤ %1").arg(values[std::size_t(held.back())].first) + count;
    }
    if (contiguous) {
        return QStringLiteral("holds for %1–%2")
                   .arg(values[std::size_t(held.front())].first,
                       values[std::size_t(held.back())].first)
            + count;
    }
    QStringList at;
    for (int i : held) {
        at << values[std::size_t(i)].first;
    }
    return QStringLiteral("holds at %1").arg(at.join(QStringLiteral(", "))) + count;
}

/// Where the claim holds in one part: along its last axis, for each combination of the others.
QStringList describeRegion(const std::vector<StoredPoint> &points,
    const std::vector<std::pair<QJsonObject, bool>> &verdicts)
{
    const std::vector<QStringList> axes = analysisAxes(points);
    if (axes.empty()) {
        return {};
    }
    const QStringList &last = axes.back();
    // Groups of the other axes, in first-met order; inside each, the last axis's values sorted
    // (numerically when every value is a number).
    std::vector<std::pair<QString, std::vector<std::pair<QString, bool>>>> groups;
    for (const auto &[coordinates, holds] : verdicts) {
        const QString other = settingLabel(coordinates, last);
        auto it = std::find_if(
            groups.begin(), groups.end(), [&](const auto &g) { return g.first == other; });
        if (it == groups.end()) {
            groups.push_back({other, {}});
            it = groups.end() - 1;
        }
        // A zipped axis reads by its first path ("model.encoder_blocks (+3 zipped) … 2–24"):
        // the joined values of every path would be unreadable in a sentence.
        it->second.push_back({axisValue(coordinates, last.mid(0, 1)), holds});
    }
    QStringList lines;
    for (auto &[other, values] : groups) {
        bool numeric = true;
        for (const auto &v : values) {
            sortKey(v.first, &numeric);
        }
        if (numeric) {
            std::stable_sort(values.begin(), values.end(), [](const auto &a, const auto &b) {
                bool n = true;
                return sortKey(a.first, &n) < sortKey(b.first, &n);
            });
        }
        const QString name = last.size() > 1
            ? QStringLiteral("%1 (+%2 zipped)").arg(last.front()).arg(last.size() - 1)
            : last.front();
        lines << (other.isEmpty() ? QString() : other + QStringLiteral(": ")) + name
                + QLatin1Char(' ') + rangeText(values, numeric);
    }
    return lines;
}

/// Whether value a is a worse result for the claim than b (for the "worst failing setting").
bool worse(const PaperClaim &c, double a, double b)
{
    return c.kind == ClaimKind::MemoryRatio ? a > b : a < b;
}

} // namespace

QString reproducePolicy()
{
    return QStringLiteral("dssda");
}

QStringList reproduceBaselines()
{
    return {QStringLiteral("uniform"), QStringLiteral("proportional"), QStringLiteral("fl"),
        QStringLiteral("sl")};
}

const std::vector<PaperClaim> &paperClaims()
{
    static const std::vector<PaperClaim> claims{
        {QStringLiteral("latency"),
            QStringLiteral("end-to-end latency at least 48.98 % lower than every baseline"),
            ClaimKind::LatencyReduction, 0.4898, QStringLiteral("mean_latency_s"),
            reproduceBaselines()},
        {QStringLiteral("efficiency"),
            QStringLiteral("computation efficiency up to 15.09 % higher than the baselines"),
            ClaimKind::EfficiencyGain, 0.1509, QStringLiteral("mean_computation_efficiency"),
            reproduceBaselines()},
        {QStringLiteral("memory"),
            QStringLiteral("single-device memory cut by more than half (against fl, the whole "
                           "model on each device)"),
            ClaimKind::MemoryRatio, 0.5, QStringLiteral("max_device_memory_bytes"),
            {QStringLiteral("fl")}},
    };
    return claims;
}

double claimValue(const PaperClaim &claim, const QHash<QString, double> &means, QString *against)
{
    const double d = means.value(reproducePolicy(), kNaN);
    double best = kNaN;
    for (const QString &other : claim.against) {
        const double v = pairValue(claim.kind, d, means.value(other, kNaN));
        if (!std::isfinite(v)) {
            continue;
        }
        // The binding comparison: the smallest reduction ("vs every baseline"), the largest
        // gain ("up to"); one policy for the memory ratio.
        const bool take = !std::isfinite(best)
            || (claim.kind == ClaimKind::EfficiencyGain ? v > best : v < best);
        if (take) {
            best = v;
            if (against) {
                *against = other;
            }
        }
    }
    return best;
}

bool claimHolds(const PaperClaim &claim, double value)
{
    if (!std::isfinite(value)) {
        return false;
    }
    return claim.kind == ClaimKind::MemoryRatio ? value < claim.paperValue
                                                : value >= claim.paperValue;
}

QString claimValueText(const PaperClaim &claim, double value)
{
    if (!std::isfinite(value)) {
        return QStringLiteral("—");
    }
    switch (claim.kind) {
    case ClaimKind::LatencyReduction: // a reduction r is a latency change of −r
        return (value >= 0.0 ? QStringLiteral("−") : QStringLiteral("+"))
            + percent(std::abs(value));
    case ClaimKind::EfficiencyGain:
        return (value >= 0.0 ? QStringLiteral("+") : QStringLiteral("−"))
            + percent(std::abs(value));
    case ClaimKind::MemoryRatio:
        return QString::number(value, 'f', 2) + QStringLiteral("×");
    }
    return QString();
}

std::vector<ClaimRow> claimsTable(const std::vector<ClaimPart> &parts)
{
    std::vector<ClaimRow> rows;
    for (const PaperClaim &claim : paperClaims()) {
        ClaimRow row;
        row.claim = claim;
        bool baseDone = false;
        for (const ClaimPart &part : parts) {
            std::vector<std::pair<QJsonObject, bool>> verdicts;
            const Setting *worstSetting = nullptr;
            double worstValue = kNaN;
            QString worstAgainst;
            const std::vector<Setting> settings = settingsOf(part.points);
            for (const Setting &s : settings) {
                QString against;
                const double v = claimValue(claim, policyMeans(s, claim.metric), &against);
                if (!std::isfinite(v)) {
                    continue;
                }
                const bool holds = claimHolds(claim, v);
                ++row.settings;
                row.settingsHeld += holds ? 1 : 0;
                verdicts.push_back({s.coordinates, holds});
                if (!holds && (!worstSetting || worse(claim, v, worstValue))) {
                    worstSetting = &s;
                    worstValue = v;
                    worstAgainst = against;
                }
                if (s.coordinates.isEmpty() && !baseDone) {
                    baseDone = true;
                    row.oursAgainst = against;
                    row.ours = pairedInterval(claim, s, against);
                    row.holdsOnBase = holds;
                    const QHash<QString, double> means = policyMeans(s, claim.metric);
                    for (const QString &other : claim.against) {
                        const double pv = pairValue(
                            claim.kind, means.value(reproducePolicy()), means.value(other, kNaN));
                        row.oursPerPolicy << other + QLatin1Char(' ') + claimValueText(claim, pv);
                    }
                }
            }
            for (const QString &line : describeRegion(part.points, verdicts)) {
                row.holdsWhere << part.name + QStringLiteral(": ") + line;
            }
            if (worstSetting) {
                const QString where = worstSetting->label.isEmpty() ? QStringLiteral("base setting")
                                                                    : worstSetting->label;
                row.failsBecause << part.name + QStringLiteral(", ") + where + QStringLiteral(": ")
                        + reason(claim, *worstSetting, worstAgainst, worstValue);
            }
        }
        rows.push_back(row);
    }
    return rows;
}

} // namespace collapipe
