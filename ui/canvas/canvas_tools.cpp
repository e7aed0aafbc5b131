// SPDX-License-Identifier: MIT
#include "ui/canvas/canvas_tools.h"

#include "ui/canvas/connect_tool.h"
#include "ui/canvas/place_tool.h"
#include "ui/canvas/select_tool.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/canvas/waypoint_tool.h"
#include "ui/model/device_presets.h"
#include "ui/model/topology_document.h"
#include "ui/settings/settings_store.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QToolBar>

namespace collapipe {

namespace {

Setting<QString> &presetSetting()
{
    static Setting<QString> setting{
        QStringLiteral("canvas/newDevicePreset"), QStringLiteral("phone-mid")};
    return setting;
}

Setting<bool> &snapSetting()
{
    static Setting<bool> setting{QStringLiteral("canvas/snap"), false};
    return setting;
}

} // namespace

CanvasTools::CanvasTools(
    TopologyScene *scene, TopologyView *view, DevicePresetStore *presets, QObject *parent)
    : QObject(parent)
    , m_scene(scene)
    , m_view(view)
    , m_presets(presets)
    , m_group(new QActionGroup(this))
    , m_delete(new QAction(tr("&Delete"), this))
    , m_snap(new QAction(tr("S&nap to 5 m grid"), this))
    , m_zoomIn(new QAction(tr("Zoom &In"), this))
    , m_zoomOut(new QAction(tr("Zoom &Out"), this))
    , m_fit(new QAction(tr("&Fit Topology"), this))
{
    auto preset = [this] {
        return m_presets->find(
            m_presetBox ? m_presetBox->currentData().toString() : presetSetting().get());
    };
    m_select = std::make_unique<SelectTool>(scene);
    m_placeDevice = std::make_unique<PlaceTool>(scene, ItemKind::Device, preset);
    m_placeServer = std::make_unique<PlaceTool>(scene, ItemKind::EdgeServer, preset);
    m_placeCluster = std::make_unique<PlaceTool>(scene, ItemKind::Cluster, preset);
    m_connect = std::make_unique<ConnectTool>(scene);
    m_pathOverlay = new WaypointPathOverlay(scene, scene->document());
    m_path = std::make_unique<WaypointTool>(scene, m_pathOverlay);

    m_selectAction = addTool(tr("Select"), tr("Select and move items (Esc)"), m_select.get());
    m_selectAction->setShortcut(Qt::Key_Escape);
    addTool(tr("+ Device"), tr("Click in a cluster to add a device with the chosen preset"),
        m_placeDevice.get());
    addTool(
        tr("+ Edge server"), tr("Click to add an edge server (base station)"), m_placeServer.get());
    addTool(tr("+ Cluster"), tr("Click to add a cluster's control unit"), m_placeCluster.get());
    addTool(tr("Connect"), tr("Drag from a cluster to the edge server that serves it"),
        m_connect.get());
    addTool(tr("Path"),
        tr("Click waypoints for the selected device or control unit; right-click finishes"),
        m_path.get());

    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setStatusTip(tr("Delete the selected items (a control unit deletes its cluster)"));
    m_delete->setEnabled(false);
    connect(m_delete, &QAction::triggered, this,
        [this] { m_scene->document()->removeItems(m_scene->selectedRefs()); });
    connect(scene, &TopologyScene::selectedRefsChanged, this,
        [this](const ItemRefList &refs) { m_delete->setEnabled(!refs.isEmpty()); });

    m_snap->setCheckable(true);
    m_snap->setChecked(snapSetting().get());
    m_snap->setStatusTip(tr("Snap placed and moved items to a 5 m grid"));
    scene->setSnapEnabled(m_snap->isChecked());
    connect(m_snap, &QAction::toggled, this, [this](bool on) {
        m_scene->setSnapEnabled(on);
        snapSetting().set(on);
    });

    m_zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    m_fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_zoomIn, &QAction::triggered, view, &TopologyView::zoomIn);
    connect(m_zoomOut, &QAction::triggered, view, &TopologyView::zoomOut);
    connect(m_fit, &QAction::triggered, view, &TopologyView::fitTopology);

    m_selectAction->setChecked(true);
    activate(m_select.get());
}

CanvasTools::~CanvasTools()
{
    if (m_scene) {
        m_scene->setTool(nullptr);
    }
}

QAction *CanvasTools::addTool(const QString &text, const QString &tip, AbstractTool *tool)
{
    auto *action = new QAction(text, this);
    action->setCheckable(true);
    action->setToolTip(tip);
    action->setStatusTip(tool->statusHint());
    m_group->addAction(action);
    m_toolActions.append(action);
    connect(action, &QAction::triggered, this, [this, tool] { activate(tool); });
    return action;
}

void CanvasTools::activate(AbstractTool *tool)
{
    m_scene->setTool(tool);
    m_view->syncToolMode();
}

QList<QAction *> CanvasTools::toolActions() const
{
    return m_toolActions;
}

QList<QAction *> CanvasTools::zoomActions() const
{
    return {m_zoomIn, m_zoomOut, m_fit};
}

void CanvasTools::fillToolBar(QToolBar *toolBar)
{
    toolBar->addActions(m_toolActions);
    toolBar->addWidget(new QLabel(tr(" preset: "), toolBar));
    m_presetBox = new QComboBox(toolBar);
    m_presetBox->setToolTip(tr("Capabilities given to devices added with + Device"));
    toolBar->addWidget(m_presetBox);
    reloadPresets();
    connect(m_presetBox, &QComboBox::currentIndexChanged, this,
        [this] { presetSetting().set(m_presetBox->currentData().toString()); });
    toolBar->addSeparator();
    toolBar->addAction(m_delete);
    toolBar->addAction(m_snap);
    toolBar->addSeparator();
    toolBar->addActions(zoomActions());
}

void CanvasTools::reloadPresets()
{
    if (!m_presetBox) {
        return;
    }
    const QString current = presetSetting().get();
    const QSignalBlocker blocker(m_presetBox);
    m_presetBox->clear();
    for (const DevicePreset &p : m_presets->all()) {
        m_presetBox->addItem(p.label, p.id);
    }
    const int index = m_presetBox->findData(current);
    m_presetBox->setCurrentIndex(index >= 0 ? index : 1);
}

} // namespace collapipe
