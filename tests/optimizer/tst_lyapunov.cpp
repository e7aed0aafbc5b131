// SPDX-License-Identifier: MIT
// Long-run behaviour of DSSDA's Lyapunov control (spec §5, issue [3/6]) on the bundled default
// scenario (and on it with budgets that bind), driven by the cost-only loop of round_loop.h.
#include "bundled_scenario.h"
#include "core/optimizer/dssda_policy.h"
#include "core/scenario/scenario_json.h"
#include "round_loop.h"
#include "tests/sanitizer_build.h"

#include <QTest>

using namespace collapipe;

namespace {

/// default.json with every device's budget set to half of what the busiest device of its
/// cluster spends per round under dssda-myopic (which ignores budgets): a scenario built to make
/// the budgets bind whatever the decision space (with edge offload, the default, myopic loads
/// one device per cluster with a short segment and the bundled budgets never bind).
Scenario bindingScenario(const Scenario &base, std::uint64_t seed)
{
    Scenario s = base;
    DssdaPolicy myopic(DssdaPolicy::Variant::Myopic);
    const testing::LoopResult m = testing::runLoop(s, myopic, 20, seed);
    if (!m.ok) {
        qFatal("myopic calibration run failed: %s", qPrintable(m.error));
    }
    for (std::size_t n = 0; n < s.topology.clusters.size(); ++n) {
        double busiest = 0.0;
        for (double e : m.meanEnergyJ[n]) {
            busiest = std::max(busiest, e);
        }
        for (Device &d : s.topology.clusters[n].devices) {
            d.energyBudgetJ = 0.5 * busiest;
        }
    }
    return s;
}

} // namespace

class TestLyapunov : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void energyBudgetHeldOnStationaryChannel()
    {
        // Stationary channel: no fading, so the long-run average is a plain time average.
        Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        s.topology.d2d.fading = FadingModel::None;
        s.topology.d2e.fading = FadingModel::None;
        s.optimizer.energyBudgets = true;
        s = bindingScenario(s, 3);
        // The time average exceeds the budget by at most Q(T)/T (spec §5): the queue must first
        // grow to about V·ΔT/ΔE (≈ 30 J here) before it steers, so "enough rounds" is thousands.
        // Under ASan (10x slower) a reduced mode runs 600 rounds and checks the bound itself,
        // mean E ≤ Ē + Q(T)/T, instead of the 2 % it implies after 3000.
        const bool reduced = collapipe::test::kSanitizerBuild;
        const int rounds = reduced ? 600 : 3000;
        DssdaPolicy dssda;
        const testing::LoopResult r = testing::runLoop(s, dssda, rounds, 3);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!r.memoryViolated);
        double worst = 0.0;
        for (std::size_t n = 0; n < r.meanEnergyJ.size(); ++n) {
            for (std::size_t k = 0; k < r.meanEnergyJ[n].size(); ++k) {
                const Device &d = s.topology.clusters[n].devices[k];
                worst = std::max(worst, r.meanEnergyJ[n][k] / d.energyBudgetJ);
                const double queueBound = d.energyBudgetJ + r.finalEnergyQueueJ[n][k] / rounds;
                QVERIFY2(r.meanEnergyJ[n][k] <= queueBound * (1.0 + 1e-12),
                    qPrintable(QStringLiteral("dssda: device %1 averages %2 J > Ē + Q(T)/T = %3 J")
                                   .arg(d.id)
                                   .arg(r.meanEnergyJ[n][k])
                                   .arg(queueBound)));
                if (reduced) {
                    continue;
                }
                QVERIFY2(r.meanEnergyJ[n][k] <= 1.02 * d.energyBudgetJ,
                    qPrintable(QStringLiteral("dssda: device %1 averages %2 J > budget %3 J + 2 %")
                                   .arg(d.id)
                                   .arg(r.meanEnergyJ[n][k])
                                   .arg(d.energyBudgetJ)));
            }
        }
        qInfo("dssda over %d rounds (V = %g%s): worst device at %.1f %% of its budget, mean "
              "latency %.3f s",
            rounds, s.optimizer.v, reduced ? ", reduced ASan mode" : "", 100.0 * worst,
            r.meanLatencyS);

        // The myopic variant ignores the queues: on this scenario some device overspends.
        DssdaPolicy myopic(DssdaPolicy::Variant::Myopic);
        const testing::LoopResult m = testing::runLoop(s, myopic, rounds, 3);
        QVERIFY2(m.ok, qPrintable(m.error));
        double myopicWorst = 0.0;
        QString who;
        for (std::size_t n = 0; n < m.meanEnergyJ.size(); ++n) {
            for (std::size_t k = 0; k < m.meanEnergyJ[n].size(); ++k) {
                const Device &d = s.topology.clusters[n].devices[k];
                if (m.meanEnergyJ[n][k] / d.energyBudgetJ > myopicWorst) {
                    myopicWorst = m.meanEnergyJ[n][k] / d.energyBudgetJ;
                    who = d.id;
                }
            }
        }
        qInfo("dssda-myopic: device %s at %.1f %% of its budget, mean latency %.3f s",
            qPrintable(who), 100.0 * myopicWorst, m.meanLatencyS);
        QVERIFY2(myopicWorst > 1.02, "dssda-myopic stays within budget: the budget does not bind");
        QVERIFY(m.meanLatencyS <= r.meanLatencyS * (1.0 + 1e-9));
    }

    void tradeoffOverV_data()
    {
        QTest::addColumn<bool>("binding");
        QTest::newRow("default.json") << false;
        QTest::newRow("default.json, binding budgets") << true;
    }

    void tradeoffOverV()
    {
        // Spec §5/§9: time-average latency within O(1/V) of optimal (falls with V), backlog O(V)
        // (grows with V). Below V ≈ 10 the backlog sits on the floor set by one round's energy
        // (the O(1) term of the bound: a device whose queue is empty is free, so the greedy
        // per-round solution loads it for a round); there adjacent values may differ by noise of
        // a few percent (−0.8 … −3.8 % from V = 1 to 10 across solver variants we tried), so the
        // backlog check allows 5 % between neighbours and requires the
        // O(V) growth over the sweep. Latency must not rise at all.
        // V is swept relative to I² (I = local iterations): a round's energy E and so the queues
        // Q grow with I, the Q·E term of P1(t) with I², while V·T does not (T is dominated by
        // the upload, independent of I); I² keeps the trade-off where the 1-iteration rounds
        // of the first default.json had it.
        // The law is checked on default.json as bundled (the setting; with edge offload
        // its budgets barely bind, so both curves may be flat) and, to see a real trade-off, on
        // the same scenario with budgets that bind.
        QFETCH(bool, binding);
        Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        // The law is the per-slot drift-plus-penalty minimiser's (spec §6: a full solve every
        // slot). default.json warm-starts between full solves every 100 rounds; a warm decision
        // is within a few per cent of the per-slot one, so latency can move by 1e-5 between
        // neighbouring V from that alone (117.9018 against 117.9002 s from V = 100 to 1000).
        s.optimizer.replanEvery = 1;
        s.optimizer.warmStart = WarmStart::Off;
        if (binding) {
            s = bindingScenario(s, 11);
        }
        const int rounds = 300;
        std::vector<double> latency;
        std::vector<double> backlog;
        const double iterations = std::max(1, s.training.localIterations);
        const std::vector<double> vs{1.0, 10.0, 100.0, 1000.0};
        for (double vRelative : vs) {
            const double v = vRelative * iterations * iterations;
            s.optimizer.v = v;
            DssdaPolicy policy;
            const testing::LoopResult r = testing::runLoop(s, policy, rounds, 11);
            QVERIFY2(r.ok, qPrintable(r.error));
            qInfo("V = %6.0f: mean latency %.6f s, mean backlog Σ Q %.4f J", v, r.meanLatencyS,
                r.meanBacklogJ);
            latency.push_back(r.meanLatencyS);
            backlog.push_back(r.meanBacklogJ);
        }
        for (std::size_t i = 1; i < vs.size(); ++i) {
            QVERIFY2(latency[i] <= latency[i - 1],
                qPrintable(QStringLiteral("latency rose from V = %1 to %2: %3 > %4 s")
                               .arg(vs[i - 1])
                               .arg(vs[i])
                               .arg(latency[i], 0, 'g', 10)
                               .arg(latency[i - 1], 0, 'g', 10)));
            QVERIFY2(backlog[i] >= 0.95 * backlog[i - 1],
                qPrintable(QStringLiteral("backlog fell from V = %1 to %2: %3 < %4 J")
                               .arg(vs[i - 1])
                               .arg(vs[i])
                               .arg(backlog[i])
                               .arg(backlog[i - 1])));
        }
        if (binding) {
            QVERIFY2(backlog.back() >= 2.0 * backlog.front(), "backlog does not grow with V");
            QVERIFY(latency.back() < latency.front());
        }
    }
};

QTEST_GUILESS_MAIN(TestLyapunov)
#include "tst_lyapunov.moc"
