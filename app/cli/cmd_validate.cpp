// SPDX-License-Identifier: MIT
// `collapipe validate FILE`: ok, or every problem of the scenario, one per line.
#include "cli_table.h"
#include "command_registry.h"
#include "core/experiment/experiment.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_field_paths.h"
#include "core/scenario/scenario_json.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_validate {
namespace {

/// The valid values of a field as text: its range, its choices, or its kind.
QString validValues(const FieldInfo &f)
{
    switch (f.kind) {
    case FieldKind::String:
        return f.required ? QStringLiteral("text, not empty") : QStringLiteral("text");
    case FieldKind::Bool:
        return QStringLiteral("true | false");
    case FieldKind::Enum:
        return f.enumValues.join(QStringLiteral(" | "));
    case FieldKind::Integer:
        return QStringLiteral("integer ") + fieldRangeText(f);
    case FieldKind::Real:
        break;
    }
    return fieldRangeText(f);
}

/// Every field of the scenario file with its unit and valid range, read from the field table
/// (scenario_field_paths.h), so this list, validation and the Studio's tooltips cannot disagree.
void printFields(QTextStream &out)
{
    TextTable table({QStringLiteral("key"), QStringLiteral("unit"), QStringLiteral("valid"),
        QStringLiteral("meaning")});
    for (const FieldPath &f : scenarioFieldPaths()) {
        table.addRow({f.pattern, f.info->unit, validValues(*f.info), f.info->help});
    }
    table.print(out);
}

/// An experiment file (a JSON object with "experiment_version") rather than a scenario.
bool looksLikeExperiment(const QString &path)
{
    QByteArray text;
    QString error;
    if (!readInputFile(path, &text, &error)) {
        return false; // the scenario reader names the problem
    }
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    return doc.isObject() && doc.object().contains(QStringLiteral("experiment_version"));
}

int runValidate(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        out << "usage: collapipe validate FILE\n"
               "       collapipe validate --fields\n\n"
               "Checks a scenario file (collapipe-scenario/1 JSON), or an experiment file (a JSON\n"
               "object with \"experiment_version\": the file and every point, as collapipe\n"
               "experiment checks it). Prints 'ok' and exits 0, or\n"
               "prints every problem, one per line as 'field.path: reason (got value)', and\n"
               "exits 2. A missing or unreadable file, invalid JSON (with line and column) and a\n"
               "key given twice in one object (with both lines) also exit 2. Control characters\n"
               "in keys and values are shown escaped (\\n), so each problem is one line.\n"
               "--fields lists every key (the same paths --set takes) with its unit and range.\n";
        return ExitOk;
    }
    if (args == QStringList{QStringLiteral("--fields")}) {
        printFields(out);
        return ExitOk;
    }
    if (args.size() != 1 || args.first().startsWith(QLatin1Char('-'))) {
        err << "collapipe validate: expected exactly one FILE (see collapipe validate --help)\n";
        return ExitBadInput;
    }
    const QString path = args.first();
    std::vector<ScenarioProblem> problems;
    if (looksLikeExperiment(path)) {
        // The same check as `collapipe experiment FILE`: the file and every point at once.
        std::vector<ExperimentPoint> points;
        if (loadExperiment(path, nullptr, &points, &problems)) {
            out << "ok (experiment, " << points.size() << " points)\n";
            return ExitOk;
        }
    } else if (Scenario scenario; loadScenarioFile(path, &scenario, &problems)) {
        out << "ok\n";
        return ExitOk;
    }
    // Problems go to stdout, exactly one per line, so scripts can count and grep them; the
    // summary goes to stderr.
    err << "collapipe validate: " << escapeControlCharacters(path) << ": " << problems.size()
        << (problems.size() == 1 ? " problem\n" : " problems\n");
    for (const ScenarioProblem &p : problems) {
        out << p.toString() << '\n';
    }
    return ExitBadInput;
}

const CommandRegistrar registrar(QStringLiteral("validate"),
    QStringLiteral("check a scenario or experiment file: prints ok or every problem"), runValidate);

} // namespace
} // namespace collapipe::cli::verb_validate
