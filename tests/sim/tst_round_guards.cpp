// SPDX-License-Identifier: MIT
// Issue [2/7] items 8 and 13: a round whose results are not finite fails the run naming the metric
// and the round (nothing non-finite is ever reported for storage), and the divergence rule of
// core/trainer/README.md "Divergence" fires exactly as documented.
#include "core/sim/session.h"
#include "core/sim/session_trainer.h"
#include "sim_fixtures.h"

#include <QTest>

#include <cmath>

using namespace collapipe;
using namespace collapipe::testing;

class TestRoundGuards : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /// uniform does not check links: with every device out of the edge's reach (a valid file:
    /// steep D2E path loss, devices 99 km away) its rounds have an infinite latency.
    void nonFiniteRoundFailsTheRunNamingTheMetric()
    {
        Scenario s;
        QString error;
        QVERIFY2(tinyScenario(&s, &error, false, 3, QStringLiteral("uniform")), qPrintable(error));
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
        QVERIFY(validateScenario(s).empty());
        Session session;
        QVERIFY2(session.init(s, &error), qPrintable(error));
        RecordingObserver observer;
        session.setObserver(&observer);
        QCOMPARE(testing::runToEnd(session), SessionStatus::Failed);
        QVERIFY(observer.records().empty()); // nothing reached the store
        const QString message = observer.message();
        QVERIFY2(message.startsWith(QStringLiteral("round 0: cluster ")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("latency_s = inf")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("not a finite number")), qPrintable(message));
    }

    /// Valid field by field, but no machine holds it: refused with a message before allocation
    /// (a failed allocation would abort the process; under ASan a request this size does too).
    void trainerTooLargeForTheMachineIsRefused()
    {
        Scenario s;
        QString error;
        QVERIFY2(tinyScenario(&s, &error, true, 1), qPrintable(error));
        s.model.trainer.dModel = 32768;
        s.model.trainer.heads = 256;
        s.model.trainer.dFf = 262144;
        s.model.trainer.vocabSize = 1048576;
        QVERIFY(validateScenario(s).empty());
        Session session;
        QVERIFY(!session.init(s, &error));
        QVERIFY2(error.contains(QStringLiteral("model.trainer is too large")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("model.trainer.d_model")), qPrintable(error));
        // The tiny model itself passes the same check.
        QVERIFY2(tinyScenario(&s, &error, true, 1), qPrintable(error));
        QVERIFY2(session.init(s, &error), qPrintable(error));
    }

    /// The rule, exactly: reference = max(round 0's loss, ln(outputs)); fail after 3 rounds in a
    /// row above 10 × the reference; a round back below resets the count.
    void divergenceRule_data()
    {
        QTest::addColumn<QList<double>>("losses");
        QTest::addColumn<int>("firesAt"); // index of the loss that fails the run, −1 for never
        const double ln4 = std::log(4.0);
        QTest::newRow("healthy") << QList<double>{1.4, 1.2, 1.0, 0.8, 0.7} << -1;
        QTest::newRow("three above") << QList<double>{1.4, 20.0, 20.0, 20.0, 1.0} << 3;
        QTest::newRow("reset by one round below")
            << QList<double>{1.4, 20.0, 20.0, 5.0, 20.0, 20.0} << -1;
        QTest::newRow("at the bar is not above")
            << QList<double>{1.4, 14.0, 14.0, 14.0, 14.0} << -1;
        QTest::newRow("just above the bar") << QList<double>{1.4, 14.01, 14.01, 14.01} << 3;
        // A first round that already learned (0.01) does not lower the bar below 10 × ln 4.
        QTest::newRow("ln(outputs) floor")
            << QList<double>{0.01, 10 * ln4 - 0.01, 10 * ln4 - 0.01, 10 * ln4 - 0.01} << -1;
        QTest::newRow("28016 from 1") << QList<double>{1.0, 4.0, 180.0, 28016.0, 9000.0} << 4;
    }

    void divergenceRule()
    {
        QFETCH(QList<double>, losses);
        QFETCH(int, firesAt);
        Scenario s;
        s.model.family = ModelFamily::Bert;
        s.model.numClasses = 4;
        s.training.learningRate = 10;
        s.training.gradClip = 0;
        SessionTrainer trainer;
        int fired = -1;
        QString error;
        for (int i = 0; i < losses.size() && fired < 0; ++i) {
            if (trainer.checkDivergence(s, losses[i], &error)) {
                fired = i;
            }
        }
        QCOMPARE(fired, firesAt);
        if (fired >= 0) {
            QVERIFY2(error.startsWith(QStringLiteral("diverged: ")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("training.learning_rate = 10"))
                    && error.contains(QStringLiteral("training.grad_clip = 0")),
                qPrintable(error));
            QVERIFY2(!error.contains(QStringLiteral("learningRate")), qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(TestRoundGuards)
#include "tst_round_guards.moc"
