// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QList>
#include <QString>

class QSettings;

namespace collapipe {

/// A named set of device capabilities (compute, memory, powers, energy budget).
struct DevicePreset
{
    QString id;    ///< stored in Device::preset, e.g. "phone-mid"
    QString label; ///< shown in menus
    Device values; ///< id, name and position are not part of a preset
    bool builtIn = true;
};

/// Built-in presets (the device kinds of the bundled default.json, one per distinct preset id,
/// sourced in resources/scenarios/README.md) plus user presets persisted in QSettings under
/// "devicePresets".
class DevicePresetStore
{
public:
    /// settings may be null: then the application's default QSettings is used.
    explicit DevicePresetStore(QSettings *settings = nullptr);

    static QList<DevicePreset> builtIns();
    /// Built-ins first, then user presets in the order saved.
    QList<DevicePreset> all() const;
    /// The preset with this id; if unknown, the middle one by compute (or the struct defaults).
    DevicePreset find(const QString &id) const;
    /// Saves (or replaces, by label) a user preset made from a device's values; returns its id
    /// ("user-<label>"). false + *error when QSettings cannot write.
    bool saveUserPreset(
        const QString &label, const Device &device, QString *id, QString *error = nullptr);
    bool removeUserPreset(const QString &id, QString *error = nullptr);

    /// Copies a preset's capabilities into a device, keeping its id, name and position.
    static void apply(const DevicePreset &preset, Device *device);

private:
    QList<DevicePreset> userPresets() const;
    bool writeUserPresets(const QList<DevicePreset> &presets, QString *error);

    QSettings *m_settings;
};

} // namespace collapipe
