// SPDX-License-Identifier: MIT
// Every policy over many rounds of the bundled scenarios, cost only (channel → policy → evaluator
// → queues, tests/optimizer/round_loop.h): the measurement behind the "DSSDA vs baselines" notes
// in core/optimizer/DSSDA.md, and the assertions that hold on default.json.
#include "bundled_scenario.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/dssda_tracking.h"
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

    // optimizer.replan_every = F (DSSDA.md "Re-planning period"): rounds 1…F−1 after a plan keep
    // its order, segments and M and re-allocate bandwidth and power; every F-th round plans again.
    void replanEveryKeepsTheStructureBetweenPlans()
    {
        Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        s.optimizer.replanEvery = 4;
        s.optimizer.warmStart = WarmStart::Off; // plain re-planning (default.json warm-starts)
        QString error;
        DssdaPolicy policy(DssdaPolicy::Variant::Full);
        testing::CostOnlyRounds loop(s, policy, s.training.seed);
        std::vector<Decision> decisions;
        std::vector<std::vector<bool>> keptPlan;
        for (int t = 0; t < 12; ++t) {
            RoundRecord record;
            RoundOutcome outcome;
            QVERIFY2(loop.step(&record, &error, &outcome), qPrintable(error));
            decisions.push_back(outcome.plan.decision);
            keptPlan.push_back(policy.lastKeptPlan());
        }
        const auto structure = [](const ClusterDecision &d) {
            std::vector<int> out{d.microbatches, int(d.mode)};
            for (const StageDecision &st : d.stages) {
                out.insert(out.end(), {st.device, st.firstBlock, st.lastBlock});
            }
            return out;
        };
        int reallocated = 0;
        int replannedChanges = 0;
        int keptCount = 0;
        for (int t = 1; t < 12; ++t) {
            for (std::size_t c = 0; c < decisions[std::size_t(t)].clusters.size(); ++c) {
                const ClusterDecision &now = decisions[std::size_t(t)].clusters[c];
                const ClusterDecision &before = decisions[std::size_t(t - 1)].clusters[c];
                const bool kept = keptPlan[std::size_t(t)][c];
                // Every F-th round plans; in between a cluster keeps its plan unless the kept
                // plan's objective grew by more than 5 % (then it plans at once).
                QVERIFY(!(kept && t % 4 == 0));
                keptCount += kept;
                if (kept) {
                    QCOMPARE(structure(now), structure(before));
                    for (std::size_t j = 0; j < now.stages.size(); ++j) {
                        reallocated += now.stages[j].powerW != before.stages[j].powerW
                            || now.stages[j].bandwidthShare != before.stages[j].bandwidthShare;
                    }
                } else {
                    replannedChanges += structure(now) != structure(before);
                }
            }
        }
        // Fading changes every round, so the kept rounds' resources move; the plans change the
        // structure somewhere (DSSDA's structure changes nearly every round at F = 1).
        QVERIFY2(keptCount >= 9, qPrintable(QStringLiteral("%1 of 24 kept").arg(keptCount)));
        QVERIFY2(reallocated > 0, "no tracked round re-allocated bandwidth or power");
        QVERIFY2(replannedChanges > 0, "no re-plan round changed a cluster's structure");
    }

    // A kept plan that no longer applies (a device the cluster does not have, blocks not covered)
    // is refused, so the policy re-plans that cluster.
    void trackingRefusesAPlanThatNoLongerApplies()
    {
        const Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        ChannelModel channels(s.topology, s.training.seed);
        const ChannelState channel = channels.stateForRound(0, 0.0);
        const ClusterWeights w = clusterWeights(s, 0, nullptr, nullptr, true);
        const ClusterSolution planned = solveCluster(s, 0, channel.clusters[0], w, DssdaOptions{});
        QVERIFY2(planned.feasible, qPrintable(planned.error));
        const ClusterSolution kept
            = trackCluster(s, 0, channel.clusters[0], w, DssdaOptions{}, planned.decision);
        QVERIFY(kept.feasible);
        QCOMPARE(kept.decision.stages.size(), planned.decision.stages.size());

        ClusterDecision gone = planned.decision;
        gone.stages.back().device = int(s.topology.clusters[0].devices.size());
        QVERIFY(!trackCluster(s, 0, channel.clusters[0], w, DssdaOptions{}, gone).feasible);
        ClusterDecision gap = planned.decision;
        gap.stages.back().lastBlock -= 1;
        QVERIFY(!trackCluster(s, 0, channel.clusters[0], w, DssdaOptions{}, gap).feasible);
    }
};

QTEST_GUILESS_MAIN(TstPolicyRounds)
#include "tst_policy_rounds.moc"
