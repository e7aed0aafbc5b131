// SPDX-License-Identifier: MIT
// `collapipe experiment FILE [--jobs N] [--db DB] [--shard i/N] [--quiet]`: every point of an
// experiment file as a stored run, resumable, on a worker pool (issue [5/7]).
#include "cli_args.h"
#include "cli_progress.h"
#include "cli_run_engine.h"
#include "cli_shard.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_metrics.h"
#include "core/experiment/experiment_runner.h"
#include "core/scenario/display_text.h"
#include "core/scenario/parallel_for.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/store/run_reader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>

#include <climits>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_experiment {
namespace {

const char kUsage[] = R"(usage: collapipe experiment FILE [options]

Expands the experiment FILE (collapipe-experiment JSON, see core/experiment/README.md) into its
points (axes x policies x seeds) and runs each point as a stored run tagged with the experiment
id, the point's fingerprint and its coordinates. Then prints one row per point with the file's
metrics. Every point is validated before the database is opened.

Resumable: a point already stored as completed (same experiment, same fingerprint) is skipped,
so after Ctrl-C, a kill or a failed point the same command runs only what is missing. A point
whose scenario (fingerprint) another experiment in DB already completed is not run again either:
after an edit (a seed, an axis value or a policy added) that run is copied under this experiment.

options:
  --jobs N        worker threads (default: the physical cores). Cost-only points run back to
                  back in this process; trained points run up to N at a time, each with the
                  threads its scenario's training.threads asks for.
  --shard i/N     run only every N-th point from point i (0 <= i < N) into its own database;
                  merge the shards with collapipe merge. Default: SLURM_ARRAY_TASK_ID minus
                  SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT when those are set (a Slurm
                  job array), else the whole experiment.
  --db DB         run database (default: the app-data folder's runs.sqlite; with a shard,
                  FILE-stem.shard-i-of-N.sqlite in the current folder)
  --quiet         no progress output, only the summary
Ctrl-C stops: runs in progress stop after their round (stored as stopped), no new point starts.
exit codes: 0 every point completed, 1 a point failed or the experiment was stopped, 2 bad input
(file, shard, database; a database that refuses a run, e.g. locked by another writer past the
busy timeout, stops the experiment: no further point starts).
)";

/// Progress over all points' rounds (the same printer as `run`), failures as they happen.
class ExperimentProgress : public ExperimentObserver
{
public:
    ExperimentProgress(ProgressPrinter *progress, QTextStream &err)
        : m_progress(progress)
        , m_err(err)
    { }
    void roundFinished(const RoundRecord &record) override { m_progress->update(record); }
    void pointFinished(const ExperimentPoint &point, const PointOutcome &outcome) override
    {
        if (outcome.status != SessionStatus::Failed) {
            return; // completed, or stopped (the summary counts those)
        }
        m_err << "\npoint " << point.index;
        if (outcome.started) {
            m_err << " (run " << outcome.runId << ")";
        }
        m_err << " failed: " << escapeControlCharacters(outcome.message) << '\n';
    }
    void log(const QString &line) override { m_err << escapeControlCharacters(line) << '\n'; }

private:
    ProgressPrinter *m_progress;
    QTextStream &m_err;
};

/// One row per point of `points`: its newest stored run (completed preferred) and the metrics.
void printResults(RunStore *store, const ExperimentSpec &spec, const QString &id,
    const std::vector<ExperimentPoint> &points, QTextStream &out)
{
    constexpr std::size_t kMaxRows = 200;
    std::vector<RunInfo> runs;
    QString error;
    RunReader reader(store);
    if (!reader.listRuns(&runs, &error)) {
        out << escapeControlCharacters(error) << '\n';
        return;
    }
    QHash<QString, RunInfo> byPoint; // listRuns is newest first: keep the first, or a completed
    for (const RunInfo &run : runs) {
        if (run.point.experimentId != id) {
            continue;
        }
        const auto it = byPoint.find(run.point.fingerprint);
        if (it == byPoint.end()
            || (it->status != RunStatus::Completed && run.status == RunStatus::Completed)) {
            byPoint.insert(run.point.fingerprint, run);
        }
    }
    QStringList header{QStringLiteral("point"), QStringLiteral("setting"), QStringLiteral("policy"),
        QStringLiteral("seed"), QStringLiteral("status"), QStringLiteral("run")};
    for (const QString &m : spec.metrics) {
        const ExperimentMetric *metric = findExperimentMetric(m);
        header << (*metric->unit ? QStringLiteral("%1 [%2]").arg(m, QLatin1String(metric->unit))
                                 : m);
    }
    TextTable table(header);
    for (std::size_t i = 0; i < points.size() && i < kMaxRows; ++i) {
        const ExperimentPoint &p = points[i];
        QStringList row{QString::number(p.index), p.label(), p.policy(), QString::number(p.seed())};
        const auto it = byPoint.constFind(p.fingerprint);
        RunSummary summary;
        const bool has = it != byPoint.constEnd() && reader.summary(it->id, &summary, &error);
        row << (it == byPoint.constEnd() ? QStringLiteral("not run") : runStatusName(it->status))
            << (has ? QString::number(it->id) : QStringLiteral("—"));
        for (const QString &m : spec.metrics) {
            row << (has ? formatNumber(findExperimentMetric(m)->value(summary))
                        : QStringLiteral("—"));
        }
        table.addRow(row);
    }
    table.print(out);
    if (points.size() > kMaxRows) {
        out << "(" << points.size() - kMaxRows << " more points: collapipe runs --db "
            << escapeControlCharacters(store->path()) << ")\n";
    }
}

int printProblems(
    QTextStream &err, const QString &file, const std::vector<ExperimentProblem> &problems)
{
    err << "collapipe experiment: " << escapeControlCharacters(file) << ": " << problems.size()
        << (problems.size() == 1 ? " problem\n" : " problems\n");
    for (const ExperimentProblem &p : problems) {
        err << "  " << p.toString() << '\n';
    }
    return ExitBadInput;
}

int runExperiment(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    for (const char *name : {"jobs", "shard"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    parser.addOption(QCommandLineOption(QStringLiteral("quiet")));
    if (!parseArgs(&parser, QStringLiteral("experiment"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        err << "collapipe experiment: expected exactly one experiment FILE (see collapipe "
               "experiment --help)\n";
        return ExitBadInput;
    }
    const QString file = files.first();
    QString error;
    int jobs = resolveThreadCount(0);
    Shard shard;
    if ((parser.isSet(QStringLiteral("jobs"))
            && !parseInt(QStringLiteral("--jobs"), parser.value(QStringLiteral("jobs")), 1, 1024,
                &jobs, &error))
        || !resolveShard(parser.isSet(QStringLiteral("shard")),
            parser.value(QStringLiteral("shard")), &shard, &error)) {
        err << "collapipe experiment: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    ExperimentSpec spec;
    std::vector<ExperimentProblem> problems;
    std::vector<ExperimentPoint> all;
    {
        // Every point is built and validated before anything runs: say why nothing shows yet.
        // (Reading the file twice costs milliseconds; the points' check is what takes time.)
        ExperimentSpec quick;
        std::vector<ExperimentProblem> ignored;
        loadExperimentFile(file, &quick, &ignored);
        if (const std::size_t count = experimentPointCount(quick);
            count >= 10000 && count <= kMaxExperimentPoints) {
            err << "collapipe experiment: validating " << count << " points...\n";
            err.flush();
        }
    }
    if (!loadExperiment(file, &spec, &all, &problems)) {
        return printProblems(err, file, problems);
    }
    const QString id = experimentId(all);
    const std::vector<ExperimentPoint> mine
        = shard.isSharded() ? shardPoints(all, shard.index, shard.count) : all;
    // The first point's session (policy, dataset, model) before the database: bad input leaves
    // no database behind (as `run` does).
    if (!mine.empty()) {
        ExecuteOptions check;
        check.events = spec.events;
        if (!prepareSession(mine.front().scenario, check, &error)) {
            err << "collapipe experiment: point " << mine.front().index << ": "
                << escapeControlCharacters(error) << '\n';
            return ExitBadInput;
        }
    }
    QString db = parser.value(QStringLiteral("db"));
    if (db.isEmpty() && shard.isSharded()) {
        db = QStringLiteral("%1.shard-%2-of-%3.sqlite")
                 .arg(QFileInfo(file).completeBaseName())
                 .arg(shard.index)
                 .arg(shard.count);
    }
    std::unique_ptr<RunStore> store = openStore(db, &error);
    if (!store) {
        err << "collapipe experiment: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    if (store->recoveredRuns() > 0) {
        err << "collapipe experiment: marked " << store->recoveredRuns()
            << " run(s) interrupted (their writer process is gone)\n";
    }
    ExperimentRunOptions options;
    options.jobs = jobs;
    options.name = spec.name.isEmpty() ? QFileInfo(file).completeBaseName() : spec.name;
    options.experimentId = id;
    options.version = QCoreApplication::applicationVersion();
    options.storeEvents = spec.events;
    // Points done under this experiment are skipped; points whose scenario another experiment in
    // this database already ran (the file was edited) reuse that run instead of running again.
    ResumePlan plan;
    if (!planResume(store.get(), mine, options, &plan, &error)) {
        err << "collapipe experiment: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    const std::vector<ExperimentPoint> &pending = plan.pending;
    const std::size_t skipped = mine.size() - pending.size();
    std::int64_t rounds = 0;
    for (const ExperimentPoint &p : pending) {
        rounds += p.scenario.training.rounds;
    }
    out << "experiment: " << escapeControlCharacters(spec.name.isEmpty() ? file : spec.name)
        << " (id " << id << "), " << all.size() << " points";
    if (shard.isSharded()) {
        out << "; shard " << shard.index << "/" << shard.count << ": " << mine.size() << " points";
    }
    out << "; " << skipped << " already done";
    if (plan.reused > 0) {
        out << " (" << plan.reused << " reused from runs of the same scenario)";
    }
    out << ", " << pending.size() << " to run on "
        << std::min<std::size_t>(std::size_t(jobs), pending.size()) << " worker(s) -> "
        << escapeControlCharacters(store->path()) << '\n';
    out.flush();

    ProgressPrinter progress(out, int(std::min<std::int64_t>(rounds, INT_MAX)), stdoutIsTerminal(),
        !parser.isSet(QStringLiteral("quiet")));
    ExperimentProgress observer(&progress, err);
    RunControl control;
    RunControl::linkStopSignals(&control); // Ctrl-C: stop after the rounds in progress
    const ExperimentRunSummary summary
        = runExperimentPoints(store->path(), pending, options, &control, &observer);
    RunControl::linkStopSignals(nullptr);
    progress.finish();
    out << '\n';
    printResults(store.get(), spec, id, mine, out);
    out << summary.completed << " completed, " << summary.failed << " failed, " << summary.stopped
        << " stopped, " << skipped << " skipped (already done";
    if (plan.reused > 0) {
        out << ", " << plan.reused << " of them by reusing a run of the same scenario";
    }
    out << ")\n";
    if (!summary.storeError.isEmpty()) {
        err << "collapipe experiment: the database refused a run ("
            << escapeControlCharacters(summary.storeError) << "); " << summary.notStarted
            << " more point(s) not started\n";
    }
    if (summary.failed > 0 || summary.stopped > 0) {
        err << "collapipe experiment: " << (summary.failed + summary.stopped)
            << " point(s) not completed; run the same command again to resume\n";
        // A database that refuses runs is bad input, as for `collapipe run`.
        return summary.storeError.isEmpty() ? ExitRunFailed : ExitBadInput;
    }
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("experiment"),
    QStringLiteral("run an experiment file's points as stored runs (resumable, shardable)"),
    runExperiment);

} // namespace
} // namespace collapipe::cli::verb_experiment
