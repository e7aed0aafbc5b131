// SPDX-License-Identifier: MIT
// collapipe-studio [FILE] [--screenshot PNG]: parses arguments and wires the main window, nothing
// else (style.md rule 2).
#include "ui/app_icon.h"
#include "ui/canvas/topology_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio"));
    QApplication::setApplicationVersion(collapipe::studioVersion());
    QApplication::setWindowIcon(collapipe::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Design, run and compare CollaPipe pipeline-parallel training scenarios."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
        QStringLiteral("Scenario JSON to open (default: the bundled "
                       "default.json)."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window to <png> once it is shown, then quit."),
        QStringLiteral("png"));
    parser.addOption(screenshot);
    const QCommandLineOption select(QStringLiteral("select"),
        QStringLiteral("Select the item with this id at start."), QStringLiteral("id"));
    parser.addOption(select);
    parser.process(app);

    collapipe::MainWindow window;
    const QStringList files = parser.positionalArguments();
    window.openInitial(files.isEmpty() ? QString() : files.first());
    window.show();
    if (parser.isSet(select)) {
        const QString id = parser.value(select);
        QTimer::singleShot(100, &window,
            [&window, id] { window.view()->focusRef(window.document()->refForId(id)); });
    }

    if (parser.isSet(screenshot)) {
        const QString png = parser.value(screenshot);
        // Give the window manager and the first paint a moment before grabbing.
        QTimer::singleShot(800, &window, [&window, png] {
            const bool ok = window.grab().save(png);
            if (!ok) {
                std::fprintf(stderr, "collapipe-studio: cannot write %s\n", qPrintable(png));
            }
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
