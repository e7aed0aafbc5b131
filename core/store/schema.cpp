// SPDX-License-Identifier: MIT
// The run database's version and migrations. The tables themselves are column lists in
// store_tables.cpp (units, NULL meanings, the version that added each column); child tables
// reference runs(id) with ON DELETE CASCADE so deleting a run removes everything it wrote.
#include "core/store/schema.h"

#include "core/store/sqlite_db.h"
#include "core/store/store_tables.h"

#include <QSet>
#include <QStringList>

#include <algorithm>
#include <sqlite3.h>

namespace collapipe {

namespace {

bool readUserVersion(SqliteDb &db, int *version, QString *error)
{
    SqliteStatement query;
    if (!query.prepare(db, "PRAGMA user_version", error)) {
        return false;
    }
    const int rc = query.step();
    if (rc != SQLITE_ROW) {
        *error = db.describe(QStringLiteral("reading the schema version"), rc);
        return false;
    }
    *version = query.columnInt(0);
    return true;
}

QStringList listTables(SqliteDb &db, QString *error, bool *ok)
{
    SqliteStatement query;
    QStringList tables;
    *ok = false;
    if (!query.prepare(db,
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
            error)) {
        return tables;
    }
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        tables << query.columnText(0);
    }
    if (rc != SQLITE_DONE) {
        *error = db.describe(QStringLiteral("listing tables"), rc);
        return tables;
    }
    *ok = true;
    return tables;
}

QString notOurs(SqliteDb &db, int version, const QStringList &tables, const QString &detail = {})
{
    return QStringLiteral("%1: a SQLite database but not a CollaPipe run store (user_version %2, "
                          "%3%4); it is left unchanged")
        .arg(db.path())
        .arg(version)
        .arg(tables.isEmpty() ? QStringLiteral("no tables")
                              : QStringLiteral("tables: ") + tables.join(QStringLiteral(", ")))
        .arg(detail.isEmpty() ? QString() : QStringLiteral("; ") + detail);
}

// A SQLite file with tables but no version is someone else's database: never write into it.
bool checkForeignTables(SqliteDb &db, int version, QString *error)
{
    bool ok = false;
    const QStringList tables = listTables(db, error, &ok);
    if (!ok) {
        return false;
    }
    if (!tables.isEmpty()) {
        *error = notOurs(db, version, tables);
        return false;
    }
    return true;
}

// The columns `table` has in this file; empty when it has no such table.
QSet<QString> fileColumns(SqliteDb &db, const char *table, QString *error, bool *ok)
{
    SqliteStatement query;
    QSet<QString> columns;
    *ok = false;
    if (!query.prepare(db, "SELECT name FROM pragma_table_info(?1)", error)) {
        return columns;
    }
    query.bindStatic(1, table);
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        columns.insert(query.columnText(0));
    }
    if (rc != SQLITE_DONE) {
        *error = db.describe(
            QStringLiteral("reading the columns of %1").arg(QLatin1String(table)), rc);
        return columns;
    }
    *ok = true;
    return columns;
}

// Another program's SQLite file may carry any user_version (many set one): a version we know
// is ours only when the file has every table and column that version of our schema has.
// Otherwise a writer would switch the file to WAL and try to migrate someone else's tables.
bool checkSchemaShape(SqliteDb &db, int version, QString *error)
{
    QStringList missing;
    bool ok = true;
    const auto check = [&](const auto &table) {
        if (!ok) {
            return;
        }
        const QSet<QString> columns = fileColumns(db, table.name, error, &ok);
        if (!ok) {
            return;
        }
        if (columns.isEmpty()) {
            missing << QStringLiteral("table %1").arg(QLatin1String(table.name));
            return;
        }
        for (const auto &column : table.columns) {
            if (column.sinceVersion <= version && !columns.contains(QLatin1String(column.name))) {
                missing << QStringLiteral("%1.%2").arg(
                    QLatin1String(table.name), QLatin1String(column.name));
            }
        }
        if (table.childOfRun && !columns.contains(QLatin1String(detail::kRunIdColumn))) {
            missing << QStringLiteral("%1.run_id").arg(QLatin1String(table.name));
        }
    };
    check(runsTable());
    check(roundsTable());
    check(clusterRoundsTable());
    check(deviceRoundsTable());
    check(eventsTable());
    if (!ok) {
        return false;
    }
    if (missing.isEmpty()) {
        return true;
    }
    const QStringList tables = listTables(db, error, &ok);
    if (!ok) {
        return false;
    }
    constexpr int kShown = 4;
    QString detail = QStringLiteral("missing ") + missing.mid(0, kShown).join(QStringLiteral(", "));
    if (missing.size() > kShown) {
        detail += QStringLiteral(" and %1 more").arg(missing.size() - kShown);
    }
    *error = notOurs(db, version, tables, detail);
    return false;
}

} // namespace

int storeSchemaVersion()
{
    return storeTablesVersion();
}

bool inspectStore(SqliteDb &db, int *version, QString *error)
{
    if (!readUserVersion(db, version, error)) {
        return false;
    }
    const int newest = storeSchemaVersion();
    if (*version > newest) {
        *error = QStringLiteral("%1: written by a newer CollaPipe (schema version %2, this build "
                                "reads up to %3)")
                     .arg(db.path())
                     .arg(*version)
                     .arg(newest);
        return false;
    }
    if (*version < 0) {
        bool ok = false;
        const QStringList tables = listTables(db, error, &ok);
        if (ok) {
            *error = notOurs(db, *version, tables);
        }
        return false;
    }
    return *version > 0 ? checkSchemaShape(db, *version, error) : checkForeignTables(db, 0, error);
}

bool migrateStore(SqliteDb &db, QString *error, int targetVersion)
{
    const int newest = storeSchemaVersion();
    const int target = targetVersion < 0 ? newest : std::min(targetVersion, newest);
    int version = 0;
    if (!inspectStore(db, &version, error)) {
        return false;
    }
    // A failed step names what it was doing (a full disk shows at COMMIT, which says nothing).
    const bool creating = version == 0;
    const auto failedStep = [&](int toVersion) {
        *error = db.describe(creating
                ? QStringLiteral("creating the database (schema version %1)").arg(toVersion)
                : QStringLiteral("upgrading the database to schema version %1").arg(toVersion),
            db.lastCode());
    };
    while (version < target) {
        // IMMEDIATE takes the write lock first, so two processes creating the same file at once
        // serialise here, and the second sees the first one's version.
        if (!db.exec("BEGIN IMMEDIATE", error)) {
            return false;
        }
        int current = 0;
        bool ok = readUserVersion(db, &current, error);
        if (ok && current == 0) {
            ok = checkForeignTables(db, current, error);
        }
        if (ok && current == version) {
            const QByteArray bump
                = QByteArray("PRAGMA user_version = ") + QByteArray::number(version + 1);
            // Generated from the column tables: version 1 creates them, each later version
            // adds the columns whose `since` it is. Old files follow one step at a time.
            const QByteArray migration = storeMigrationSql(version + 1);
            ok = db.exec(migration.constData(), error) && db.exec(bump.constData(), error);
            if (!ok) {
                failedStep(version + 1);
            }
        }
        if (ok && !db.exec("COMMIT", error)) {
            failedStep(version + 1);
            ok = false;
        }
        if (!ok) {
            // Not after a COMMIT that already rolled back: a failing ROLLBACK would replace the
            // write failure RunStore looks for to remove the stub of a file it was creating.
            if (db.inTransaction()) {
                QString ignored;
                db.exec("ROLLBACK", &ignored);
            }
            return false;
        }
        if (!readUserVersion(db, &version, error)) {
            return false;
        }
    }
    return true;
}

} // namespace collapipe
