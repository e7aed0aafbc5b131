// SPDX-License-Identifier: MIT
#include "cli_run_engine.h"

#include "cli_progress.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "core/store/run_reader.h"
#include "core/store/run_writer.h"

#include <atomic>
#include <csignal>

namespace collapipe::cli {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop.store(true);
}

/// Prints progress and stores each round; a store failure stops the run (it cannot be kept).
class StoringObserver : public SessionObserver
{
public:
    StoringObserver(RunWriter *writer, ProgressPrinter *progress, QTextStream &err)
        : m_writer(writer)
        , m_progress(progress)
        , m_err(err)
    { }
    void roundFinished(const RoundRecord &record) override
    {
        QString error;
        if (m_storeError.isEmpty() && !m_writer->appendRound(record, &error)) {
            m_storeError = error;
        }
        m_progress->update(record);
    }
    void log(const QString &line) override { m_err << escapeControlCharacters(line) << '\n'; }
    void runFinished(SessionStatus status, const QString &message) override
    {
        Q_UNUSED(status);
        m_message = message;
    }
    bool cancelRequested() const override { return g_stop.load() || !m_storeError.isEmpty(); }
    const QString &storeError() const { return m_storeError; }
    const QString &message() const { return m_message; }

private:
    RunWriter *m_writer;
    ProgressPrinter *m_progress;
    QTextStream &m_err;
    QString m_storeError;
    QString m_message;
};

} // namespace

void installStopSignals()
{
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
}

bool stopSignalled()
{
    return g_stop.load();
}

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
    const Scenario &scenario = session.scenario();
    CommitPolicy commit;
    commit.storeEvents = options.events;
    RunWriter writer(store, commit);
    RunMeta meta;
    meta.name = options.name;
    meta.scenarioName = scenario.name;
    meta.scenarioJson = QString::fromUtf8(scenarioToJson(scenario));
    meta.policy = scenario.optimizer.policy;
    meta.seed = scenario.training.seed;
    meta.train = scenario.training.train;
    meta.roundsPlanned = scenario.training.rounds;
    meta.version = options.version;
    if (!writer.beginRun(meta, &result.runId, &result.message)) {
        // Nothing of this command was stored: a database it just created goes too ([2/7] 14).
        store->discardIfCreatedEmpty();
        return result;
    }
    result.started = true;
    ProgressPrinter progress(out, scenario.training.rounds, stdoutIsTerminal(), options.progress);
    StoringObserver observer(&writer, &progress, err);
    session.setObserver(&observer);
    result.status = session.run();
    progress.finish();
    result.rounds = session.roundsDone();
    result.message = observer.message();
    if (!observer.storeError().isEmpty()) {
        result.status = SessionStatus::Failed;
        result.message = observer.storeError();
    } else if (result.status == SessionStatus::Stopped && g_stop.load()) {
        result.message = QStringLiteral("stopped by a signal after %1 of %2 rounds")
                             .arg(result.rounds)
                             .arg(scenario.training.rounds);
    }
    QString finishError;
    if (!writer.finish(runStatusFor(result.status), result.message, &finishError)) {
        // Rounds could not be stored: the run is failed, stored as such with the reason (which
        // already contains result.message); the caller prints it once.
        result.status = SessionStatus::Failed;
        result.message = finishError;
    }
    return result;
}

int exitCodeFor(const ExecuteResult &result)
{
    if (!result.started) {
        return ExitBadInput;
    }
    return result.status == SessionStatus::Completed ? ExitOk : ExitRunFailed;
}

void printRunSummary(RunStore *store, const ExecuteResult &result, QTextStream &out)
{
    RunReader reader(store);
    RunInfo info;
    RunSummary summary;
    QString error;
    if (!reader.run(result.runId, &info, &error)
        || !reader.summary(result.runId, &summary, &error)) {
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
    const QString db = escapeControlCharacters(store->path());
    out << "  database          " << db << '\n';
    out << "  next              collapipe show " << info.id << " --db " << db << '\n';
}

} // namespace collapipe::cli
