// SPDX-License-Identifier: MIT
// `collapipe`: the headless front end. Each verb lives in its own cmd_*.cpp and registers itself.
#include "command_registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QTextStream>
#ifdef COLLAPIPE_HAS_FIGURES
#include <QApplication>
#endif

#include <algorithm>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

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

/// Without XDG_RUNTIME_DIR (root in CI, cron, ssh without a login session) QtGui warns on stderr
/// and falls back to a private folder under /tmp. A headless verb wants no such line in its
/// output: it takes the same kind of folder itself (per user, mode 0700, as Qt's fallback) and
/// only when it is ours, so the warning stays for the case Qt would refuse.
static void useRuntimeDirectory()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        return;
    }
    const QByteArray dir = QFile::encodeName(
        QDir::tempPath() + QStringLiteral("/collapipe-runtime-%1").arg(getuid()));
    ::mkdir(dir.constData(), 0700); // may exist: checked below
    struct stat st = {};
    if (::lstat(dir.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid()
        && (st.st_mode & 0777) == 0700) {
        qputenv("XDG_RUNTIME_DIR", dir);
    }
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
        useRuntimeDirectory();
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
