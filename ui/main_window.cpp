// SPDX-License-Identifier: MIT
#include "ui/main_window.h"

#include "ui/app_icon.h"
#include "ui/canvas/canvas_tools.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/model_help_dialog.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/docks/validation_dock.h"
#include "ui/file_controller.h"
#include "ui/model/device_presets.h"
#include "ui/model/topology_document.h"
#include "ui/settings/settings_store.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

namespace collapipe {

namespace {

Setting<QByteArray> &geometrySetting()
{
    static Setting<QByteArray> setting{QStringLiteral("window/geometry"), QByteArray()};
    return setting;
}

Setting<QByteArray> &stateSetting()
{
    static Setting<QByteArray> setting{QStringLiteral("window/state"), QByteArray()};
    return setting;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new TopologyDocument(this))
    , m_scene(new TopologyScene(m_document, this))
    , m_view(new TopologyView(m_scene, this))
    , m_presets(new DevicePresetStore())
    , m_files(new FileController(m_document, this, this))
    , m_tools(new CanvasTools(m_scene, m_view, m_presets, this))
{
    m_files->setScene(m_scene);
    setWindowIcon(appIcon());
    setCentralWidget(m_view);
    setAcceptDrops(true);

    auto *palette = addToolBar(tr("Palette"));
    palette->setObjectName(QStringLiteral("paletteToolBar"));
    m_tools->fillToolBar(palette);

    createMenus();
    createDocks();

    connect(m_scene, &TopologyScene::statusMessage, this,
        [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_files, &FileController::statusMessage, this,
        [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_document, &TopologyDocument::scenarioReset, m_view, &TopologyView::fitTopology);
    connect(&SettingsStore::instance(), &SettingsStore::writeFailed, this,
        [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    delete m_presets;
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addAction(m_files->newAction());
    m_fileMenu->addAction(m_files->openAction());
    m_fileMenu->addMenu(m_files->recentMenu());
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_files->saveAction());
    m_fileMenu->addAction(m_files->saveAsAction());
    m_fileMenu->addSeparator();
    QAction *quit = m_fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    // The platform's Redo keys plus Ctrl+Y and Ctrl+Shift+Z, each once: a key bound twice is an
    // "ambiguous shortcut overload" and then does nothing at all.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence &extra :
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)}) {
        if (!redoKeys.contains(extra)) {
            redoKeys.append(extra);
        }
    }
    redo->setShortcuts(redoKeys);
    m_editMenu->addAction(undo);
    m_editMenu->addAction(redo);
    m_editMenu->addSeparator();
    m_editMenu->addActions(m_tools->toolActions());
    m_editMenu->addAction(m_tools->deleteAction());
    m_editMenu->addAction(m_tools->snapAction());

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addActions(m_tools->zoomActions());
    QMenu *legend = m_viewMenu->addMenu(tr("Run &legend"));
    const QList<QAction *> legendActions = m_view->legendActions();
    legend->addAction(legendActions.first());
    legend->addSeparator();
    legend->addActions(legendActions.mid(1));
    m_viewMenu->addSeparator();
    m_panelsMenu = m_viewMenu->addMenu(tr("&Panels"));

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    m_helpMenu->addAction(tr("The &Model (MODEL.md)"), this, [this] {
        auto *dialog = new ModelHelpDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_helpMenu->addAction(tr("&About CollaPipe Studio"), this, [this] {
        QMessageBox::about(this, tr("About CollaPipe Studio"),
            tr("<h3>CollaPipe Studio %1</h3><p>Pipeline-parallel training of "
               "Transformer encoders across mobile devices in clusters, decoder "
               "on an edge server, FedAvg across clusters, and an online "
               "Lyapunov optimizer (after arXiv 2509.19855).</p><p>Qt %2</p>")
                .arg(studioVersion(), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::createDocks()
{
    m_propertyDock = new PropertyDock(m_document, m_presets, this);
    m_settingsDock = new SettingsDock(m_document, this);
    m_validationDock = new ValidationDock(m_document, this);
    addDock(m_propertyDock, Qt::RightDockWidgetArea);
    addDock(m_settingsDock, Qt::RightDockWidgetArea);
    // Validation below Properties, not along the bottom: the bottom row belongs to the run's
    // plots and Gantt, which need the width (issue [1/7], 1280 x 800). Split before tabifying:
    // a dock split from a tab group would become one more tab, and its problems unseen.
    addDock(m_validationDock, Qt::RightDockWidgetArea);
    splitDockWidget(m_propertyDock, m_validationDock, Qt::Vertical);
    tabifyDockWidget(m_propertyDock, m_settingsDock);
    m_propertyDock->raise();
    // First-run layout; a saved layout (restored on first show) wins.
    resizeDocks({m_propertyDock}, {420}, Qt::Horizontal);
    resizeDocks({m_validationDock}, {130}, Qt::Vertical);

    connect(
        m_scene, &TopologyScene::selectedRefsChanged, m_propertyDock, &PropertyDock::setSelection);
    connect(m_propertyDock, &PropertyDock::presetsChanged, m_tools, &CanvasTools::reloadPresets);
    connect(m_validationDock, &ValidationDock::problemActivated, m_view, &TopologyView::focusRef);
    connect(m_validationDock, &ValidationDock::problemActivated, m_settingsDock,
        &SettingsDock::showSection);
}

void MainWindow::addDock(QDockWidget *dock, Qt::DockWidgetArea area)
{
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
}

void MainWindow::openInitial(const QString &file)
{
    const bool opened = file.isEmpty() ? m_files->openDefault() : m_files->openFile(file);
    if (!opened) {
        m_files->newDocument();
    }
    // The viewport has its final size only once the window is laid out.
    QTimer::singleShot(0, m_view, &TopologyView::fitTopology);
}

QSize MainWindow::defaultSize(const QRect &availableGeometry)
{
    return QSize(availableGeometry.width() * 9 / 10, availableGeometry.height() * 9 / 10);
}

void MainWindow::showEvent(QShowEvent *event)
{
    // Restore on first show, not in the constructor: by then every component has added its docks.
    if (!m_stateRestored) {
        m_stateRestored = true;
        // A restored geometry wins, then a size set before the first show (tests, screenshots);
        // otherwise the window takes most of the screen it opens on, whatever that screen is.
        const bool restored = restoreGeometry(geometrySetting().get());
        if (!restored && !testAttribute(Qt::WA_Resized)) {
            const QScreen *target = screen() ? screen() : QGuiApplication::primaryScreen();
            if (target) {
                const QRect available = target->availableGeometry();
                resize(defaultSize(available));
                move(available.center() - rect().center());
            }
        }
        restoreState(stateSetting().get());
    }
    QMainWindow::showEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_files->maybeSave()) {
        event->ignore();
        return;
    }
    geometrySetting().set(saveGeometry());
    stateSetting().set(saveState());
    SettingsStore::instance().flush();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!FileController::droppedScenario(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = FileController::droppedScenario(event->mimeData());
    if (!path.isEmpty() && m_files->openFile(path)) {
        event->acceptProposedAction();
    }
}

} // namespace collapipe
