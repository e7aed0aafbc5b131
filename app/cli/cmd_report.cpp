// SPDX-License-Identifier: MIT
// `collapipe report DB -o DIR [--experiment ID] [--metrics a,b]`: an experiment's analyses as
// CSV files (issue [5/7] "Analysis"); the numbers come from core/experiment/experiment_analysis.h,
// the same code the Studio uses.
#include "cli_args.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/experiment/experiment_metrics.h"
#include "core/experiment/experiment_report.h"
#include "core/experiment/experiment_stored_points.h"
#include "core/scenario/display_text.h"
#include "core/store/run_store.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace collapipe::cli {
namespace {

const char kUsage[] = R"(usage: collapipe report DB -o DIR [--experiment ID] [--metrics a,b,...]

Reads the completed points of one experiment stored in the run database DB (collapipe
experiment ... --db DB) and writes its analyses into the folder DIR (created if missing):
  axis_curves.csv  each metric along each axis, per policy: mean over seeds and 95 % confidence
                   interval (Student t; one seed: no interval, noted)
  regime_map.csv   each metric over each pair of axes: per cell the best policy (lower is better
                   for latency, energy, time, loss; higher for efficiency and accuracy) and its
                   relative margin over the runner-up
  pareto.csv       per policy, each setting's mean latency and energy and whether it is on the
                   policy's latency-energy Pareto front
Columns: core/experiment/README.md. Existing files of these names in DIR are replaced.
options:
  -o, --output DIR    the folder to write into (required; must not be a file)
  --experiment ID     the experiment id (printed by collapipe experiment); required when DB holds
                      more than one experiment
  --metrics a,b       metrics to analyse (default: all of collapipe experiment's metric table)
exit codes: 0 ok, 2 bad input (missing or damaged database, unknown experiment or metric, DIR is
a file or cannot be written).
)";

bool writeFile(const QString &path, const QString &text, QString *error)
{
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool chooseExperiment(RunStore *store, const QString &wanted, QString *id, QString *error)
{
    QStringList ids;
    if (!storedExperimentIds(store, &ids, error)) {
        return false;
    }
    if (ids.isEmpty()) {
        *error = QStringLiteral("%1 holds no experiment runs (collapipe experiment FILE --db DB)")
                     .arg(store->path());
        return false;
    }
    if (!wanted.isEmpty()) {
        if (!ids.contains(wanted)) {
            *error = QStringLiteral("--experiment: no experiment '%1' in %2 (it holds: %3)")
                         .arg(wanted, store->path(), ids.join(QStringLiteral(", ")));
            return false;
        }
        *id = wanted;
        return true;
    }
    if (ids.size() > 1) {
        *error = QStringLiteral("--experiment: %1 holds %2 experiments, name one: %3")
                     .arg(store->path())
                     .arg(ids.size())
                     .arg(ids.join(QStringLiteral(", ")));
        return false;
    }
    *id = ids.first();
    return true;
}

int runReport(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    parser.addOption(QCommandLineOption(
        {QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("DIR")));
    for (const char *name : {"experiment", "metrics"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    if (!parseArgs(&parser, QStringLiteral("report"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    QStringList dbs = parser.positionalArguments();
    if (parser.isSet(QStringLiteral("db"))) {
        dbs << parser.value(QStringLiteral("db"));
    }
    if (dbs.size() != 1) {
        err << "collapipe report: DB: expected exactly one run database (see collapipe report "
               "--help)\n";
        return ExitBadInput;
    }
    const QString dir = parser.value(QStringLiteral("output"));
    if (dir.isEmpty()) {
        err << "collapipe report: --output: the folder to write into is required (-o DIR)\n";
        return ExitBadInput;
    }
    const QFileInfo dirInfo(dir);
    if (dirInfo.exists() && !dirInfo.isDir()) {
        err << "collapipe report: --output: '" << escapeControlCharacters(dir)
            << "' is a file, not a folder\n";
        return ExitBadInput;
    }
    QStringList metrics = experimentMetricKeys();
    if (parser.isSet(QStringLiteral("metrics"))) {
        metrics = parser.value(QStringLiteral("metrics")).split(QLatin1Char(','));
        for (const QString &m : metrics) {
            if (!findExperimentMetric(m)) {
                err << "collapipe report: --metrics: unknown metric '" << escapeControlCharacters(m)
                    << "' (known: " << experimentMetricKeys().join(QStringLiteral(", ")) << ")\n";
                return ExitBadInput;
            }
        }
    }
    QString error;
    std::unique_ptr<RunStore> store = openStore(dbs.first(), &error, false);
    QString id;
    std::vector<StoredPoint> points;
    if (!store
        || !chooseExperiment(store.get(), parser.value(QStringLiteral("experiment")), &id, &error)
        || !loadStoredPoints(store.get(), id, &points, &error)) {
        err << "collapipe report: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    if (!QDir().mkpath(dir)) {
        err << "collapipe report: --output: cannot create the folder '"
            << escapeControlCharacters(dir) << "'\n";
        return ExitBadInput;
    }
    const QDir target(dir);
    const std::pair<const char *, QString> files[] = {
        {"axis_curves.csv", axisCurvesCsv(points, metrics)},
        {"regime_map.csv", regimeMapCsv(points, metrics)},
        {"pareto.csv", paretoCsv(points)},
    };
    for (const auto &[name, text] : files) {
        if (!writeFile(target.filePath(QLatin1String(name)), text, &error)) {
            err << "collapipe report: " << escapeControlCharacters(error) << '\n';
            return ExitBadInput;
        }
    }
    out << "experiment " << id << ": " << points.size() << " completed point(s), "
        << analysisAxes(points).size() << " axis(es) -> " << escapeControlCharacters(dir)
        << " (axis_curves.csv, regime_map.csv, pareto.csv)\n";
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("report"),
    QStringLiteral("write an experiment's analyses (means with CIs, regime map, Pareto) as CSV"),
    runReport);

} // namespace
} // namespace collapipe::cli
