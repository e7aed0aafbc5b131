// SPDX-License-Identifier: MIT
#pragma once

#include <QEventLoop>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <cstdio>

/// Helpers shared by the screenshot tools (editor, studio, lab, experiments): let the event loop
/// settle before a grab, and save a widget's image saying which file was written.
namespace collapipe::test {

inline void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

inline bool save(QWidget *w, const QString &path)
{
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace collapipe::test
