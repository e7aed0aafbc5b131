// SPDX-License-Identifier: MIT
#include "ui/runs/store_loader.h"

#include "core/experiment/experiment_stored_points.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QThread>

namespace collapipe {

namespace {

/// Readers never create, migrate, recover or write (StoreOptions::readOnly). `check`: the whole-
/// file quick_check, for the one-off opens (replay, compare), not for every listing or round.
std::unique_ptr<RunStore> openForReading(const QString &dbPath, bool check, QString *error)
{
    StoreOptions options;
    options.readOnly = true;
    options.create = false;
    options.recoverInterrupted = false;
    options.checkOnOpen = check;
    return RunStore::open(dbPath, error, options);
}

/// "GPipe" / "1F1B" as the run panel names them, from the stored scenario JSON.
QString scheduleOf(const QString &json)
{
    const QString key = QJsonDocument::fromJson(json.toUtf8())
                            .object()
                            .value(QLatin1String("optimizer"))
                            .toObject()
                            .value(QLatin1String("schedule"))
                            .toString();
    if (key == QLatin1String("gpipe")) {
        return QStringLiteral("GPipe");
    }
    return key == QLatin1String("1f1b") ? QStringLiteral("1F1B") : key;
}

} // namespace

ExperimentPointsData readExperimentPoints(const QString &dbPath, const QString &experimentId)
{
    ExperimentPointsData out;
    out.experimentId = experimentId;
    auto store = openForReading(dbPath, false, &out.error);
    if (store && loadStoredPoints(store.get(), experimentId, &out.points, &out.error)) {
        out.ok = true;
    }
    return out;
}

RunsListing readRunsListing(const QString &dbPath)
{
    RunsListing out;
    auto store = openForReading(dbPath, false, &out.error);
    if (!store) {
        return out;
    }
    RunReader reader(store.get());
    std::vector<RunInfo> runs;
    if (!reader.listRuns(&runs, &out.error)) {
        return out;
    }
    for (const RunInfo &info : runs) {
        RunListEntry entry{info, {}, {}};
        QString json;
        if (!reader.summary(info.id, &entry.summary, &out.error)
            || !reader.scenarioJson(info.id, &json, &out.error)) {
            return out;
        }
        entry.schedule = scheduleOf(json);
        out.runs.push_back(std::move(entry));
    }
    out.ok = true;
    return out;
}

ReplayData readReplay(const QString &dbPath, qint64 runId)
{
    ReplayData out;
    out.runId = runId;
    auto store = openForReading(dbPath, true, &out.error);
    if (!store) {
        return out;
    }
    RunReader reader(store.get());
    out.ok = reader.run(runId, &out.info, &out.error)
        && reader.rounds(
            runId, &out.rounds, &out.error, collapipe::RoundClusters | collapipe::RoundDevices)
        && reader.scenarioJson(runId, &out.scenarioJson, &out.error);
    return out;
}

ReplayEvents readRoundEvents(const QString &dbPath, qint64 runId, int round)
{
    ReplayEvents out;
    out.runId = runId;
    out.round = round;
    auto store = openForReading(dbPath, false, &out.error);
    out.ok = store && RunReader(store.get()).events(runId, round, &out.events, &out.error);
    return out;
}

CompareData readComparison(
    const QString &dbPath, const QList<qint64> &runIds, const CompareOptions &options)
{
    CompareData out;
    auto store = openForReading(dbPath, true, &out.error);
    if (!store) {
        return out;
    }
    const std::vector<std::int64_t> ids(runIds.begin(), runIds.end());
    if (!compareRuns(store.get(), ids, &out.comparison, &out.error, options)) {
        return out;
    }
    RunReader reader(store.get());
    out.rounds.resize(ids.size());
    for (std::size_t r = 0; r < ids.size(); ++r) {
        if (!reader.rounds(ids[r], &out.rounds[r], &out.error)) {
            return out;
        }
    }
    out.ok = true;
    return out;
}

StoreLoader::StoreLoader(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new QObject)
{
    m_thread->setObjectName(QStringLiteral("store reader"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

StoreLoader::~StoreLoader()
{
    m_thread->quit();
    m_thread->wait();
    // The thread has ended: nothing runs on the worker any more, and its undelivered requests
    // go with it (a deleteLater would never run without the thread's event loop).
    delete m_worker;
}

StoreLoader *StoreLoader::instance()
{
    // Parented to the application: stopped before QCoreApplication goes away.
    static QPointer<StoreLoader> loader;
    if (!loader) {
        loader = new StoreLoader(QCoreApplication::instance());
    }
    return loader;
}

template <typename Result>
void StoreLoader::post(
    QObject *context, std::function<Result()> work, std::function<void(Result)> done)
{
    ++m_pending;
    QPointer<QObject> receiver(context);
    QMetaObject::invokeMethod(
        m_worker,
        [this, receiver, work = std::move(work), done = std::move(done)]() mutable {
            Result result = work();
            // Back on the loader's thread: deliver unless the requester is gone meanwhile.
            QMetaObject::invokeMethod(
                this,
                [this, receiver, result = std::move(result), done = std::move(done)]() mutable {
                    --m_pending;
                    if (receiver) {
                        done(std::move(result));
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void StoreLoader::loadExperimentPoints(const QString &dbPath, const QString &experimentId,
    QObject *context, std::function<void(ExperimentPointsData)> done)
{
    post<ExperimentPointsData>(
        context, [dbPath, experimentId] { return readExperimentPoints(dbPath, experimentId); },
        std::move(done));
}

void StoreLoader::listRuns(
    const QString &dbPath, QObject *context, std::function<void(RunsListing)> done)
{
    post<RunsListing>(
        context, [dbPath] { return readRunsListing(dbPath); }, std::move(done));
}

void StoreLoader::loadReplay(
    const QString &dbPath, qint64 runId, QObject *context, std::function<void(ReplayData)> done)
{
    post<ReplayData>(
        context, [dbPath, runId] { return readReplay(dbPath, runId); }, std::move(done));
}

void StoreLoader::loadEvents(const QString &dbPath, qint64 runId, int round, QObject *context,
    std::function<void(ReplayEvents)> done)
{
    post<ReplayEvents>(
        context, [dbPath, runId, round] { return readRoundEvents(dbPath, runId, round); },
        std::move(done));
}

void StoreLoader::loadComparison(const QString &dbPath, const QList<qint64> &runIds,
    const CompareOptions &options, QObject *context, std::function<void(CompareData)> done)
{
    post<CompareData>(
        context, [dbPath, runIds, options] { return readComparison(dbPath, runIds, options); },
        std::move(done));
}

void StoreLoader::renameRun(const QString &dbPath, qint64 runId, const QString &name,
    QObject *context, std::function<void(StoreReadStatus)> done)
{
    post<StoreReadStatus>(
        context,
        [dbPath, runId, name] {
            StoreReadStatus out;
            StoreOptions options;
            options.create = false;
            auto store = RunStore::open(dbPath, &out.error, options);
            out.ok = store && store->renameRun(runId, name, &out.error);
            return out;
        },
        std::move(done));
}

void StoreLoader::deleteRun(const QString &dbPath, qint64 runId, QObject *context,
    std::function<void(StoreReadStatus)> done)
{
    post<StoreReadStatus>(
        context,
        [dbPath, runId] {
            StoreReadStatus out;
            StoreOptions options;
            options.create = false;
            auto store = RunStore::open(dbPath, &out.error, options);
            out.ok = store && store->deleteRun(runId, &out.error);
            return out;
        },
        std::move(done));
}

} // namespace collapipe
