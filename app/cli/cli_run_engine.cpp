// SPDX-License-Identifier: MIT
#include "cli_run_engine.h"

#include "cli_progress.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_writer.h"

#include <algorithm>

namespace collapipe::cli {

namespace {

/// Prints progress and log lines; the storing is StoredRun's.
class ProgressObserver : public SessionObserver
{
public:
    ProgressObserver(ProgressPrinter *progress, QTextStream &err)
        : m_progress(progress)
        , m_err(err)
    { }
    void roundFinished(const RoundRecord &record) override { m_progress->update(record); }
    void log(const QString &line) override { m_err << escapeControlCharacters(line) << '\n'; }

private:
    ProgressPrinter *m_progress;
    QTextStream &m_err;
};

} // namespace

std::unique_ptr<RunStore> openStore(const QString &dbArg, QString *error, bool writer)
{
    QString path = dbArg;
    if (path.isEmpty()) {
        path = RunStore::defaultPath(error);
        if (path.isEmpty()) {
            return nullptr;
        }
    }
    StoreOptions options;
    options.create = writer;
    options.readOnly = !writer;
    return RunStore::open(path, error, options);
}

std::unique_ptr<Session> prepareSession(
    const Scenario &scenario, const ExecuteOptions &options, QString *error)
{
    auto session = std::make_unique<Session>();
    SessionOptions sessionOptions;
    sessionOptions.recordEvents = options.events;
    if (!session->init(scenario, error, sessionOptions)) {
        return nullptr;
    }
    return session;
}

ExecuteResult executeRun(
    RunStore *store, const Scenario &scenario, const ExecuteOptions &options, QTextStream &out)
{
    ExecuteResult result;
    std::unique_ptr<Session> session = prepareSession(scenario, options, &result.message);
    if (!session) {
        return result;
    }
    return executeRun(store, session.get(), options, out);
}

ExecuteResult executeRun(
    RunStore *store, Session *sessionPtr, const ExecuteOptions &options, QTextStream &out)
{
    ExecuteResult result;
    QTextStream err(stderr);
    Session &session = *sessionPtr;
    RunControl control;
    // Ctrl-C / SIGTERM stop after the round (or micro-batch) in progress; committed rounds stay.
    RunControl::linkStopSignals(&control);
    StoredRun run(&session, store, &control);
    StoredRunOptions runOptions;
    runOptions.name = options.name;
    runOptions.version = options.version;
    runOptions.storeEvents = options.events;
    if (!run.begin(runOptions, &result.message)) {
        RunControl::linkStopSignals(nullptr);
        return result;
    }
    result.started = true;
    result.runId = run.runId();
    ProgressPrinter progress(
        out, session.scenario().training.rounds, stdoutIsTerminal(), options.progress);
    ProgressObserver observer(&progress, err);
    session.setObserver(&observer);
    result.status = run.runRounds();
    RunControl::linkStopSignals(nullptr);
    session.setObserver(nullptr);
    progress.finish();
    result.rounds = session.roundsDone();
    result.message = run.message();
    return result;
}

int exitCodeFor(const ExecuteResult &result)
{
    if (!result.started) {
        return ExitBadInput;
    }
    return result.status == SessionStatus::Completed ? ExitOk : ExitRunFailed;
}

void printChurnSummary(
    RunReader *reader, std::int64_t id, const RunSummary &summary, QTextStream &out)
{
    if (summary.satOutClusterRounds == 0 && summary.lateClusterRounds == 0) {
        return;
    }
    out << "  left out          " << summary.satOutClusterRounds << " cluster-round(s) sat out, "
        << summary.lateClusterRounds << " missed the deadline";
    if (summary.roundsWithoutAggregation > 0) {
        out << "; " << summary.roundsWithoutAggregation
            << " round(s) aggregated no cluster (model unchanged)";
    }
    out << '\n';
    std::vector<SatOutSpan> spans;
    QString error;
    if (!reader->satOuts(id, &spans, &error)) {
        out << "  sat out           " << escapeControlCharacters(error) << '\n';
        return;
    }
    const std::size_t shown = std::min<std::size_t>(spans.size(), 5);
    for (std::size_t i = 0; i < shown; ++i) {
        const SatOutSpan &s = spans[i];
        const QString reason = s.reason.isEmpty() ? QStringLiteral("(no reason stored)")
                                                  : s.reason.section(QLatin1Char('\n'), 0, 0);
        out << "  sat out           cluster " << s.cluster << ", " << s.rounds << " round(s) in "
            << s.firstRound << "-" << s.lastRound << ": " << escapeControlCharacters(reason)
            << '\n';
    }
    if (spans.size() > shown) {
        out << "  sat out           ... " << (spans.size() - shown) << " more cluster/reason(s)\n";
    }
}

void printRunSummary(RunStore *store, const ExecuteResult &result, QTextStream &out)
{
    // Nothing below reads the device rows' aggregates: skipping them is ~2/3 of the summary's
    // CPU (16 device rows a default.json round).
    RunReader reader(store);
    RunInfo info;
    RunSummary summary;
    QString error;
    if (!reader.run(result.runId, &info, &error)
        || !reader.summary(result.runId, &summary, &error, /*deviceAggregates=*/false)) {
        out << "run " << result.runId << ": " << escapeControlCharacters(error) << '\n';
        return;
    }
    out << "run " << info.id << " " << runStatusName(info.status);
    if (!info.message.isEmpty()) {
        out << ": " << escapeControlCharacters(info.message);
    }
    out << '\n';
    out << "  rounds            " << summary.rounds << " of " << info.roundsPlanned << '\n';
    out << "  policy / seed     " << escapeControlCharacters(info.policy) << " / " << info.seed
        << (info.train ? "  (trained)" : "  (cost model only)") << '\n';
    out << "  mean latency      " << formatNumber(summary.meanLatencyS) << " s per round\n";
    out << "  simulated time    " << formatNumber(summary.simTimeS) << " s\n";
    out << "  energy            " << formatNumber(summary.totalEnergyJ) << " J total, "
        << formatNumber(summary.meanEnergyJ) << " J per round\n";
    out << "  mean bubble       " << formatNumber(summary.meanBubbleFraction) << '\n';
    if (info.train) {
        out << "  final loss        " << formatNumber(summary.finalLoss) << '\n';
        out << "  final accuracy    " << formatNumber(summary.finalAccuracy) << '\n';
    }
    printChurnSummary(&reader, info.id, summary, out);
    const QString db = escapeControlCharacters(store->path());
    out << "  database          " << db << '\n';
    out << "  next              collapipe show " << info.id << " --db " << db << '\n';
}

} // namespace collapipe::cli
