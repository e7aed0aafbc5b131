// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QDockWidget>

class QComboBox;
class QGroupBox;
class QLabel;

namespace collapipe {

class DevicePresetStore;
class FieldForm;
class TopologyDocument;
class WaypointListEditor;

/// Properties of the canvas selection: every field of one selected item (from the field table,
/// units shown, invalid values refused inline), and for selected devices the presets (apply a
/// built-in or user preset, save the device as a new user preset).
class PropertyDock : public QDockWidget
{
    Q_OBJECT
public:
    PropertyDock(TopologyDocument *document, DevicePresetStore *presets, QWidget *parent = nullptr);

    /// Follows the canvas selection; a new non-empty selection raises the dock.
    void setSelection(const ItemRefList &refs);
    FieldForm *form() const { return m_form; }
    WaypointListEditor *waypoints() const { return m_waypoints; }

Q_SIGNALS:
    /// A user preset was saved or removed; preset choosers should reload.
    void presetsChanged();

private:
    void reloadPresets();
    void applyPreset();
    void savePreset();

    TopologyDocument *m_document;
    DevicePresetStore *m_presets;
    ItemRefList m_selection;
    QLabel *m_title;
    FieldForm *m_form;
    WaypointListEditor *m_waypoints; ///< the selected node's path (model "waypoints" only)
    QGroupBox *m_presetBox;
    QComboBox *m_presetChooser;
    QLabel *m_presetError;
};

} // namespace collapipe
