// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include <future>

class QAction;
class QMenu;
class QMimeData;
class QWidget;

namespace collapipe {

class RecentFiles;
class TopologyDocument;
class TopologyScene;

/// File ▸ New / Open / Open Recent / Save / Save As for a TopologyDocument, the unsaved-changes
/// prompt and opening a dropped JSON file. Dialogs are parented to window; the document does the
/// actual reading and writing (QSaveFile).
class FileController : public QObject
{
    Q_OBJECT
public:
    FileController(TopologyDocument *document, QWidget *window, QObject *parent = nullptr);
    /// Waits for the last opened file's copy to be freed (see openFile()).
    ~FileController() override;

    QAction *newAction() const { return m_new; }
    QAction *openAction() const { return m_open; }
    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }
    QMenu *recentMenu() const { return m_recentMenu; }

    /// Opens path after the unsaved-changes prompt (File > Open, Open Recent, a dropped file and
    /// the command line all come here). A file that cannot be opened is refused with a message box
    /// naming every problem (line/column, field); the document and its path stay as they were.
    bool openFile(const QString &path);
    /// Files of at least this many bytes opened from the shown window are read, parsed and
    /// validated on a worker thread
    /// while the GUI thread keeps painting (a busy dialog shows after a moment, blocking input);
    /// the document is reset on the GUI thread once it is done (issue [7/7]: a 100,000-device
    /// file took ~1.5 s of parsing with the window frozen). Tests lower it.
    static constexpr qint64 kWorkerReadBytes = 2'000'000;
    void setWorkerReadBytes(qint64 bytes) { m_workerReadBytes = bytes; }
    /// The canvas showing the document: openFile() waits (busy dialog up) while it builds a big
    /// scenario in steps.
    void setScene(TopologyScene *scene) { m_scene = scene; }
    /// Files opened through the worker so far (tests).
    int workerReads() const { return m_workerReads; }
    /// Opens the bundled default.json; false if it cannot be found or read.
    bool openDefault();
    /// Replaces the scenario by a blank one (one edge server) after the prompt.
    void newDocument();
    bool save();
    bool saveAs();
    /// Asks to save unsaved changes; false if the user cancelled.
    bool maybeSave();

    /// The local .json file a drag carries, or "".
    static QString droppedScenario(const QMimeData *mime);

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    bool saveTo(const QString &path);
    void updateTitle();

    TopologyDocument *m_document;
    QWidget *m_window;
    TopologyScene *m_scene = nullptr;
    /// Frees the file read by the last open on a worker: the document keeps a copy, and freeing
    /// 100,000 devices' strings took ~50 ms of the GUI thread (issue #16).
    std::future<void> m_discard;
    qint64 m_workerReadBytes = kWorkerReadBytes;
    int m_workerReads = 0;
    RecentFiles *m_recent;
    QAction *m_new;
    QAction *m_open;
    QAction *m_save;
    QAction *m_saveAs;
    QMenu *m_recentMenu;
};

} // namespace collapipe
