// SPDX-License-Identifier: MIT
// collapipe-studio [FILE] [--screenshot PNG]: parses arguments and wires the main window, nothing
// else (style.md rule 2).
#include "ui/app_icon.h"
#include "ui/canvas/topology_view.h"
#include "ui/experiments/experiments_window.h"
#include "ui/lab/lab_workspace.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_workspace.h"

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
    // Run, Plots, Gantt, Decision, Runs, Compare docks
    collapipe::RunWorkspace *runs = collapipe::RunWorkspace::install(&window);
    collapipe::installExperimentsWindow(&window, runs); // View ▸ Experiments…
    collapipe::LabWorkspace::install(&window);          // Pipeline Lab dock (View menu)
    // Armed before opening the file so a modal error box cannot block an automated screenshot.
    int screenshotResult = -1;
    if (parser.isSet(screenshot)) {
        const QString png = parser.value(screenshot);
        // Give the window manager and the first paint a moment before grabbing.
        QTimer::singleShot(800, &window, [&window, &screenshotResult, png] {
            if (QWidget *modal = QApplication::activeModalWidget()) {
                modal->close(); // e.g. a "cannot open" box: the screenshot shows the window
            }
            const bool ok = window.grab().save(png);
            if (!ok) {
                std::fprintf(stderr, "collapipe-studio: cannot write %s\n", qPrintable(png));
            }
            screenshotResult = ok ? 0 : 1;
            QApplication::exit(screenshotResult);
        });
    }
    const QStringList files = parser.positionalArguments();
    window.openInitial(files.isEmpty() ? QString() : files.first());
    if (screenshotResult >= 0) {
        return screenshotResult; // taken while a modal box was open during start-up
    }
    window.show();
    if (parser.isSet(select)) {
        const QString id = parser.value(select);
        QTimer::singleShot(100, &window,
            [&window, id] { window.view()->focusRef(window.document()->refForId(id)); });
    }

    return app.exec();
}
