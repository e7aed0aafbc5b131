// SPDX-License-Identifier: MIT
// libFuzzer harness: a (mutated) run database file opened the way the CLI's reading verbs open
// it, then read through every reader entry point: list the runs, read each (info, scenario,
// rounds with clusters/devices/events, device rows, timelines, summary), compare two, export each
// table as CSV and JSON, integrity check. Errors are fine; a crash, a sanitizer report or a hang
// is not. The input is written to a private copy first, so nothing outside it is touched.
#include "core/store/run_compare.h"
#include "core/store/run_export.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "tests/fuzz/fuzz_check.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace collapipe;

namespace {

/// Reads run `id` every way the CLI and the Studio do; results are discarded.
void readRun(RunStore *store, std::int64_t id)
{
    RunReader reader(store);
    QString error;
    RunInfo info;
    reader.run(id, &info, &error);
    QString json;
    reader.scenarioJson(id, &json, &error);
    std::vector<RoundRecord> rounds;
    reader.rounds(id, &rounds, &error, RoundEverything);
    std::vector<DeviceRoundRow> rows;
    reader.deviceRounds(id, &rows, &error);
    for (int round = 0; round < 3; ++round) {
        std::vector<TimelineEvent> events;
        reader.events(id, round, &events, &error);
    }
    RunSummary summary;
    reader.summary(id, &summary, &error);
    for (ExportTable table :
        {ExportTable::Rounds, ExportTable::Clusters, ExportTable::Devices, ExportTable::Events}) {
        for (ExportFormat format : {ExportFormat::Csv, ExportFormat::Json}) {
            QBuffer out;
            out.open(QIODevice::WriteOnly);
            exportRun(store, id, table, format, &out, &error);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fuzz.sqlite"));
    for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
        QFile::remove(path + QLatin1String(suffix));
    }
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly)
            || file.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size)) {
            fuzz::fail("cannot write the input copy", path.toUtf8());
        }
    }
    QString error;
    StoreOptions options;
    options.create = false; // as the reading verbs (show, runs, export, compare) open it
    options.busyTimeoutMs = 0;
    std::unique_ptr<RunStore> store = RunStore::open(path, &error, options);
    if (!store) {
        if (error.isEmpty()) {
            fuzz::fail("RunStore::open failed without an error message");
        }
        return 0;
    }
    std::vector<RunInfo> runs;
    if (RunReader(store.get()).listRuns(&runs, &error)) {
        std::vector<std::int64_t> ids;
        for (const RunInfo &run : runs) {
            if (ids.size() < 3) {
                ids.push_back(run.id);
                readRun(store.get(), run.id);
            }
        }
        if (ids.size() >= 2) {
            RunComparison comparison;
            compareRuns(store.get(), ids, &comparison, &error);
        }
    }
    readRun(store.get(), 1); // also by a guessed id, as `collapipe show 1` does
    QString report;
    store->integrityCheck(&report, &error);
    return 0;
}
