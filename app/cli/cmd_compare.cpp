// SPDX-License-Identifier: MIT
// `collapipe compare ID ID... [--db DB]`: config diff and key metrics with deltas (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/store/run_compare.h"

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_compare {
namespace {

const char kUsage[] = R"(usage: collapipe compare ID ID... [--db DB] [--target-accuracy A]

Compares stored runs: first every setting that differs (scenario fields by their JSON path, and
run.policy / run.seed / run.train / run.rounds / run.status), then a table of key metrics with
each run's delta against the first run, absolute and in percent. The first two metrics are the
simulated time each run needed to reach the target accuracy A (0 < A <= 1; default: the lowest
final accuracy among the runs, which every run reached) and to 90 % of the best final accuracy,
interpolated linearly between the two validation evaluations around the crossing.
exit codes: 0 ok, 2 bad input (fewer than two ids, no such run, a bad target, database problems).
)";

int runCompare(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    parser.addOption(
        QCommandLineOption(QStringLiteral("target-accuracy"), QString(), QStringLiteral("A")));
    if (!parseArgs(&parser, QStringLiteral("compare"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    std::vector<std::int64_t> ids;
    QString error;
    for (const QString &text : parser.positionalArguments()) {
        std::int64_t id = 0;
        if (!parseRunId(text, &id, &error)) {
            err << "collapipe compare: " << error << '\n';
            return ExitBadInput;
        }
        ids.push_back(id);
    }
    if (ids.size() < 2) {
        err << "collapipe compare: expected at least two run IDs (see collapipe compare --help)\n";
        return ExitBadInput;
    }
    CompareOptions options;
    if (parser.isSet(QStringLiteral("target-accuracy"))) {
        const QString text = parser.value(QStringLiteral("target-accuracy"));
        bool ok = false;
        options.targetAccuracy = text.trimmed().toDouble(&ok);
        if (!ok || !(options.targetAccuracy > 0.0 && options.targetAccuracy <= 1.0)) {
            err << "collapipe compare: --target-accuracy: expected a fraction in (0, 1] (got '"
                << text << "')\n";
            return ExitBadInput;
        }
    }
    std::unique_ptr<RunStore> store = openStore(parser.value(QStringLiteral("db")), &error, false);
    RunComparison cmp;
    if (!store || !compareRuns(store.get(), ids, &cmp, &error, options)) {
        err << "collapipe compare: " << error << '\n';
        return ExitBadInput;
    }
    QStringList header{QStringLiteral("setting")};
    header << runLabels(cmp);
    if (cmp.config.empty()) {
        out << "config: identical\n";
    } else {
        out << "config: " << cmp.config.size() << " difference(s)\n";
        TextTable table(header);
        for (const ConfigDifference &d : cmp.config) {
            table.addRow(QStringList{d.path} + d.values);
        }
        table.print(out);
    }
    out << '\n';
    header[0] = QStringLiteral("metric");
    QStringList metricHeader{header[0], header[1]};
    for (std::size_t i = 1; i < cmp.runs.size(); ++i) {
        metricHeader << header[qsizetype(i) + 1]
                     << QStringLiteral("delta vs run %1").arg(cmp.runs[0].id);
    }
    TextTable metrics(metricHeader);
    for (const MetricComparison &m : cmp.metrics) {
        QStringList row{m.label, formatMetricValue(m.values[0], m.unit)};
        for (std::size_t i = 1; i < m.values.size(); ++i) {
            row << formatMetricValue(m.values[i], m.unit) << formatMetricDelta(m, i);
        }
        metrics.addRow(row);
    }
    metrics.print(out);
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("compare"),
    QStringLiteral("compare stored runs: config diff and metric deltas"), runCompare);

} // namespace
} // namespace collapipe::cli::verb_compare
