// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <vector>

/// Scenario files: versioned JSON ("format": "collapipe-scenario/1"), load/save and validation.
///
/// Layout of a file (keys are the FieldSpec keys of scenario_fields.h):
/// { "format", "name", "description", "edge_servers": [..], "clusters": [ { "id", "name",
///   "edge_server_id", "control_unit": {..}, "devices": [..] } ], "d2d": {..}, "d2e": {..},
///   "model": { .., "trainer": {..}, "profiled": {..} }, "training": {..}, "optimizer": {..} }
/// Positions are flattened as x_m / y_m. Required: format, every id, edge_server_id,
/// edge_servers, clusters, control_unit, devices; every other key is optional and defaults to the
/// struct initialiser. Numbers are JSON numbers (doubles): the 64-bit seed is exact up to 2^53.
namespace collapipe {

/// One problem found in a scenario. `path` names the field ("clusters[1].devices[3].memory_bytes")
/// or is empty for file-level problems (unreadable file, JSON syntax error).
struct ScenarioProblem
{
    QString path;
    QString message;
    /// "clusters[1].devices[3].memory_bytes: must be > 0 (got -5)", or the message alone.
    QString toString() const;
};

/// The value of "format" this version writes and accepts.
inline constexpr const char *kScenarioFormat = "collapipe-scenario/1";

/// Parses JSON text into *out (which is reset first). Returns false and appends every problem
/// found (JSON syntax errors give line and column; then structure, types, unknown keys, missing
/// required keys, and every semantic problem of validateScenario()). *out holds whatever could be
/// read even on failure. out and problems may be null (e.g. only checking).
bool scenarioFromJson(
    const QByteArray &json, Scenario *out, std::vector<ScenarioProblem> *problems);

/// Serialises with "format": "collapipe-scenario/1", every field written, keys in a stable
/// (alphabetical) order, indented, doubles at full (shortest round-trip) precision, so
/// scenarioToJson(load(scenarioToJson(s))) == scenarioToJson(s) byte for byte.
QByteArray scenarioToJson(const Scenario &s);

/// scenarioToJson() leaves a few fields out while they hold their default (optimizer.warm_start
/// "off"), so a file and an experiment point's fingerprint stay what they were before the field
/// existed. This puts them back into a parsed scenario object, so a `--set` or an experiment axis
/// can name them (scenario_patch.h).
void addOmittedDefaults(QJsonObject *root);

/// A JSON value as problem messages quote it: "string \"nan\"", "true", "null", "an array", "5".
QString describeJsonValue(const QJsonValue &v);

/// "line 3, column 7": the 1-based place of byte `offset` in `json` (QJsonParseError gives only
/// the offset).
QString jsonLineColumn(const QByteArray &json, qsizetype offset);

/// Parses `json` as one JSON object: false and one problem ("invalid JSON at line …" or "invalid
/// <what>: the top level must be a JSON object") when it is not; otherwise also reports every
/// duplicate key (findDuplicateJsonKeys) and returns true. Scenario and experiment files share it.
bool parseJsonObject(const QByteArray &json, const QString &what, QJsonObject *out,
    std::vector<ScenarioProblem> *problems);

/// The largest input file (scenario, availability trace, experiment) read: 1 GiB. A scenario of
/// 1,000,000 devices (`collapipe generate`'s limit) is about 0.5 GB.
inline constexpr qint64 kMaxInputFileBytes = qint64(1) << 30;

/// Reads a whole input file, bounded: a missing file ("cannot open PATH: no such file"), a folder
/// or unreadable file ("cannot read PATH: reason") and a file larger than `maxBytes` are refused
/// with a message naming the file. Streams (a pipe such as bash's <(...), a device) are read up to
/// `maxBytes` + 1 bytes, so /dev/zero is refused instead of filling the memory.
bool readInputFile(
    const QString &path, QByteArray *bytes, QString *error, qint64 maxBytes = kMaxInputFileBytes);

/// Reads and parses a file (readInputFile()). A missing, unreadable, empty or oversized file gives
/// one problem naming the file. Also
/// reads the availability trace of every "trace" device (loadAvailabilityTraces(), relative to
/// the file's folder): every bad row is a problem, and the load fails.
bool loadScenarioFile(const QString &path, Scenario *out, std::vector<ScenarioProblem> *problems);

/// Writes atomically with QSaveFile; on failure returns false and *error names the file and reason.
/// An existing target that is not a regular file (a device such as /dev/null, a FIFO) is refused:
/// the rename would replace the device node with a plain file.
bool saveScenarioFile(const QString &path, const Scenario &s, QString *error);

/// Semantic checks on a struct, every problem at once: ranges of every field (from the field
/// table), ids empty or duplicated (one namespace for servers, clusters, control units, devices),
/// empty edge_servers/clusters/devices, unknown edge_server_id, an edge server that serves no
/// cluster, microbatch_size > batch_size, heads not dividing d_model, family-specific counts, and
/// (training.train on) a trainer vocabulary smaller than the character tokenizer's 73 ids.
/// The UI calls this after each edit.
std::vector<ScenarioProblem> validateScenario(const Scenario &s);

/// The part of validateScenario() the trainer relies on, checked as a trained run whatever
/// training.train says: at least one cluster, the model and training sections, and the trainer's
/// vocabulary holding the character tokenizer's ids. Same rules and words, keys spelled as in
/// the file; FederatedTrainer::init() calls it so that a trainer driven directly (the trainer
/// tests build scenarios without a topology) refuses what a run would.
std::vector<ScenarioProblem> validateTrainedModel(const Scenario &s);

/// The folder with the bundled scenarios (default.json, classroom.json, paper.json): the env var
/// COLLAPIPE_SCENARIO_DIR if set, else <exe dir>/../share/collapipe/scenarios if it exists, else
/// the source tree's resources/scenarios (compile-time path). Empty if none exists.
QString bundledScenarioDir();

} // namespace collapipe
