// SPDX-License-Identifier: MIT
// `collapipe report DB -o DIR [--experiment ID] [--metrics a,b]`: an experiment's analyses as
// CSV files (issue [5/7] "Analysis"); the numbers come from core/experiment/experiment_analysis.h,
// the same code the Studio uses.
#include "cli_args.h"
#include "cli_files.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_metrics.h"
#include "core/experiment/experiment_report.h"
#include "core/experiment/experiment_stored_points.h"
#include "core/scenario/display_text.h"
#include "core/store/run_store.h"
#ifdef COLLAPIPE_HAS_FIGURES
#include "ui/figures/report_figures.h"
#endif

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cmath>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_report {
namespace {

const char kUsage[] = R"(usage: collapipe report DB -o DIR [--experiment ID] [--metrics a,b,...]
                        [--target-accuracy A] [--figures png,svg,pdf|none]
       collapipe report EXPERIMENT.json -o DIR [--db DB] [options]

Reads the completed points of one experiment stored in the run database DB (collapipe
experiment ... --db DB) and writes its analyses into the folder DIR (created if missing). Given
the experiment FILE instead, reads that experiment's points from --db DB (default: the app-data
folder's runs.sqlite, as collapipe experiment FILE uses). It writes:
  axis_curves.csv  each metric along each axis, per policy: mean over seeds and 95 % confidence
                   interval (Student t; one seed: no interval, noted)
  policy_summary.csv  each metric per policy (and setting of the axes, if any): n, mean over
                   seeds and 95 % confidence interval, as above; the table of an experiment of
                   policies and seeds without axes
  regime_map.csv   each metric over each pair of axes: per cell the best policy (lower is better
                   for latency, energy, time, loss; higher for efficiency and accuracy) and its
                   relative margin over the runner-up
  pareto.csv       per policy, each setting's mean latency and energy and whether it is on the
                   policy's latency-energy Pareto front
  accuracy_over_time.csv  per setting and policy, the mean validation accuracy over seeds against
                   simulated time (training on only; else just the header)
  time_to_accuracy.csv    per setting and policy, the simulated time to the target accuracy over
                   the seeds that reached it, and how many did
and the figures, each as PNG (300 dpi), SVG and PDF, 7 x 4.5 in, drawn by the Studio's code
without a display:
  curve-METRIC-vs-AXIS.*  each metric along each axis per policy, 95 % CI band
  policies-METRIC.*       each metric per policy, mean over seeds with 95 % CI error bars
                          (an experiment without axes)
  regime-METRIC-X-Y.*     best policy per cell of each axis pair, shaded by its margin
  pareto.*                latency-energy points and fronts per policy
  time-to-accuracy.*      accuracy vs simulated time (training on only)
Columns: core/experiment/README.md. Existing files of these names in DIR are replaced.
options:
  -o, --output DIR    the folder to write into (required; must not be a file)
  --experiment ID     the experiment id (printed by collapipe experiment); required when DB holds
                      more than one experiment (not with an experiment FILE: it names its own)
  --db DB             the run database to read an experiment FILE's points from
  --metrics a,b       metrics to analyse (default: all of collapipe experiment's metric table)
  --figures LIST      figure formats, comma separated, of png, svg, pdf; none: CSV only
                      (default png,svg,pdf)
  --target-accuracy A the accuracy in (0, 1] time_to_accuracy.csv measures the time to (default:
                      90 % of the best mean final accuracy of any setting and policy)
exit codes: 0 ok, 2 bad input (missing or damaged database, unknown experiment or metric, a bad
experiment FILE or one with no run in DB, DIR is a file or cannot be written).
)";

const QStringList kFigureFormats{
    QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};

/// The figures next to the CSV files (ui/figures/report_figures.h, the Studio's drawing code).
int writeFigures(const std::vector<StoredPoint> &points, const QStringList &metrics, double target,
    const QStringList &formats, const QString &dir, QTextStream &out, QTextStream &err)
{
    if (formats.isEmpty()) {
        return ExitOk;
    }
#ifdef COLLAPIPE_HAS_FIGURES
    ReportFigureOptions options;
    options.formats = formats;
    options.metrics = metrics;
    options.targetAccuracy = target;
    QStringList written;
    std::vector<ReportFigure> figures;
    QString error;
    if (!renderReportFigures(points, dir, options, &written, &error, &figures)) {
        err << "collapipe report: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    out << figures.size() << " figure(s) as " << formats.join(QStringLiteral(", ")) << " ("
        << written.size() << " files)\n";
    return ExitOk;
#else
    Q_UNUSED(points);
    Q_UNUSED(metrics);
    Q_UNUSED(target);
    Q_UNUSED(dir);
    Q_UNUSED(out);
    err << "collapipe report: --figures: this build has no figures (configured without the "
           "Studio's libraries); use --figures none for the CSV files alone\n";
    return ExitBadInput;
#endif
}

/// True when `path` is an experiment file rather than a run database: not SQLite's header, and
/// JSON-looking (a .json name or a first non-blank '{'), so its problems are named as a file's.
bool isExperimentFile(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).isDir() || !file.open(QIODevice::ReadOnly)) {
        return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    }
    const QByteArray head = file.read(4096);
    if (head.startsWith(QByteArrayLiteral("SQLite format 3"))) {
        return false;
    }
    const QByteArray text = head.startsWith("\xEF\xBB\xBF") ? head.mid(3) : head;
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
        || text.trimmed().startsWith('{');
}

/// The experiment id of an experiment FILE (its points expanded as `collapipe experiment` does).
bool experimentFileId(const QString &file, QString *id, QString *error)
{
    ExperimentSpec spec;
    std::vector<ExperimentProblem> problems;
    std::vector<ExperimentPoint> points;
    if (!loadExperiment(file, &spec, &points, &problems)) {
        QStringList lines;
        for (const ExperimentProblem &p : problems) {
            lines << QStringLiteral("  ") + p.toString();
        }
        *error = QStringLiteral("%1: %2 %3\n%4")
                     .arg(file)
                     .arg(problems.size())
                     .arg(problems.size() == 1 ? QStringLiteral("problem")
                                               : QStringLiteral("problems"))
                     .arg(lines.join(QLatin1Char('\n')));
        return false;
    }
    *id = experimentId(points);
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
    for (const char *name : {"experiment", "metrics", "target-accuracy", "figures"}) {
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
    QString experimentFile; // `report FILE.json [--db DB]`: the file names the experiment
    if (dbs.size() == 1 && isExperimentFile(dbs.first())) {
        experimentFile = dbs.takeFirst();
        if (parser.isSet(QStringLiteral("experiment"))) {
            err << "collapipe report: --experiment: not with an experiment FILE ("
                << escapeControlCharacters(experimentFile) << " names its own experiment)\n";
            return ExitBadInput;
        }
    }
    if (parser.isSet(QStringLiteral("db"))) {
        dbs << parser.value(QStringLiteral("db"));
    }
    if (dbs.size() != 1 && !(dbs.isEmpty() && !experimentFile.isEmpty())) {
        err << "collapipe report: DB: expected exactly one run database or experiment FILE (see "
               "collapipe report --help)\n";
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
    double target = std::nan("");
    if (parser.isSet(QStringLiteral("target-accuracy"))) {
        const QString text = parser.value(QStringLiteral("target-accuracy"));
        bool ok = false;
        target = text.toDouble(&ok);
        if (!ok || !(target > 0.0 && target <= 1.0)) {
            err << "collapipe report: --target-accuracy: expected a number in (0, 1] (got '"
                << escapeControlCharacters(text) << "')\n";
            return ExitBadInput;
        }
    }
    QStringList formats{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};
    if (parser.isSet(QStringLiteral("figures"))) {
        const QString text = parser.value(QStringLiteral("figures"));
        formats = text == QLatin1String("none") ? QStringList() : text.split(QLatin1Char(','));
        for (const QString &f : formats) {
            if (!kFigureFormats.contains(f)) {
                err << "collapipe report: --figures: unknown format '" << escapeControlCharacters(f)
                    << "' (known: png, svg, pdf, or none)\n";
                return ExitBadInput;
            }
        }
    }
    QString error;
    QString wanted = parser.value(QStringLiteral("experiment"));
    if (!experimentFile.isEmpty() && !experimentFileId(experimentFile, &wanted, &error)) {
        // One problem a line, each escaped (the lines themselves are ours).
        for (const QString &line : error.split(QLatin1Char('\n'))) {
            err << "collapipe report: " << escapeControlCharacters(line) << '\n';
        }
        return ExitBadInput;
    }
    std::unique_ptr<RunStore> store = openStore(dbs.value(0), &error, false);
    QString id;
    std::vector<StoredPoint> points;
    QStringList ids;
    if (store && !experimentFile.isEmpty() && storedExperimentIds(store.get(), &ids, &error)
        && !ids.contains(wanted)) {
        err << "collapipe report: " << escapeControlCharacters(store->path())
            << " holds no run of experiment " << wanted << " (the points of "
            << escapeControlCharacters(experimentFile)
            << " as the file reads now; run collapipe experiment FILE --db DB first)\n";
        return ExitBadInput;
    }
    if (!store || !chooseExperiment(store.get(), wanted, &id, &error)
        || !loadStoredPoints(store.get(), id, &points, &error)) {
        err << "collapipe report: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    if (points.empty()) {
        err << "collapipe report: note: experiment " << id << " has no completed point in "
            << escapeControlCharacters(store->path())
            << " yet: the files hold only their headers\n";
    }
    if (!QDir().mkpath(dir)) {
        err << "collapipe report: --output: cannot create the folder '"
            << escapeControlCharacters(dir) << "'\n";
        return ExitBadInput;
    }
    if (std::isnan(target)) {
        target = defaultTargetAccuracy(points);
    }
    const QDir folder(dir);
    const std::pair<const char *, QString> files[] = {
        {"axis_curves.csv", axisCurvesCsv(points, metrics)},
        {"policy_summary.csv", policySummaryCsv(points, metrics)},
        {"regime_map.csv", regimeMapCsv(points, metrics)},
        {"pareto.csv", paretoCsv(points)},
        {"accuracy_over_time.csv", accuracyOverTimeCsv(points)},
        {"time_to_accuracy.csv", timeToAccuracyCsv(points, target)},
    };
    for (const auto &[name, text] : files) {
        if (!writeTextFile(folder.filePath(QLatin1String(name)), text, &error)) {
            err << "collapipe report: " << escapeControlCharacters(error) << '\n';
            return ExitBadInput;
        }
    }
    out << "experiment " << id << ": " << points.size() << " completed point(s), "
        << analysisAxes(points).size() << " axis(es) -> " << escapeControlCharacters(dir)
        << " (axis_curves.csv, policy_summary.csv, regime_map.csv, pareto.csv, "
           "accuracy_over_time.csv, time_to_accuracy.csv)\n";
    return writeFigures(points, metrics, target, formats, dir, out, err);
}

const CommandRegistrar registrar(QStringLiteral("report"),
    QStringLiteral("write an experiment's analyses (means with CIs, regime map, Pareto, time to "
                   "accuracy) as CSV and figures"),
    runReport, true);

} // namespace
} // namespace collapipe::cli::verb_report
