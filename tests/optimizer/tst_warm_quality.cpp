// SPDX-License-Identifier: MIT
// The warm start's decision quality where it is weakest (issue 17, core/optimizer/DSSDA.md
// "Warm start", "Second pass"): optimizer.warm_start `track` and `keep` at replan_every 50 over
// campus-day.json (churn, mobility) and default.json, every warm cluster decision against the
// full solve of the same cluster-round state (testing::WarmComparison, the comparison of
// `bench_optimizer warm FILE 2000 option-track-F50 option-keep-F50`).
//
// Today (2,000 rounds): worst warm / full ratio 1.057 on campus-day.json (round 1724) and 1.031
// on default.json (round 888). Splitting a stage only with the best replacing device
// (warmScope.splitDevices = 1) made a campus-day.json solve 1.252 (round 524): the bounds below
// sit between, with margin on both sides so no CPU's last bits decide.
#include "../sanitizer_build.h"
#include "bundled_scenario.h"
#include "core/optimizer/dssda_policy.h"
#include "round_loop.h"
#include "warm_compare.h"

#include <QTest>

using namespace collapipe;

namespace warm_quality_detail {

/// DSSDA with the scenario's warm start, each decision compared with the full solve.
class ComparedDssda : public Policy
{
public:
    explicit ComparedDssda(const DssdaOptions &full)
        : m_full(full)
    { }
    QString name() const override { return m_inner.name(); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override
    {
        if (!m_inner.decide(state, out, error)) {
            return false;
        }
        comparison.add(state, m_inner, m_full);
        for (bool k : m_inner.lastKeptPlan()) {
            kept += k ? 1 : 0;
        }
        return true;
    }
    testing::WarmComparison comparison;
    long kept = 0; ///< warm cluster solves (the kept plan polished, not solved in full)

private:
    DssdaPolicy m_inner;
    DssdaOptions m_full;
};

} // namespace warm_quality_detail

class TstWarmQuality : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void warmStaysCloseToTheFullSolve_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<int>("worstRound"); ///< where today's worst is: the run must reach it
        QTest::addColumn<double>("worstBound");
        // campus-day.json is cheap (~0.2 s for 2,000 rounds with the comparison): all of them,
        // also under ASan. default.json ~1.5 s per mode in Release: under ASan the first 1,000
        // rounds, which hold its worst (round 888).
        const int defaultRounds = test::kSanitizerBuild ? 1000 : 2000;
        for (WarmStart mode : {WarmStart::Track, WarmStart::Keep}) {
            const char *m = mode == WarmStart::Track ? "track" : "keep";
            QTest::addRow("campus-day %s", m)
                << QStringLiteral("campus-day.json") << int(mode) << 2000 << 1724 << 1.15;
            QTest::addRow("default %s", m)
                << QStringLiteral("default.json") << int(mode) << defaultRounds << 888 << 1.07;
        }
    }
    void warmStaysCloseToTheFullSolve()
    {
        QFETCH(QString, file);
        QFETCH(int, mode);
        QFETCH(int, rounds);
        QFETCH(int, worstRound);
        QFETCH(double, worstBound);
        QVERIFY(worstRound < rounds);
        Scenario s = testing::loadBundled(file);
        // As the bench: cost-only rounds, training.rounds = 2000 whatever the rounds run (the
        // same states as `bench_optimizer warm FILE 2000`).
        s.training.train = false;
        s.training.rounds = 2000;
        s.optimizer.replanEvery = 50;
        s.optimizer.warmStart = WarmStart(mode);
        Scenario cold = s;
        cold.optimizer.warmStart = WarmStart::Off;
        const DssdaOptions full = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, cold);
        warm_quality_detail::ComparedDssda policy(full);
        testing::CostOnlyRounds loop(s, policy, std::uint64_t(s.training.seed));
        RoundRecord record;
        for (int r = 0; r < rounds; ++r) {
            QString error;
            QVERIFY2(loop.step(&record, &error),
                qPrintable(QStringLiteral("round %1: %2").arg(r).arg(error)));
        }
        const testing::WarmComparison &c = policy.comparison;
        const double meanRatio = c.ratioSum / double(std::max(1L, c.compared));
        const double sumRatio = c.warmSum / std::max(1e-300, c.fullSum);
        qInfo("%s %s, %d rounds: %ld solves compared (%ld warm), %.1f %% worse, worst %.4f "
              "(round %d, cluster %d), mean ratio %.5f, Σ warm / Σ full %.5f",
            qPrintable(file), mode == int(WarmStart::Track) ? "track" : "keep", rounds, c.compared,
            policy.kept, 100.0 * double(c.worse) / double(std::max(1L, c.compared)), c.worst,
            c.worstRound, c.worstCluster, meanRatio, sumRatio);
        // Most solves are warm (F = 50), and nearly all of them were compared.
        QVERIFY2(policy.kept > 0, "no warm solve: the test measures nothing");
        QVERIFY(c.compared > 0);
        QVERIFY2(c.worst < worstBound,
            qPrintable(QStringLiteral("worst warm / full ratio %1 in round %2 (cluster %3), "
                                      "bound %4")
                           .arg(c.worst, 0, 'f', 4)
                           .arg(c.worstRound)
                           .arg(c.worstCluster)
                           .arg(worstBound)));
        // On average the warm decisions are as good as the full solve's, within 1 %.
        QVERIFY2(meanRatio < 1.01, qPrintable(QStringLiteral("mean ratio %1").arg(meanRatio)));
        QVERIFY2(sumRatio < 1.01, qPrintable(QStringLiteral("Σ warm / Σ full %1").arg(sumRatio)));
    }
};

QTEST_GUILESS_MAIN(TstWarmQuality)
#include "tst_warm_quality.moc"
