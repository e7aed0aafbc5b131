// SPDX-License-Identifier: MIT
// `collapipe`: the headless front end. Each verb lives in its own cmd_*.cpp and registers itself.
#include "command_registry.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>
#ifdef COLLAPIPE_HAS_FIGURES
#include <QApplication>
#endif

#include <algorithm>
#include <memory>

namespace collapipe::cli {
std::map<QString, Command> &commandRegistry()
{
    static std::map<QString, Command> registry;
    return registry;
}
} // namespace collapipe::cli

using namespace collapipe::cli;

static void printUsage(QTextStream &out)
{
    out << "usage: collapipe VERB [ARGS...]   (collapipe VERB --help for details)\n\nverbs:\n";
    qsizetype width = 0; // the longest verb and two spaces
    for (const auto &[verb, command] : commandRegistry()) {
        width = std::max(width, verb.size() + 2);
    }
    for (const auto &[verb, command] : commandRegistry()) {
        out << "  " << verb.leftJustified(width) << command.summary << '\n';
    }
    out << "\nexit codes: 0 ok, 1 run failed, 2 bad input\n";
}

/// A verb that draws figures gets a QApplication (QCustomPlot is a widget) on the offscreen
/// platform unless QT_QPA_PLATFORM says otherwise: it needs no display or X server, and the
/// pixels are the same with or without one. Without the figure library (no Studio libraries
/// configured) it still gets a QGuiApplication: `reproduce` prints its PDF through QtGui.
/// Every other verb stays a QCoreApplication.
static std::unique_ptr<QCoreApplication> makeApplication(int &argc, char *argv[])
{
    const auto it = argc > 1 ? commandRegistry().find(QString::fromLocal8Bit(argv[1]))
                             : commandRegistry().end();
    if (it != commandRegistry().end() && it->second.drawsFigures) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
#ifdef COLLAPIPE_HAS_FIGURES
        return std::make_unique<QApplication>(argc, argv);
#else
        return std::make_unique<QGuiApplication>(argc, argv);
#endif
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

int main(int argc, char *argv[])
{
    const std::unique_ptr<QCoreApplication> app = makeApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("collapipe"));
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream out(stdout);
    if (args.isEmpty() || args.first() == QLatin1String("--help")
        || args.first() == QLatin1String("-h")) {
        printUsage(out);
        return args.isEmpty() ? ExitBadInput : ExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        out << "collapipe " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    const QString verb = args.takeFirst();
    const auto it = commandRegistry().find(verb);
    if (it == commandRegistry().end()) {
        QTextStream err(stderr);
        err << "collapipe: unknown verb '" << verb << "'\n";
        printUsage(err);
        return ExitBadInput;
    }
    return it->second.run(args);
}
