// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// The run database's schema, in one place (style.md rule 9): the tables, their version
/// (`PRAGMA user_version`) and the migrations from every older version. Private to core/store.
namespace collapipe {

class SqliteDb;

/// The version this build writes: the newest `since` of any column in store_tables.cpp.
int storeSchemaVersion();

/// Reads the schema version without writing anything: refuses (false + error naming the file) a
/// file that is not SQLite, a SQLite file with other tables and no version, a negative or newer
/// version, and a file whose version is one of ours but which lacks a table or column of that
/// version (another program's database that sets user_version).
/// `version` 0 with true means an empty database.
bool inspectStore(SqliteDb &db, int *version, QString *error);

/// Brings the database up to storeSchemaVersion() inside one write transaction per step. An empty
/// file gets the full schema; a file of a newer version, or a SQLite file that is not a run
/// store, is refused with a message naming the file.
/// `targetVersion` < 0 means storeSchemaVersion(); tests pass an older one to build old files.
bool migrateStore(SqliteDb &db, QString *error, int targetVersion = -1);

} // namespace collapipe
