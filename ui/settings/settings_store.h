// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QVariant>

class QSettings;

namespace collapipe {

/// The one QSettings of the Studio (style.md rule 11, after Tiled's Session): reads go through a
/// cache of pending writes; writes are coalesced by a short single-shot timer and flushed with
/// QSettings::status() checked. Holds UI state only (geometry, docks, recent files, presets),
/// never scenarios or results. GUI thread only.
class SettingsStore : public QObject
{
    Q_OBJECT
public:
    /// The application-wide store (QSettings with the organisation/application names).
    static SettingsStore &instance();

    QVariant value(const QString &key, const QVariant &defaultValue) const;
    /// Queues a write; flushed within kFlushDelayMs or on flush().
    void setValue(const QString &key, const QVariant &value);
    /// Writes pending values now; false (and writeFailed emitted) if QSettings reports an error.
    bool flush();
    QSettings *settings() const { return m_settings; }

    static constexpr int kFlushDelayMs = 250;

Q_SIGNALS:
    /// QSettings could not write (read-only file, disk full); message names the file.
    void writeFailed(const QString &message);

private:
    SettingsStore();
    ~SettingsStore() override;

    QSettings *m_settings;
    QHash<QString, QVariant> m_pending;
    QTimer m_timer;
};

/// A typed setting declared next to its user: Setting<QStringList> recent{"file/recent", {}};
template <typename T> class Setting
{
public:
    Setting(const QString &key, const T &defaultValue)
        : m_key(key)
        , m_default(defaultValue)
    { }

    T get() const
    {
        const QVariant v = SettingsStore::instance().value(m_key, QVariant::fromValue(m_default));
        return v.canConvert<T>() ? v.value<T>() : m_default;
    }
    void set(const T &value)
    {
        SettingsStore::instance().setValue(m_key, QVariant::fromValue(value));
    }
    const QString &key() const { return m_key; }

private:
    QString m_key;
    T m_default;
};

} // namespace collapipe
