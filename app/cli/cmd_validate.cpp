// SPDX-License-Identifier: MIT
// `collapipe validate FILE`: ok, or every problem of the scenario, one per line.
#include "command_registry.h"
#include "core/scenario/scenario_json.h"

#include <QTextStream>

namespace collapipe::cli {
namespace {

int runValidate(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        out << "usage: collapipe validate FILE\n\n"
               "Checks a scenario file (collapipe-scenario/1 JSON). Prints 'ok' and exits 0, or\n"
               "prints every problem, one per line as 'field.path: reason (got value)', and\n"
               "exits 2. A missing or unreadable file and invalid JSON (with line and column)\n"
               "also exit 2.\n";
        return ExitOk;
    }
    if (args.size() != 1 || args.first().startsWith(QLatin1Char('-'))) {
        err << "collapipe validate: expected exactly one FILE (see collapipe validate --help)\n";
        return ExitBadInput;
    }
    const QString path = args.first();
    Scenario scenario;
    std::vector<ScenarioProblem> problems;
    if (loadScenarioFile(path, &scenario, &problems)) {
        out << "ok\n";
        return ExitOk;
    }
    // Problems go to stdout, exactly one per line, so scripts can count and grep them; the
    // summary goes to stderr.
    err << "collapipe validate: " << path << ": " << problems.size()
        << (problems.size() == 1 ? " problem\n" : " problems\n");
    for (const ScenarioProblem &p : problems) {
        out << p.toString() << '\n';
    }
    return ExitBadInput;
}

const CommandRegistrar registrar(QStringLiteral("validate"),
    QStringLiteral("check a scenario file: prints ok or every problem"), runValidate);

} // namespace
} // namespace collapipe::cli
