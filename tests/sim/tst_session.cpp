// SPDX-License-Identifier: MIT
// The run engine (issue [5/6]): deterministic from the seed, queues updated per spec §5, every
// record field filled, and pause / step / resume / stop semantics.
#include "../store/record_equal.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "sim_fixtures.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

using namespace collapipe;
using testing::RecordingObserver;

namespace {

std::vector<RoundRecord> runAll(const Scenario &s, SessionStatus *status, QString *message)
{
    Session session;
    RecordingObserver observer;
    session.setObserver(&observer);
    QString error;
    if (!session.init(s, &error)) {
        *message = error;
        *status = SessionStatus::Failed;
        return {};
    }
    *status = testing::runToEnd(session);
    *message = observer.message();
    return observer.records();
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 5000)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministicFromSeed_data()
    {
        QTest::addColumn<bool>("train");
        QTest::newRow("cost only") << false;
        QTest::newRow("trained") << true;
    }

    void deterministicFromSeed()
    {
        QFETCH(bool, train);
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, train, train ? 3 : 20), qPrintable(error));
        SessionStatus status;
        QString message;
        std::vector<RoundRecord> a = runAll(s, &status, &message);
        QVERIFY2(status == SessionStatus::Completed, qPrintable(message));
        std::vector<RoundRecord> b = runAll(s, &status, &message);
        QVERIFY2(status == SessionStatus::Completed, qPrintable(message));
        QCOMPARE(a.size(), std::size_t(s.training.rounds));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            b[i].decisionTimeS = a[i].decisionTimeS; // wall time, the one non-deterministic field
            const QString diff = testing::firstDifference(a[i], b[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
        // Another seed gives another channel, hence other numbers.
        s.training.seed += 1;
        std::vector<RoundRecord> c = runAll(s, &status, &message);
        QVERIFY(!c.empty());
        bool differs = false;
        for (std::size_t i = 0; i < c.size(); ++i) {
            differs = differs || c[i].latencyS != a[i].latencyS;
        }
        QVERIFY(differs);
    }

    void recordsEveryField()
    {
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, true, 4), qPrintable(error));
        SessionStatus status;
        QString message;
        const std::vector<RoundRecord> records = runAll(s, &status, &message);
        QVERIFY2(status == SessionStatus::Completed, qPrintable(message));
        QCOMPARE(records.size(), std::size_t(4));
        double clock = 0.0;
        for (const RoundRecord &r : records) {
            clock += r.latencyS;
            QCOMPARE(r.simTimeS, clock); // the simulated clock is the sum of latencies
            QVERIFY(r.latencyS > 0.0);
            const LatencySplit &p = r.split;
            const double parts = p.computeS + p.d2dS + p.d2eS + p.decoderS + p.uploadS
                + p.aggregationS + p.bubbleS;
            QVERIFY2(std::abs(parts - r.latencyS) <= 1e-9 * r.latencyS,
                qPrintable(QStringLiteral("split %1 vs latency %2").arg(parts).arg(r.latencyS)));
            QVERIFY(r.energyJ > 0.0);
            QVERIFY(std::isfinite(r.loss) && r.loss > 0.0);
            QVERIFY(r.decisionTimeS > 0.0);
            QVERIFY(std::isfinite(r.bytesMoved) && r.bytesMoved >= 0.0); // training on
            // Accuracy every evalEvery (= 2) rounds, NaN in between.
            QCOMPARE(std::isnan(r.accuracy), (r.round + 1) % 2 != 0);
            QCOMPARE(r.clusters.size(), std::size_t(1));
            QVERIFY(r.clusters[0].microbatches >= 1);
            QCOMPARE(r.devices.size(), std::size_t(4)); // every device, scheduled or not
            // The round's energy is the devices' and the control units' radio (spec §2.5).
            double energy = 0.0;
            for (const DeviceRound &d : r.devices) {
                energy += d.energyJ;
            }
            QVERIFY(r.clusters[0].controlUnitEnergyJ > 0.0);
            energy += r.clusters[0].controlUnitEnergyJ;
            QVERIFY2(std::abs(r.energyJ - energy) <= 1e-12 * r.energyJ,
                qPrintable(QStringLiteral("%1 J vs %2 J").arg(r.energyJ).arg(energy)));
            int blocks = 0;
            for (const DeviceRound &d : r.devices) {
                QVERIFY(!d.deviceId.isEmpty());
                QVERIFY(d.memoryCapacityBytes > 0.0);
                QVERIFY(d.linkDistanceM > 0.0);
                if (d.stage >= 0) {
                    blocks += d.lastBlock - d.firstBlock + 1;
                    QVERIFY(d.memoryPredictedBytes > 0.0);
                    QVERIFY2(d.memoryMeasuredBytes > 0.0, "training on: measured memory");
                    // Spec §2.4 at the trainer's width against the trainer's own peak. At this
                    // tiny width (h = 16) a few kB the formula does not count weigh ~4 % on
                    // the later stages (308 480 B predicted vs 320 256 B measured);
                    // tst_memory_vs_trainer bounds the gap at 2 % at the default width. A unit
                    // or width slip would be off by 10^3.
                    const double rel
                        = std::abs(d.memoryPredictedTrainerBytes - d.memoryMeasuredBytes)
                        / d.memoryMeasuredBytes;
                    QVERIFY2(rel <= 0.05,
                        qPrintable(QStringLiteral("%1: trainer-width prediction %2 B vs "
                                                  "measured %3 B")
                                       .arg(d.deviceId)
                                       .arg(d.memoryPredictedTrainerBytes)
                                       .arg(d.memoryMeasuredBytes)));
                    QVERIFY(d.linkRateBps > 0.0);
                    QVERIFY(d.busyS > 0.0);
                    QVERIFY(d.powerW > 0.0);
                } else {
                    QVERIFY(std::isnan(d.memoryPredictedTrainerBytes));
                }
            }
            QCOMPARE(blocks, s.model.encoderBlocks);
            QCOMPARE(r.clusters[0].edgeFirstBlock, -1); // uniform: the devices run every block
            QCOMPARE(r.clusters[0].edgeLastBlock, -1);
            QVERIFY(!r.events.empty());
        }
    }

    void recordsTheEdgeTail_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("tail"); // a tail in every round
        QTest::newRow("sl") << QStringLiteral("sl") << true;
        QTest::newRow("uniform") << QStringLiteral("uniform") << false;
    }

    void recordsTheEdgeTail()
    {
        QFETCH(QString, policy);
        QFETCH(bool, tail);
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, false, 3, policy), qPrintable(error));
        SessionStatus status;
        QString message;
        const std::vector<RoundRecord> records = runAll(s, &status, &message);
        QVERIFY2(status == SessionStatus::Completed, qPrintable(message));
        QCOMPARE(records.size(), std::size_t(3));
        for (const RoundRecord &r : records) {
            int lastOnDevices = -1;
            for (const DeviceRound &d : r.devices) {
                lastOnDevices = std::max(lastOnDevices, d.lastBlock);
                QVERIFY(std::isnan(d.memoryPredictedTrainerBytes)); // training off
            }
            const ClusterRound &c = r.clusters[0];
            if (tail) {
                QVERIFY(lastOnDevices < s.model.encoderBlocks - 1);
                QCOMPARE(c.edgeFirstBlock, lastOnDevices + 1);
                QCOMPARE(c.edgeLastBlock, s.model.encoderBlocks - 1);
                QVERIFY(c.edgeMemoryBytes > 0.0);
            } else {
                QCOMPARE(lastOnDevices, s.model.encoderBlocks - 1);
                QCOMPARE(c.edgeFirstBlock, -1);
                QCOMPARE(c.edgeLastBlock, -1);
                QVERIFY(std::isnan(c.edgeMemoryBytes));
            }
        }
    }

    void queuesFollowSpec()
    {
        // Tight budgets so the queues grow: Q(t+1) = max(Q(t) + E(t) − Ē, 0) (spec §5).
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, false, 12), qPrintable(error));
        for (Device &d : s.topology.clusters[0].devices) {
            d.energyBudgetJ = 1e-4;
        }
        s.optimizer.energyBudgets = true;
        SessionStatus status;
        QString message;
        const std::vector<RoundRecord> records = runAll(s, &status, &message);
        QVERIFY2(status == SessionStatus::Completed, qPrintable(message));
        std::vector<double> q(4, 0.0);
        bool grew = false;
        for (const RoundRecord &r : records) {
            double drift = 0.0;
            for (const DeviceRound &d : r.devices) {
                const double budget = s.topology.clusters[0].devices[d.device].energyBudgetJ;
                drift += q[d.device] * (d.energyJ - budget);
                const double expected = std::max(q[d.device] + d.energyJ - budget, 0.0);
                QVERIFY2(std::abs(d.energyQueueJ - expected) <= 1e-12 * std::max(1.0, expected),
                    qPrintable(QStringLiteral("round %1 device %2: Q %3, expected %4")
                                   .arg(r.round)
                                   .arg(d.device)
                                   .arg(d.energyQueueJ)
                                   .arg(expected)));
                q[d.device] = d.energyQueueJ;
                grew = grew || d.energyQueueJ > 0.0;
            }
            QVERIFY2(std::abs(r.drift - drift) <= 1e-9 * std::max(1.0, std::abs(drift)),
                qPrintable(QStringLiteral("round %1 drift %2 vs %3")
                               .arg(r.round)
                               .arg(r.drift)
                               .arg(drift)));
            QCOMPARE(r.penalty, s.optimizer.v * r.latencyS);
            QCOMPARE(r.objective, r.drift + r.penalty);
        }
        QVERIFY(grew);
    }

    void pauseStepResumeStop()
    {
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, false, 1000000), qPrintable(error));
        Session session;
        RecordingObserver observer;
        session.setObserver(&observer);
        QVERIFY2(session.init(s, &error, SessionOptions{false}), qPrintable(error));
        RunControl control;
        control.requestPause();
        SessionStatus status = SessionStatus::Completed;
        std::thread worker([&] { status = testing::runToEnd(session, &control); });
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        QCOMPARE(observer.count(), 0); // paused before round 0
        control.requestStep();
        QVERIFY(waitFor([&] { return observer.count() == 1; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        QCOMPARE(observer.count(), 1); // exactly one round per step
        control.requestStep();
        control.requestStep();
        QVERIFY(waitFor([&] { return observer.count() == 3; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        QCOMPARE(observer.count(), 3);
        QVERIFY(control.isPaused());
        control.requestResume();
        QVERIFY(waitFor([&] { return observer.count() > 50; }));
        control.requestStop();
        worker.join();
        QVERIFY(status == SessionStatus::Stopped);
        QCOMPARE(observer.finishedCalls(), 1);
        QVERIFY(observer.status() == SessionStatus::Stopped);
        QCOMPARE(session.roundsDone(), observer.count());
        QVERIFY(session.roundsDone() < s.training.rounds);
        QVERIFY2(
            observer.message().contains(QStringLiteral("stopped")), qPrintable(observer.message()));
    }

    void stopWhilePausedEndsRun()
    {
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, false, 10), qPrintable(error));
        Session session;
        RecordingObserver observer;
        session.setObserver(&observer);
        QVERIFY(session.init(s, &error));
        RunControl control;
        control.requestPause();
        std::thread worker([&] { testing::runToEnd(session, &control); });
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        control.requestStop();
        worker.join();
        QCOMPARE(observer.count(), 0);
        QVERIFY(observer.status() == SessionStatus::Stopped);
    }

    void badInputIsReported_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown policy")
            << QStringLiteral("policy") << QStringLiteral("optimizer.policy");
        QTest::newRow("missing dataset")
            << QStringLiteral("dataset") << QStringLiteral("no-such-set");
        QTest::newRow("invalid scenario")
            << QStringLiteral("invalid") << QStringLiteral("batch_size");
    }

    void badInputIsReported()
    {
        QFETCH(QString, what);
        QFETCH(QString, expected);
        Scenario s;
        QString error;
        QVERIFY2(testing::tinyScenario(&s, &error, true, 2), qPrintable(error));
        if (what == QLatin1String("policy")) {
            s.optimizer.policy = QStringLiteral("no-such-policy");
        } else if (what == QLatin1String("dataset")) {
            s.training.dataset = QStringLiteral("no-such-set");
        } else {
            s.training.batchSize = -3;
        }
        Session session;
        QVERIFY(!session.init(s, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
