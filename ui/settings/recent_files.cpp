// SPDX-License-Identifier: MIT
#include "ui/settings/recent_files.h"

#include "ui/settings/settings_store.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace collapipe {

namespace {

Setting<QStringList> &recentSetting()
{
    static Setting<QStringList> setting{QStringLiteral("file/recent"), QStringList()};
    return setting;
}

} // namespace

RecentFiles::RecentFiles(QObject *parent)
    : QObject(parent)
{ }

QStringList RecentFiles::files() const
{
    return recentSetting().get();
}

void RecentFiles::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMax) {
        list.removeLast();
    }
    recentSetting().set(list);
}

void RecentFiles::clear()
{
    recentSetting().set(QStringList());
}

void RecentFiles::populate(QMenu *menu)
{
    menu->clear();
    int n = 0;
    for (const QString &path : files()) {
        if (!QFileInfo::exists(path)) {
            continue;
        }
        ++n;
        const QString text = QStringLiteral("&%1 %2").arg(n).arg(QDir::toNativeSeparators(path));
        menu->addAction(text, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (n == 0) {
        menu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    menu->addAction(tr("Clear list"), this, &RecentFiles::clear);
}

} // namespace collapipe
