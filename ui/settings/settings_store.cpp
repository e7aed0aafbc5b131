// SPDX-License-Identifier: MIT
#include "ui/settings/settings_store.h"

#include <QCoreApplication>
#include <QSettings>

namespace collapipe {

SettingsStore &SettingsStore::instance()
{
    static SettingsStore *store = [] {
        auto *s = new SettingsStore;
        // Flush on quit; the store lives as long as the application object.
        if (QCoreApplication *app = QCoreApplication::instance()) {
            s->setParent(app);
            QObject::connect(app, &QCoreApplication::aboutToQuit, s, [s] { s->flush(); });
        }
        return s;
    }();
    return *store;
}

SettingsStore::SettingsStore()
    : m_settings(new QSettings(this))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kFlushDelayMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { flush(); });
}

SettingsStore::~SettingsStore()
{
    flush();
}

QVariant SettingsStore::value(const QString &key, const QVariant &defaultValue) const
{
    const auto pending = m_pending.constFind(key);
    if (pending != m_pending.cend()) {
        return pending.value();
    }
    return m_settings->value(key, defaultValue);
}

void SettingsStore::setValue(const QString &key, const QVariant &value)
{
    m_pending.insert(key, value);
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

bool SettingsStore::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty()) {
        return true;
    }
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        m_settings->setValue(it.key(), it.value());
    }
    m_pending.clear();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        Q_EMIT writeFailed(
            tr("Cannot save settings to %1 (%2)")
                .arg(m_settings->fileName(),
                    m_settings->status() == QSettings::AccessError ? tr("access denied")
                                                                   : tr("format error")));
        return false;
    }
    return true;
}

} // namespace collapipe
