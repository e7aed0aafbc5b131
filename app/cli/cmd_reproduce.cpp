// SPDX-License-Identifier: MIT
// `collapipe reproduce [--quick] [--jobs N] -o DIR [--db DB]`: runs the bundled reproduction set
// (resources/experiments/reproduce), resumable, and writes the claims table, CSVs, an HTML
// report and its PDF (issue [5/7] "collapipe reproduce"). The claims and the page are computed
// by core/experiment (reproduce_claims, reproduce_html); this file runs, collects and writes.
#include "cli_args.h"
#include "cli_files.h"
#include "cli_progress.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/experiment/experiment_report.h"
#include "core/experiment/experiment_runner.h"
#include "core/experiment/experiment_stored_points.h"
#include "core/experiment/reproduce_html.h"
#include "core/experiment/reproduce_set.h"
#include "core/scenario/display_text.h"
#include "core/scenario/parallel_for.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/store/run_store.h"
#include "reproduce_pdf.h"
#include "reproduce_run_info.h"
#ifdef COLLAPIPE_HAS_FIGURES
#include "ui/figures/report_figures.h"
#endif

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <climits>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_reproduce {
namespace {

const char kUsage[] = R"(usage: collapipe reproduce -o DIR [--quick] [--jobs N] [--db DB]

Runs the paper-reproduction set (resources/experiments/reproduce: DSSDA against every baseline
on paper.json, and latency along M, V, D2D bandwidth, local iterations and model size), then
checks the paper's three headline claims (latency -48.98 % vs every baseline, computation
efficiency up to +15.09 %, per-device memory more than halved vs fl) and says where each holds
and why it fails elsewhere. Writes into DIR (created if missing):
  report.html   one self-contained page: the run (machine, commit, time), the claims table,
                every policy on paper.json, figures (embedded PNG), regime table, CSV links
  report.pdf    the same page as PDF
  claims.csv    the claims table
  csv/<part>/   axis_curves.csv, regime_map.csv, pareto.csv of each experiment of the set, and
                policy_summary.csv (per-policy means and 95 % CIs) of each part without axes
  figures/<part>/  its figures as PNG and SVG (the figures of collapipe report)
Resumable: points already completed in the database are not run again, so a second run only
rewrites the report.
options:
  -o, --output DIR   the folder to write into (required; must not be a file)
  --quick            fewer points: DSSDA and the baselines only, each axis cut to 3 values,
                     2 seeds, 10 rounds (under a minute)
  --jobs N           worker threads (default: the physical cores)
  --db DB            run database (default: DIR/reproduce.sqlite)
  --experiments DIR  another folder of experiment files to run instead of the bundled set
  --quiet            no progress output
exit codes: 0 report written, 1 a point failed for a reason other than an infeasible plan or the
run was stopped (Ctrl-C; run again to resume), 2 bad input (a database that refuses runs, e.g.
locked by another writer, included: nothing more runs and no report is written).
)";

/// Collects the points that failed, per experiment, and draws the progress.
class ReproduceObserver : public ExperimentObserver
{
public:
    explicit ReproduceObserver(ProgressPrinter *progress)
        : m_progress(progress)
    { }
    void roundFinished(const RoundRecord &record) override { m_progress->update(record); }
    void pointFinished(const ExperimentPoint &point, const PointOutcome &outcome) override
    {
        if (outcome.status == SessionStatus::Failed) {
            failures << QStringLiteral("point %1 (%2%3 seed %4): %5")
                            .arg(point.index)
                            .arg(point.label().isEmpty() ? QString()
                                                         : point.label() + QLatin1Char(' '),
                                point.policy())
                            .arg(point.seed())
                            .arg(outcome.message.section(QLatin1Char('\n'), 0, 0));
            // An infeasible plan is a result (the baseline cannot run that model), not an error.
            unexpected = unexpected || !outcome.message.contains(QLatin1String("infeasible"));
        }
    }
    QStringList failures;
    bool unexpected = false;

private:
    ProgressPrinter *m_progress;
};

QString claimsCsv(const std::vector<ClaimRow> &rows)
{
    QString csv = QStringLiteral("claim,paper,ours_mean,ours_ci95_half_width,n,against,"
                                 "holds_on_paper_json,settings,settings_held\n");
    const auto num
        = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 17) : QString(); };
    for (const ClaimRow &r : rows) {
        csv += QStringList{r.claim.key, num(r.claim.paperValue), num(r.ours.mean),
                   r.ours.hasInterval ? num(r.ours.halfWidth) : QString(),
                   QString::number(r.ours.n), r.oursAgainst,
                   r.holdsOnBase ? QStringLiteral("1") : QStringLiteral("0"),
                   QString::number(r.settings), QString::number(r.settingsHeld)}
                   .join(QLatin1Char(','))
            + QLatin1Char('\n');
    }
    return csv;
}

/// The metrics drawn for a part: the mean round latency (along every axis, and as regime maps of
/// two-axis parts), plus the energy-queue backlog along V and the fullest device's memory along
/// the model size. The Pareto front is drawn for every part.
QStringList figureMetrics(const std::vector<StoredPoint> &points)
{
    QStringList metrics{QStringLiteral("mean_latency_s")};
    for (const QStringList &axis : analysisAxes(points)) {
        if (axis.contains(QStringLiteral("optimizer.v"))) {
            metrics << QStringLiteral("mean_energy_queue_j");
        }
        if (axis.front().startsWith(QLatin1String("model."))) {
            metrics << QStringLiteral("max_device_memory_bytes");
        }
    }
    return metrics;
}

/// Draws a part's figures with the shared figure code (ui/figures) into DIR/figures/STEM as PNG
/// and SVG, and reads the PNGs back to embed them. A build without the figure library has none.
bool partFigures(const QDir &target, const QString &stem, ReproducePartReport *part, QString *error)
{
#ifdef COLLAPIPE_HAS_FIGURES
    const QString rel = QStringLiteral("figures/") + stem;
    if (!target.mkpath(rel)) {
        *error = QStringLiteral("--output: cannot create '%1'").arg(target.filePath(rel));
        return false;
    }
    ReportFigureOptions options;
    options.formats = {QStringLiteral("png"), QStringLiteral("svg")};
    options.metrics = figureMetrics(part->results.points);
    QStringList written;
    std::vector<ReportFigure> drawn;
    if (!renderReportFigures(
            part->results.points, target.filePath(rel), options, &written, error, &drawn)) {
        return false;
    }
    for (const ReportFigure &f : drawn) {
        ReproduceFigure figure;
        figure.caption = f.caption;
        figure.resourceName = rel + QLatin1Char('/') + f.stem + QStringLiteral(".png");
        for (const QString &suffix : options.formats) {
            figure.files << rel + QLatin1Char('/') + f.stem + QLatin1Char('.') + suffix;
        }
        QFile png(target.filePath(figure.resourceName));
        if (!png.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the figure %1").arg(png.fileName());
            return false;
        }
        figure.png = png.readAll();
        part->figures.push_back(figure);
    }
    return true;
#else
    Q_UNUSED(target);
    Q_UNUSED(stem);
    Q_UNUSED(part);
    Q_UNUSED(error);
    return true;
#endif
}

int runReproduce(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    parser.addOption(QCommandLineOption(
        {QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("DIR")));
    for (const char *name : {"jobs", "experiments"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    parser.addOption(QCommandLineOption(QStringLiteral("quick")));
    parser.addOption(QCommandLineOption(QStringLiteral("quiet")));
    if (!parseArgs(&parser, QStringLiteral("reproduce"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    const auto bad = [&err](const QString &message) {
        err << "collapipe reproduce: " << escapeControlCharacters(message) << '\n';
        return int(ExitBadInput);
    };
    if (!parser.positionalArguments().isEmpty()) {
        return bad(QStringLiteral("unexpected argument '%1' (the output folder is -o DIR)")
                       .arg(parser.positionalArguments().first()));
    }
    const QString dir = parser.value(QStringLiteral("output"));
    if (dir.isEmpty()) {
        return bad(QStringLiteral("--output: the folder to write into is required (-o DIR)"));
    }
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir()) {
        return bad(QStringLiteral("--output: '%1' is a file, not a folder").arg(dir));
    }
    int jobs = resolveThreadCount(0);
    QString error;
    if (parser.isSet(QStringLiteral("jobs"))
        && !parseInt(QStringLiteral("--jobs"), parser.value(QStringLiteral("jobs")), 1, 1024, &jobs,
            &error)) {
        return bad(error);
    }
    const bool quick = parser.isSet(QStringLiteral("quick"));
    const QString setDir = parser.isSet(QStringLiteral("experiments"))
        ? parser.value(QStringLiteral("experiments"))
        : reproduceSetDir();
    if (setDir.isEmpty() || !QFileInfo(setDir).isDir()) {
        return bad(QStringLiteral("--experiments: '%1' is not a folder of experiment files")
                       .arg(setDir.isEmpty() ? QStringLiteral("(bundled set not found)") : setDir));
    }
    std::vector<ReproducePart> set;
    std::vector<ExperimentProblem> problems;
    if (!loadReproduceSet(setDir, quick, &set, &problems)) {
        err << "collapipe reproduce: --experiments " << escapeControlCharacters(setDir) << ": "
            << problems.size() << " problem(s)\n";
        for (const ExperimentProblem &p : problems) {
            err << "  " << p.toString() << '\n';
        }
        return ExitBadInput;
    }
    // Every part's points, checked before the database exists (bad input leaves nothing).
    std::vector<std::vector<ExperimentPoint>> points(set.size());
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (!expandExperiment(set[i].spec, &points[i], &problems)) {
            return bad(QStringLiteral("%1: %2").arg(set[i].file, problems.front().toString()));
        }
        ExecuteOptions check;
        if (!points[i].empty() && !prepareSession(points[i].front().scenario, check, &error)) {
            return bad(QStringLiteral("%1: point 0: %2").arg(set[i].file, error));
        }
    }
    if (!QDir().mkpath(dir)) {
        return bad(QStringLiteral("--output: cannot create the folder '%1'").arg(dir));
    }
    const QDir target(dir);
    const QString db = parser.isSet(QStringLiteral("db"))
        ? parser.value(QStringLiteral("db"))
        : target.filePath(QStringLiteral("reproduce.sqlite"));
    std::unique_ptr<RunStore> store = openStore(db, &error);
    if (!store) {
        return bad(error);
    }

    ReproduceRunInfo info;
    info.startedUtc = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    info.quick = quick;
    info.database = store->path();
    info.version = QCoreApplication::applicationVersion();
    QElapsedTimer wall;
    wall.start();
    std::vector<std::vector<ExperimentPoint>> pending(set.size());
    std::int64_t rounds = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
        QSet<QString> done;
        if (!completedPointFingerprints(store.get(), experimentId(points[i]), &done, &error)) {
            return bad(error);
        }
        for (const ExperimentPoint &p : points[i]) {
            ++info.points;
            if (done.contains(p.fingerprint)) {
                ++info.skipped;
            } else {
                pending[i].push_back(p);
                rounds += p.scenario.training.rounds;
            }
        }
    }
    out << "reproduce: " << set.size() << " experiments, " << info.points << " points ("
        << (quick ? "quick set" : "full set") << "); " << info.skipped << " already done -> "
        << escapeControlCharacters(store->path()) << '\n';
    out.flush();
    ProgressPrinter progress(out, int(std::min<std::int64_t>(rounds, INT_MAX)), stdoutIsTerminal(),
        !parser.isSet(QStringLiteral("quiet")));
    RunControl control;
    RunControl::linkStopSignals(&control);
    std::vector<ReproducePartReport> reports(set.size());
    bool stopped = false;
    bool unexpected = false;
    for (std::size_t i = 0; i < set.size() && !stopped; ++i) {
        ReproduceObserver observer(&progress);
        ExperimentRunOptions options;
        options.jobs = jobs;
        options.name = set[i].spec.name;
        options.experimentId = experimentId(points[i]);
        options.version = info.version;
        const ExperimentRunSummary s
            = runExperimentPoints(store->path(), pending[i], options, &control, &observer);
        if (!s.storeError.isEmpty()) {
            // The database refuses runs (locked, read-only, full): the other parts would each
            // wait and fail the same way, and a report of what is missing would mislead.
            RunControl::linkStopSignals(nullptr);
            progress.finish();
            err << "collapipe reproduce: the database refused a run ("
                << escapeControlCharacters(s.storeError)
                << "); no report written: run the same command again once it takes writes\n";
            return ExitBadInput;
        }
        info.ran += s.completed + s.failed;
        info.failed += s.failed;
        stopped = s.stopped > 0;
        unexpected = unexpected || observer.unexpected;
        reports[i].failures = observer.failures;
    }
    RunControl::linkStopSignals(nullptr);
    progress.finish();
    if (stopped) {
        err << "collapipe reproduce: stopped; run the same command again to resume\n";
        return ExitRunFailed;
    }

    // Results, CSVs and figures per part, then the claims over all of them.
    std::vector<ClaimPart> parts;
    for (std::size_t i = 0; i < set.size(); ++i) {
        ReproducePartReport &r = reports[i];
        // "reproduce: latency vs V" → "latency vs V": every part of the report is one.
        r.results.name = set[i].spec.name;
        r.results.name.remove(QRegularExpression(QStringLiteral("^reproduce: ")));
        r.description = set[i].spec.description;
        r.file = QDir(setDir).relativeFilePath(set[i].file);
        r.experimentId = experimentId(points[i]);
        r.points = int(points[i].size());
        if (!loadStoredPoints(store.get(), r.experimentId, &r.results.points, &error)) {
            return bad(error);
        }
        const QString stem = QFileInfo(set[i].file).completeBaseName();
        const QString csvDir = QStringLiteral("csv/") + stem;
        if (!target.mkpath(csvDir)) {
            return bad(QStringLiteral("--output: cannot create '%1'").arg(target.filePath(csvDir)));
        }
        for (const auto &[name, text] : reproducePartCsvs(set[i].spec, r.results.points)) {
            const QString rel = csvDir + QLatin1Char('/') + name;
            if (!writeTextFile(target.filePath(rel), text, &error)) {
                return bad(error);
            }
            r.csvFiles << rel;
        }
        if (!partFigures(target, stem, &r, &error)) {
            return bad(error);
        }
        parts.push_back(r.results);
    }
    const std::vector<ClaimRow> claims = claimsTable(parts);
    info.finishedUtc = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    info.wallS = double(wall.elapsed()) / 1000.0;
    info.machine = machineDescription();
    info.load = loadAverage();
    info.commit = sourceCommit();

#ifndef COLLAPIPE_HAS_FIGURES
    info.figuresNote = QStringLiteral("none: this build has no figure library (configured without "
                                      "the Studio's libraries, COLLAPIPE_BUILD_UI=OFF)");
#endif
    std::vector<std::pair<QString, QByteArray>> rasters;
    for (const ReproducePartReport &r : reports) {
        for (const ReproduceFigure &f : r.figures) {
            rasters.emplace_back(f.resourceName, f.png);
        }
    }
    if (!writeTextFile(target.filePath(QStringLiteral("claims.csv")), claimsCsv(claims), &error)
        || !writeTextFile(target.filePath(QStringLiteral("report.html")),
            reproduceHtml(info, claims, reports, FigureEmbed::Base64Png), &error)
        || !writeReportPdf(target.filePath(QStringLiteral("report.pdf")),
            reproduceHtml(info, claims, reports, FigureEmbed::ImageResource), rasters, &error)) {
        return bad(error);
    }
    out << "\nclaims (paper -> ours on paper.json):\n";
    for (const ClaimRow &r : claims) {
        out << "  " << r.claim.key << ": paper " << claimValueText(r.claim, r.claim.paperValue)
            << ", ours " << claimValueText(r.claim, r.ours.mean) << " vs " << r.oursAgainst
            << (r.holdsOnBase ? " (holds)" : " (does not hold)") << "; holds at " << r.settingsHeld
            << " of " << r.settings << " settings\n";
    }
    out << info.ran << " point(s) run, " << info.skipped << " resumed, " << info.failed
        << " failed; " << QString::number(info.wallS, 'f', 1) << " s -> "
        << escapeControlCharacters(target.filePath(QStringLiteral("report.html")))
        << ", report.pdf\n";
    if (unexpected) {
        err << "collapipe reproduce: a point failed for a reason other than an infeasible plan "
               "(listed in the report)\n";
        return ExitRunFailed;
    }
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("reproduce"),
    QStringLiteral("run the paper-reproduction set; claims table, HTML and PDF report"),
    runReproduce, true);

} // namespace
} // namespace collapipe::cli::verb_reproduce
