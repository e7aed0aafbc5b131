// SPDX-License-Identifier: MIT
// The run panel's progress bar and status line through the real main window and run workspace
// (offscreen): the count agrees with the status, and nothing of a run stays under another
// scenario (opened mid-run).
#include "tests/test_settings.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/run/churn_status_label.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui_run_fixtures.h"

#include <QCheckBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace collapipe;

namespace {

const QString kDefault = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
const QString kClassroom
    = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/classroom.json");

} // namespace

class TestRunStatus : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    RunWorkspace *m_ws = nullptr;

    QString statusText() const { return testing::runStatusText(m_ws); }

    bool runToEnd(int rounds)
    {
        return testing::runToEnd(m_ws, m_window->document(), rounds, 120'000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(test::useTestSettings(m_settingsDir.path())); }

    void init()
    {
        m_ws = testing::showStudio(
            m_window, kDefault, m_dir.filePath(QStringLiteral("runs.sqlite")));
        QVERIFY(m_ws);
    }

    void cleanup()
    {
        m_ws->controller()->shutdown();
        m_window.reset();
        m_ws = nullptr;
    }

    void progressAndStatusAgree()
    {
        RunPanel *panel = m_ws->runPanel();
        auto *bar = panel->findChild<QProgressBar *>();
        QVERIFY(bar);
        QVERIFY(!bar->isTextVisible());        // the count is in the status line, readable
        panel->setMode(RunPanel::Mode::Watch); // paced: the run is still going when we pause
        panel->roundsBox()->setValue(40);
        panel->trainBox()->setChecked(false);
        RunController *c = m_ws->controller();
        QSignalSpy progress(c, &RunController::progressChanged);
        panel->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(c->progress().roundsDone >= 2, 60'000);
        c->pause();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), RunController::State::Paused, 10'000);
        QTest::qWait(300); // a round in flight may still land
        QVERIFY2(statusText().startsWith(QStringLiteral("paused after")), qPrintable(statusText()));
        QVERIFY2(!statusText().contains(QStringLiteral("rounds/s"))
                && !statusText().contains(QStringLiteral("ETA")),
            qPrintable(statusText()));
        QSignalSpy finished(c, &RunController::runFinished);
        c->stop();
        QVERIFY(finished.wait(60'000));
        const int done = bar->value();
        QVERIFY(done >= 2);
        const QString expected = QStringLiteral("stopped after %1 of 40 rounds").arg(done);
        QVERIFY2(statusText().contains(expected),
            qPrintable(statusText() + QStringLiteral(" / bar ") + QString::number(done)));
    }

    // The Studio probe: opening another scenario mid-run left the old run's bar (2/15) and its
    // "stopped · stored as run 26: stopped after 2 of 15 rounds" under the new scenario.
    void openingAScenarioMidRunLeavesNoStaleRunStatus()
    {
        RunPanel *panel = m_ws->runPanel();
        auto *bar = panel->findChild<QProgressBar *>();
        QVERIFY(bar);
        panel->setMode(RunPanel::Mode::Watch); // paced: still running when the file opens
        panel->roundsBox()->setValue(40);
        panel->trainBox()->setChecked(false);
        m_window->document()->undoStack()->setClean();
        RunController *c = m_ws->controller();
        panel->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(c->progress().roundsDone >= 2, 60'000);
        QVERIFY(bar->value() >= 1);
        QSignalSpy finished(c, &RunController::runFinished);
        QVERIFY(m_window->fileController()->openFile(kClassroom));
        if (c->isActive()) {
            QVERIFY(finished.wait(60'000));
        }
        QCoreApplication::processEvents();
        const qint64 runId = c->runId();
        QVERIFY(runId > 0);
        QCOMPARE(bar->value(), 0);
        QVERIFY(!panel->churnLabel()->isVisible());
        QVERIFY2(statusText().startsWith(QStringLiteral("idle")), qPrintable(statusText()));
        // Nothing of the old run's progress; only where it went.
        QVERIFY2(!statusText().contains(QStringLiteral(" of 40")), qPrintable(statusText()));
        QCOMPARE(statusText(),
            QStringLiteral("idle · the previous scenario's run (stopped) is stored as run %1")
                .arg(runId));
        QVERIFY(panel->startButton()->isEnabled());
        // The next run is the panel's again.
        QVERIFY(runToEnd(2));
        QVERIFY2(statusText().startsWith(QStringLiteral("completed")), qPrintable(statusText()));
        QCOMPARE(bar->value(), 2);
    }
};

QTEST_MAIN(TestRunStatus)
#include "tst_run_status.moc"
