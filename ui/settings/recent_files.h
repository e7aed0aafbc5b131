// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace collapipe {

/// The recent-files list (most recent first, at most kMax, persisted as a typed setting) and the
/// File ▸ Open Recent menu that shows it.
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMax = 8;

    explicit RecentFiles(QObject *parent = nullptr);
    QStringList files() const;
    /// Moves path to the front.
    void add(const QString &path);
    void clear();
    /// Fills menu with one action per file (missing files are dropped) and Clear.
    void populate(QMenu *menu);

Q_SIGNALS:
    void openRequested(const QString &path);
};

} // namespace collapipe
