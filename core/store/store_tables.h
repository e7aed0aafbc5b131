// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"
#include "core/store/run_reader.h"
#include "core/store/sqlite_db.h"
#include "core/types/round_record.h"

#include <QByteArray>

#include <algorithm>
#include <cstdint>
#include <vector>

/// The run database's tables as data (issue [3/7] "the store by column tables"): each SQL table is
/// a list of columns, one line each (name, SQL definition, schema comment, the schema version that
/// added it, and how a row of the record binds / reads it). The schema's CREATE TABLE statements,
/// each migration's new columns, the writer's INSERTs and the readers' SELECTs are generated from
/// these lists, so adding a column is one line in store_tables.cpp. Private to core/store.
namespace collapipe {

/// Where a column's value goes.
enum class ColumnUse {
    ReadWrite, ///< in the INSERT and in the SELECT
    ReadOnly,  ///< only in the SELECT: filled by SQLite (AUTOINCREMENT id) or by a later UPDATE
    WriteOnly  ///< only in the INSERT: too large for every listing (runs.scenario_json)
};

/// One column of a table whose rows are `Row` values.
template <typename Row> struct StoreColumn
{
    const char *name;
    /// Type and constraints as they appear in CREATE TABLE ("REAL NOT NULL", "INTEGER").
    const char *definition;
    /// The schema comment (units, what NULL means); empty for none.
    const char *note;
    /// The schema version whose migration added the column (1: the initial schema).
    int sinceVersion;
    ColumnUse use;
    /// Binds the row's value of this column to parameter `index` (1-based).
    void (*bind)(SqliteStatement &statement, int index, const Row &row);
    /// Reads result column `column` (0-based) into the row.
    void (*read)(const SqliteStatement &statement, int column, Row *row);
};

/// One SQL table. A table that is `childOfRun` starts with `run_id` (a foreign key to runs(id),
/// ON DELETE CASCADE), bound from the writer's run id rather than from the row.
template <typename Row> struct StoreTable
{
    const char *name;
    bool childOfRun;
    std::vector<StoreColumn<Row>> columns;
    /// Table constraints after the columns ("PRIMARY KEY (run_id, round)"); empty for none.
    const char *constraints;
    /// After the closing parenthesis ("WITHOUT ROWID"); empty for none.
    const char *options;
    /// Statements run right after the CREATE TABLE (indexes); empty for none.
    const char *indexes;

    /// CREATE TABLE with the columns of schema versions up to `version`.
    QByteArray createSql(int version) const;
    /// ALTER TABLE … ADD COLUMN for each column `version` added (empty when none).
    QByteArray addColumnsSql(int version) const;
    /// INSERT INTO name (every written column, by name) VALUES (?1, …); with `rows` > 1 that
    /// many rows of `?` (row k's first parameter is k × insertedColumnCount() + 1).
    QByteArray insertSql(int rows = 1) const;
    /// Parameters of one row of insertSql() (run_id included for a child table).
    int insertedColumnCount() const;
    /// SELECT every read column, by name, FROM name `tail` (WHERE … ORDER BY …).
    QByteArray selectSql(const char *tail) const;
    /// The column names, in table order (run_id first for a child table).
    std::vector<QByteArray> columnNames() const;
    /// Binds every written column of `row` (and `runId` first for a child table) to insertSql(),
    /// from parameter `first` on (a later row of a multi-row insertSql()).
    void bindRow(
        SqliteStatement &statement, std::int64_t runId, const Row &row, int first = 1) const;
    /// Reads a row of selectSql() into `row` (run_id is not selected).
    void readRow(const SqliteStatement &statement, Row *row) const;
    /// The newest schema version of any column.
    int newestVersion() const;
};

// --- Building columns -------------------------------------------------------------------------

// How a C++ value is stored: NaN binds as NULL and NULL reads back as NaN (RoundRecord's "not
// measured"); a uint64 seed keeps its bits in an INTEGER; enums are stored by their key.
inline void bindValue(SqliteStatement &s, int i, double v)
{
    s.bind(i, v);
}
inline void bindValue(SqliteStatement &s, int i, int v)
{
    s.bind(i, v);
}
inline void bindValue(SqliteStatement &s, int i, std::int64_t v)
{
    s.bind(i, v);
}
inline void bindValue(SqliteStatement &s, int i, std::uint64_t v)
{
    s.bind(i, std::int64_t(v));
}
inline void bindValue(SqliteStatement &s, int i, bool v)
{
    s.bind(i, v ? 1 : 0);
}
inline void bindValue(SqliteStatement &s, int i, const QString &v)
{
    s.bind(i, v);
}
void bindValue(SqliteStatement &s, int i, RunStatus v);
void bindValue(SqliteStatement &s, int i, ResourceKind v);
void bindValue(SqliteStatement &s, int i, EventKind v);
void bindValue(SqliteStatement &s, int i, ScheduleKind v);
inline void readValue(const SqliteStatement &s, int c, double *v)
{
    *v = s.columnDouble(c);
}
inline void readValue(const SqliteStatement &s, int c, int *v)
{
    *v = s.columnInt(c);
}
inline void readValue(const SqliteStatement &s, int c, std::int64_t *v)
{
    *v = s.columnInt64(c);
}
inline void readValue(const SqliteStatement &s, int c, std::uint64_t *v)
{
    *v = std::uint64_t(s.columnInt64(c));
}
inline void readValue(const SqliteStatement &s, int c, bool *v)
{
    *v = s.columnInt(c) != 0;
}
inline void readValue(const SqliteStatement &s, int c, QString *v)
{
    *v = s.columnText(c);
}
void readValue(const SqliteStatement &s, int c, RunStatus *v);
void readValue(const SqliteStatement &s, int c, ResourceKind *v);
void readValue(const SqliteStatement &s, int c, EventKind *v);
/// A schedule is stored by its name (scheduleName()); an unknown name leaves `v` unchanged.
void readValue(const SqliteStatement &s, int c, ScheduleKind *v);

/// A column stored from and read into one field of the row. `Field` is a captureless lambda
/// returning a reference to the field for a const or a mutable row (STORE_FIELD below), so one
/// accessor serves the INSERT and the SELECT.
template <typename Row, typename Field>
StoreColumn<Row> storeColumn(const char *name, const char *definition, Field, const char *note = "",
    int sinceVersion = 1, ColumnUse use = ColumnUse::ReadWrite)
{
    return {name, definition, note, sinceVersion, use,
        [](SqliteStatement &s, int index, const Row &row) { bindValue(s, index, Field{}(row)); },
        [](const SqliteStatement &s, int column, Row *row) {
            readValue(s, column, &Field{}(*row));
        }};
}

/// The accessor of a row's field for storeColumn: STORE_FIELD(split.computeS).
#define STORE_FIELD(member)                                                                        \
    [](auto &row) -> auto &                                                                        \
    {                                                                                              \
        return row.member;                                                                         \
    }

// --- The generated SQL -----------------------------------------------------------------------

namespace detail {
inline constexpr const char *kRunIdColumn = "run_id";
inline constexpr const char *kRunIdDefinition
    = "INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE";

inline bool inserted(ColumnUse use)
{
    return use != ColumnUse::ReadOnly;
}
inline bool selected(ColumnUse use)
{
    return use != ColumnUse::WriteOnly;
}
} // namespace detail

template <typename Row> QByteArray StoreTable<Row>::createSql(int version) const
{
    // One definition per line, the comment after the comma, as sqlite_master keeps it.
    std::vector<QByteArray> lines;
    std::vector<QByteArray> notes;
    if (childOfRun) {
        lines.push_back(QByteArray(detail::kRunIdColumn) + ' ' + detail::kRunIdDefinition);
        notes.emplace_back();
    }
    for (const StoreColumn<Row> &c : columns) {
        if (c.sinceVersion <= version) {
            lines.push_back(QByteArray(c.name) + ' ' + c.definition);
            notes.emplace_back(c.note);
        }
    }
    if (constraints && *constraints) {
        lines.emplace_back(constraints);
        notes.emplace_back();
    }
    QByteArray sql = QByteArray("CREATE TABLE ") + name + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        sql += "    " + lines[i] + (i + 1 < lines.size() ? "," : "");
        if (!notes[i].isEmpty()) {
            sql += " -- " + notes[i];
        }
        sql += '\n';
    }
    sql += ')';
    if (options && *options) {
        sql += QByteArray(" ") + options;
    }
    sql += ";\n";
    if (indexes && *indexes) {
        sql += QByteArray(indexes) + '\n';
    }
    return sql;
}

template <typename Row> QByteArray StoreTable<Row>::addColumnsSql(int version) const
{
    QByteArray sql;
    for (const StoreColumn<Row> &c : columns) {
        if (c.sinceVersion == version) {
            sql += QByteArray("ALTER TABLE ") + name + " ADD COLUMN " + c.name + ' ' + c.definition
                + ';';
            if (c.note && *c.note) {
                sql += QByteArray(" -- ") + c.note;
            }
            sql += '\n';
        }
    }
    return sql;
}

template <typename Row> int StoreTable<Row>::insertedColumnCount() const
{
    int count = childOfRun ? 1 : 0;
    for (const StoreColumn<Row> &c : columns) {
        count += detail::inserted(c.use) ? 1 : 0;
    }
    return count;
}

template <typename Row> QByteArray StoreTable<Row>::insertSql(int rows) const
{
    QByteArray names;
    int index = 0;
    auto add = [&](const char *column) {
        names += (index ? ", " : "") + QByteArray(column);
        ++index;
    };
    if (childOfRun) {
        add(detail::kRunIdColumn);
    }
    for (const StoreColumn<Row> &c : columns) {
        if (detail::inserted(c.use)) {
            add(c.name);
        }
    }
    QByteArray values;
    if (rows == 1) {
        values = "(";
        for (int i = 0; i < index; ++i) {
            values += (i ? ", ?" : "?") + QByteArray::number(i + 1);
        }
        values += ')';
    } else {
        // Plain `?` numbers the parameters in order too; SQLite looks each `?NNN` up in a list
        // while it parses, which made a 64-row statement's prepare quadratic.
        QByteArray row = "(?";
        for (int i = 1; i < index; ++i) {
            row += ", ?";
        }
        row += ')';
        for (int r = 0; r < rows; ++r) {
            values += r ? ", " + row : row;
        }
    }
    return QByteArray("INSERT INTO ") + name + " (" + names + ") VALUES " + values;
}

template <typename Row> QByteArray StoreTable<Row>::selectSql(const char *tail) const
{
    QByteArray names;
    for (const StoreColumn<Row> &c : columns) {
        if (detail::selected(c.use)) {
            names += (names.isEmpty() ? "" : ", ") + QByteArray(c.name);
        }
    }
    return QByteArray("SELECT ") + names + " FROM " + name + ' ' + tail;
}

template <typename Row> std::vector<QByteArray> StoreTable<Row>::columnNames() const
{
    std::vector<QByteArray> names;
    if (childOfRun) {
        names.emplace_back(detail::kRunIdColumn);
    }
    for (const StoreColumn<Row> &c : columns) {
        names.emplace_back(c.name);
    }
    return names;
}

template <typename Row>
void StoreTable<Row>::bindRow(
    SqliteStatement &statement, std::int64_t runId, const Row &row, int first) const
{
    int index = first;
    if (childOfRun) {
        statement.bind(index++, runId);
    }
    for (const StoreColumn<Row> &c : columns) {
        if (detail::inserted(c.use)) {
            c.bind(statement, index++, row);
        }
    }
}

template <typename Row>
void StoreTable<Row>::readRow(const SqliteStatement &statement, Row *row) const
{
    int column = 0;
    for (const StoreColumn<Row> &c : columns) {
        if (detail::selected(c.use)) {
            c.read(statement, column++, row);
        }
    }
}

template <typename Row> int StoreTable<Row>::newestVersion() const
{
    int newest = 1;
    for (const StoreColumn<Row> &c : columns) {
        newest = std::max(newest, c.sinceVersion);
    }
    return newest;
}

// --- The tables --------------------------------------------------------------------------------

/// A row of `runs`: the run's description plus what RunInfo does not carry.
struct RunRow
{
    RunInfo info;
    QString scenarioJson;
    std::int64_t writerStart = 0; ///< writer_start: the writer's process start (clock ticks)
};

/// A row of `cluster_rounds`.
struct ClusterRoundRow
{
    int round = 0;
    ClusterRound cluster;
};

/// A row of `events`: the event and its place in the round's timeline.
struct EventRow
{
    int round = 0;
    int seq = 0;
    TimelineEvent event;
};

const StoreTable<RunRow> &runsTable();
const StoreTable<RoundRecord> &roundsTable();
const StoreTable<ClusterRoundRow> &clusterRoundsTable();
const StoreTable<DeviceRoundRow> &deviceRoundsTable();
const StoreTable<EventRow> &eventsTable();

/// The SQL that takes a database from schema version `version` − 1 to `version`: the tables
/// created in it, then the columns it added. `version` in 1 … storeTablesVersion().
QByteArray storeMigrationSql(int version);
/// The newest schema version any table describes.
int storeTablesVersion();

} // namespace collapipe
