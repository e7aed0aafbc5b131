// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", the editor: through the real main window and its real widgets (offscreen),
// the findings that crashed the Studio, lost a file, ignored a key or hid an error.
#include "core/scenario/scenario_json.h"
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

namespace {

const QString kDefault = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

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

QComboBox *combo(FieldForm *form, const QString &key)
{
    return qobject_cast<QComboBox *>(form->editor(key));
}

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
    void redoWorksByKeyboard();
    void noKeyIsBoundTwice();
    void runPanelAndSettingsShareOneSource();
    void refusedValueIsShownAtTheFieldAndReverted();
    void positionsShowATenthOfAMetre();
    void newItemsGetReadableUniqueNames();
    void deletingAnEdgeServerReconnectsItsClusters();
    void selectingRaisesProperties();
    void validationDockHasAReadableWidth();
    void settingsDescriptionIsMultiLineAndSectionsFit();
    void fieldTextsDecodeUtf8();

private:
    QTemporaryDir m_settingsDir;
};

void TestEditorTrust::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_editor_trust"));
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
    QVERIFY2(
        reason->text().contains(QLatin1String("must be > 0 (got -5)")), qPrintable(reason->text()));
    const QRect editRect(edit->mapTo(form, QPoint(0, 0)), edit->size());
    const QRect reasonRect(reason->mapTo(form, QPoint(0, 0)), reason->size());
    QVERIFY(reasonRect.top() >= editRect.bottom() - 1);
    QVERIFY2(reasonRect.top() <= editRect.bottom() + edit->height(),
        "the reason is not next to the field it explains");
    QVERIFY(reasonRect.left() < editRect.right() && reasonRect.right() > editRect.left());
    QVERIFY(edit->toolTip().contains(QLatin1String("must be &gt; 0")));
    QVERIFY(!edit->styleSheet().isEmpty()); // red frame
    // Only that field is marked; an accepted edit clears it.
    QVERIFY(!form->errorLabel(QStringLiteral("name"))->isVisible());
    QVERIFY(form->editField(QStringLiteral("memory_bytes"), QStringLiteral("3e9")));
    QVERIFY(!reason->isVisible());
    QVERIFY(edit->styleSheet().isEmpty());
    window.document()->undoStack()->setClean();
}

void TestEditorTrust::positionsShowATenthOfAMetre()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const ItemRef ref{ItemKind::Device, document.scenario().topology.clusters[0].devices[0].id};
    QVERIFY(document.setProperty(ref, QStringLiteral("x_m"), 313.708279066397));
    FieldForm form(&document);
    form.setItem(ref);
    auto *x = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("x_m")));
    QVERIFY(x);
    QCOMPARE(x->text(), QStringLiteral("313.7"));
    // Showing it does not change it; an unedited field is never written back.
    QCOMPARE(document.propertyValue(ref, QStringLiteral("x_m")).toDouble(), 313.708279066397);
    // Other numbers keep full precision (a seed, a rate).
    BoundField field;
    QVERIFY(findBoundField(ref, QStringLiteral("compute_flops"), &field));
    QCOMPARE(formatFieldForEditor(field.info, 1.23456789e12), formatFieldNumber(1.23456789e12));
}

void TestEditorTrust::newItemsGetReadableUniqueNames()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    Cluster cluster;
    cluster.edgeServerId = document.scenario().topology.edgeServers.front().id;
    const QString a = document.addCluster(cluster);
    const QString b = document.addCluster(cluster);
    const QString d1 = document.addDevice(a, Device{});
    const QString d2 = document.addDevice(a, Device{});
    const QString s1 = document.addEdgeServer(EdgeServer{});
    const Scenario &s = document.scenario();
    const QString nameA = s.topology.clusters[static_cast<size_t>(document.clusterIndex(a))].name;
    const QString nameB = s.topology.clusters[static_cast<size_t>(document.clusterIndex(b))].name;
    QVERIFY(!nameA.isEmpty());
    QVERIFY(nameA != nameB);
    QVERIFY(nameA.startsWith(QLatin1String("Cluster ")));
    int ci = -1, di1 = -1, di2 = -1;
    QVERIFY(document.deviceIndex(d1, &ci, &di1));
    QVERIFY(document.deviceIndex(d2, &ci, &di2));
    const auto &devices = s.topology.clusters[static_cast<size_t>(ci)].devices;
    QVERIFY(!devices[static_cast<size_t>(di1)].name.isEmpty());
    QVERIFY(devices[static_cast<size_t>(di1)].name != devices[static_cast<size_t>(di2)].name);
    QVERIFY(
        !s.topology.edgeServers[static_cast<size_t>(document.edgeServerIndex(s1))].name.isEmpty());
    // A name the caller gives is kept.
    Device named;
    named.name = QStringLiteral("Lab phone");
    const QString d3 = document.addDevice(a, named);
    QVERIFY(document.deviceIndex(d3, &ci, &di1));
    QCOMPARE(document.scenario()
                 .topology.clusters[static_cast<size_t>(ci)]
                 .devices[static_cast<size_t>(di1)]
                 .name,
        QStringLiteral("Lab phone"));
}

void TestEditorTrust::deletingAnEdgeServerReconnectsItsClusters()
{
    MainWindow window;
    window.openInitial(kDefault);
    TopologyDocument *document = window.document();
    EdgeServer extra;
    extra.position = {900.0, 900.0};
    const QString spare = document->addEdgeServer(extra);
    const QString cluster = document->scenario().topology.clusters.front().id;
    const QString served = document->scenario().topology.clusters.front().edgeServerId;
    window.scene()->selectRefs({{ItemKind::Cluster, cluster}});
    QComboBox *box = combo(window.propertyDock()->form(), QStringLiteral("edge_server_id"));
    QVERIFY(box);
    const QString beforeJson = QString::fromUtf8(scenarioToJson(document->scenario()));
    const int undoBefore = document->undoStack()->index();

    document->removeItems({{ItemKind::EdgeServer, served}});
    // No cluster points at the removed server; the combo does not offer it; nothing dangles.
    for (const Cluster &c : document->scenario().topology.clusters) {
        QVERIFY2(document->edgeServerIndex(c.edgeServerId) >= 0,
            qPrintable(c.id + u':' + c.edgeServerId));
    }
    QCOMPARE(box->findText(served), -1);
    QCOMPARE(box->currentText(), spare);
    for (const ScenarioProblem &p : document->problems()) {
        QVERIFY2(!p.path.endsWith(QLatin1String("edge_server_id")), qPrintable(p.toString()));
    }
    // One undo step brings the server and every connection back.
    QCOMPARE(document->undoStack()->index(), undoBefore + 1);
    document->undoStack()->undo();
    QCOMPARE(QString::fromUtf8(scenarioToJson(document->scenario())), beforeJson);
    QCOMPARE(box->currentText(), served);
    document->undoStack()->setClean();
}

void TestEditorTrust::selectingRaisesProperties()
{
    MainWindow window;
    window.resize(1280, 800);
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.settingsDock()->raise();
    QTRY_VERIFY(
        !window.propertyDock()->isVisible() || window.propertyDock()->visibleRegion().isEmpty());
    const QString cluster = window.document()->scenario().topology.clusters.front().id;
    window.scene()->selectRefs({{ItemKind::Cluster, cluster}});
    QTRY_VERIFY(
        window.propertyDock()->isVisible() && !window.propertyDock()->visibleRegion().isEmpty());
}

void TestEditorTrust::validationDockHasAReadableWidth()
{
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
        MainWindow window;
        RunWorkspace::install(&window);
        window.resize(size);
        window.openInitial(kDefault);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QWidget *body = window.validationDock()->widget();
        const int minimum = body->fontMetrics().averageCharWidth() * 40;
        QVERIFY2(body->width() >= minimum,
            qPrintable(QStringLiteral("validation %1 px wide at %2x%3")
                           .arg(body->width())
                           .arg(size.width())
                           .arg(size.height())));
    }
}

void TestEditorTrust::settingsDescriptionIsMultiLineAndSectionsFit()
{
    MainWindow window;
    window.resize(1280, 800);
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.settingsDock()->raise();
    FieldForm *scenario = window.settingsDock()->form(QStringLiteral("scenario"));
    auto *description
        = qobject_cast<QPlainTextEdit *>(scenario->editor(QStringLiteral("description")));
    QVERIFY2(description, "the description is not a multi-line editor");
    QVERIFY(description->height() >= 3 * description->fontMetrics().lineSpacing());
    // A multi-line description goes to the document on focus out, whole.
    description->setFocus();
    description->selectAll();
    QTest::keyClicks(description, QStringLiteral("first line"));
    QTest::keyClick(description, Qt::Key_Return);
    QTest::keyClicks(description, QStringLiteral("second line"));
    scenario->editor(QStringLiteral("name"))->setFocus();
    QTRY_COMPARE(
        window.document()->scenario().description, QStringLiteral("first line\nsecond line"));
    // Every section is as tall as its fields (not squeezed to a few rows).
    for (const auto &section : settingsSections()) {
        FieldForm *form = window.settingsDock()->form(section.first);
        QVERIFY(form);
        QTRY_VERIFY2(form->height() >= form->minimumSizeHint().height(), qPrintable(section.first));
        const int fields
            = static_cast<int>(boundFields({ItemKind::Settings, section.first}).size());
        QVERIFY2(
            form->height() >= fields * form->fontMetrics().height(), qPrintable(section.first));
    }
    window.document()->undoStack()->setClean();
}

void TestEditorTrust::fieldTextsDecodeUtf8()
{
    // Polish: tooltips showed "Â§" (UTF-8 field texts decoded as Latin-1).
    QList<ItemRef> tables{{ItemKind::EdgeServer, QString()}, {ItemKind::Cluster, QString()},
        {ItemKind::ControlUnit, QString()}, {ItemKind::Device, QString()}};
    for (const auto &section : settingsSections()) {
        tables.append({ItemKind::Settings, section.first});
    }
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const Cluster &c = document.scenario().topology.clusters.front();
    tables[0].id = document.scenario().topology.edgeServers.front().id;
    tables[1].id = c.id;
    tables[2].id = c.controlUnit.id;
    tables[3].id = c.devices.front().id;
    int sections = 0;
    for (const ItemRef &ref : std::as_const(tables)) {
        for (const BoundField &field : boundFields(ref)) {
            const QString tip = fieldToolTip(field.info);
            QVERIFY2(!tip.contains(QChar(0xC2)) && !tip.contains(QChar(0xE2))
                    && !tip.contains(QChar(0xCE)),
                qPrintable(field.info.key + QStringLiteral(": ") + tip));
            sections += tip.count(QChar(0xA7)); // §
        }
    }
    QVERIFY2(sections > 0, "no field help cites a spec section; the check saw no non-ASCII text");
    BoundField policy;
    QVERIFY(findBoundField(
        {ItemKind::Settings, QStringLiteral("optimizer")}, QStringLiteral("policy"), &policy));
    QVERIFY(policy.info.help.contains(QStringLiteral("§8")));
}

QTEST_MAIN(TestEditorTrust)
#include "tst_editor_trust.moc"
