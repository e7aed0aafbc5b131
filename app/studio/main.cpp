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

namespace studio_main {

/// The Studio's options. Parsed twice: first from argv before any window system (so --help,
/// --version and a bad option need no display), then from what QApplication leaves of argv.
struct Options
{
    Options()
    {
        parser.setApplicationDescription(QStringLiteral(
            "Design, run and compare CollaPipe pipeline-parallel training scenarios."));
        // Not addHelpOption(): its --help-all lists Qt's options from a QCoreApplication, which
        // the first parse runs without.
        parser.addOption(QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")},
            QStringLiteral("Displays help on commandline options.")));
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("file"),
            QStringLiteral("Scenario JSON to open (default: the bundled "
                           "default.json)."));
        parser.addOption(screenshot);
        parser.addOption(select);
    }

    QCommandLineParser parser;
    const QCommandLineOption screenshot{QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window to <png> once it is shown, then quit."),
        QStringLiteral("png")};
    const QCommandLineOption select{QStringLiteral("select"),
        QStringLiteral("Select the item with this id at start."), QStringLiteral("id")};
};

/// argv without the window system's own options (QGuiApplication's, QApplication's and xcb's,
/// which QApplication takes out of argv itself): the first parse must not call them unknown.
QStringList withoutQtOptions(int argc, char **argv)
{
    static const QStringList withValue{QStringLiteral("platform"),
        QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
        QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"), QStringLiteral("qwindowicon"),
        QStringLiteral("qwindowtitle"), QStringLiteral("session"), QStringLiteral("display"),
        QStringLiteral("geometry"), QStringLiteral("style"), QStringLiteral("stylesheet")};
    static const QStringList flags{QStringLiteral("reverse"), QStringLiteral("widgetcount"),
        QStringLiteral("nograb"), QStringLiteral("dograb"), QStringLiteral("qmljsdebugger")};
    QStringList args;
    for (int i = 0; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == QLatin1String("--")) {
            for (; i < argc; ++i) {
                args.append(QString::fromLocal8Bit(argv[i]));
            }
            break;
        }
        if (i > 0 && arg.startsWith(QLatin1Char('-'))) {
            QString name = arg.mid(arg.startsWith(QLatin1String("--")) ? 2 : 1);
            const bool inlineValue = name.contains(QLatin1Char('='));
            name = name.section(QLatin1Char('='), 0, 0);
            if (flags.contains(name) || (inlineValue && withValue.contains(name))) {
                continue;
            }
            if (withValue.contains(name)) {
                ++i; // its value
                continue;
            }
        }
        args.append(arg);
    }
    return args;
}

} // namespace studio_main

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QCoreApplication::setApplicationName(QStringLiteral("CollaPipe Studio"));
    QCoreApplication::setApplicationVersion(collapipe::studioVersion());
    {
        // Before QApplication, which needs a display: usage, version or the bad option's name
        // print without one (exit 0, 0, 2).
        studio_main::Options early;
        if (!early.parser.parse(studio_main::withoutQtOptions(argc, argv))) {
            std::fprintf(stderr, "collapipe-studio: %s\nTry 'collapipe-studio --help'.\n",
                qPrintable(early.parser.errorText()));
            return 2;
        }
        if (early.parser.isSet(QStringLiteral("help"))) {
            // Without an application object Qt names the program "<executable_name>".
            QString help = early.parser.helpText();
            help.replace(QStringLiteral("<executable_name>"), QStringLiteral("collapipe-studio"));
            std::fputs(qPrintable(help), stdout);
            return 0;
        }
        if (early.parser.isSet(QStringLiteral("version"))) {
            std::printf("collapipe-studio %s\n", qPrintable(collapipe::studioVersion()));
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setWindowIcon(collapipe::appIcon());
    studio_main::Options options;
    if (!options.parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "collapipe-studio: %s\n", qPrintable(options.parser.errorText()));
        return 2;
    }
    const QCommandLineParser &parser = options.parser;
    const QCommandLineOption &screenshot = options.screenshot;
    const QCommandLineOption &select = options.select;

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
