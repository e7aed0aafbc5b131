// SPDX-License-Identifier: MIT
// A run with moving nodes (issue [6/7]): reproducible from the seed (the same records and stored
// positions twice; another mobility seed moves the node elsewhere), positions recorded and stored
// per round, and the nodes without mobility where the scenario puts them.
#include "../store/record_equal.h"
#include "core/channel/node_mobility.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "sim_fixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;

class TstMobilityRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// The bundled mobile.json, cost model only, `rounds` rounds of the uniform policy.
    static Scenario mobile(int rounds)
    {
        Scenario s;
        std::vector<ScenarioProblem> problems;
        const QString path
            = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/mobile.json");
        if (!loadScenarioFile(path, &s, &problems)) {
            qFatal("%s", qPrintable(problems.empty() ? path : problems.front().toString()));
        }
        s.training.train = false;
        s.training.rounds = rounds;
        s.optimizer.policy = QStringLiteral("uniform");
        return s;
    }

    /// Runs `s` into a new store `name`; the rounds as the store gives them back (every part),
    /// with the measured decision time zeroed (the one field that is not reproducible).
    std::vector<RoundRecord> storedRounds(const Scenario &s, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QString error;
        auto store = RunStore::open(path, &error);
        if (!store) {
            qFatal("%s", qPrintable(error));
        }
        Session session;
        if (!session.init(s, &error)) {
            qFatal("%s", qPrintable(error));
        }
        testing::RecordingObserver observer;
        session.setObserver(&observer);
        StoredRun run(&session, store.get(), nullptr);
        if (!run.begin(StoredRunOptions{name, {}, false}, &error)
            || run.runRounds() != SessionStatus::Completed) {
            qFatal("%s %s", qPrintable(error), qPrintable(run.message()));
        }
        std::vector<RoundRecord> rounds;
        if (!RunReader(store.get()).rounds(run.runId(), &rounds, &error, RoundEverything)) {
            qFatal("%s", qPrintable(error));
        }
        const std::vector<RoundRecord> computed = observer.records();
        for (std::size_t i = 0; i < rounds.size(); ++i) {
            RoundRecord live = computed[i];
            live.events.clear(); // not stored in this run
            live.decisionTimeS = rounds[i].decisionTimeS;
            const QString diff = testing::firstDifference(live, rounds[i]);
            if (!diff.isEmpty()) {
                qFatal("stored round differs from the computed one: %s", qPrintable(diff));
            }
            rounds[i].decisionTimeS = 0.0;
        }
        return rounds;
    }

    static const DeviceRound &device(const RoundRecord &r, int cluster, int index)
    {
        for (const DeviceRound &d : r.devices) {
            if (d.cluster == cluster && d.device == index) {
                return d;
            }
        }
        qFatal("no device %d of cluster %d in round %d", index, cluster, r.round);
    }

private Q_SLOTS:
    void sameSeedSameRunAndPositions()
    {
        const Scenario s = mobile(8);
        const std::vector<RoundRecord> a = storedRounds(s, QStringLiteral("a.sqlite"));
        const std::vector<RoundRecord> b = storedRounds(s, QStringLiteral("b.sqlite"));
        QCOMPARE(a.size(), std::size_t(8));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            const QString diff = testing::firstDifference(a[i], b[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }

    void positionsAreRecordedPerRound()
    {
        const Scenario s = mobile(8);
        const std::vector<RoundRecord> r = storedRounds(s, QStringLiteral("positions.sqlite"));
        const Cluster &c1 = s.topology.clusters[0];
        const Cluster &c2 = s.topology.clusters[1];
        const Cluster &c3 = s.topology.clusters[2];
        // Round 0 starts at τ = 0: every node at its scenario position.
        QCOMPARE(device(r[0], 0, 0).xM, c1.devices[0].position.xM);
        QCOMPARE(device(r[0], 0, 0).yM, c1.devices[0].position.yM);
        QCOMPARE(r[0].clusters[1].controlUnitXM, c2.controlUnit.position.xM);
        // Later rounds: the walker is where its path puts it at the round's start on the clock.
        for (std::size_t t = 1; t < r.size(); ++t) {
            const double tau = r[t - 1].simTimeS;
            const Position expected = nodePositionAt(
                c1.devices[0].mobility, c1.devices[0].position, c1.devices[0].id, tau);
            QCOMPARE(device(r[t], 0, 0).xM, expected.xM);
            QCOMPARE(device(r[t], 0, 0).yM, expected.yM);
            const Position cu = nodePositionAt(
                c2.controlUnit.mobility, c2.controlUnit.position, c2.controlUnit.id, tau);
            QCOMPARE(r[t].clusters[1].controlUnitXM, cu.xM);
            QCOMPARE(r[t].clusters[1].controlUnitYM, cu.yM);
            // c3 does not move.
            QCOMPARE(device(r[t], 2, 3).xM, c3.devices[3].position.xM);
            QCOMPARE(r[t].clusters[2].controlUnitYM, c3.controlUnit.position.yM);
        }
        // And they really moved: the walker is away from its start in most rounds (its loop
        // brings it back past the start), the drifting control unit in every round after 0.
        int away = 0;
        for (std::size_t t = 1; t < r.size(); ++t) {
            const DeviceRound &walker = device(r[t], 0, 0);
            away += walker.xM != c1.devices[0].position.xM || walker.yM != c1.devices[0].position.yM
                ? 1
                : 0;
            QVERIFY(r[t].clusters[1].controlUnitXM != c2.controlUnit.position.xM);
        }
        QVERIFY2(away >= int(r.size()) / 2, qPrintable(QString::number(away)));
    }

    void anotherSeedMovesTheNodeElsewhere()
    {
        Scenario s = mobile(6);
        const std::vector<RoundRecord> a = storedRounds(s, QStringLiteral("seed-a.sqlite"));
        s.topology.clusters[0].devices[1].mobility.seed += 1; // c1-d2, random waypoint
        const std::vector<RoundRecord> b = storedRounds(s, QStringLiteral("seed-b.sqlite"));
        int differ = 0;
        for (std::size_t t = 1; t < a.size(); ++t) {
            differ += device(a[t], 0, 1).xM != device(b[t], 0, 1).xM ? 1 : 0;
        }
        QVERIFY2(differ == int(a.size()) - 1, qPrintable(QString::number(differ)));
    }
};

QTEST_GUILESS_MAIN(TstMobilityRun)
#include "tst_mobility_run.moc"
