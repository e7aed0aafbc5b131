// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/abstract_tool.h"
#include "ui/model/item_ref.h"

#include <functional>

namespace collapipe {

struct DevicePreset;

/// Click to place a new device, edge server or cluster (a cluster starts as its control unit,
/// served by the nearest edge server; add devices into it next). A device joins the cluster whose
/// hull was clicked, else the one with the nearest control unit, and takes the palette's preset.
class PlaceTool : public AbstractTool
{
public:
    /// kind: Device, EdgeServer or Cluster. presetFor() gives the preset for new devices.
    PlaceTool(TopologyScene *scene, ItemKind kind, std::function<DevicePreset()> presetFor);

    ItemKind kind() const { return m_kind; }
    QString statusHint() const override;
    void mousePressed(QGraphicsSceneMouseEvent *event) override;

private:
    ItemKind m_kind;
    std::function<DevicePreset()> m_presetFor;
};

} // namespace collapipe
