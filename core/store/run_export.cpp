// SPDX-License-Identifier: MIT
#include "core/store/run_export.h"

#include "core/store/csv_field.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cerrno>
#include <cstring>
#include <sqlite3.h>

namespace collapipe {

namespace {

struct TableSql
{
    ExportTable table;
    const char *name;
    const char *sql;
};

constexpr TableSql kTables[] = {
    {ExportTable::Rounds, "rounds", "SELECT * FROM rounds WHERE run_id = ?1 ORDER BY round"},
    {ExportTable::Clusters, "clusters",
        "SELECT * FROM cluster_rounds WHERE run_id = ?1 ORDER BY round, cluster"},
    {ExportTable::Devices, "devices",
        "SELECT * FROM device_rounds WHERE run_id = ?1 ORDER BY round, cluster, device"},
    {ExportTable::Events, "events", "SELECT * FROM events WHERE run_id = ?1 ORDER BY round, seq"},
};

const TableSql &tableSql(ExportTable table)
{
    for (const TableSql &t : kTables) {
        if (t.table == table) {
            return t;
        }
    }
    return kTables[0];
}

QByteArray csvCell(const SqliteStatement &q, int column)
{
    switch (q.columnType(column)) {
    case SQLITE_NULL:
        return {};
    case SQLITE_INTEGER:
        return QByteArray::number(qlonglong(q.columnInt64(column)));
    case SQLITE_FLOAT:
        // Shortest representation that parses back to the identical double.
        return QByteArray::number(q.columnDouble(column), 'g', QLocale::FloatingPointShortest);
    default:
        return csvField(q.columnText(column).toUtf8());
    }
}

// A short write is an error as much as a failed one: a truncated export must never look done.
bool writeAll(QIODevice *out, const QByteArray &bytes, QString *error)
{
    errno = 0;
    if (out->write(bytes) == bytes.size()) {
        return true;
    }
    const int osError = errno; // QFileDevice may say only "Unknown error"
    QString reason = out->errorString();
    if (osError != 0 && (reason.isEmpty() || reason == QLatin1String("Unknown error"))) {
        reason = QString::fromLocal8Bit(std::strerror(osError));
    }
    *error = QStringLiteral("cannot write the export: %1").arg(reason);
    return false;
}

QJsonValue jsonField(const SqliteStatement &q, int column)
{
    switch (q.columnType(column)) {
    case SQLITE_NULL:
        return QJsonValue::Null;
    case SQLITE_INTEGER:
        return QJsonValue(qint64(q.columnInt64(column)));
    case SQLITE_FLOAT:
        return QJsonValue(q.columnDouble(column));
    default:
        return QJsonValue(q.columnText(column));
    }
}

QJsonObject runObject(const RunInfo &info)
{
    return QJsonObject{
        {QStringLiteral("id"), qint64(info.id)},
        {QStringLiteral("name"), info.name},
        {QStringLiteral("created"), info.created},
        {QStringLiteral("scenario"), info.scenarioName},
        {QStringLiteral("policy"), info.policy},
        {QStringLiteral("seed"), QString::number(info.seed)}, // uint64: text avoids double loss
        {QStringLiteral("train"), info.train},
        {QStringLiteral("status"), runStatusName(info.status)},
        {QStringLiteral("message"), info.message},
        {QStringLiteral("rounds_planned"), info.roundsPlanned},
        {QStringLiteral("rounds_done"), info.roundsDone},
    };
}

} // namespace

QString exportTableName(ExportTable table)
{
    return QLatin1String(tableSql(table).name);
}

bool parseExportTable(const QString &name, ExportTable *table)
{
    for (const TableSql &t : kTables) {
        if (name == QLatin1String(t.name)) {
            *table = t.table;
            return true;
        }
    }
    return false;
}

std::int64_t exportRun(RunStore *store, std::int64_t id, ExportTable table, ExportFormat format,
    QIODevice *out, QString *error)
{
    RunReader reader(store);
    RunInfo info;
    if (!reader.run(id, &info, error)) {
        return -1;
    }
    SqliteStatement q;
    if (!q.prepare(store->db(), tableSql(table).sql, error)) {
        return -1;
    }
    q.bind(1, id);
    const int columns = q.columnCount();
    QStringList names;
    int clusterColumn = -1;
    for (int c = 1; c < columns; ++c) { // column 0 is run_id
        names << q.columnName(c);
        clusterColumn = names.last() == QLatin1String("cluster") ? c : clusterColumn;
    }
    // The tables store a cluster's index; people know it by the id the canvas shows (issue
    // [1/7] #7). The run's stored scenario maps one to the other: a cluster_id column follows
    // cluster (empty when the stored scenario has no such cluster).
    QStringList clusterIds;
    if (clusterColumn > 0) {
        QString json;
        if (!reader.scenarioJson(id, &json, error)) {
            return -1;
        }
        const QJsonArray clusters = QJsonDocument::fromJson(json.toUtf8())
                                        .object()
                                        .value(QLatin1String("topology"))
                                        .toObject()
                                        .value(QLatin1String("clusters"))
                                        .toArray();
        for (const QJsonValue &cluster : clusters) {
            clusterIds << cluster.toObject().value(QLatin1String("id")).toString();
        }
        names.insert(clusterColumn, QStringLiteral("cluster_id"));
    }
    const auto clusterIdOf = [&](const SqliteStatement &row) {
        return clusterIds.value(row.columnInt(clusterColumn));
    };
    std::int64_t rows = 0;
    QJsonArray jsonRows;
    if (format == ExportFormat::Csv) {
        QStringList header;
        for (const QString &name : names) {
            header << csvField(name);
        }
        if (!writeAll(out, header.join(QLatin1Char(',')).toUtf8() + '\n', error)) {
            return kOutputFailed;
        }
    }
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
        if (format == ExportFormat::Csv) {
            QByteArray line;
            for (int c = 1; c < columns; ++c) {
                if (c > 1) {
                    line += ',';
                }
                line += csvCell(q, c);
                if (c == clusterColumn) {
                    line += ',' + csvField(clusterIdOf(q).toUtf8());
                }
            }
            line += '\n';
            if (!writeAll(out, line, error)) {
                return kOutputFailed;
            }
        } else {
            QJsonObject row;
            for (int c = 1; c < columns; ++c) {
                row.insert(q.columnName(c), jsonField(q, c));
            }
            if (clusterColumn > 0) {
                row.insert(QStringLiteral("cluster_id"), clusterIdOf(q));
            }
            jsonRows.append(row);
        }
        ++rows;
    }
    if (rc != SQLITE_DONE) {
        *error = store->db().describe(
            QStringLiteral("exporting %1 of run %2").arg(exportTableName(table)).arg(id), rc);
        return -1;
    }
    if (format == ExportFormat::Json) {
        const QJsonObject doc{
            {QStringLiteral("run"), runObject(info)},
            {QStringLiteral("table"), exportTableName(table)},
            {QStringLiteral("columns"), QJsonArray::fromStringList(names)},
            {QStringLiteral("rows"), jsonRows},
        };
        if (!writeAll(out, QJsonDocument(doc).toJson(QJsonDocument::Indented), error)) {
            return kOutputFailed;
        }
    }
    return rows;
}

} // namespace collapipe
