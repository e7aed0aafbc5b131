// SPDX-License-Identifier: MIT
// StoredRun, the one glue between a Session and the store (issue [3/7] "the plumbing"): the
// status rules — completed only when every round is on disk, failed with the reason (a round
// that cannot be computed or stored), stopped, interrupted — and RunControl's pause / step.
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/sqlite_db.h"
#include "sim_fixtures.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace collapipe;

namespace {

/// The stored run as a fresh reader sees it.
RunInfo storedRun(const QString &path, std::int64_t id)
{
    QString error;
    RunInfo info;
    auto store = RunStore::open(path, &error);
    if (!store || !RunReader(store.get()).run(id, &info, &error)) {
        qWarning("%s", qPrintable(error));
    }
    return info;
}

/// Lets the database grow by one page only: a batch of rounds no longer fits (it fails as on a
/// full disk), the final status update still does.
bool fillDisk(RunStore *store, QString *error)
{
    SqliteStatement q;
    if (!q.prepare(store->db(), "PRAGMA page_count", error) || q.step() != SQLITE_ROW) {
        return false;
    }
    const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(q.columnInt(0) + 1);
    return store->db().exec(limit.constData(), error);
}

/// Stops the run after `after` rounds, from inside the round loop (as another thread would).
class StopAfter : public SessionObserver
{
public:
    StopAfter(RunControl *control, int after)
        : m_control(control)
        , m_after(after)
    { }
    void roundFinished(const RoundRecord &record) override
    {
        if (record.round + 1 == m_after) {
            m_control->requestStop();
        }
    }

private:
    RunControl *m_control;
    int m_after;
};

} // namespace

class TestStoredRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static Scenario tiny(int rounds)
    {
        Scenario s;
        QString error;
        if (!testing::tinyScenario(&s, &error, false, rounds)) {
            qFatal("%s", qPrintable(error));
        }
        return s;
    }

private Q_SLOTS:
    void completedWhenEveryRoundIsStored()
    {
        const QString path = m_dir.filePath(QStringLiteral("done.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Session session;
        QVERIFY2(session.init(tiny(7), &error), qPrintable(error));
        testing::RecordingObserver observer;
        session.setObserver(&observer);
        StoredRun run(&session, store.get(), nullptr);
        QVERIFY2(run.begin(StoredRunOptions{QStringLiteral("done"), {}, true}, &error),
            qPrintable(error));
        QCOMPARE(run.runRounds(), SessionStatus::Completed);
        QVERIFY(run.message().isEmpty());
        QCOMPARE(observer.finishedCalls(), 1);
        QVERIFY(observer.status() == SessionStatus::Completed);
        store.reset();
        const RunInfo info = storedRun(path, run.runId());
        QCOMPARE(info.status, RunStatus::Completed);
        QCOMPARE(info.roundsDone, 7);
        QCOMPARE(info.name, QStringLiteral("done"));
    }

    void failingWriterIsFailedWithReason_data()
    {
        QTest::addColumn<int>("rounds");
        QTest::addColumn<int>("computed");
        // 5 rounds stay buffered: the final flush fails, after every round was computed.
        QTest::newRow("final flush") << 5 << 5;
        // 70 rounds: the 64-round batch commit fails inside the loop, which stops there.
        QTest::newRow("batch commit") << 70 << 64;
    }

    void failingWriterIsFailedWithReason()
    {
        QFETCH(int, rounds);
        QFETCH(int, computed);
        const QString path = m_dir.filePath(QStringLiteral("full-%1.sqlite").arg(rounds));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Session session;
        QVERIFY2(session.init(tiny(rounds), &error), qPrintable(error));
        StoredRun run(&session, store.get(), nullptr);
        QVERIFY2(run.begin(StoredRunOptions{}, &error), qPrintable(error));
        QVERIFY2(fillDisk(store.get(), &error), qPrintable(error));
        QCOMPARE(run.runRounds(), SessionStatus::Failed);
        QVERIFY2(run.message().contains(QStringLiteral("disk is full")), qPrintable(run.message()));
        QCOMPARE(session.roundsDone(), computed);
        store.reset();
        const RunInfo info = storedRun(path, run.runId());
        QCOMPARE(info.status, RunStatus::Failed); // never completed with rounds missing
        QCOMPARE(info.roundsDone, 0);
        QVERIFY2(info.message.contains(QStringLiteral("disk is full")), qPrintable(info.message));
    }

    void failedRoundIsFailedWithReason()
    {
        // Devices 100 km from their edge server: every upload rate is 0, the latency infinite,
        // and round 0 fails naming the metric (nothing non-finite is stored).
        const QString path = m_dir.filePath(QStringLiteral("failed.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Scenario s = tiny(4);
        s.topology.d2e.pathLoss = PathLossModel::LogDistance;
        s.topology.d2e.pathLossExponent = 6.0;
        s.topology.d2e.referenceLossDb = 120.0;
        for (Cluster &c : s.topology.clusters) {
            c.controlUnit.position = s.topology.edgeServers[0].position;
            for (Device &d : c.devices) {
                d.position.xM += 7e4;
                d.position.yM += 7e4;
            }
        }
        Session session;
        QVERIFY2(session.init(s, &error), qPrintable(error));
        StoredRun run(&session, store.get(), nullptr);
        QVERIFY2(run.begin(StoredRunOptions{}, &error), qPrintable(error));
        QCOMPARE(run.runRounds(), SessionStatus::Failed);
        QVERIFY2(run.message().startsWith(QStringLiteral("round 0: cluster ")),
            qPrintable(run.message()));
        QVERIFY2(run.message().contains(QStringLiteral("not a finite number")),
            qPrintable(run.message()));
        store.reset();
        const RunInfo info = storedRun(path, run.runId());
        QCOMPARE(info.status, RunStatus::Failed);
        QCOMPARE(info.message, run.message());
    }

    void stopIsStoppedWithRoundsKept()
    {
        const QString path = m_dir.filePath(QStringLiteral("stopped.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Session session;
        QVERIFY2(session.init(tiny(20), &error), qPrintable(error));
        RunControl control;
        StopAfter observer(&control, 3);
        session.setObserver(&observer);
        StoredRun run(&session, store.get(), &control);
        QVERIFY2(run.begin(StoredRunOptions{}, &error), qPrintable(error));
        QCOMPARE(run.runRounds(), SessionStatus::Stopped);
        QCOMPARE(run.message(), QStringLiteral("stopped after 3 of 20 rounds"));
        QVERIFY(!run.step()); // over: no further round
        store.reset();
        const RunInfo info = storedRun(path, run.runId());
        QCOMPARE(info.status, RunStatus::Stopped);
        QCOMPARE(info.roundsDone, 3);
        QCOMPARE(info.message, run.message());
    }

    void unfinishedRunIsInterrupted()
    {
        const QString path = m_dir.filePath(QStringLiteral("interrupted.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        Session session;
        QVERIFY2(session.init(tiny(10), &error), qPrintable(error));
        std::int64_t id = 0;
        {
            StoredRun run(&session, store.get(), nullptr);
            QVERIFY2(run.begin(StoredRunOptions{}, &error), qPrintable(error));
            QVERIFY(run.step());
            QVERIFY(run.step());
            QVERIFY(!run.isFinished());
            id = run.runId();
        } // gone without finish(), as when the front end is torn down mid-run
        store.reset();
        const RunInfo info = storedRun(path, id);
        QCOMPARE(info.status, RunStatus::Interrupted);
        QCOMPARE(info.roundsDone, 2);
    }

    void controlPausesAndSteps()
    {
        RunControl control;
        QVERIFY(control.takeRound());
        control.requestPause();
        QVERIFY(!control.takeRound());
        control.requestStep();
        control.requestStep();
        QVERIFY(control.takeRound());
        QVERIFY(control.takeRound());
        QVERIFY(!control.takeRound()); // exactly one round per step
        control.requestResume();
        QVERIFY(control.takeRound());
        QVERIFY(control.waitForRound());
        control.requestStop();
        QVERIFY(!control.takeRound());
        QVERIFY(!control.waitForRound());
        QVERIFY(!control.stoppedBySignal());
        control.reset();
        QVERIFY(control.takeRound());
    }
};

QTEST_GUILESS_MAIN(TestStoredRun)
#include "tst_stored_run.moc"
