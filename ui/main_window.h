// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

class QMenu;

namespace collapipe {

class CanvasTools;
class DevicePresetStore;
class FileController;
class PropertyDock;
class SettingsDock;
class ValidationDock;
class TopologyDocument;
class TopologyScene;
class TopologyView;

/// The Studio's composition root (style.md anti-pattern 1): creates the document, canvas, docks
/// and controllers and connects them; it holds no logic of its own. Other parts of the UI (run
/// panel, plots, runs browser) plug in with addDock() and the public accessors.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The open scenario: document()->scenario(), ->isValid(), ->validityReason(),
    /// validityChanged(bool, QString).
    TopologyDocument *document() const { return m_document; }
    TopologyScene *scene() const { return m_scene; }
    TopologyView *view() const { return m_view; }
    FileController *fileController() const { return m_files; }
    PropertyDock *propertyDock() const { return m_propertyDock; }
    SettingsDock *settingsDock() const { return m_settingsDock; }
    ValidationDock *validationDock() const { return m_validationDock; }

    /// Adds a dock (it needs a unique objectName for the saved layout) and lists it in
    /// View ▸ Panels. Call before the window is first shown so the saved layout applies to it.
    void addDock(QDockWidget *dock, Qt::DockWidgetArea area);
    /// The menu bar menus by role, for other components to add their actions.
    QMenu *fileMenu() const { return m_fileMenu; }
    QMenu *editMenu() const { return m_editMenu; }
    QMenu *viewMenu() const { return m_viewMenu; }
    QMenu *helpMenu() const { return m_helpMenu; }

    /// Opens file, or the bundled default scenario when file is empty, then fits the view.
    void openInitial(const QString &file);

    /// The first-run window size on a screen with this available geometry: 90 % of it each way.
    /// Used on the first show unless a saved geometry is restored or the size was set before.
    static QSize defaultSize(const QRect &availableGeometry);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void createDocks();

    TopologyDocument *m_document;
    TopologyScene *m_scene;
    TopologyView *m_view;
    DevicePresetStore *m_presets;
    FileController *m_files;
    CanvasTools *m_tools;
    PropertyDock *m_propertyDock = nullptr;
    SettingsDock *m_settingsDock = nullptr;
    ValidationDock *m_validationDock = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_panelsMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    bool m_stateRestored = false;
};

} // namespace collapipe
