// SPDX-License-Identifier: MIT
// The experiment analysis (issue [5/7] "Analysis") against hand computations: the t interval,
// the one-seed case, a regime map and Pareto fronts whose answers are known, and the CSV text.
#include "core/experiment/experiment_analysis.h"
#include "core/experiment/experiment_report.h"
#include "core/experiment/experiment_time_to_accuracy.h"
#include "core/experiment/reproduce_claims.h"
#include "core/experiment/reproduce_set.h"

#include <QTest>

#include <cmath>

using namespace collapipe;

namespace {

StoredPoint point(int index, QJsonObject coordinates, const QString &policy, std::uint64_t seed,
    double latency, double energy)
{
    StoredPoint p;
    p.index = index;
    p.coordinates = std::move(coordinates);
    p.policy = policy;
    p.seed = seed;
    p.summary.meanLatencyS = latency;
    p.summary.meanEnergyJ = energy;
    p.summary.finalAccuracy = latency; // a higher-is-better metric with the same numbers
    return p;
}

/// Axes a ∈ {1, 2} and b ∈ {"x", "y"}, policies p and q, seeds 1 and 2. Mean latency (over the
/// two seeds) per cell, p / q:  (1,x) 10 / 12   (1,y) 20 / 16   (2,x) 5 / 5   (2,y) 8 / 6.
std::vector<StoredPoint> toyExperiment()
{
    struct Cell
    {
        int a;
        const char *b;
        double p;
        double q;
    };
    const Cell cells[] = {{1, "x", 10, 12}, {1, "y", 20, 16}, {2, "x", 5, 5}, {2, "y", 8, 6}};
    std::vector<StoredPoint> points;
    int index = 0;
    for (const Cell &c : cells) {
        const QJsonObject coords{
            {QStringLiteral("a"), c.a}, {QStringLiteral("b"), QLatin1String(c.b)}};
        for (const auto &[policy, mean] :
            {std::pair{QStringLiteral("p"), c.p}, std::pair{QStringLiteral("q"), c.q}}) {
            // Seeds at mean ± 1: the mean over seeds is the table's value.
            points.push_back(point(index++, coords, policy, 1, mean - 1.0, 100.0));
            points.push_back(point(index++, coords, policy, 2, mean + 1.0, 100.0));
        }
    }
    return points;
}

/// Policies p and q at one setting (no axes), seeds 1 and 2, each an accuracy trace (sim time s,
/// accuracy): p1 (10, .5) (20, .8) (30, .9); p2 (15, .6) (25, .85) (35, .95);
/// q1 (10, .3) (20, .5); q2 (12, .4) (24, .6). A cost-only point (no trace) is left out.
std::vector<StoredPoint> accuracyExperiment()
{
    const std::vector<std::pair<QString, std::vector<AccuracySample>>> traces{
        {QStringLiteral("p"), {{10, .5}, {20, .8}, {30, .9}}},
        {QStringLiteral("p"), {{15, .6}, {25, .85}, {35, .95}}},
        {QStringLiteral("q"), {{10, .3}, {20, .5}}},
        {QStringLiteral("q"), {{12, .4}, {24, .6}}},
        {QStringLiteral("r"), {}},
    };
    std::vector<StoredPoint> points;
    for (const auto &[policy, trace] : traces) {
        StoredPoint p = point(int(points.size()), {}, policy, points.size() % 2 + 1, 1, 1);
        p.accuracyTrace = trace;
        points.push_back(p);
    }
    return points;
}

const RegimeCell *findCell(const std::vector<RegimeCell> &map, const char *x, const char *y)
{
    for (const RegimeCell &c : map) {
        if (c.xValue == QLatin1String(x) && c.yValue == QLatin1String(y)) {
            return &c;
        }
    }
    return nullptr;
}

/// A point of the hand-made reproduction set: latency with its upload and compute parts, the
/// computation efficiency and the fullest device's memory.
StoredPoint claimPoint(int index, QJsonObject coordinates, const QString &policy,
    std::uint64_t seed, double latency, double upload, double efficiency, double memory)
{
    StoredPoint p = point(index, std::move(coordinates), policy, seed, latency, 1.0);
    p.summary.meanSplit.uploadS = upload;
    p.summary.meanSplit.computeS = latency - upload;
    p.summary.meanComputationEfficiency = efficiency;
    p.summary.maxDeviceMemoryBytes = memory;
    return p;
}

/// Two parts. "base" (no axes), seeds 1 and 2 (latency ∓ 1 around the mean):
///   policy        latency  upload  efficiency  memory
///   dssda         10       8       0.5         1e9
///   uniform       40       3       0.2         1e9
///   proportional  30       3       0.3         1e9
///   fl            100      3       0.45        3e9
///   sl            15       3       0.48        1e9
/// sl binds the latency claim: paired reductions 1 − 9/14 and 1 − 11/16, mean 0.334821; the
/// upload (8 s against 3 s) is where DSSDA loses. Efficiency: +150 % vs uniform (holds).
/// Memory: 1/3 of fl (holds). "bw" (axis d2d.bandwidth_hz 5e6, 2e7, 4e7, one seed): dssda 10,
/// sl 30, 25, 12 and the rest 100: reductions 0.667, 0.6, 0.167, so it holds for <= 2e+07.
std::vector<ClaimPart> claimParts()
{
    struct Row
    {
        const char *policy;
        double latency, upload, efficiency, memory;
    };
    const Row rows[] = {{"dssda", 10, 8, 0.5, 1e9}, {"uniform", 40, 3, 0.2, 1e9},
        {"proportional", 30, 3, 0.3, 1e9}, {"fl", 100, 3, 0.45, 3e9}, {"sl", 15, 3, 0.48, 1e9}};
    ClaimPart base{QStringLiteral("base"), {}};
    int index = 0;
    for (const Row &r : rows) {
        for (const std::uint64_t seed : {1, 2}) {
            const double latency = r.latency + (seed == 1 ? -1.0 : 1.0);
            base.points.push_back(claimPoint(index++, {}, QLatin1String(r.policy), seed, latency,
                r.upload, r.efficiency, r.memory));
        }
    }
    ClaimPart bw{QStringLiteral("bw"), {}};
    const std::pair<double, double> slAt[] = {{5e6, 30}, {2e7, 25}, {4e7, 12}};
    for (const auto &[hz, sl] : slAt) {
        const QJsonObject coords{{QStringLiteral("d2d.bandwidth_hz"), hz}};
        for (const Row &r : rows) {
            const QString policy = QLatin1String(r.policy);
            const double latency = policy == QLatin1String("dssda") ? 10.0
                : policy == QLatin1String("sl")                     ? sl
                                                                    : 100.0;
            bw.points.push_back(
                claimPoint(index++, coords, policy, 1, latency, r.upload, r.efficiency, r.memory));
        }
    }
    return {base, bw};
}

} // namespace

class TestExperimentAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void intervalMatchesHandComputation()
    {
        // {1,2,3,4}: mean 2.5, sd = sqrt(5/3) = 1.290994, t(0.975, 3) = 3.182,
        // half-width = 3.182 * 1.290994 / sqrt(4) = 2.0540.
        const MeanInterval m = meanInterval({1.0, 2.0, 3.0, 4.0});
        QCOMPARE(m.n, 4);
        QVERIFY(m.hasInterval);
        QCOMPARE(m.mean, 2.5);
        QVERIFY(std::abs(m.sd - 1.290994) < 1e-6);
        QVERIFY2(std::abs(m.halfWidth - 2.0540) < 1e-3, qPrintable(QString::number(m.halfWidth)));
    }

    void tQuantileTableThenNormal()
    {
        QVERIFY(std::abs(studentT975(1) - 12.706) < 1e-3);
        QVERIFY(std::abs(studentT975(3) - 3.182) < 1e-3);
        QVERIFY(std::abs(studentT975(29) - 2.045) < 1e-3);
        QVERIFY(std::abs(studentT975(30) - 1.960) < 1e-3);
        QVERIFY(std::isnan(studentT975(0)));
    }

    void oneSeedHasNoInterval()
    {
        const MeanInterval m = meanInterval({7.0});
        QCOMPARE(m.n, 1);
        QCOMPARE(m.mean, 7.0);
        QVERIFY(!m.hasInterval);
        QVERIFY(std::isnan(m.halfWidth));
        QVERIFY(std::isnan(meanInterval({}).mean));
    }

    void metricAlongAxisAveragesSeedsPerPolicy()
    {
        const std::vector<AxisSummary> rows = metricAlongAxis(
            toyExperiment(), {QStringLiteral("a")}, QStringLiteral("mean_latency_s"));
        QCOMPARE(rows.size(), std::size_t(8));   // 2 values of a x 2 of b x 2 policies
        const AxisSummary &first = rows.front(); // a=1, b=x, policy p: seeds 9 and 11
        QCOMPARE(first.axisValue, QStringLiteral("1"));
        QCOMPARE(first.otherAxes, QStringLiteral("b=x"));
        QCOMPARE(first.policy, QStringLiteral("p"));
        QCOMPARE(first.stat.n, 2);
        QCOMPARE(first.stat.mean, 10.0);
        // sd = sqrt(2), t(0.975, 1) = 12.7062: half-width 12.7062 * sqrt(2) / sqrt(2).
        QVERIFY(std::abs(first.stat.halfWidth - 12.7062) < 1e-4);
    }

    // Issue 17 item 3: an experiment of policies and seeds, no axes. By hand, mean latency:
    //   p: seeds 10, 12, 17: mean 13, sd = sqrt((9 + 1 + 16) / 2) = sqrt(13) = 3.605551,
    //      t(0.975, 2) = 4.3027, half-width 4.3027 * 3.605551 / sqrt(3) = 8.956784
    //   q: seeds 4, 6: mean 5, sd sqrt(2), half-width 12.7062 * sqrt(2) / sqrt(2) = 12.7062
    //   r: one seed, 3: no interval.
    void policySummaryMatchesHandComputation()
    {
        std::vector<StoredPoint> points;
        const std::pair<const char *, std::vector<double>> seeds[]
            = {{"p", {10, 12, 17}}, {"q", {4, 6}}, {"r", {3}}};
        for (const auto &[policy, values] : seeds) {
            for (std::size_t s = 0; s < values.size(); ++s) {
                points.push_back(point(int(points.size()), {}, QLatin1String(policy),
                    std::uint64_t(s + 1), values[s], 2.0 * values[s]));
            }
        }
        const std::vector<PolicySummary> rows
            = metricPerPolicy(points, QStringLiteral("mean_latency_s"));
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0].policy, QStringLiteral("p"));
        QCOMPARE(rows[0].setting, QString());
        QCOMPARE(rows[0].stat.n, 3);
        QCOMPARE(rows[0].stat.mean, 13.0);
        QVERIFY(std::abs(rows[0].stat.sd - 3.605551) < 1e-6);
        QVERIFY2(std::abs(rows[0].stat.halfWidth - 8.956784) < 1e-5,
            qPrintable(QString::number(rows[0].stat.halfWidth, 'g', 10)));
        QCOMPARE(rows[1].policy, QStringLiteral("q"));
        QCOMPARE(rows[1].stat.n, 2);
        QCOMPARE(rows[1].stat.mean, 5.0);
        QVERIFY(std::abs(rows[1].stat.halfWidth - 12.7062) < 1e-4);
        QCOMPARE(rows[2].policy, QStringLiteral("r"));
        QCOMPARE(rows[2].stat.n, 1);
        QVERIFY(!rows[2].stat.hasInterval);
        // Energy is twice the latency: twice the mean and the half-width.
        const std::vector<PolicySummary> energy
            = metricPerPolicy(points, QStringLiteral("mean_energy_j"));
        QCOMPARE(energy[0].stat.mean, 26.0);
        QVERIFY(std::abs(energy[0].stat.halfWidth - 2 * 8.956784) < 1e-4);

        const QStringList csv = policySummaryCsv(points, {QStringLiteral("mean_latency_s")})
                                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), 1 + 3);
        QCOMPARE(csv[0],
            QStringLiteral("metric,setting,policy,n,mean,sd,ci95_low,ci95_high,ci95_half_width,"
                           "note"));
        const QStringList p = csv[1].split(QLatin1Char(','));
        QCOMPARE(p.size(), 10);
        QCOMPARE(p.mid(0, 5),
            QStringList({QStringLiteral("mean_latency_s"), QString(), QStringLiteral("p"),
                QStringLiteral("3"), QStringLiteral("13")}));
        QVERIFY(std::abs(p[6].toDouble() - 4.043216) < 1e-5); // 13 - 8.956784
        QVERIFY(std::abs(p[7].toDouble() - 21.956784) < 1e-5);
        QVERIFY(std::abs(p[8].toDouble() - 8.956784) < 1e-5);
        QCOMPARE(p[9], QString());
        QCOMPARE(csv[3], QStringLiteral("mean_latency_s,,r,1,3,,,,,n=1: no interval"));
        // With axes, one row per setting and policy.
        const QStringList toy
            = policySummaryCsv(toyExperiment(), {QStringLiteral("mean_latency_s")})
                  .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(toy.size(), 1 + 8);
        QVERIFY2(toy[1].startsWith(QStringLiteral("mean_latency_s,a=1 b=x,p,2,10,")),
            qPrintable(toy[1]));
    }

    void reproducePartWithoutAxesListsPolicySummary()
    {
        // `collapipe reproduce` wrote axis_curves/regime_map/pareto for every part, so a part of
        // policies and seeds alone had no per-policy numbers in its CSVs (issue 17); now it has
        // policy_summary.csv, the same text as `collapipe report` writes, and a part with axes
        // keeps its curves' CSV instead.
        const auto names = [](const std::vector<std::pair<QString, QString>> &files) {
            QStringList n;
            for (const auto &f : files) {
                n << f.first;
            }
            return n;
        };
        ExperimentSpec spec;
        spec.metrics = {QStringLiteral("mean_latency_s")};
        std::vector<StoredPoint> points;
        for (const char *policy : {"p", "q"}) {
            for (std::uint64_t seed : {1, 2}) {
                points.push_back(point(
                    int(points.size()), {}, QLatin1String(policy), seed, double(seed) * 2.0, 1.0));
            }
        }
        const auto plain = reproducePartCsvs(spec, points);
        QCOMPARE(names(plain),
            QStringList({QStringLiteral("axis_curves.csv"), QStringLiteral("policy_summary.csv"),
                QStringLiteral("regime_map.csv"), QStringLiteral("pareto.csv")}));
        QCOMPARE(plain[1].second, policySummaryCsv(points, spec.metrics));
        QCOMPARE(plain[1].second.count(QLatin1Char('\n')), 1 + 2); // header, p, q

        ExperimentAxis axis;
        axis.columns.push_back({});
        spec.axes.push_back(axis);
        QCOMPARE(names(reproducePartCsvs(spec, toyExperiment())),
            QStringList({QStringLiteral("axis_curves.csv"), QStringLiteral("regime_map.csv"),
                QStringLiteral("pareto.csv")}));
    }

    void regimeMapPicksBestPolicyAndMargin()
    {
        const std::vector<RegimeCell> map = regimeMap(toyExperiment(), {QStringLiteral("a")},
            {QStringLiteral("b")}, QStringLiteral("mean_latency_s"));
        QCOMPARE(map.size(), std::size_t(4));
        const RegimeCell *c1x = findCell(map, "1", "x");
        const RegimeCell *c1y = findCell(map, "1", "y");
        const RegimeCell *c2x = findCell(map, "2", "x");
        const RegimeCell *c2y = findCell(map, "2", "y");
        QVERIFY(c1x && c1y && c2x && c2y);
        QCOMPARE(c1x->best, QStringLiteral("p")); // 10 < 12: margin 2/10
        QCOMPARE(c1x->runnerUp, QStringLiteral("q"));
        QVERIFY(std::abs(c1x->relativeMargin - 0.2) < 1e-12);
        QCOMPARE(c1y->best, QStringLiteral("q")); // 16 < 20: margin 4/16
        QVERIFY(std::abs(c1y->relativeMargin - 0.25) < 1e-12);
        QCOMPARE(c2x->best, QStringLiteral("p")); // tie: the first policy, margin 0
        QCOMPARE(c2x->relativeMargin, 0.0);
        QCOMPARE(c2y->best, QStringLiteral("q")); // 6 < 8: margin 2/6
        QVERIFY(std::abs(c2y->relativeMargin - 2.0 / 6.0) < 1e-12);
        QCOMPARE(c2y->policies, 2);

        // Higher is better for accuracy (same numbers): the winners swap where they differ.
        const std::vector<RegimeCell> acc = regimeMap(toyExperiment(), {QStringLiteral("a")},
            {QStringLiteral("b")}, QStringLiteral("final_accuracy"));
        QCOMPARE(findCell(acc, "1", "x")->best, QStringLiteral("q"));
        QVERIFY(std::abs(findCell(acc, "1", "x")->relativeMargin - 2.0 / 12.0) < 1e-12);
        QCOMPARE(findCell(acc, "1", "y")->best, QStringLiteral("p"));
    }

    void regimeMapWithOnePolicyHasNoRunnerUp()
    {
        std::vector<StoredPoint> points = toyExperiment();
        std::erase_if(points, [](const StoredPoint &p) { return p.policy == QLatin1String("q"); });
        const std::vector<RegimeCell> map = regimeMap(
            points, {QStringLiteral("a")}, {QStringLiteral("b")}, QStringLiteral("mean_latency_s"));
        QCOMPARE(map.size(), std::size_t(4));
        QVERIFY(map.front().runnerUp.isEmpty());
        QVERIFY(std::isnan(map.front().relativeMargin));
        QCOMPARE(map.front().policies, 1);
    }

    void paretoFrontPerPolicy()
    {
        // Policy p (latency, energy): A(1,5) B(2,2) C(3,3) D(5,1) E(2,2). C is dominated by B;
        // B and E tie (neither dominates), so both stay. Policy q: F(10,10) alone is its own
        // front although p's points dominate it: fronts are per policy.
        const auto s = [](int i) { return QJsonObject{{QStringLiteral("k"), i}}; };
        const std::vector<StoredPoint> points{point(0, s(0), QStringLiteral("p"), 1, 1, 5),
            point(1, s(1), QStringLiteral("p"), 1, 2, 2),
            point(2, s(2), QStringLiteral("p"), 1, 3, 3),
            point(3, s(3), QStringLiteral("p"), 1, 5, 1),
            point(4, s(4), QStringLiteral("p"), 1, 2, 2),
            point(5, s(5), QStringLiteral("q"), 1, 10, 10)};
        const std::vector<ParetoPoint> front = paretoFronts(points);
        QCOMPARE(front.size(), std::size_t(6));
        const bool expected[] = {true, true, false, true, true, true};
        for (std::size_t i = 0; i < front.size(); ++i) {
            QVERIFY2(front[i].onFront == expected[i], qPrintable(front[i].setting));
        }
        QVERIFY(dominates(2, 2, 3, 3));
        QVERIFY(!dominates(2, 2, 2, 2));
        QVERIFY(!dominates(1, 5, 5, 1));
    }

    void paretoAveragesSeeds()
    {
        const QJsonObject s{{QStringLiteral("k"), 1}};
        const std::vector<ParetoPoint> front = paretoFronts(
            {point(0, s, QStringLiteral("p"), 1, 1, 4), point(1, s, QStringLiteral("p"), 2, 3, 6)});
        QCOMPARE(front.size(), std::size_t(1));
        QCOMPARE(front[0].n, 2);
        QCOMPARE(front[0].meanLatencyS, 2.0);
        QCOMPARE(front[0].meanEnergyJ, 5.0);
    }

    void zippedPathsFormOneAxis()
    {
        // Grid axis g in {1, 2} times a zip (u, w) in {(1, 10), (2, 20)}: axes [g] and [u, w].
        std::vector<StoredPoint> points;
        int index = 0;
        for (int g : {1, 2}) {
            for (int z : {1, 2}) {
                const QJsonObject c{{QStringLiteral("g"), g}, {QStringLiteral("u"), z},
                    {QStringLiteral("w"), 10 * z}};
                points.push_back(point(index++, c, QStringLiteral("p"), 1, g + z, 1));
            }
        }
        const std::vector<QStringList> axes = analysisAxes(points);
        QCOMPARE(axes.size(), std::size_t(2));
        QCOMPARE(axes[0], QStringList{QStringLiteral("g")});
        QCOMPARE(axes[1], (QStringList{QStringLiteral("u"), QStringLiteral("w")}));
        QCOMPARE(axisName(axes[1]), QStringLiteral("u+w"));
        const std::vector<AxisSummary> curve
            = metricAlongAxis(points, axes[1], QStringLiteral("mean_latency_s"));
        QCOMPARE(curve.size(), std::size_t(4)); // two curves (g = 1, 2) of two values each
        QCOMPARE(curve[0].axisValue, QStringLiteral("1/10"));
        QCOMPARE(curve[0].otherAxes, QStringLiteral("g=1"));
        QCOMPARE(curve[1].axisValue, QStringLiteral("2/20"));
        QCOMPARE(curve[1].otherAxes, QStringLiteral("g=1"));
    }

    void accuracyOverTimeAveragesSeedsOnCommonWindow()
    {
        const std::vector<AccuracyCurve> curves = accuracyOverTime(accuracyExperiment());
        QCOMPARE(curves.size(), std::size_t(2)); // r has no accuracy
        const AccuracyCurve &p = curves[0];
        QCOMPARE(p.policy, QStringLiteral("p"));
        QCOMPARE(p.seeds, 2);
        // Window [15, 30]: from the later first evaluation to the earlier last one. Each seed
        // holds its last evaluation: at 15 p1 shows .5, at 30 p2 shows .85.
        QCOMPARE(p.timeS, (std::vector<double>{15, 20, 25, 30}));
        const std::vector<double> expected{0.55, 0.7, 0.825, 0.875};
        QCOMPARE(p.meanAccuracy.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QVERIFY2(std::abs(p.meanAccuracy[i] - expected[i]) < 1e-12,
                qPrintable(QString::number(p.meanAccuracy[i])));
        }
        QCOMPARE(curves[1].timeS, (std::vector<double>{12, 20}));
    }

    void timeToAccuracyCountsSeedsThatReachTarget()
    {
        const std::vector<TimeToAccuracy> rows = timeToAccuracy(accuracyExperiment(), 0.8);
        QCOMPARE(rows.size(), std::size_t(2));
        const TimeToAccuracy &p = rows[0];
        QCOMPARE(p.policy, QStringLiteral("p"));
        QCOMPARE(p.seeds, 2);
        QCOMPARE(p.reached, 2);
        QCOMPARE(p.timeS.mean, 22.5); // p1 at 20 s, p2 at 25 s
        // sd = 5/sqrt(2); half width = t(0.975, 1) * sd / sqrt(2) = 12.7062 * 2.5.
        QVERIFY(std::abs(p.timeS.halfWidth - 12.7062 * 2.5) < 1e-9);
        QVERIFY(std::abs(p.finalAccuracy - 0.925) < 1e-12);
        const TimeToAccuracy &q = rows[1];
        QCOMPARE(q.reached, 0);
        QCOMPARE(q.timeS.n, 0);
        QVERIFY(std::isnan(q.timeS.mean));
        // One seed of q reaches 0.5 (at 20 s): a mean of one, no interval.
        const TimeToAccuracy half = timeToAccuracy(accuracyExperiment(), 0.5)[1];
        QCOMPARE(half.reached, 2); // q2 reaches .6 at 24 s, q1 .5 at 20 s
        QCOMPARE(half.timeS.mean, 22.0);
        QCOMPARE(timeToAccuracy(accuracyExperiment(), 0.55)[1].reached, 1);
        QVERIFY(!timeToAccuracy(accuracyExperiment(), 0.55)[1].timeS.hasInterval);
        // Default target: 90 % of the best mean final accuracy (p: 0.925).
        QVERIFY(std::abs(defaultTargetAccuracy(accuracyExperiment()) - 0.8325) < 1e-12);
        QVERIFY(std::isnan(defaultTargetAccuracy(toyExperiment())));
    }

    void timeToAccuracyCsvRows()
    {
        const QStringList rows = timeToAccuracyCsv(accuracyExperiment(), 0.8)
                                     .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 1 + 2);
        QCOMPARE(rows[0],
            QStringLiteral("setting,policy,target_accuracy,seeds,reached,mean_time_s,sd,"
                           "ci95_low,ci95_high,ci95_half_width,final_accuracy,note"));
        QVERIFY2(rows[1].startsWith(QStringLiteral(",p,0.80000000000000004,2,2,22.5,")),
            qPrintable(rows[1]));
        QCOMPARE(rows[2],
            QStringLiteral(",q,0.80000000000000004,2,0,,,,,,0.55000000000000004,none reached"));
        const QStringList curve = accuracyOverTimeCsv(accuracyExperiment())
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(curve.size(), 1 + 4 + 2);
        QCOMPARE(curve[1], QStringLiteral(",p,2,15,0.55000000000000004"));
        QCOMPARE(timeToAccuracyCsv(toyExperiment(), 0.8).count(QLatin1Char('\n')), 1);
    }

    void csvHeadersAndRows()
    {
        const std::vector<StoredPoint> points = toyExperiment();
        const QStringList metrics{QStringLiteral("mean_latency_s")};
        const QStringList axis
            = axisCurvesCsv(points, metrics).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(axis.front(),
            QStringLiteral("metric,axis,axis_value,other_axes,policy,n,mean,sd,"
                           "ci95_low,ci95_high,ci95_half_width,note"));
        QCOMPARE(axis.size(), 1 + 16); // axes a and b, 8 rows each
        QVERIFY2(axis[1].startsWith(QStringLiteral("mean_latency_s,a,1,b=x,p,2,10,")),
            qPrintable(axis[1]));
        const QStringList regime
            = regimeMapCsv(points, metrics).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(regime.size(), 1 + 4);
        QCOMPARE(regime[1],
            QStringLiteral("mean_latency_s,lower,a,1,b,x,,p,10,q,12,0.20000000000000001,2"));
        const QStringList pareto = paretoCsv(points).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(pareto.front(),
            QStringLiteral("policy,setting,n,mean_latency_s,mean_energy_j,on_front"));
        QCOMPARE(pareto.size(), 1 + 8);
        // A single seed: the interval columns are empty and the note says why.
        const QString one = axisCurvesCsv(
            {point(0, {{QStringLiteral("a"), 1}}, QStringLiteral("p"), 1, 3, 4)}, metrics);
        QVERIFY2(one.contains(QStringLiteral("mean_latency_s,a,1,,p,1,3,,,,,n=1: no interval\n")),
            qPrintable(one));
    }

    void claimsTableOnHandMadeResults()
    {
        const std::vector<ClaimRow> rows = claimsTable(claimParts());
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0].claim.key, QStringLiteral("latency"));
        QCOMPARE(rows[1].claim.key, QStringLiteral("efficiency"));
        QCOMPARE(rows[2].claim.key, QStringLiteral("memory"));

        const ClaimRow &latency = rows[0];
        QCOMPARE(latency.oursAgainst, QStringLiteral("sl"));
        QCOMPARE(latency.ours.n, 2);
        QVERIFY2(std::abs(latency.ours.mean - 0.334821) < 1e-6,
            qPrintable(QString::number(latency.ours.mean, 'g', 10)));
        // sd of {0.357143, 0.3125} = 0.031567; t(0.975, 1) = 12.7062: half-width 0.28362.
        QVERIFY2(std::abs(latency.ours.halfWidth - 0.28362) < 1e-4,
            qPrintable(QString::number(latency.ours.halfWidth, 'g', 10)));
        QVERIFY(!latency.holdsOnBase);
        QCOMPARE(latency.settings, 4);
        QCOMPARE(latency.settingsHeld, 2);
        QVERIFY2(latency.oursPerPolicy.contains(QStringLiteral("uniform −75.00 %")),
            qPrintable(latency.oursPerPolicy.join(QLatin1Char('|'))));
        QVERIFY2(latency.holdsWhere.contains(
                     QStringLiteral("bw: d2d.bandwidth_hz holds for ≤ 2e+07 (2 of 3 values)")),
            qPrintable(latency.holdsWhere.join(QLatin1Char('|'))));
        QCOMPARE(latency.failsBecause.size(), 2);
        QVERIFY2(latency.failsBecause[0].startsWith(
                     QStringLiteral("base, base setting: vs sl (−33.33 %): encoder upload takes "
                                    "8 s against 3 s (80 % of DSSDA's 10 s round)")),
            qPrintable(latency.failsBecause[0]));
        QVERIFY2(latency.failsBecause[1].startsWith(
                     QStringLiteral("bw, d2d.bandwidth_hz=4e+07: vs sl (−16.67 %)")),
            qPrintable(latency.failsBecause[1]));

        const ClaimRow &efficiency = rows[1];
        QCOMPARE(efficiency.oursAgainst, QStringLiteral("uniform"));
        QVERIFY(std::abs(efficiency.ours.mean - 1.5) < 1e-12);
        QVERIFY(efficiency.holdsOnBase);
        QVERIFY(efficiency.failsBecause.isEmpty());
        QCOMPARE(efficiency.settingsHeld, efficiency.settings);

        const ClaimRow &memory = rows[2];
        QCOMPARE(memory.oursAgainst, QStringLiteral("fl"));
        QVERIFY(std::abs(memory.ours.mean - 1.0 / 3.0) < 1e-12);
        QVERIFY(memory.holdsOnBase);
        QVERIFY2(memory.holdsWhere.contains(
                     QStringLiteral("bw: d2d.bandwidth_hz holds at every value (5e+06–4e+07)")),
            qPrintable(memory.holdsWhere.join(QLatin1Char('|'))));
    }

    void claimRegionOnAFlagAxisIsNotARange()
    {
        // An on/off axis: the claim holds only with the flag on. A range ("≥ true") would not
        // read; the values are named.
        ClaimPart part{QStringLiteral("flag"), {}};
        int index = 0;
        for (const bool on : {false, true}) {
            const QJsonObject coords{{QStringLiteral("optimizer.edge_offload"), on}};
            for (const auto &[policy, latency] :
                {std::pair{QStringLiteral("dssda"), on ? 10.0 : 30.0},
                    std::pair{QStringLiteral("sl"), 25.0}}) {
                part.points.push_back(claimPoint(index++, coords, policy, 1, latency, 1, 1, 1));
            }
        }
        const ClaimRow latency = claimsTable({part})[0];
        QVERIFY2(latency.holdsWhere.contains(
                     QStringLiteral("flag: optimizer.edge_offload holds at true (1 of 2 values)")),
            qPrintable(latency.holdsWhere.join(QLatin1Char('|'))));
    }

    void claimThresholdsAndTexts()
    {
        const PaperClaim &latency = paperClaims()[0];
        QVERIFY(claimHolds(latency, 0.4898));
        QVERIFY(!claimHolds(latency, 0.4897));
        QCOMPARE(claimValueText(latency, 0.4898), QStringLiteral("−48.98 %"));
        QCOMPARE(claimValueText(latency, -0.5), QStringLiteral("+50.00 %"));
        const PaperClaim &memory = paperClaims()[2];
        QVERIFY(claimHolds(memory, 0.49));
        QVERIFY(!claimHolds(memory, 0.5)); // "more than half": exactly half is not enough
        QCOMPARE(claimValueText(memory, 0.5), QStringLiteral("0.50×"));
        // Missing DSSDA or every compared policy: no value, never "holds".
        QString against;
        QVERIFY(std::isnan(claimValue(latency, {{QStringLiteral("sl"), 3.0}}, &against)));
        QVERIFY(!claimHolds(latency, std::nan("")));
    }
};

QTEST_GUILESS_MAIN(TestExperimentAnalysis)
#include "tst_experiment_analysis.moc"
