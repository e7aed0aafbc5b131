// SPDX-License-Identifier: MIT
#include "ui/model/device_presets.h"

#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>

#include <algorithm>
#include <memory>

namespace collapipe {

namespace {

const QString kGroup = QStringLiteral("devicePresets");

// Runs f on the given settings, or on a temporary default QSettings.
template <typename F> auto withSettings(QSettings *given, F f)
{
    std::unique_ptr<QSettings> own;
    if (!given) {
        own = std::make_unique<QSettings>();
        given = own.get();
    }
    return f(*given);
}

} // namespace

DevicePresetStore::DevicePresetStore(QSettings *settings)
    : m_settings(settings)
{ }

QList<DevicePreset> DevicePresetStore::builtIns()
{
    // The built-in presets are the device kinds of the bundled default scenario (their sources are
    // in resources/scenarios/README.md), read once, so the numbers live in one place only.
    static const QList<DevicePreset> presets = [] {
        QList<DevicePreset> out;
        Scenario scenario;
        const QString dir = bundledScenarioDir();
        if (dir.isEmpty()
            || !loadScenarioFile(
                QDir(dir).filePath(QStringLiteral("default.json")), &scenario, nullptr)) {
            return out;
        }
        // The same preset list `collapipe generate` draws from (one place).
        for (const Device &device : devicePresetsOf(scenario)) {
            DevicePreset p;
            p.id = device.preset;
            p.label = device.name.isEmpty() ? device.preset : device.name;
            apply(DevicePreset{p.id, p.label, device, true}, &p.values);
            out.append(p);
        }
        return out;
    }();
    return presets;
}

QList<DevicePreset> DevicePresetStore::all() const
{
    return builtIns() + userPresets();
}

DevicePreset DevicePresetStore::find(const QString &id) const
{
    const QList<DevicePreset> presets = all();
    for (const DevicePreset &p : presets) {
        if (p.id == id) {
            return p;
        }
    }
    if (!presets.isEmpty()) {
        return presets.at(presets.size() / 2);
    }
    DevicePreset fallback; // no bundled scenario and no user preset: the struct's defaults
    fallback.id = QStringLiteral("default");
    fallback.label = QCoreApplication::translate("collapipe", "Default device");
    return fallback;
}

QList<DevicePreset> DevicePresetStore::userPresets() const
{
    return withSettings(m_settings, [](QSettings &s) {
        QList<DevicePreset> out;
        const int n = s.beginReadArray(kGroup);
        for (int i = 0; i < n; ++i) {
            s.setArrayIndex(i);
            DevicePreset p;
            p.builtIn = false;
            p.label = s.value(QStringLiteral("label")).toString();
            p.id = QStringLiteral("user-") + p.label;
            p.values.preset = p.id;
            p.values.computeFlops = s.value(QStringLiteral("compute_flops"), 1e12).toDouble();
            p.values.memoryBytes = s.value(QStringLiteral("memory_bytes"), 4e9).toDouble();
            p.values.maxPowerW = s.value(QStringLiteral("max_power_w"), 0.2).toDouble();
            p.values.computePowerW = s.value(QStringLiteral("compute_power_w"), 4.0).toDouble();
            p.values.energyBudgetJ = s.value(QStringLiteral("energy_budget_j"), 1.0).toDouble();
            if (!p.label.isEmpty()) {
                out.append(p);
            }
        }
        s.endArray();
        return out;
    });
}

bool DevicePresetStore::writeUserPresets(const QList<DevicePreset> &presets, QString *error)
{
    return withSettings(m_settings, [&presets, error](QSettings &s) {
        s.remove(kGroup);
        s.beginWriteArray(kGroup, static_cast<int>(presets.size()));
        for (int i = 0; i < presets.size(); ++i) {
            const DevicePreset &p = presets[i];
            s.setArrayIndex(i);
            s.setValue(QStringLiteral("label"), p.label);
            s.setValue(QStringLiteral("compute_flops"), p.values.computeFlops);
            s.setValue(QStringLiteral("memory_bytes"), p.values.memoryBytes);
            s.setValue(QStringLiteral("max_power_w"), p.values.maxPowerW);
            s.setValue(QStringLiteral("compute_power_w"), p.values.computePowerW);
            s.setValue(QStringLiteral("energy_budget_j"), p.values.energyBudgetJ);
        }
        s.endArray();
        s.sync();
        if (s.status() != QSettings::NoError) {
            if (error) {
                *error = QCoreApplication::translate("collapipe", "Cannot write presets to %1")
                             .arg(s.fileName());
            }
            return false;
        }
        return true;
    });
}

bool DevicePresetStore::saveUserPreset(
    const QString &label, const Device &device, QString *id, QString *error)
{
    QList<DevicePreset> presets = userPresets();
    DevicePreset p;
    p.builtIn = false;
    p.label = label.trimmed();
    p.id = QStringLiteral("user-") + p.label;
    apply(DevicePreset{p.id, p.label, device, false}, &p.values);
    bool replaced = false;
    for (DevicePreset &existing : presets) {
        if (existing.label == p.label) {
            existing = p;
            replaced = true;
        }
    }
    if (!replaced) {
        presets.append(p);
    }
    if (id) {
        *id = p.id;
    }
    return writeUserPresets(presets, error);
}

bool DevicePresetStore::removeUserPreset(const QString &id, QString *error)
{
    QList<DevicePreset> presets = userPresets();
    presets.removeIf([&id](const DevicePreset &p) { return p.id == id; });
    return writeUserPresets(presets, error);
}

void DevicePresetStore::apply(const DevicePreset &preset, Device *device)
{
    device->computeFlops = preset.values.computeFlops;
    device->memoryBytes = preset.values.memoryBytes;
    device->maxPowerW = preset.values.maxPowerW;
    device->computePowerW = preset.values.computePowerW;
    device->energyBudgetJ = preset.values.energyBudgetJ;
    device->preset = preset.id;
}

} // namespace collapipe
