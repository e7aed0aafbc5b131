// SPDX-License-Identifier: MIT
// The run database's version and migrations. The tables themselves are column lists in
// store_tables.cpp (units, NULL meanings, the version that added each column); child tables
// reference runs(id) with ON DELETE CASCADE so deleting a run removes everything it wrote.
#include "core/store/schema.h"

#include "core/store/sqlite_db.h"
#include "core/store/store_tables.h"

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

// A SQLite file with tables but no version is someone else's database: never write into it.
bool checkForeignTables(SqliteDb &db, QString *error)
{
    SqliteStatement query;
    if (!query.prepare(db,
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
            error)) {
        return false;
    }
    QStringList tables;
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        tables << query.columnText(0);
    }
    if (rc != SQLITE_DONE) {
        *error = db.describe(QStringLiteral("listing tables"), rc);
        return false;
    }
    if (!tables.isEmpty()) {
        *error = QStringLiteral("%1: a SQLite database but not a CollaPipe run store "
                                "(user_version 0, tables: %2)")
                     .arg(db.path(), tables.join(QStringLiteral(", ")));
        return false;
    }
    return true;
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
    return *version > 0 || checkForeignTables(db, error);
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
            ok = checkForeignTables(db, error);
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
