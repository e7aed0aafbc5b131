// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>

class QIODevice;

/// Export of one stored table of one run as CSV or JSON (issue [5/6] `collapipe export`).
/// Numbers are written in the shortest form that reads back to the same double, so an export
/// round-trips exactly; NULL ("not measured") is an empty CSV field or JSON null.
namespace collapipe {

class RunStore;

enum class ExportTable {
    Rounds,   ///< `rounds`: one row per round
    Clusters, ///< `cluster_rounds`: one row per round and cluster
    Devices,  ///< `device_rounds`: one row per round and device
    Events    ///< `events`: the timeline of every round
};

enum class ExportFormat {
    Csv,
    Json
};

/// "rounds", "clusters", "devices", "events".
QString exportTableName(ExportTable table);
bool parseExportTable(const QString &name, ExportTable *table);

/// Writes the table's rows of run `id` (without the run_id column) to `out`. CSV: a header line
/// then one line per row. JSON: {"run": {...}, "table": name, "columns": [...], "rows": [{...}]}.
/// Returns the number of rows; -1 with `error` naming the database, or kOutputFailed when a
/// write to `out` failed or was short (`error` gives the OS reason).
constexpr std::int64_t kOutputFailed = -2;
std::int64_t exportRun(RunStore *store, std::int64_t id, ExportTable table, ExportFormat format,
    QIODevice *out, QString *error);

} // namespace collapipe
