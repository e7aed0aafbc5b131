// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

class QAction;
class QActionGroup;
class QComboBox;
class QToolBar;
class QWidget;

namespace collapipe {

class AbstractTool;
class ConnectTool;
class DevicePresetStore;
class PlaceTool;
class SelectTool;
class TopologyScene;
class TopologyView;
class WaypointPathOverlay;
class WaypointTool;

/// The canvas palette: one checkable action per tool (Select, Add device, Add edge server,
/// Add cluster, Connect, Path), the preset new devices get, Delete, Snap, and the zoom actions. Owns the
/// tool objects and switches the scene's active tool.
class CanvasTools : public QObject
{
    Q_OBJECT
public:
    CanvasTools(TopologyScene *scene, TopologyView *view, DevicePresetStore *presets,
        QObject *parent = nullptr);
    ~CanvasTools() override;

    /// Adds the palette to a tool bar (tool actions, preset chooser, delete, snap, zoom).
    void fillToolBar(QToolBar *toolBar);
    QList<QAction *> toolActions() const;
    QList<QAction *> zoomActions() const;
    QAction *deleteAction() const { return m_delete; }
    QAction *snapAction() const { return m_snap; }
    /// The selected node's waypoint path on the canvas, and the tool that clicks one.
    WaypointPathOverlay *pathOverlay() const { return m_pathOverlay; }
    WaypointTool *pathTool() const { return m_path.get(); }
    /// Reloads the preset chooser (after a user preset was saved).
    void reloadPresets();

private:
    void activate(AbstractTool *tool);
    QAction *addTool(const QString &text, const QString &tip, AbstractTool *tool);

    // The scene may be destroyed first when both are children of the main window.
    QPointer<TopologyScene> m_scene;
    TopologyView *m_view;
    DevicePresetStore *m_presets;
    std::unique_ptr<SelectTool> m_select;
    std::unique_ptr<PlaceTool> m_placeDevice;
    std::unique_ptr<PlaceTool> m_placeServer;
    std::unique_ptr<PlaceTool> m_placeCluster;
    std::unique_ptr<ConnectTool> m_connect;
    WaypointPathOverlay *m_pathOverlay; ///< a child of the scene
    std::unique_ptr<WaypointTool> m_path;
    QActionGroup *m_group;
    QList<QAction *> m_toolActions;
    QAction *m_selectAction = nullptr;
    QAction *m_delete;
    QAction *m_snap;
    QAction *m_zoomIn;
    QAction *m_zoomOut;
    QAction *m_fit;
    QComboBox *m_presetBox = nullptr;
};

} // namespace collapipe
