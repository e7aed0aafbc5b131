// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", the editor: through the real main window and its real widgets (offscreen),
// the findings that crashed the Studio, lost a file, ignored a key or hid an error.
#include "core/scenario/scenario_json.h"
#include "tests/test_settings.h"
#include "tests/ui/editor_test_util.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/field_form.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/docks/validation_dock.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QShortcut>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <functional>

using namespace collapipe;

using namespace collapipe::test;

namespace {

const QString kDefault = defaultScenarioPath();

/// Answers every modal dialog that opens while it lives: message boxes are accepted (their text
/// kept), file dialogs cancelled. Modal loops would otherwise block the test.
class DialogAnswerer
{
public:
    DialogAnswerer()
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            QWidget *modal = QApplication::activeModalWidget();
            if (auto *box = qobject_cast<QMessageBox *>(modal)) {
                m_texts.append(box->text() + QLatin1Char('\n') + box->informativeText());
                box->done(QMessageBox::Ok);
            } else if (auto *dialog = qobject_cast<QDialog *>(modal)) {
                m_texts.append(QStringLiteral("<dialog %1>").arg(dialog->windowTitle()));
                dialog->reject();
            }
        });
        m_timer.start(10);
    }
    QStringList texts() const { return m_texts; }

private:
    QTimer m_timer;
    QStringList m_texts;
};

} // namespace

class TestEditorTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void changingTheEdgeServerKeepsTheComboAlive();
    void formsDeleteOldEditorsOnlyLater();
    void brokenFileIsRefusedAndNeverOverwritten_data();
    void brokenFileIsRefusedAndNeverOverwritten();
    void semanticProblemsStillOpen();
    void refusedSaveSaysWhatWasNotSaved();
    void aBigFileIsReadOnAWorker();
    void redoWorksByKeyboard();
    void noKeyIsBoundTwice();
    void runPanelAndSettingsShareOneSource();
    void refusedValueIsShownAtTheFieldAndReverted();

private:
    QTemporaryDir m_settingsDir;
};

void TestEditorTrust::initTestCase()
{
    QVERIFY(useTestSettings(m_settingsDir.path()));
}

void TestEditorTrust::changingTheEdgeServerKeepsTheComboAlive()
{
    // Finding 1: the combo's activated handler changed the document, the scene rebuilt and
    // re-selected, the form was rebuilt and the combo deleted while still emitting (SIGSEGV).
    MainWindow window;
    window.openInitial(kDefault);
    TopologyDocument *document = window.document();
    if (document->scenario().topology.edgeServers.size() < 2) {
        EdgeServer second;
        second.position = {500.0, 500.0};
        document->addEdgeServer(second);
    }
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString cluster = document->scenario().topology.clusters.front().id;
    window.scene()->selectRefs({{ItemKind::Cluster, cluster}});
    FieldForm *form = window.propertyDock()->form();
    QCOMPARE(form->item(), (ItemRef{ItemKind::Cluster, cluster}));

    for (const auto key : {Qt::Key_Down, Qt::Key_Up, Qt::Key_Down}) {
        QPointer<QComboBox> box = combo(form, QStringLiteral("edge_server_id"));
        QVERIFY(box);
        QCOMPARE(box->count(), static_cast<int>(document->scenario().topology.edgeServers.size()));
        const QString before = document->scenario().topology.clusters.front().edgeServerId;
        box->setFocus();
        QTest::keyClick(box.data(), key); // Up/Down on a closed combo emits activated
        // The combo that emitted is still alive right after its own signal...
        QVERIFY2(box, "the edge-server combo was deleted inside its own activated signal");
        QVERIFY(document->scenario().topology.clusters.front().edgeServerId != before);
        QCOMPARE(box->currentText(), document->scenario().topology.clusters.front().edgeServerId);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QTest::qWait(1);
    }
    // ... and the same editor is reused (the form was refreshed, not rebuilt).
    QVERIFY(form->editor(QStringLiteral("edge_server_id")));
    window.document()->undoStack()->setClean();
}

void TestEditorTrust::formsDeleteOldEditorsOnlyLater()
{
    // The class of finding 1: whatever signal leads to setItem, the editors it replaces are not
    // freed on the spot (the signal may come from one of them).
    TopologyDocument document;
    QString error;
    QVERIFY2(document.load(kDefault, &error), qPrintable(error));
    FieldForm form(&document);
    const Cluster &c = document.scenario().topology.clusters.front();
    form.setItem({ItemKind::Cluster, c.id});
    QPointer<QWidget> name = form.editor(QStringLiteral("name"));
    QVERIFY(name);
    form.setItem({ItemKind::Cluster, c.id}); // the same item: same editors
    QCOMPARE(form.editor(QStringLiteral("name")), name.data());
    form.setItem({ItemKind::Device, c.devices.front().id});
    QVERIFY2(name, "an editor was deleted synchronously by setItem");
    QVERIFY(!name->isVisibleTo(&form));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(!name); // ... but it is deleted
}

void TestEditorTrust::brokenFileIsRefusedAndNeverOverwritten_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("File > Open") << QStringLiteral("open");
    QTest::newRow("Open Recent") << QStringLiteral("recent");
    QTest::newRow("drop on the window") << QStringLiteral("drop");
    QTest::newRow("command line") << QStringLiteral("argument");
}

void TestEditorTrust::brokenFileIsRefusedAndNeverOverwritten()
{
    // Finding 2: a file with one trailing comma opened as an EMPTY scenario under its name, and
    // Ctrl+S wrote the empty scenario over it.
    QFETCH(QString, path);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString current = dir.filePath(QStringLiteral("current.json"));
    const QString broken = dir.filePath(QStringLiteral("broken.json"));
    QByteArray text = readAll(kDefault);
    QVERIFY(!text.isEmpty());
    QVERIFY(writeAll(current, text));
    // One trailing comma before the closing brace of the top-level object.
    const qsizetype last = text.lastIndexOf('}');
    qsizetype end = last;
    while (end > 0 && QChar::isSpace(text[end - 1])) {
        --end;
    }
    text.insert(end, ',');
    QVERIFY(writeAll(broken, text));
    std::vector<ScenarioProblem> problems;
    QVERIFY(!loadScenarioFile(broken, nullptr, &problems));

    MainWindow window;
    const bool fromArgument = path == QLatin1String("argument");
    if (!fromArgument) {
        window.openInitial(current);
        QCOMPARE(window.document()->filePath(), current);
    }
    const QByteArray before = scenarioToJson(window.document()->scenario());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    DialogAnswerer answerer;
    if (path == QLatin1String("open")) {
        QVERIFY(!window.fileController()->openFile(broken));
    } else if (path == QLatin1String("recent")) {
        // The file was fine when it was last opened (so it is in the list), then got broken.
        QVERIFY(writeAll(broken, readAll(current)));
        QVERIFY(window.fileController()->openFile(broken));
        QVERIFY(window.fileController()->openFile(current));
        QVERIFY(writeAll(broken, text));
        QMenu *recent = window.fileController()->recentMenu();
        QMetaObject::invokeMethod(recent, "aboutToShow");
        QAction *entry = nullptr;
        for (QAction *action : recent->actions()) {
            if (action->text().contains(QLatin1String("broken.json"))) {
                entry = action;
            }
        }
        QVERIFY(entry);
        entry->trigger();
    } else if (path == QLatin1String("drop")) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(broken)});
        // As a drag from a file manager arrives: enter (the window takes .json files), then drop.
        QDragEnterEvent enter(
            QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
    } else {
        window.openInitial(broken);
    }
    QTRY_VERIFY(!answerer.texts().isEmpty());
    const QString message = answerer.texts().join(QLatin1Char('\n'));
    // The user is told why, with the place of the error.
    QVERIFY2(message.contains(QLatin1String("line")) && message.contains(QLatin1String("column")),
        qPrintable(message));
    // The refused file never became the document's path; the document is what it was.
    QVERIFY(window.document()->filePath() != broken);
    if (!fromArgument) {
        QCOMPARE(window.document()->filePath(), current);
        QCOMPARE(scenarioToJson(window.document()->scenario()), before);
    } else {
        QVERIFY(window.document()->filePath().isEmpty());
    }
    // Ctrl+S never touches the broken file (a new document asks for a name: cancelled).
    window.activateWindow();
    window.view()->setFocus();
    QTest::keyClick(&window, Qt::Key_S, Qt::ControlModifier);
    QTest::qWait(50);
    QCOMPARE(readAll(broken), text);
    window.document()->undoStack()->setClean();
}

void TestEditorTrust::refusedSaveSaysWhatWasNotSaved()
{
    // The first hour (guiprobe): a refused save showed the core's bare sentence ("cannot write
    // /x/ro.json: Existing file /x/ro.json is not writable") and the status bar kept the message
    // of the open before it. Said like a refused open: the file not saved, why, and that the
    // changes are still there.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(QStringLiteral("gone"));
    QVERIFY(QDir().mkpath(folder));
    const QString path = QDir(folder).filePath(QStringLiteral("mine.json"));
    QVERIFY(writeAll(path, readAll(kDefault)));
    MainWindow window;
    window.openInitial(path);
    QCOMPARE(window.document()->filePath(), path);
    window.document()->removeItems({{ItemKind::Device, QStringLiteral("c2-d1")}});
    QVERIFY(window.document()->isModified());
    QVERIFY(QDir(folder).removeRecursively()); // as good as a folder one may not write to
    QSignalSpy status(window.fileController(), &FileController::statusMessage);
    DialogAnswerer answerer;
    QVERIFY(!window.fileController()->save());
    QTRY_COMPARE(answerer.texts().size(), 1);
    const QString message = answerer.texts().first();
    QVERIFY2(message.startsWith(QLatin1String("mine.json was not saved.\n")), qPrintable(message));
    QVERIFY2(message.contains(path), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("stays open with its changes")), qPrintable(message));
    QVERIFY(!status.isEmpty());
    QVERIFY2(status.last().first().toString().startsWith(QLatin1String("Not saved: ")),
        qPrintable(status.last().first().toString()));
    QVERIFY(window.document()->isModified());
    QCOMPARE(window.document()->filePath(), path);
    // Closing or opening another file asks about the changes of this file, by its name.
    QVERIFY(!window.fileController()->maybeSave()); // the answerer's Ok is no Save or Discard
    QTRY_COMPARE(answerer.texts().size(), 2);
    QVERIFY2(answerer.texts().last().startsWith(
                 QLatin1String("mine.json has unsaved changes. Save them first?")),
        qPrintable(answerer.texts().last()));
    window.document()->undoStack()->setClean();
}

void TestEditorTrust::semanticProblemsStillOpen()
{
    // A file whose only problems are validateScenario()'s (here: micro-batch larger than the batch)
    // still opens, so it can be fixed; the validation panel lists them.
    QTemporaryDir dir;
    Scenario s;
    std::vector<ScenarioProblem> problems;
    QVERIFY(loadScenarioFile(kDefault, &s, &problems));
    // Each value in its range, together inconsistent: a semantic problem only.
    s.training.microbatchSize = s.training.batchSize + 1;
    const QString path = dir.filePath(QStringLiteral("invalid.json"));
    QVERIFY(writeAll(path, scenarioToJson(s)));
    TopologyDocument document;
    QString error;
    QVERIFY2(document.load(path, &error), qPrintable(error));
    QVERIFY(!document.isValid());
    QCOMPARE(document.filePath(), path);
}

void TestEditorTrust::aBigFileIsReadOnAWorker()
{
    // Issue [7/7]: a big file is read, parsed and validated on a worker thread (here every file:
    // the threshold is lowered); the outcome is load()'s: a valid file opens valid, a file with
    // semantic problems opens with them listed, a broken one is refused and changes nothing.
    QTemporaryDir dir;
    Scenario s;
    std::vector<ScenarioProblem> problems;
    QVERIFY(loadScenarioFile(kDefault, &s, &problems));
    const QString valid = dir.filePath(QStringLiteral("valid.json"));
    QVERIFY(writeAll(valid, scenarioToJson(s)));
    s.training.microbatchSize = s.training.batchSize + 1;
    const QString invalid = dir.filePath(QStringLiteral("invalid.json"));
    QVERIFY(writeAll(invalid, scenarioToJson(s)));
    const QString broken = dir.filePath(QStringLiteral("broken.json"));
    QVERIFY(writeAll(broken, readAll(valid).replace("\"clusters\"", "\"clusterz\"")));

    MainWindow window;
    FileController *files = window.fileController();
    files->setWorkerReadBytes(0);
    QVERIFY(files->openFile(valid)); // not shown yet (start-up): read here
    QCOMPARE(files->workerReads(), 0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(files->openFile(valid));
    QCOMPARE(files->workerReads(), 1);
    QCOMPARE(window.document()->filePath(), valid);
    QVERIFY(window.document()->isValid());
    QCOMPARE(scenarioToJson(window.document()->scenario()), readAll(valid));
    QVERIFY(files->openFile(invalid));
    QCOMPARE(files->workerReads(), 2);
    QVERIFY(!window.document()->isValid()); // the problems of the file are listed, not skipped
    QVERIFY(!window.document()->problems().empty());
    // Back to the valid file: valid again (its problems are not the previous file's).
    QVERIFY(files->openFile(valid));
    QVERIFY(window.document()->isValid());
    DialogAnswerer answerer;
    QVERIFY(!files->openFile(broken));
    QCOMPARE(files->workerReads(), 4);
    window.document()->undoStack()->setClean();
    QTRY_VERIFY(!answerer.texts().isEmpty());
    QCOMPARE(window.document()->filePath(), valid);
    QCOMPARE(scenarioToJson(window.document()->scenario()), readAll(valid));
}

void TestEditorTrust::redoWorksByKeyboard()
{
    // Finding 3: Ctrl+Shift+Z was bound twice to Redo ("Ambiguous shortcut overload"): nothing
    // happened; Ctrl+Y was not bound at all.
    MainWindow window;
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    window.view()->setFocus();
    QUndoStack *stack = window.document()->undoStack();
    const ItemRef settings{ItemKind::Settings, QStringLiteral("scenario")};
    QVERIFY(window.document()->setProperty(settings, QStringLiteral("name"), QStringLiteral("A")));
    QCOMPARE(stack->index(), 1);

    QList<QKeySequence> keys = QKeySequence::keyBindings(QKeySequence::Redo);
    keys << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z) << QKeySequence(Qt::CTRL | Qt::Key_Y);
    for (const QKeySequence &redo : std::as_const(keys)) {
        QTest::keySequence(&window, QKeySequence::Undo);
        QCOMPARE(stack->index(), 0);
        QTest::keySequence(&window, redo);
        QVERIFY2(
            stack->index() == 1, qPrintable(redo.toString() + QStringLiteral(" did not redo")));
    }
    QCOMPARE(window.document()->scenario().name, QStringLiteral("A"));
    stack->setClean();
}

void TestEditorTrust::noKeyIsBoundTwice()
{
    // The class of finding 3: any key sequence bound twice in the window (one action with the
    // same key twice, or two actions) is ambiguous and does nothing.
    MainWindow window;
    RunWorkspace::install(&window);
    window.openInitial(kDefault);
    QHash<QKeySequence, QStringList> owners;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcutContext() == Qt::WidgetShortcut
            || action->shortcutContext() == Qt::WidgetWithChildrenShortcut) {
            continue;
        }
        for (const QKeySequence &key : action->shortcuts()) {
            owners[key].append(action->text());
        }
    }
    for (QShortcut *shortcut : window.findChildren<QShortcut *>()) {
        if (shortcut->context() == Qt::WindowShortcut
            || shortcut->context() == Qt::ApplicationShortcut) {
            for (const QKeySequence &key : shortcut->keys()) {
                owners[key].append(
                    QStringLiteral("shortcut of ") + shortcut->parent()->objectName());
            }
        }
    }
    QVERIFY(!owners.isEmpty());
    for (auto it = owners.cbegin(); it != owners.cend(); ++it) {
        QVERIFY2(it.value().size() == 1,
            qPrintable(
                it.key().toString() + QStringLiteral(" bound to: ") + it.value().join(u',')));
    }
}

void TestEditorTrust::runPanelAndSettingsShareOneSource()
{
    // Finding 6: the Run panel kept its own policy and schedule and silently won over Scenario
    // settings (a run stored as 1F1B after the user chose GPipe).
    MainWindow window;
    RunWorkspace *workspace = RunWorkspace::install(&window);
    window.openInitial(kDefault);
    RunPanel *panel = workspace->runPanel();
    TopologyDocument *document = window.document();
    FieldForm *optimizer = window.settingsDock()->form(QStringLiteral("optimizer"));
    QVERIFY(optimizer);
    QComboBox *settingsSchedule = combo(optimizer, QStringLiteral("schedule"));
    QVERIFY(settingsSchedule);
    QComboBox *panelSchedule = panel->scheduleBox();

    for (const PipelineSchedule choice :
        {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB, PipelineSchedule::GPipe}) {
        // In Scenario settings (through the combo) -> the Run panel shows it, the run uses it.
        settingsSchedule->setCurrentIndex(static_cast<int>(choice));
        QCOMPARE(document->scenario().optimizer.schedule, choice);
        QCOMPARE(panelSchedule->currentData().toInt(), static_cast<int>(choice));
        QCOMPARE(panel->currentRequest().scenario.optimizer.schedule, choice);
    }
    // In the Run panel -> the document (undoable) and Scenario settings follow.
    document->undoStack()->clear(); // (consecutive edits of one field merge into one step)
    const int undoBefore = document->undoStack()->index();
    panelSchedule->setCurrentIndex(
        panelSchedule->findData(static_cast<int>(PipelineSchedule::OneFOneB)));
    QCOMPARE(document->scenario().optimizer.schedule, PipelineSchedule::OneFOneB);
    QCOMPARE(settingsSchedule->currentIndex(), static_cast<int>(PipelineSchedule::OneFOneB));
    QCOMPARE(panel->currentRequest().scenario.optimizer.schedule, PipelineSchedule::OneFOneB);
    QCOMPARE(document->undoStack()->index(), undoBefore + 1);
    document->undoStack()->undo();
    QCOMPARE(panelSchedule->currentData().toInt(), static_cast<int>(PipelineSchedule::GPipe));
    QCOMPARE(settingsSchedule->currentIndex(), static_cast<int>(PipelineSchedule::GPipe));
    QCOMPARE(panel->currentRequest().scenario.optimizer.schedule, PipelineSchedule::GPipe);

    // Policy and rounds the same way.
    QComboBox *policy = panel->policyBox();
    const QString other = policy->itemText(policy->currentIndex() == 0 ? 1 : 0);
    policy->setCurrentText(other);
    QCOMPARE(document->scenario().optimizer.policy, other);
    auto *policyEdit = qobject_cast<QLineEdit *>(optimizer->editor(QStringLiteral("policy")));
    QVERIFY(policyEdit);
    QCOMPARE(policyEdit->text(), other);
    FieldForm *training = window.settingsDock()->form(QStringLiteral("training"));
    QVERIFY(training->editField(QStringLiteral("rounds"), QStringLiteral("17")));
    QCOMPARE(panel->roundsBox()->value(), 17);
    QCOMPARE(panel->currentRequest().scenario.training.rounds, 17);
    document->undoStack()->setClean();
}

void TestEditorTrust::refusedValueIsShownAtTheFieldAndReverted()
{
    // Finding 8: the reason sat at the bottom of the form, out of view, and the refused text
    // stayed in the field after focus left.
    MainWindow window;
    window.resize(1280, 800);
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const Device &device = window.document()->scenario().topology.clusters.front().devices.front();
    const ItemRef ref{ItemKind::Device, device.id};
    const double stored = device.memoryBytes;
    window.view()->focusRef(ref);
    FieldForm *form = window.propertyDock()->form();
    QCOMPARE(form->item(), ref);
    auto *edit = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("memory_bytes")));
    QVERIFY(edit);
    const QString shown = edit->text();
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("-5"));
    auto *other = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("name")));
    other->setFocus(); // focus leaves the field
    QTRY_VERIFY(!edit->hasFocus());
    // Refused: nothing changed, the field shows the stored value again ...
    QCOMPARE(
        window.document()->propertyValue(ref, QStringLiteral("memory_bytes")).toDouble(), stored);
    QCOMPARE(edit->text(), shown);
    // ... and the reason is AT the field: right under it, visible, and in its tooltip.
    QLabel *reason = form->errorLabel(QStringLiteral("memory_bytes"));
    QVERIFY(reason);
    QVERIFY(reason->isVisible());
    QVERIFY2(reason->text().contains(QLatin1String("(got -5)")), qPrintable(reason->text()));
    const QRect editRect(edit->mapTo(form, QPoint(0, 0)), edit->size());
    const QRect reasonRect(reason->mapTo(form, QPoint(0, 0)), reason->size());
    QVERIFY(reasonRect.top() >= editRect.bottom() - 1);
    QVERIFY2(reasonRect.top() <= editRect.bottom() + edit->height(),
        "the reason is not next to the field it explains");
    QVERIFY(reasonRect.left() < editRect.right() && reasonRect.right() > editRect.left());
    QVERIFY(edit->toolTip().contains(QLatin1String("(got -5)")));
    QVERIFY(!edit->styleSheet().isEmpty()); // red frame
    // Only that field is marked; an accepted edit clears it.
    QVERIFY(!form->errorLabel(QStringLiteral("name"))->isVisible());
    QVERIFY(form->editField(QStringLiteral("memory_bytes"), QStringLiteral("3e9")));
    QVERIFY(!reason->isVisible());
    QVERIFY(edit->styleSheet().isEmpty());
    window.document()->undoStack()->setClean();
}

QTEST_MAIN(TestEditorTrust)
#include "tst_editor_trust.moc"
