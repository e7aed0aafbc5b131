// SPDX-License-Identifier: MIT
// `collapipe`: the headless front end. Each verb lives in its own cmd_*.cpp and registers itself.
#include "command_registry.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

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

int main(int argc, char *argv[])
{
    // `reproduce` prints its report to PDF through QtGui, which needs a QGuiApplication; the CLI
    // never shows a window, so it uses the offscreen platform unless one is chosen explicitly.
    const bool gui = argc > 1 && qstrcmp(argv[1], "reproduce") == 0;
    if (gui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    std::unique_ptr<QCoreApplication> application = gui
        ? std::make_unique<QGuiApplication>(argc, argv)
        : std::make_unique<QCoreApplication>(argc, argv);
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
