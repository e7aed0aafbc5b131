// SPDX-License-Identifier: MIT
#include "ui/file_controller.h"

#include "core/scenario/scenario_json.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"
#include "ui/settings/recent_files.h"
#include "ui/settings/settings_store.h"

#include <QAction>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QThread>
#include <QUndoStack>
#include <QUrl>
#include <QWidget>

#include <memory>

namespace collapipe {

namespace {

Setting<QString> &lastDirSetting()
{
    static Setting<QString> setting{QStringLiteral("file/lastDirectory"), QString()};
    return setting;
}

const QString kFilter = QStringLiteral("CollaPipe scenario (*.json);;All files (*)");

} // namespace

FileController::FileController(TopologyDocument *document, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_window(window)
    , m_recent(new RecentFiles(this))
    , m_new(new QAction(tr("&New"), this))
    , m_open(new QAction(tr("&Open…"), this))
    , m_save(new QAction(tr("&Save"), this))
    , m_saveAs(new QAction(tr("Save &As…"), this))
    , m_recentMenu(new QMenu(tr("Open &Recent"), window))
{
    m_new->setShortcut(QKeySequence::New);
    m_open->setShortcut(QKeySequence::Open);
    m_save->setShortcut(QKeySequence::Save);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    m_new->setStatusTip(tr("Start a blank scenario with one edge server"));
    m_open->setStatusTip(tr("Open a scenario JSON file"));
    m_save->setStatusTip(tr("Save the scenario (atomic write)"));
    connect(m_new, &QAction::triggered, this, &FileController::newDocument);
    connect(m_open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            m_window, tr("Open scenario"), lastDirSetting().get(), kFilter);
        if (!path.isEmpty()) {
            openFile(path);
        }
    });
    connect(m_save, &QAction::triggered, this, &FileController::save);
    connect(m_saveAs, &QAction::triggered, this, &FileController::saveAs);
    connect(m_recentMenu, &QMenu::aboutToShow, this, [this] { m_recent->populate(m_recentMenu); });
    connect(m_recent, &RecentFiles::openRequested, this, &FileController::openFile);
    connect(document, &TopologyDocument::modifiedChanged, this, &FileController::updateTitle);
    connect(document, &TopologyDocument::filePathChanged, this, &FileController::updateTitle);
    connect(document, &TopologyDocument::scenarioReset, this, &FileController::updateTitle);
    updateTitle();
}

FileController::~FileController() = default; // m_discard's destructor waits for the worker

bool FileController::openFile(const QString &path)
{
    if (!maybeSave()) {
        return false;
    }
    TopologyDocument::LoadedFile file;
    // The busy dialog (application-modal) keeps the user from editing or opening another file
    // while the file is read and the canvas built; it shows after a moment.
    std::unique_ptr<QProgressDialog> busy;
    const auto showBusy = [&] {
        if (busy) {
            return;
        }
        busy = std::make_unique<QProgressDialog>(
            tr("Opening %1…").arg(QFileInfo(path).fileName()), QString(), 0, 0, m_window);
        busy->setWindowTitle(tr("Open scenario"));
        busy->setWindowModality(Qt::ApplicationModal);
        busy->setMinimumDuration(400);
        busy->setCancelButton(nullptr);
        busy->setValue(0); // starts the minimum-duration clock
    };
    // Only from a shown window (File > Open, a drop, a recent file): at start-up nothing is
    // on screen to keep painting, and a nested event loop would run the start-up timers
    // (e.g. --screenshot's) before the scenario is there.
    if (m_window && m_window->isVisible() && QFileInfo(path).size() >= m_workerReadBytes) {
        ++m_workerReads;
        // The worker reads; this thread keeps painting.
        QEventLoop wait;
        QThread *reader = QThread::create([&file, path] { file = TopologyDocument::read(path); });
        connect(reader, &QThread::finished, &wait, &QEventLoop::quit); // queued: after exec()
        Q_EMIT statusMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
        reader->start();
        showBusy();
        wait.exec();
        reader->wait();
        delete reader;
    } else {
        file = TopologyDocument::read(path);
    }
    QString error;
    const bool applied = m_document->apply(std::move(file), path, &error);
    if (applied) {
        // apply() copied the scenario (TopologyDocument::reset): the read one goes on a worker.
        // A new future waits for the previous one, if it were still freeing.
        m_discard = std::async(std::launch::async, [read = std::move(file)]() mutable {
            const TopologyDocument::LoadedFile gone = std::move(read);
        });
    }
    if (applied && m_scene && m_scene->isBuilding()) {
        // A big scenario is built on the canvas in steps (TopologyScene::kChunkedBuildNodes):
        // the window keeps painting, and this returns once the scene is complete.
        QEventLoop wait;
        connect(m_scene, &TopologyScene::buildFinished, &wait, &QEventLoop::quit);
        showBusy(); // may run a step or all of them (a modal dialog's setValue processes events)
        if (m_scene->isBuilding()) {
            wait.exec();
        }
    }
    busy.reset();
    if (!applied) {
        // The document is untouched (scenario, path, history): Save still writes where it did.
        QMessageBox box(QMessageBox::Warning, tr("Open scenario"),
            tr("%1 was not opened.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, m_window);
        box.setInformativeText(tr("%1\n\nThe file was not changed; the current scenario stays "
                                  "open. `collapipe validate %2` lists the same problems.")
                                   .arg(error, QDir::toNativeSeparators(path)));
        box.exec();
        Q_EMIT statusMessage(tr("Not opened: %1").arg(error.section(QLatin1Char('\n'), 1, 1)));
        return false;
    }
    m_recent->add(path);
    lastDirSetting().set(QFileInfo(path).absolutePath());
    Q_EMIT statusMessage(m_document->isValid()
            ? tr("Opened %1").arg(QDir::toNativeSeparators(path))
            : tr("Opened %1 — %n problem(s), see Validation", nullptr,
                static_cast<int>(m_document->problems().size()))
                  .arg(QDir::toNativeSeparators(path)));
    return true;
}

bool FileController::openDefault()
{
    const QString dir = bundledScenarioDir();
    const QString path = QDir(dir).filePath(QStringLiteral("default.json"));
    if (dir.isEmpty() || !QFileInfo::exists(path)) {
        Q_EMIT statusMessage(tr("Bundled default.json not found; starting a blank scenario"));
        return false;
    }
    QString error;
    if (!m_document->load(path, &error)) {
        Q_EMIT statusMessage(error);
        return false;
    }
    return true;
}

void FileController::newDocument()
{
    if (!maybeSave()) {
        return;
    }
    Scenario blank;
    blank.name = tr("Untitled");
    EdgeServer server;
    server.id = QStringLiteral("bs1");
    server.name = tr("Edge server");
    blank.topology.edgeServers.push_back(server);
    m_document->reset(blank);
    Q_EMIT statusMessage(
        tr("New scenario: add a cluster (it will be served by bs1), then devices"));
}

bool FileController::save()
{
    return m_document->filePath().isEmpty() ? saveAs() : saveTo(m_document->filePath());
}

bool FileController::saveAs()
{
    QString start = m_document->filePath();
    if (start.isEmpty()) {
        start = QDir(lastDirSetting().get()).filePath(QStringLiteral("scenario.json"));
    }
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save scenario as"), start, kFilter);
    if (path.isEmpty()) {
        return false;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".json");
    }
    return saveTo(path);
}

bool FileController::saveTo(const QString &path)
{
    QString error;
    if (!m_document->save(path, &error)) {
        // Said like a refused open: what was not saved, why, and that nothing is lost.
        QMessageBox box(QMessageBox::Warning, tr("Save scenario"),
            tr("%1 was not saved.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, m_window);
        box.setInformativeText(tr("%1\n\nThe scenario stays open with its changes; save it "
                                  "to another file with File ▸ Save As…")
                                   .arg(error));
        box.exec();
        Q_EMIT statusMessage(tr("Not saved: %1").arg(error));
        return false;
    }
    m_recent->add(path);
    lastDirSetting().set(QFileInfo(path).absolutePath());
    Q_EMIT statusMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool FileController::maybeSave()
{
    if (!m_document->isModified()) {
        return true;
    }
    // Named: with a replay, Edit a copy and recent files, "the scenario" could be any of them.
    const QString path = m_document->filePath();
    const auto answer = QMessageBox::warning(m_window, tr("Unsaved changes"),
        path.isEmpty()
            ? tr("The untitled scenario has unsaved changes. Save them first?")
            : tr("%1 has unsaved changes. Save them first?").arg(QFileInfo(path).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        return save();
    }
    return answer == QMessageBox::Discard;
}

QString FileController::droppedScenario(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls()) {
        return QString();
    }
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile()
            && url.toLocalFile().endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
            return url.toLocalFile();
        }
    }
    return QString();
}

void FileController::updateTitle()
{
    const QString path = m_document->filePath();
    const QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
    m_window->setWindowTitle(tr("%1[*] — CollaPipe Studio").arg(name));
    m_window->setWindowModified(m_document->isModified());
}

} // namespace collapipe
