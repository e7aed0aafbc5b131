// SPDX-License-Identifier: MIT
#include "ui/model/device_presets.h"

#include <QCoreApplication>
#include <QSettings>

#include <memory>

namespace collapipe {

namespace {

const QString kGroup = QStringLiteral("devicePresets");

DevicePreset preset(const char *id, const char *label, double flops, double memory,
    double computePower, double energy)
{
    DevicePreset p;
    p.id = QLatin1String(id);
    p.label = QCoreApplication::translate("collapipe", label);
    p.values.computeFlops = flops;
    p.values.memoryBytes = memory;
    p.values.maxPowerW = 0.2; // 23 dBm UE class (spec §7)
    p.values.computePowerW = computePower;
    p.values.energyBudgetJ = energy;
    p.values.preset = p.id;
    return p;
}

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
    return {
        preset("phone-low", "Low-end phone", 0.35e12, 1.2e9, 3.0, 1.0),
        preset("phone-mid", "Mid-range phone", 0.9e12, 2.0e9, 5.0, 1.5),
        preset("phone-high", "Flagship phone", 1.8e12, 3.0e9, 8.0, 2.0),
        preset("jetson-orin", "Jetson Orin board", 5.0e12, 12.0e9, 15.0, 2.0),
    };
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
    return presets.at(1);
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
