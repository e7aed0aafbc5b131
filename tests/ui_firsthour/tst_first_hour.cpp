// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", "must show": a new user's first hour, scripted through the real main window
// in a real X server (xvfb-run, the xcb platform; never offscreen). Keys and mouse clicks go
// through QTest events where a user would press a key or click; only what sits behind a file
// dialog of an export (the file name) is passed directly. Everything written goes to one
// QTemporaryDir. The functions run in order and share the window, like the hour they script.
#include "core/scenario/scenario_json.h"
#include "core/store/run_store.h"
#include "tests/test_settings.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/field_form.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/export/plot_export.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/replay_bar.h"
#include "ui/runs/runs_browser.h"
#include "ui/runs/runs_model.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace collapipe;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Answers the next modal dialogs as a user would: a file dialog gets `path` typed into its
/// file name field and Enter; a message box has its text kept and is closed with Enter.
class DialogDriver
{
public:
    explicit DialogDriver(const QString &path = QString())
        : m_path(path)
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] { answer(); });
        m_timer.start(20);
    }
    QStringList messages() const { return m_messages; }
    int fileDialogs() const { return m_fileDialogs; }

private:
    void answer()
    {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || modal == m_last) {
            return;
        }
        if (auto *dialog = qobject_cast<QFileDialog *>(modal)) {
            auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            if (!name || !dialog->isVisible()) {
                return;
            }
            m_last = modal;
            ++m_fileDialogs;
            // The path is set, not typed: the completer's popup would take the Return key.
            name->setFocus();
            name->setText(m_path);
            QTest::keyClick(name, Qt::Key_Return);
            if (dialog->isVisible()) {
                qWarning("the file dialog stayed open after Return on %s", qPrintable(m_path));
                dialog->reject();
            }
        } else if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            if (!box->isVisible()) {
                return;
            }
            m_last = modal;
            m_messages << box->text() + QLatin1Char('\n') + box->informativeText();
            QTest::keyClick(box, Qt::Key_Escape);
            if (box->isVisible()) {
                box->done(QMessageBox::Ok);
            }
        }
    }

    QString m_path;
    QTimer m_timer;
    QPointer<QWidget> m_last;
    QStringList m_messages;
    int m_fileDialogs = 0;
};

/// Types `text` into a line edit or spin box as a user does: click, select all, type, Enter.
void typeInto(QWidget *editor, const QString &text)
{
    QVERIFY(editor);
    QWidget *target = editor;
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(editor)) {
        target = spin->findChild<QLineEdit *>();
    }
    QTest::mouseClick(target, Qt::LeftButton);
    QTest::keyClick(target, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(target, text);
    QTest::keyClick(target, Qt::Key_Return);
}

void clickButton(QAbstractButton *button)
{
    QVERIFY(button);
    QVERIFY2(button->isEnabled(), qPrintable(button->text() + QStringLiteral(" is disabled")));
    QTest::mouseClick(button, Qt::LeftButton);
}

QAbstractButton *buttonByText(QWidget *parent, const QString &text)
{
    for (QAbstractButton *b : parent->findChildren<QAbstractButton *>()) {
        if (b->text() == text) {
            return b;
        }
    }
    return nullptr;
}

} // namespace

class TestFirstHour : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyBundledScenarioEditsUndoesRedoesSavesAndReopens();
    void brokenFileIsRefusedAndLeftAlone();
    void liveRunPausesStepsAndStops();
    void twoRunsCompareByTimeToAccuracy();
    void storedRunOpensAndScrubs();
    void plotAndReportExport();

private:
    MainWindow *window() const { return m_window.get(); }
    /// File ▸ Open by Ctrl+O, the path typed into the dialog; the messages shown meanwhile.
    QStringList openByKeyboard(const QString &path);
    /// A copy of a bundled scenario in the temporary folder (saving must never touch resources/).
    QString copyOfScenario(const QString &name);
    void waitForIdle(int timeoutMs);
    /// Gives the main window the keyboard again. Without a window manager (xvfb) X does not hand
    /// the focus back to the main window when a dialog closes, as a desktop would.
    void activate();
    QByteArray documentJson() const { return scenarioToJson(window()->document()->scenario()); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    RunWorkspace *m_ws = nullptr;
    QElapsedTimer m_clock;
    QList<qint64> m_trainedRuns;
};

void TestFirstHour::initTestCase()
{
    // The point of this test is a real window: offscreen would hide focus and shortcut bugs.
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    QVERIFY(m_dir.isValid());
    // Qt's own file dialog (no desktop's): the test types into it like a user.
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QVERIFY(test::useTestSettings(m_dir.filePath(QStringLiteral("settings"))));
    m_clock.start();
    m_window = std::make_unique<MainWindow>();
    m_ws = RunWorkspace::install(m_window.get());
    m_ws->runPanel()->setDatabasePath(m_dir.filePath(QStringLiteral("runs.sqlite")));
    m_ws->runsBrowser()->setDatabasePath(m_ws->runPanel()->databasePath());
    m_window->resize(1440, 900);
    m_window->openInitial(QString());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestFirstHour::cleanupTestCase()
{
    qInfo("first hour took %.1f s", double(m_clock.elapsed()) / 1000.0);
    if (m_window) {
        m_window->document()->undoStack()->setClean(); // no "save changes?" on close
        m_window->close();
        m_window.reset();
    }
}

QStringList TestFirstHour::openByKeyboard(const QString &path)
{
    activate();
    DialogDriver driver(path);
    QTest::keyClick(window(), Qt::Key_O, Qt::ControlModifier);
    // The dialog is modal: keyClick returns once it was answered; then any message box follows.
    QTest::qWait(200);
    if (driver.fileDialogs() != 1) {
        qWarning("no file dialog answered for %s", qPrintable(path));
    }
    return driver.messages();
}

QString TestFirstHour::copyOfScenario(const QString &name)
{
    const QString copy = m_dir.filePath(name);
    QFile::remove(copy);
    if (!QFile::copy(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + name, copy)) {
        return {};
    }
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    // The availability traces a scenario names sit next to it (campus-day-trace.csv).
    const QDir source(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"));
    for (const QString &csv : source.entryList({QStringLiteral("*.csv")}, QDir::Files)) {
        if (!QFileInfo::exists(m_dir.filePath(csv))) {
            QFile::copy(source.filePath(csv), m_dir.filePath(csv));
        }
    }
    return copy;
}

void TestFirstHour::activate()
{
    if (!window()->isActiveWindow()) {
        window()->activateWindow();
        QTRY_VERIFY(window()->isActiveWindow());
    }
}

void TestFirstHour::waitForIdle(int timeoutMs)
{
    QTRY_VERIFY_WITH_TIMEOUT(!m_ws->controller()->isActive(), timeoutMs);
}

void TestFirstHour::everyBundledScenarioEditsUndoesRedoesSavesAndReopens()
{
    const QStringList names = QDir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"))
                                  .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 3);
    for (const QString &name : names) {
        const QString path = copyOfScenario(name);
        QVERIFY(!path.isEmpty());
        const QStringList messages = openByKeyboard(path);
        QVERIFY2(messages.isEmpty(), qPrintable(messages.join(QLatin1Char('\n'))));
        QCOMPARE(window()->document()->filePath(), path);
        const QByteArray opened = documentJson();

        // Click a device on the canvas (the first one not covered by another item at the fit
        // zoom: a control unit may sit on its first device): Properties shows it.
        const Scenario &s = window()->document()->scenario();
        window()->view()->fitTopology();
        QCoreApplication::processEvents();
        ItemRef device;
        QPoint at;
        const auto findClickable = [&] {
            for (const Cluster &cluster : s.topology.clusters) {
                for (const Device &d : cluster.devices) {
                    const ItemRef ref{ItemKind::Device, d.id};
                    NodeItem *node = window()->scene()->nodeItem(ref);
                    const QPoint p
                        = node ? window()->view()->mapFromScene(node->scenePos()) : QPoint();
                    if (node && window()->view()->viewport()->rect().contains(p)
                        && window()->scene()->refAt(window()->view()->mapToScene(p)) == ref) {
                        device = ref;
                        at = p;
                        return;
                    }
                }
            }
        };
        findClickable();
        // A topology whose devices sit on each other at the fit zoom: centre the first device
        // and zoom in by keyboard (Ctrl+=) until one can be clicked.
        if (device.isNull()) {
            window()->view()->focusRef({ItemKind::Device, s.topology.clusters[0].devices[0].id});
            activate();
            window()->view()->setFocus();
        }
        for (int zoom = 0; device.isNull() && zoom < 12; ++zoom) {
            QTest::keyClick(window(), Qt::Key_Equal, Qt::ControlModifier);
            QCoreApplication::processEvents();
            findClickable();
        }
        QVERIFY2(!device.isNull(), qPrintable(name + QStringLiteral(": no device can be clicked")));
        QTest::mouseClick(window()->view()->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(window()->scene()->selectedRefs(), ItemRefList{device});
        QTRY_COMPARE(window()->propertyDock()->form()->item(), device);

        // Rename it by typing into its Name field.
        const QString oldName
            = window()->document()->propertyValue(device, QStringLiteral("name")).toString();
        const QString newName = QStringLiteral("first-hour phone");
        typeInto(window()->propertyDock()->form()->editor(QStringLiteral("name")), newName);
        QCOMPARE(window()->document()->propertyValue(device, QStringLiteral("name")).toString(),
            newName);

        // Undo / redo by the keys a user presses, with the canvas focused.
        activate();
        window()->view()->setFocus();
        const auto nameNow = [&] {
            return window()->document()->propertyValue(device, QStringLiteral("name")).toString();
        };
        QTest::keyClick(window(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(nameNow(), oldName);
        QTest::keyClick(window(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(nameNow(), newName);
        QTest::keyClick(window(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(nameNow(), oldName);
        QTest::keyClick(window(), Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(nameNow(), newName);
        QVERIFY(window()->document()->isModified());

        // Ctrl+S writes the copy; reopening it gives the same scenario.
        const QByteArray edited = documentJson();
        QVERIFY(edited != opened);
        activate();
        QTest::keyClick(window(), Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(!window()->document()->isModified());
        QVERIFY(readAll(path).contains(newName.toUtf8()));
        const QStringList again = openByKeyboard(path);
        QVERIFY2(again.isEmpty(), qPrintable(again.join(QLatin1Char('\n'))));
        QCOMPARE(window()->document()->filePath(), path);
        QCOMPARE(documentJson(), edited);
        qInfo("%s: opened, edited, undone, redone, saved, reopened (%.1f s)", qPrintable(name),
            double(m_clock.elapsed()) / 1000.0);
    }
}

void TestFirstHour::brokenFileIsRefusedAndLeftAlone()
{
    const QString good = copyOfScenario(QStringLiteral("default.json"));
    QVERIFY(openByKeyboard(good).isEmpty());
    const QByteArray before = documentJson();

    // One trailing comma before the closing brace: a JSON syntax error.
    QByteArray text = readAll(good);
    const qsizetype brace = text.lastIndexOf('}');
    QVERIFY(brace > 0);
    text.insert(brace, ",");
    const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
    {
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(text), text.size());
    }
    const QStringList messages = openByKeyboard(broken);
    QCOMPARE(messages.size(), 1);
    QVERIFY2(messages.first().contains(QLatin1String("line"), Qt::CaseInsensitive),
        qPrintable(messages.first()));
    QCOMPARE(readAll(broken), text);
    QCOMPARE(window()->document()->filePath(), good);
    QCOMPARE(documentJson(), before);
    // Ctrl+S now saves the document that is open, never the refused file.
    activate();
    QTest::keyClick(window(), Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(readAll(broken), text);
}

void TestFirstHour::liveRunPausesStepsAndStops()
{
    RunPanel *panel = m_ws->runPanel();
    RunController *controller = m_ws->controller();
    QVERIFY(openByKeyboard(copyOfScenario(QStringLiteral("default.json"))).isEmpty());
    m_ws->dock(QStringLiteral("runDock"))->raise();
    QCoreApplication::processEvents();
    // A cost-only run in Watch mode (paced, so there is time to pause it).
    if (panel->trainBox()->isChecked()) {
        QTest::mouseClick(
            panel->trainBox(), Qt::LeftButton, {}, QPoint(8, panel->trainBox()->height() / 2));
    }
    QVERIFY(!panel->trainBox()->isChecked());
    typeInto(panel->roundsBox(), QStringLiteral("200"));
    QCOMPARE(panel->roundsBox()->value(), 200);
    panel->setMode(RunPanel::Mode::Watch);

    clickButton(panel->startButton());
    QTRY_VERIFY_WITH_TIMEOUT(controller->progress().roundsDone >= 2, 60'000);
    activate();
    window()->view()->setFocus();
    QTest::keyClick(window(), Qt::Key_Space); // Space pauses
    QTRY_COMPARE(controller->state(), RunController::State::Paused);
    QTest::qWait(300);
    const int paused = controller->progress().roundsDone;
    QTest::qWait(500);
    QCOMPARE(controller->progress().roundsDone, paused); // paused means no round runs
    clickButton(panel->stepButton());
    QTRY_COMPARE_WITH_TIMEOUT(controller->progress().roundsDone, paused + 1, 30'000);
    QCOMPARE(controller->state(), RunController::State::Paused);
    clickButton(panel->stopButton());
    waitForIdle(30'000);
    QCOMPARE(controller->lastStatus(), SessionStatus::Stopped);
    QVERIFY(controller->runId() > 0);
    // The browser reads the store on its own thread: the list arrives by signal.
    m_ws->runsBrowser()->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(m_ws->runsBrowser()->model()->rowCount(), 1, 30'000);
}

void TestFirstHour::twoRunsCompareByTimeToAccuracy()
{
    // Two short training runs that differ only in schedule: the same seed gives the same
    // accuracy per round, so they differ in the simulated time they need.
    RunPanel *panel = m_ws->runPanel();
    m_ws->dock(QStringLiteral("settingsDock"))->raise();
    FieldForm *training = window()->settingsDock()->form(QStringLiteral("training"));
    QVERIFY(training);
    typeInto(training->editor(QStringLiteral("local_iterations")), QStringLiteral("1"));
    typeInto(training->editor(QStringLiteral("eval_every")), QStringLiteral("1"));
    m_ws->dock(QStringLiteral("runDock"))->raise();
    QCoreApplication::processEvents();
    QTest::mouseClick(
        panel->trainBox(), Qt::LeftButton, {}, QPoint(8, panel->trainBox()->height() / 2));
    QVERIFY(panel->trainBox()->isChecked());
    typeInto(panel->roundsBox(), QStringLiteral("2"));
    panel->setMode(RunPanel::Mode::Fast);
    for (const PipelineSchedule schedule : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
        QComboBox *box = panel->scheduleBox();
        const int index = box->findData(static_cast<int>(schedule));
        QVERIFY(index >= 0);
        box->setFocus();
        while (box->currentIndex() != index) {
            QTest::keyClick(box, box->currentIndex() < index ? Qt::Key_Down : Qt::Key_Up);
        }
        QCOMPARE(panel->currentRequest().scenario.optimizer.schedule, schedule);
        clickButton(panel->startButton());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_ws->controller()->isActive() || m_ws->controller()->runId() > 0, 5'000);
        waitForIdle(180'000);
        QCOMPARE(m_ws->controller()->lastStatus(), SessionStatus::Completed);
        m_trainedRuns << m_ws->controller()->runId();
    }

    // Select both in the runs browser (click, Ctrl+click) and press Compare.
    RunsBrowser *browser = m_ws->runsBrowser();
    m_ws->dock(QStringLiteral("runsDock"))->raise();
    clickButton(buttonByText(browser, QStringLiteral("Refresh")));
    QTRY_COMPARE(browser->model()->rowCount(), 3);
    QTableView *table = browser->table();
    QList<int> rows;
    for (int r = 0; r < browser->model()->rowCount(); ++r) {
        if (m_trainedRuns.contains(browser->model()->run(r).id)) {
            rows << r;
        }
    }
    QCOMPARE(rows.size(), 2);
    const auto cellCentre
        = [table](int row) { return table->visualRect(table->model()->index(row, 0)).center(); };
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cellCentre(rows[0]));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ControlModifier, cellCentre(rows[1]));
    QCOMPARE(browser->selectedRuns().size(), 2);
    clickButton(buttonByText(browser, QStringLiteral("Compare")));
    CompareView *compare = m_ws->compareView();
    QTRY_COMPARE(compare->comparison().runs.size(), std::size_t(2));
    const QString summary = compare->timeToAccuracySummary();
    QVERIFY2(summary.contains(QLatin1String("gpipe")) && summary.contains(QLatin1String("1f1b")),
        qPrintable(summary));
    QVERIFY2(!summary.contains(QLatin1String("not reached")), qPrintable(summary));
    bool found = false;
    for (const MetricComparison &m : compare->comparison().metrics) {
        if (m.key.startsWith(QLatin1String("time_to_"))) {
            found = true;
            QCOMPARE(m.values.size(), std::size_t(2));
            QVERIFY2(std::isfinite(m.values[0]) && std::isfinite(m.values[1]), qPrintable(m.key));
        }
    }
    QVERIFY(found);
    qInfo("%s", qPrintable(summary));
}

void TestFirstHour::storedRunOpensAndScrubs()
{
    QVERIFY(!m_trainedRuns.isEmpty());
    RunsBrowser *browser = m_ws->runsBrowser();
    m_ws->dock(QStringLiteral("runsDock"))->raise();
    QTableView *table = browser->table();
    int row = -1;
    for (int r = 0; r < browser->model()->rowCount(); ++r) {
        if (browser->model()->run(r).id == m_trainedRuns.first()) {
            row = r;
        }
    }
    QVERIFY(row >= 0);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
        table->visualRect(table->model()->index(row, 0)).center());
    QCOMPARE(browser->selectedRuns(), QList<qint64>{m_trainedRuns.first()});
    // The training settings were edited for the runs: save them first (else Open asks).
    activate();
    QTest::keyClick(window(), Qt::Key_S, Qt::ControlModifier);
    QTRY_VERIFY(!window()->document()->isModified());
    clickButton(buttonByText(browser, QStringLiteral("Open")));
    ReplayBar *bar = m_ws->replayBar();
    QTRY_VERIFY(bar->isActive() && bar->isVisible());
    QVERIFY(window()->document()->isReadOnly());

    // Scrub with the keyboard and the mouse; the plots follow while they stay in view.
    QSlider *slider = bar->slider();
    QVERIFY(slider->maximum() >= 1);
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Home);
    QTRY_COMPARE(m_ws->plots()->hub()->selectedRound(), 0);
    const QString first = bar->roundLabel()->text();
    QTest::keyClick(slider, Qt::Key_End);
    QTRY_COMPARE(m_ws->plots()->hub()->selectedRound(), 1);
    QVERIFY(bar->roundLabel()->text() != first);
    QTest::mouseClick(slider, Qt::LeftButton, {}, QPoint(4, slider->height() / 2));
    QTRY_VERIFY(m_ws->plots()->hub()->selectedRound() <= 1);
    QVERIFY(m_ws->dock(QStringLiteral("plotsDock"))->isVisible());
    QVERIFY(window()->view()->isVisible());
}

void TestFirstHour::plotAndReportExport()
{
    // The file name a user would accept in the save dialog: named after the plot.
    RoundPlot *loss = m_ws->plots()->lossPlot();
    const QString name = defaultPlotFileName(loss);
    QVERIFY2(name != QLatin1String("plot.png"), qPrintable(name));
    const QString png = m_dir.filePath(name);
    QString error;
    QVERIFY2(exportPlot(loss, png, &error), qPrintable(error));
    const QImage image(png);
    QCOMPARE(image.size(), PlotExportSize{}.pixelSize());
    QVERIFY(image.size().width() >= 2000);

    const QString report = m_dir.filePath(QStringLiteral("report"));
    QVERIFY2(m_ws->compareView()->exportReport(report, &error), qPrintable(error));
    for (const QString &file : {QStringLiteral("report.html"), QStringLiteral("metrics.csv"),
             QStringLiteral("config.csv"), QStringLiteral("accuracy.png")}) {
        QVERIFY2(QFileInfo(QDir(report).filePath(file)).size() > 0, qPrintable(file));
    }
    QVERIFY(readAll(QDir(report).filePath(QStringLiteral("report.html"))).contains("1f1b"));
}

QTEST_MAIN(TestFirstHour)
#include "tst_first_hour.moc"
