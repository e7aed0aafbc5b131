// SPDX-License-Identifier: MIT
// The run writer's background committer (issue 17 "Speed"): with CommitPolicy::background a due
// batch is written on the writer's own thread while appendRound() returns at once; every round
// is readable after finish(); a batch the committer could not store is reported by the next
// call with the same message a synchronous writer gives; a locked database and a full disk keep
// their rules. No timing asserts: a committer held inside SQLite (a progress handler that waits)
// shows whether the caller waited.
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "record_equal.h"
#include "store_fixtures.h"
#include "synthetic_round.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sqlite3.h>
#include <thread>

using namespace collapipe;
using namespace collapipe::testing;

namespace store_committer_test {

/// Installed as the connection's progress handler: holds the committer's statements until
/// released, and notes when a statement runs on the test's own thread instead.
struct Gate
{
    std::thread::id testThread = std::this_thread::get_id();
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    std::atomic<bool> ranOnTestThread{false};
    std::atomic<bool> heldCommitter{false};

    static int handler(void *self)
    {
        auto *gate = static_cast<Gate *>(self);
        if (std::this_thread::get_id() == gate->testThread) {
            gate->ranOnTestThread = true;
            return 0;
        }
        std::unique_lock<std::mutex> lock(gate->mutex);
        gate->heldCommitter = true;
        // A safety net, not a timing assert: a broken writer must not hang the test forever.
        gate->cv.wait_for(lock, std::chrono::seconds(60), [gate] { return gate->open; });
        return 0;
    }
    void release()
    {
        {
            const std::lock_guard<std::mutex> lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
};

} // namespace store_committer_test

class TestStoreCommitter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }
    static RunMeta meta(int rounds)
    {
        return testing::storeTestMeta(QStringLiteral("committer"), rounds);
    }
    static CommitPolicy background(int maxRounds, int maxDelayMs)
    {
        CommitPolicy p{maxRounds, maxDelayMs, true};
        p.background = true;
        return p;
    }
    static RunInfo storedRun(const QString &path, std::int64_t id)
    {
        QString error;
        RunInfo info;
        StoreOptions reading;
        reading.readOnly = true;
        auto store = RunStore::open(path, &error, reading);
        if (!store || !RunReader(store.get()).run(id, &info, &error)) {
            qWarning("%s", qPrintable(error));
        }
        return info;
    }
    static void waitWhileCommitting(const RunWriter &writer)
    {
        while (writer.isCommitting()) {
            QThread::msleep(1);
        }
    }

private Q_SLOTS:
    /// The committer is held inside SQLite while the caller appends: every appendRound returns,
    /// nothing of the held batch runs on the caller's thread, and once released all is stored.
    void appendReturnsWhileTheCommitterIsHeld()
    {
        const QString path = dbPath(QStringLiteral("held.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), background(2, 1000000));
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(16), &id, &error), qPrintable(error));
        // The run's first batch is committed on the caller's thread (a store that takes nothing
        // stops the run there); the later ones go to the committer.
        QVERIFY2(writer.appendRound(syntheticRound(0), &error), qPrintable(error));
        QVERIFY2(writer.appendRound(syntheticRound(1), &error), qPrintable(error));
        QCOMPARE(writer.roundsCommitted(), 2);
        QVERIFY(!writer.hasCommitterThread());
        store_committer_test::Gate gate;
        sqlite3_progress_handler(
            store->db().handle(), 1, &store_committer_test::Gate::handler, &gate);
        // Round 3 makes the next batch due; rounds 4-15 are buffered behind it (8 x 2 = 16
        // rounds would be overdue and wait for the committer).
        for (int r = 2; r < 16; ++r) {
            QVERIFY2(writer.appendRound(syntheticRound(r), &error), qPrintable(error));
        }
        QVERIFY(!gate.ranOnTestThread);
        QVERIFY(writer.hasCommitterThread());
        QCOMPARE(writer.roundsCommitted(), 2); // the held batch is not committed yet
        gate.release();
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        QVERIFY(gate.heldCommitter);
        sqlite3_progress_handler(store->db().handle(), 0, nullptr, nullptr);
        QCOMPARE(writer.roundsCommitted(), 16);
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("completed"));
        QCOMPARE(info.roundsDone, 16);
    }

    /// Many background batches: after finish() every round is stored, equal to what was
    /// appended and to what a synchronous writer stores; the counters are right.
    void backgroundBatchesAreAllReadable()
    {
        const int rounds = 700;
        std::vector<RoundRecord> appended;
        for (int r = 0; r < rounds; ++r) {
            appended.push_back(syntheticRound(r, 2, 3, 2));
        }
        std::int64_t rowsPerMode[2] = {0, 0};
        for (bool async : {false, true}) {
            const QString path = dbPath(
                async ? QStringLiteral("many-bg.sqlite") : QStringLiteral("many-sync.sqlite"));
            QString error;
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            CommitPolicy policy = background(8, 250);
            policy.background = async;
            RunWriter writer(store.get(), policy);
            std::int64_t id = 0;
            QVERIFY2(writer.beginRun(meta(rounds), &id, &error), qPrintable(error));
            for (const RoundRecord &r : appended) {
                QVERIFY2(writer.appendRound(r, &error), qPrintable(error));
            }
            QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
            QCOMPARE(writer.hasCommitterThread(), async);
            QCOMPARE(writer.roundsCommitted(), rounds);
            rowsPerMode[async ? 1 : 0] = writer.rowsWritten();
            std::vector<RoundRecord> read;
            QVERIFY2(RunReader(store.get()).rounds(id, &read, &error, RoundEverything),
                qPrintable(error));
            QCOMPARE(int(read.size()), rounds);
            for (int r = 0; r < rounds; ++r) {
                const QString diff
                    = firstDifference(appended[std::size_t(r)], read[std::size_t(r)]);
                QVERIFY2(diff.isEmpty(), qPrintable(diff));
            }
            QCOMPARE(storedRun(path, id).roundsDone, rounds);
        }
        QCOMPARE(rowsPerMode[1], rowsPerMode[0]);
        QVERIFY(rowsPerMode[1] > rounds);
    }

    /// A batch the committer could not store (the disk is full) is reported by the next
    /// appendRound with the message a synchronous writer gives, naming the database; finish()
    /// then stores the run failed with the rounds lost.
    void backgroundFailureIsReportedByTheNextCall()
    {
        QString messages[2];
        for (bool async : {false, true}) {
            QTemporaryDir dir;
            const QString path = dir.filePath(QStringLiteral("full.sqlite"));
            QString error;
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            CommitPolicy policy = background(1, 1000000);
            policy.background = async;
            RunWriter writer(store.get(), policy);
            std::int64_t id = 0;
            QVERIFY2(writer.beginRun(meta(5), &id, &error), qPrintable(error));
            QVERIFY2(writer.appendRound(syntheticRound(0), &error), qPrintable(error)); // fits
            const QByteArray limit
                = "PRAGMA max_page_count = " + QByteArray::number(pageCount(store.get()));
            QVERIFY(store->db().exec(limit.constData(), &error));
            QString storeError;
            const bool first = writer.appendRound(syntheticRound(1, 8, 8, 40), &storeError);
            if (async) {
                QVERIFY2(first, qPrintable(storeError)); // handed to the committer
                waitWhileCommitting(writer);
                QVERIFY(!writer.appendRound(syntheticRound(2), &storeError));
            } else {
                QVERIFY(!first);
            }
            QVERIFY2(storeError.startsWith(path + QStringLiteral(": ")), qPrintable(storeError));
            QVERIFY2(storeError.contains(QStringLiteral("disk is full")), qPrintable(storeError));
            messages[async ? 1 : 0] = QString(storeError).replace(path, QStringLiteral("DB"));
            QString finishError;
            QVERIFY(!writer.finish(RunStatus::Failed, storeError, &finishError));
            QCOMPARE(finishError.count(storeError), 1);
            store.reset();
            const RunInfo info = storedRun(path, id);
            QCOMPARE(runStatusName(info.status), QStringLiteral("failed"));
            QCOMPARE(info.roundsDone, 1);
            QCOMPARE(info.message.count(storeError), 1);
        }
        QCOMPARE(messages[1], messages[0]);
    }

    /// finish() with background batches on a nearly full disk keeps the rounds that fit and
    /// names those lost, like a synchronous writer.
    void fullDiskKeepsTheRoundsThatFit()
    {
        const QString path = dbPath(QStringLiteral("almost-full.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), background(4, 1000000));
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(40), &id, &error), qPrintable(error));
        const QByteArray limit
            = "PRAGMA max_page_count = " + QByteArray::number(pageCount(store.get()) + 24);
        QVERIFY(store->db().exec(limit.constData(), &error));
        QString firstError;
        int appended = 0;
        for (; appended < 40; ++appended) {
            if (!writer.appendRound(syntheticRound(appended, 2, 3, 40), &firstError)) {
                ++appended; // this round is buffered too, and lost with the others
                break;
            }
        }
        QString finishError;
        const bool finished = writer.finish(RunStatus::Completed, QString(), &finishError);
        QVERIFY(!finished);
        QVERIFY2(finishError.contains(QStringLiteral("disk is full")), qPrintable(finishError));
        store.reset();
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("failed"));
        QVERIFY2(info.roundsDone > 0 && info.roundsDone < appended,
            qPrintable(QString::number(info.roundsDone)));
        QVERIFY2(info.message.contains(QStringLiteral("%1 round(s) after the %2 stored")
                                           .arg(appended - info.roundsDone)
                                           .arg(info.roundsDone)),
            qPrintable(info.message));
        StoreOptions reading;
        reading.readOnly = true;
        auto reader = RunStore::open(path, &error, reading);
        QVERIFY2(reader, qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY2(RunReader(reader.get()).rounds(id, &rounds, &error, RoundEverything),
            qPrintable(error));
        QCOMPARE(int(rounds.size()), info.roundsDone);
        for (int r = 0; r < int(rounds.size()); ++r) {
            QCOMPARE(rounds[std::size_t(r)].round, r);
        }
    }

    /// Another connection holds the write lock: due background batches wait (nothing is
    /// committed, nothing fails) until the buffer is 8 times past the policy; then the writer
    /// waits up to the busy timeout and reports the lock as a synchronous writer does. Once the
    /// lock is free every round is stored.
    void lockedDatabaseKeepsTheOverdueRule()
    {
        const QString path = dbPath(QStringLiteral("locked.sqlite"));
        QString error;
        StoreOptions options;
        options.busyTimeoutMs = 100;
        auto store = RunStore::open(path, &error, options);
        auto other = RunStore::open(path, &error);
        QVERIFY(store && other);
        RunWriter writer(store.get(), background(2, 1000000));
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(40), &id, &error), qPrintable(error));
        QVERIFY(other->db().exec("BEGIN IMMEDIATE", &error));
        int round = 0;
        for (; round < 15; ++round) { // overdue (8 x 2) at the 16th round
            QVERIFY2(writer.appendRound(syntheticRound(round), &error), qPrintable(error));
            waitWhileCommitting(writer); // each due batch meets the lock and stays
        }
        QCOMPARE(writer.roundsCommitted(), 0);
        QVERIFY(!writer.appendRound(syntheticRound(round++), &error));
        QVERIFY2(
            error.startsWith(path + QStringLiteral(": the database is locked")), qPrintable(error));
        QVERIFY(other->db().exec("ROLLBACK", &error));
        QVERIFY2(writer.appendRound(syntheticRound(round++), &error), qPrintable(error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        QCOMPARE(writer.roundsCommitted(), round);
        std::vector<RoundRecord> rounds;
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error));
        QCOMPARE(int(rounds.size()), round); // nothing lost
    }

    /// Rounds slower than 8 times the policy's delay (trained rounds) make every batch overdue
    /// by age; with no other writer's lock met, the batches still go to the committer instead of
    /// being written on the caller's thread.
    void slowRoundsStillCommitInTheBackground()
    {
        const QString path = dbPath(QStringLiteral("slow.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), background(64, 0)); // every round is overdue by age
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(5), &id, &error), qPrintable(error));
        QVERIFY2(writer.appendRound(syntheticRound(0), &error), qPrintable(error)); // the first
        store_committer_test::Gate gate;
        gate.open = true; // note where statements run, hold nothing
        sqlite3_progress_handler(
            store->db().handle(), 1, &store_committer_test::Gate::handler, &gate);
        for (int r = 1; r < 5; ++r) {
            QVERIFY2(writer.appendRound(syntheticRound(r), &error), qPrintable(error));
            waitWhileCommitting(writer);
        }
        QVERIFY(!gate.ranOnTestThread);
        QVERIFY(gate.heldCommitter);
        sqlite3_progress_handler(store->db().handle(), 0, nullptr, nullptr);
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        QCOMPARE(storedRun(path, id).roundsDone, 5);
    }

    /// A writer destroyed with a run open and a batch in flight stores what it had and marks
    /// the run interrupted; its thread is joined (ASan/TSan would see a leak or a race).
    void destroyedWriterFinishesTheBatch()
    {
        const QString path = dbPath(QStringLiteral("destroyed.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        std::int64_t id = 0;
        {
            RunWriter writer(store.get(), background(3, 1000000));
            QVERIFY2(writer.beginRun(meta(10), &id, &error), qPrintable(error));
            for (int r = 0; r < 10; ++r) {
                QVERIFY2(writer.appendRound(syntheticRound(r), &error), qPrintable(error));
            }
        }
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("interrupted"));
        QCOMPARE(info.roundsDone, 10);
    }
};

QTEST_GUILESS_MAIN(TestStoreCommitter)
#include "tst_store_committer.moc"
