// SPDX-License-Identifier: MIT
// Every policy over many rounds of the bundled scenarios, cost only (channel → policy → evaluator
// → queues, tests/optimizer/round_loop.h): the measurement behind the "DSSDA vs baselines" notes
// in core/optimizer/DSSDA.md, and the assertions that hold on default.json.
#include "bundled_scenario.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_json.h"
#include "round_loop.h"

#include <QTest>

#include <algorithm>
#include <map>

using namespace collapipe;

namespace {

const QStringList kPolicies
    = {QStringLiteral("dssda"), QStringLiteral("dssda-myopic"), QStringLiteral("uniform"),
        QStringLiteral("proportional"), QStringLiteral("fl"), QStringLiteral("sl")};

} // namespace

class TstPolicyRounds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void policiesOverRounds_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<int>("seedOffset");
        QTest::newRow("default seed") << QStringLiteral("default.json") << 60 << 0;
        QTest::newRow("default seed+1") << QStringLiteral("default.json") << 60 << 1;
        QTest::newRow("default seed+2") << QStringLiteral("default.json") << 60 << 2;
        QTest::newRow("paper seed") << QStringLiteral("paper.json") << 60 << 0;
    }

    void policiesOverRounds()
    {
        QFETCH(QString, file);
        QFETCH(int, rounds);
        QFETCH(int, seedOffset);
        const Scenario s = testing::loadBundled(file);
        const std::uint64_t seed = s.training.seed + std::uint64_t(seedOffset);
        std::map<QString, testing::LoopResult> results;
        for (const QString &name : kPolicies) {
            QString error;
            std::unique_ptr<Policy> policy = makePolicy(name, &error);
            QVERIFY2(policy, qPrintable(error));
            testing::LoopResult r = testing::runLoop(s, *policy, rounds, seed);
            if (!r.ok) {
                QVERIFY2(r.error.contains(QStringLiteral("infeasible")), qPrintable(r.error));
                qInfo("%-13s infeasible: %s", qPrintable(name), qPrintable(r.error.left(100)));
                continue;
            }
            QVERIFY2(!r.memoryViolated, qPrintable(name));
            std::vector<double> sorted = r.latencyS;
            std::sort(sorted.begin(), sorted.end());
            qInfo(
                "%-13s mean %8.2f s  round0 %8.2f s  p50 %8.2f  max %8.2f  (%d rounds, seed %llu)",
                qPrintable(name), r.meanLatencyS, r.latencyS.front(), sorted[sorted.size() / 2],
                sorted.back(), r.rounds, static_cast<unsigned long long>(seed));
            results[name] = std::move(r);
        }
        QVERIFY(results.count(QStringLiteral("dssda")));
        const testing::LoopResult &ours = results[QStringLiteral("dssda")];
        for (const auto &[name, r] : results) {
            if (name == QStringLiteral("dssda")) {
                continue;
            }
            qInfo("dssda vs %-13s mean %+7.1f %%, round 0 %+7.1f %%", qPrintable(name),
                100.0 * (ours.meanLatencyS / r.meanLatencyS - 1.0),
                100.0 * (ours.latencyS.front() / r.latencyS.front() - 1.0));
        }
        // uniform, proportional and (edge offload on) sl are feasible points of DSSDA's
        // per-round problem, so with the same budgets DSSDA's time average may exceed theirs
        // only through the energy queues (DSSDA keeps the budgets, they ignore them); fl pays D
        // uploads of the whole model per cluster. Measured margins: core/optimizer/DSSDA.md
        // "DSSDA vs the baselines".
        QStringList asserted{
            QStringLiteral("uniform"), QStringLiteral("proportional"), QStringLiteral("fl")};
        if (s.optimizer.edgeOffload) {
            asserted << QStringLiteral("sl"); // paper.json keeps the paper's device-only space
        }
        for (const QString &name : asserted) {
            QVERIFY2(results.count(name), qPrintable(name));
            QVERIFY2(ours.meanLatencyS <= results[name].meanLatencyS,
                qPrintable(QStringLiteral("dssda %1 s > %2 %3 s")
                               .arg(ours.meanLatencyS)
                               .arg(name)
                               .arg(results[name].meanLatencyS)));
        }
    }
};

QTEST_GUILESS_MAIN(TstPolicyRounds)
#include "tst_policy_rounds.moc"
