// SPDX-License-Identifier: MIT
// DSSDA against the exhaustive oracle and against its own restricted variants on seeded random
// one-cluster instances over the whole space (issue [3/7] finding 1): both micro-batch modes,
// both schedules, edge offload on and off, 2–4 devices, 2–8 blocks, random compute, memory,
// radio power, bands and queues.
#include "core/cost/cost_terms.h"
#include "core/optimizer/baseline_policies.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/oracle_policy.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"
#include "random_instances.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <map>
#include <numeric>

using namespace collapipe;

namespace {

/// The oracle's grid: 1/20 of the band and p_max/8 for K ≤ 3; coarser for K = 4 (its grid grows
/// with the number of links and stages), as in tst_oracle_gap.
OracleOptions oracleOptionsFor(int devices)
{
    OracleOptions options;
    options.bandwidthSteps = devices == 4 ? 10 : 20;
    options.powerLevels = devices == 4 ? 5 : 8;
    return options;
}

/// Exact objectives of the decisions of the policies whose decisions lie in DSSDA's space: its
/// restricted variants and the static baselines (name → objective; +inf when infeasible).
std::map<QString, double> restrictedObjectives(
    const Scenario &s, const ClusterChannel &channel, const ClusterWeights &w)
{
    std::map<QString, double> out;
    for (auto variant : {DssdaPolicy::Variant::EqualBandwidth, DssdaPolicy::Variant::FixedM}) {
        const DssdaOptions options = DssdaPolicy::optionsFor(variant, s);
        const ClusterSolution r = solveCluster(s, 0, channel, w, options);
        out[variant == DssdaPolicy::Variant::FixedM ? QStringLiteral("dssda-fixed-m")
                                                    : QStringLiteral("dssda-equal-bw")]
            = r.feasible ? r.objective : std::numeric_limits<double>::infinity();
    }
    const Cluster &c = s.topology.clusters[0];
    std::vector<int> index(c.devices.size());
    std::iota(index.begin(), index.end(), 0);
    std::vector<double> flops;
    for (const Device &d : c.devices) {
        flops.push_back(d.computeFlops);
    }
    const int L = s.model.encoderBlocks;
    out[QStringLiteral("uniform")] = exactObjective(s, 0, channel, w,
        staticClusterDecision(s, 0, index, equalBlockCounts(L, int(index.size()))));
    out[QStringLiteral("proportional")] = exactObjective(
        s, 0, channel, w, staticClusterDecision(s, 0, index, proportionalBlockCounts(L, flops)));
    if (s.optimizer.edgeOffload) {
        double sl = std::numeric_limits<double>::infinity();
        for (int k = 0; k < int(index.size()); ++k) {
            sl = std::min(sl, exactObjective(s, 0, channel, w, splitClusterDecision(s, 0, k)));
        }
        out[QStringLiteral("sl")] = sl;
    }
    return out;
}

QString describe(const testing::RandomInstance &inst)
{
    const Scenario &s = inst.scenario;
    return QStringLiteral("K=%1 L=%2 %3 %4 offload %5 B=%6 b=%7 M<=%8 I=%9 V=%10")
        .arg(s.topology.clusters[0].devices.size())
        .arg(s.model.encoderBlocks)
        .arg(s.optimizer.schedule == PipelineSchedule::GPipe ? QStringLiteral("gpipe")
                                                             : QStringLiteral("1f1b"))
        .arg(s.optimizer.microbatchMode == MicrobatchMode::Split ? QStringLiteral("split")
                                                                 : QStringLiteral("count"))
        .arg(s.optimizer.edgeOffload ? QStringLiteral("on") : QStringLiteral("off"))
        .arg(s.training.batchSize)
        .arg(s.training.microbatchSize)
        .arg(s.optimizer.maxMicrobatches)
        .arg(s.training.localIterations)
        .arg(inst.weights.v);
}

} // namespace

class TestOracleRandom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /// ≥ 500 seeded instances: gap to the oracle ≤ 1 % on ≥ 99.5 % of them and ≤ 2 % on all;
    /// never worse than a restricted variant or a static baseline (all points of its space).
    void randomSpaceNearOracleAndNeverWorseThanRestricted()
    {
        // 640 instances: 11 s wall at load ~19 in Release (3 s CPU), 25 s wall (17 s CPU) with
        // AddressSanitizer + UBSan: no smaller draw is needed under the sanitizers.
        const int instances = 640;
        std::vector<double> gaps;
        std::map<QString, int> perCombination;
        QStringList losses;
        int infeasible = 0;
        qint64 oracleNs = 0;
        qint64 dssdaNs = 0;
        QElapsedTimer timer;
        for (int i = 0; i < instances; ++i) {
            const testing::RandomInstance inst = testing::randomSpaceInstance(i);
            const Scenario &s = inst.scenario;
            ChannelModel channels(s.topology, inst.channelSeed);
            const ChannelState state = channels.stateForRound(0);
            const ClusterChannel &channel = state.clusters[0];
            timer.start();
            const OracleResult oracle = solveClusterExhaustive(s, 0, channel, inst.weights,
                oracleOptionsFor(int(s.topology.clusters[0].devices.size())));
            oracleNs += timer.nsecsElapsed();
            timer.start();
            const ClusterSolution dssda = solveCluster(s, 0, channel, inst.weights, DssdaOptions());
            dssdaNs += timer.nsecsElapsed();
            QVERIFY2(dssda.feasible == oracle.feasible,
                qPrintable(QStringLiteral("instance %1 (%2): dssda feasible %3, oracle %4")
                               .arg(i)
                               .arg(describe(inst))
                               .arg(dssda.feasible)
                               .arg(oracle.feasible)));
            if (!oracle.feasible) {
                ++infeasible;
                continue;
            }
            const double gap = (dssda.objective - oracle.objective) / oracle.objective;
            gaps.push_back(gap);
            ++perCombination[describe(inst).section(QLatin1Char(' '), 2, 5)];
            QVERIFY2(gap <= 0.02,
                qPrintable(QStringLiteral("instance %1 (%2): dssda %3 oracle %4 gap %5 %")
                               .arg(i)
                               .arg(describe(inst))
                               .arg(dssda.objective, 0, 'g', 10)
                               .arg(oracle.objective, 0, 'g', 10)
                               .arg(100.0 * gap, 0, 'f', 3)));
            for (const auto &[name, value] : restrictedObjectives(s, channel, inst.weights)) {
                // Exact: DSSDA scores these decisions (or, for dssda-fixed-m, the same
                // candidates) itself and keeps the best; 1e-9 only absorbs rounding.
                if (value < dssda.objective * (1.0 - 1e-9)) {
                    losses << QStringLiteral("instance %1 (%2): %3 %4 < dssda %5")
                                  .arg(i)
                                  .arg(describe(inst))
                                  .arg(name)
                                  .arg(value, 0, 'g', 12)
                                  .arg(dssda.objective, 0, 'g', 12);
                }
            }
        }
        QVERIFY2(losses.isEmpty(), qPrintable(losses.join(QLatin1Char('\n'))));
        QVERIFY2(gaps.size() >= std::size_t(instances) * 9 / 10,
            qPrintable(QStringLiteral("only %1 of %2 instances feasible")
                           .arg(gaps.size())
                           .arg(instances)));
        // Every schedule × mode × offload combination is exercised.
        QCOMPARE(int(perCombination.size()), 8);
        for (const auto &[combination, count] : perCombination) {
            QVERIFY2(count >= instances / 16, qPrintable(combination));
        }
        const auto within1
            = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g <= 0.01; });
        QVERIFY2(double(within1) >= 0.995 * double(gaps.size()),
            qPrintable(QStringLiteral("%1 of %2 within 1 %").arg(within1).arg(gaps.size())));

        std::sort(gaps.begin(), gaps.end());
        auto pct = [&](double q) { return 100.0 * gaps[std::size_t(q * double(gaps.size() - 1))]; };
        qInfo("%d instances, %d feasible (%d infeasible for both); gap of DSSDA to the oracle's "
              "grid optimum in %% (negative = DSSDA better than the grid): min %.4f p50 %.4f "
              "p90 %.4f p99 %.4f max %.4f; oracle %.0f ms, dssda %.1f ms in total",
            instances, int(gaps.size()), infeasible, pct(0.0), pct(0.5), pct(0.9), pct(0.99),
            pct(1.0), oracleNs / 1e6, dssdaNs / 1e6);
        const double edges[] = {-1.0, -0.1, -1e-6, 1e-6, 0.1, 0.5, 1.0, 2.0};
        const char *labels[] = {"< -1", "[-1, -0.1)", "[-0.1, 0)", "0", "(0, 0.1]", "(0.1, 0.5]",
            "(0.5, 1]", "(1, 2]", "> 2"};
        int buckets[9] = {};
        for (double g : gaps) {
            const double pc = 100.0 * g;
            int b = 0;
            while (b < 8 && !(pc < edges[b] || (b >= 3 && pc <= edges[b]))) {
                ++b;
            }
            ++buckets[b];
        }
        QString histogram;
        for (int b = 0; b < 9; ++b) {
            histogram += QStringLiteral("%1%2: %3")
                             .arg(b ? QStringLiteral(" | ") : QString())
                             .arg(QLatin1String(labels[b]))
                             .arg(buckets[b]);
        }
        qInfo("gap histogram (%%): %s", qPrintable(histogram));
        for (const auto &[combination, count] : perCombination) {
            qInfo("  %s: %d feasible instances", qPrintable(combination), count);
        }
    }

    /// schedule = auto (issue [4/7]): on seeded random instances DSSDA's schedule choice (every
    /// schedule that fits its 1F1B segmentation, scored exactly) is feasible exactly when the
    /// oracle's (every segmentation × every schedule) is, within kAutoGap of it (DSSDA.md
    /// "Schedule"), and never worse than DSSDA with 1F1B fixed (a candidate of the choice).
    void autoScheduleNearOracle()
    {
        // Measured: max 0.024 %, p99 0.0009 % (DSSDA.md "Schedule"); 1 % leaves room for other
        // FPUs without hiding a real regression.
        constexpr double kAutoGap = 0.01;
        const int instances = 96;
        std::vector<double> gaps;
        std::map<QString, int> chosen;
        std::map<QString, int> oracleChose;
        for (int i = 0; i < instances; ++i) {
            testing::RandomInstance inst = testing::randomSpaceInstance(i);
            Scenario &s = inst.scenario;
            if (s.topology.clusters[0].devices.size() > 3) {
                s.topology.clusters[0].devices.pop_back(); // the oracle's grid grows 5×: K ≤ 3
            }
            s.optimizer.autoSchedule = true;
            s.optimizer.interleave = 2 + i % 2;
            s.training.train = false; // cost only: the oracle is slow enough
            ChannelModel channels(s.topology, inst.channelSeed);
            const ChannelState state = channels.stateForRound(0);
            const ClusterChannel &channel = state.clusters[0];
            const OracleResult oracle
                = solveClusterExhaustive(s, 0, channel, inst.weights, oracleOptionsFor(3));
            const ClusterSolution dssda = solveCluster(s, 0, channel, inst.weights, DssdaOptions());
            QVERIFY2(dssda.feasible == oracle.feasible,
                qPrintable(QStringLiteral("instance %1 (%2): dssda feasible %3, oracle %4")
                               .arg(i)
                               .arg(describe(inst))
                               .arg(dssda.feasible)
                               .arg(oracle.feasible)));
            if (!oracle.feasible) {
                continue;
            }
            // The objective reported is the decision's, with its schedule.
            QCOMPARE(exactObjective(s, 0, channel, inst.weights, dssda.decision), dssda.objective);
            Scenario fixed = s;
            fixed.optimizer.autoSchedule = false;
            fixed.optimizer.schedule = ScheduleKind::OneFOneB;
            const ClusterSolution oneF
                = solveCluster(fixed, 0, channel, inst.weights, DssdaOptions());
            QVERIFY2(oneF.feasible && dssda.objective <= oneF.objective * (1.0 + 1e-12),
                qPrintable(QStringLiteral("instance %1: auto %2 > 1f1b %3")
                               .arg(i)
                               .arg(dssda.objective, 0, 'g', 12)
                               .arg(oneF.objective, 0, 'g', 12)));
            const double gap = (dssda.objective - oracle.objective) / oracle.objective;
            gaps.push_back(gap);
            ++chosen[QLatin1String(scheduleName(dssda.decision.schedule))];
            ++oracleChose[QLatin1String(scheduleName(oracle.decision.schedule))];
            QVERIFY2(gap <= kAutoGap,
                qPrintable(QStringLiteral("instance %1 (%2): dssda %3 (%4) oracle %5 (%6) gap %7 %")
                               .arg(i)
                               .arg(describe(inst))
                               .arg(dssda.objective, 0, 'g', 10)
                               .arg(QLatin1String(scheduleName(dssda.decision.schedule)))
                               .arg(oracle.objective, 0, 'g', 10)
                               .arg(QLatin1String(scheduleName(oracle.decision.schedule)))
                               .arg(100.0 * gap, 0, 'f', 3)));
        }
        QVERIFY2(gaps.size() >= std::size_t(instances) * 8 / 10,
            qPrintable(QStringLiteral("only %1 feasible").arg(gaps.size())));
        std::sort(gaps.begin(), gaps.end());
        auto pct = [&](double q) { return 100.0 * gaps[std::size_t(q * double(gaps.size() - 1))]; };
        qInfo("auto: %d feasible; gap to the oracle in %%: p50 %.4f p90 %.4f p99 %.4f max %.4f",
            int(gaps.size()), pct(0.5), pct(0.9), pct(0.99), pct(1.0));
        for (const auto &[name, count] : chosen) {
            qInfo("  dssda chose %s %d times (oracle %d)", qPrintable(name), count,
                oracleChose[name]);
        }
    }

    /// Split mode: GPipe stashes M micro-batches of b = B/M, i.e. the whole batch, at every M;
    /// memory below that but above 1F1B's stash at a large M leaves GPipe no feasible point.
    /// With `auto` DSSDA (and the oracle) choose a schedule that stashes less; with GPipe fixed
    /// both refuse.
    void memoryForcesLessStashThanGPipe()
    {
        Scenario s = testing::randomScenario(77, 1, 2, 4);
        s.optimizer.microbatchMode = MicrobatchMode::Split;
        s.optimizer.edgeOffload = false;
        s.optimizer.maxMicrobatches = 16;
        s.training.batchSize = 64;
        s.training.localIterations = 1;
        const TransformerDims &dims = s.model.profiled;
        const int q = s.model.bytesPerElement;
        // Two blocks each hold a quarter of the batch: GPipe needs all of it (one block: half).
        const double cap = segmentMemoryBytes(dims, 2, 64, 0.25, q);
        for (Device &d : s.topology.clusters[0].devices) {
            d.memoryBytes = cap;
            d.computeFlops = 4e12;
        }
        ChannelModel channels(s.topology, 3);
        const ChannelState state = channels.stateForRound(0);
        const ClusterChannel &channel = state.clusters[0];
        ClusterWeights w;
        w.v = s.optimizer.v;
        s.optimizer.schedule = ScheduleKind::GPipe;
        QVERIFY(!solveCluster(s, 0, channel, w, DssdaOptions()).feasible);
        QVERIFY(!solveClusterExhaustive(s, 0, channel, w, OracleOptions()).feasible);
        s.optimizer.autoSchedule = true;
        s.training.train = false;
        const ClusterSolution dssda = solveCluster(s, 0, channel, w, DssdaOptions());
        QVERIFY2(dssda.feasible, qPrintable(dssda.error));
        QVERIFY(dssda.decision.schedule != ScheduleKind::GPipe);
        const ClusterDecision asGPipe
            = withSchedule(dssda.decision, ScheduleChoice{ScheduleKind::GPipe, 1}, 0.0);
        ClusterCost gpipeCost;
        QVERIFY(std::isinf(exactObjective(s, 0, channel, w, asGPipe, &gpipeCost)));
        QVERIFY(!gpipeCost.memoryFits);
        // …while 1F1B fits the same segmentation (what the choice started from).
        QVERIFY(std::isfinite(exactObjective(s, 0, channel, w,
            withSchedule(dssda.decision, ScheduleChoice{ScheduleKind::OneFOneB, 1}, 0.0))));
        const OracleResult oracle = solveClusterExhaustive(s, 0, channel, w, OracleOptions());
        QVERIFY(oracle.feasible);
        QVERIFY(oracle.decision.schedule != ScheduleKind::GPipe);
        qInfo("memory-bound: dssda %s M=%d, oracle %s M=%d, gap %.4f %%",
            scheduleName(dssda.decision.schedule), dssda.decision.microbatches,
            scheduleName(oracle.decision.schedule), oracle.decision.microbatches,
            100.0 * (dssda.objective - oracle.objective) / oracle.objective);
    }

    /// Identical devices, one block each (no chunked schedule fits), fast links, M > S: ZB-H1's
    /// deferred weight gradients fill the drain, so `auto` picks it over 1F1B and GPipe.
    void zeroBubbleH1Wins()
    {
        Scenario s = testing::randomScenario(5, 1, 3, 3);
        s.optimizer.microbatchMode = MicrobatchMode::Split;
        s.optimizer.edgeOffload = false;
        s.optimizer.energyBudgets = false;
        s.optimizer.maxMicrobatches = 16;
        s.training.batchSize = 32;
        s.training.localIterations = 1;
        s.topology.d2d.bandwidthHz = 1e12;
        s.topology.d2e.bandwidthHz = 1e12;
        for (Device &d : s.topology.clusters[0].devices) {
            d.computeFlops = 1e12;
            d.memoryBytes = 16e9;
        }
        s.optimizer.autoSchedule = true;
        s.training.train = false;
        ChannelModel channels(s.topology, 3);
        const ChannelState state = channels.stateForRound(0);
        const ClusterChannel &channel = state.clusters[0];
        ClusterWeights w;
        w.v = s.optimizer.v;
        const ClusterSolution dssda = solveCluster(s, 0, channel, w, DssdaOptions());
        QVERIFY2(dssda.feasible, qPrintable(dssda.error));
        QCOMPARE(dssda.decision.stages.size(), std::size_t(3));
        QVERIFY2(dssda.decision.schedule == ScheduleKind::ZeroBubbleH1,
            scheduleName(dssda.decision.schedule));
        const double oneF = exactObjective(s, 0, channel, w,
            withSchedule(dssda.decision, ScheduleChoice{ScheduleKind::OneFOneB, 1}, 0.0));
        QVERIFY(dssda.objective < oneF * (1.0 - 1e-3));
        const OracleResult oracle = solveClusterExhaustive(s, 0, channel, w, OracleOptions());
        QVERIFY(oracle.feasible);
        QCOMPARE(oracle.decision.schedule, ScheduleKind::ZeroBubbleH1);
    }

    /// The instance of the issue (GPipe, split, edge offload; positions ours): DSSDA used to put
    /// block 0 on d1 where d3 is 7.6 % better (its surrogate missed that GPipe's flush
    /// serialises the CU's sends and the gradients back to it, and the polish never revisited
    /// the device). Both parts are checked: the surrogate alone, and DSSDA with its polish.
    void issueExampleGPipeSplit()
    {
        const testing::RandomInstance inst
            = testing::issueExampleInstance({246.0, -32.0}, {243.0, 0.0}, {247.0, -5.0});
        const Scenario &s = inst.scenario;
        ChannelModel channels(s.topology, 1);
        const ChannelState state = channels.stateForRound(0);
        const ClusterChannel &channel = state.clusters[0];
        const OracleResult oracle
            = solveClusterExhaustive(s, 0, channel, inst.weights, OracleOptions());
        QVERIFY(oracle.feasible);
        QCOMPARE(oracle.decision.stages.size(), std::size_t(1));
        QCOMPARE(oracle.decision.stages[0].device, 2); // d3
        DssdaOptions surrogateOnly;
        surrogateOnly.exactRefine = false;
        for (const DssdaOptions &options : {DssdaOptions(), surrogateOnly}) {
            const ClusterSolution dssda = solveCluster(s, 0, channel, inst.weights, options);
            QVERIFY(dssda.feasible);
            const double gap = (dssda.objective - oracle.objective) / oracle.objective;
            qInfo("polish %s: block 0 on d%d, latency %.3f s, gap to the oracle %.4f %%",
                options.exactRefine ? "on" : "off", dssda.decision.stages[0].device + 1,
                dssda.cost.latencyS, 100.0 * gap);
            QCOMPARE(dssda.decision.stages.front().device, 2);
            QVERIFY2(gap <= 1e-3, qPrintable(QString::number(100.0 * gap)));
        }
    }
};

QTEST_GUILESS_MAIN(TestOracleRandom)
#include "tst_oracle_random.moc"
