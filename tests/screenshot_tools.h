// SPDX-License-Identifier: MIT
#pragma once

#include <QEventLoop>
#include <QSize>
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

/// The screen a screenshot tool lays its window out for, from an argument such as "1280x800"
/// (empty: 1600 x 1000), and the file-name suffix that keeps both sizes in one folder ("-1280x800";
/// none for 1600 x 1000).
struct ScreenshotSize
{
    QSize size{1600, 1000};
    QString suffix;
};

inline ScreenshotSize screenshotSize(const QString &arg)
{
    ScreenshotSize s;
    if (!arg.isEmpty()) {
        s.size = QSize(arg.section(QLatin1Char('x'), 0, 0).toInt(),
            arg.section(QLatin1Char('x'), 1, 1).toInt());
    }
    if (!arg.isEmpty() && arg != QLatin1String("1600x1000")) {
        s.suffix = QLatin1Char('-') + arg;
    }
    return s;
}

} // namespace collapipe::test
