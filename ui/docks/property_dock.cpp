// SPDX-License-Identifier: MIT
#include "ui/docks/property_dock.h"

#include "ui/docks/field_form.h"
#include "ui/docks/waypoint_list_editor.h"
#include "ui/model/device_presets.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace collapipe {

PropertyDock::PropertyDock(TopologyDocument *document, DevicePresetStore *presets, QWidget *parent)
    : QDockWidget(tr("Properties"), parent)
    , m_document(document)
    , m_presets(presets)
    , m_title(new QLabel)
    , m_form(new FieldForm(document))
    , m_waypoints(new WaypointListEditor(document))
    , m_presetBox(new QGroupBox(tr("Device preset")))
    , m_presetChooser(new QComboBox)
    , m_presetError(new QLabel)
{
    setObjectName(QStringLiteral("propertyDock"));
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);

    auto *presetLayout = new QVBoxLayout(m_presetBox);
    auto *row = new QHBoxLayout;
    m_presetChooser->setToolTip(tr("Built-in presets and the ones you saved"));
    row->addWidget(m_presetChooser, 1);
    auto *apply = new QPushButton(tr("Apply"));
    apply->setToolTip(tr("Copy the preset's compute, memory, powers and energy budget into the "
                         "selected devices (one undo step)"));
    row->addWidget(apply);
    presetLayout->addLayout(row);
    auto *save = new QPushButton(tr("Save device as preset…"));
    save->setToolTip(tr("Store this device's capabilities as a user preset (kept in settings)"));
    presetLayout->addWidget(save);
    m_presetError->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_presetError->setWordWrap(true);
    m_presetError->hide();
    presetLayout->addWidget(m_presetError);
    layout->addWidget(m_presetBox);
    layout->addWidget(m_form, 1);
    layout->addWidget(m_waypoints);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(body);
    setWidget(scroll);

    connect(apply, &QPushButton::clicked, this, &PropertyDock::applyPreset);
    connect(save, &QPushButton::clicked, this, &PropertyDock::savePreset);
    connect(document, &TopologyDocument::itemRemoved, this, [this] {
        ItemRefList alive;
        for (const ItemRef &ref : std::as_const(m_selection)) {
            if (m_document->contains(ref)) {
                alive.append(ref);
            }
        }
        if (alive.size() != m_selection.size()) {
            setSelection(alive);
        }
    });
    reloadPresets();
    setSelection({});
}

void PropertyDock::setSelection(const ItemRefList &refs)
{
    const bool newSelection = refs != m_selection;
    m_selection = refs;
    if (newSelection && !refs.isEmpty() && toggleViewAction()->isChecked()) {
        // Selecting on the canvas means "show me this": bring Properties to the front of its tab
        // group (e.g. from behind Scenario settings). A re-selection after a rebuild does not.
        raise();
    }
    const bool allDevices = !refs.isEmpty()
        && std::all_of(refs.cbegin(), refs.cend(),
            [](const ItemRef &r) { return r.kind == ItemKind::Device; });
    m_presetBox->setVisible(allDevices);
    m_presetError->hide();
    if (refs.size() == 1 && allDevices) {
        const QString preset
            = m_document->propertyValue(refs.first(), QStringLiteral("preset")).toString();
        const int index = m_presetChooser->findData(preset);
        if (index >= 0) {
            m_presetChooser->setCurrentIndex(index);
        }
    }
    if (refs.size() == 1) {
        m_title->setText(
            QStringLiteral("<b>%1</b> %2")
                .arg(itemKindName(refs.first().kind), refs.first().id.toHtmlEscaped()));
        m_form->setItem(refs.first());
        m_form->show();
        m_waypoints->setItem(refs.first());
    } else {
        m_title->setText(refs.isEmpty() ? tr("Select an item on the canvas to edit its properties.")
                                        : tr("%1 items selected.").arg(refs.size()));
        m_form->setItem(ItemRef{});
        m_form->hide();
        m_waypoints->setItem(ItemRef{});
    }
}

void PropertyDock::reloadPresets()
{
    const QString current = m_presetChooser->currentData().toString();
    m_presetChooser->clear();
    for (const DevicePreset &p : m_presets->all()) {
        m_presetChooser->addItem(p.builtIn ? p.label : tr("%1 (user)").arg(p.label), p.id);
    }
    const int index = m_presetChooser->findData(current);
    m_presetChooser->setCurrentIndex(index >= 0 ? index : 0);
}

void PropertyDock::applyPreset()
{
    const DevicePreset preset = m_presets->find(m_presetChooser->currentData().toString());
    const Device &v = preset.values;
    QString error;
    const bool ok = m_document->setProperties(m_selection,
        {{QStringLiteral("compute_flops"), v.computeFlops},
            {QStringLiteral("memory_bytes"), v.memoryBytes},
            {QStringLiteral("max_power_w"), v.maxPowerW},
            {QStringLiteral("compute_power_w"), v.computePowerW},
            {QStringLiteral("energy_budget_j"), v.energyBudgetJ},
            {QStringLiteral("preset"), preset.id}},
        &error);
    m_presetError->setText(error);
    m_presetError->setVisible(!ok);
}

void PropertyDock::savePreset()
{
    if (m_selection.size() != 1) {
        m_presetError->setText(tr("Select exactly one device to save it as a preset."));
        m_presetError->show();
        return;
    }
    int ci = -1;
    int di = -1;
    if (!m_document->deviceIndex(m_selection.first().id, &ci, &di)) {
        return;
    }
    const Device &device = m_document->scenario()
                               .topology.clusters[static_cast<size_t>(ci)]
                               .devices[static_cast<size_t>(di)];
    bool ok = false;
    const QString label = QInputDialog::getText(
        this, tr("Save preset"), tr("Preset name:"), QLineEdit::Normal, device.name, &ok)
                              .trimmed();
    if (!ok || label.isEmpty()) {
        return;
    }
    QString id;
    QString error;
    if (!m_presets->saveUserPreset(label, device, &id, &error)) {
        m_presetError->setText(error);
        m_presetError->show();
        return;
    }
    reloadPresets();
    m_presetChooser->setCurrentIndex(m_presetChooser->findData(id));
    Q_EMIT presetsChanged();
}

} // namespace collapipe
