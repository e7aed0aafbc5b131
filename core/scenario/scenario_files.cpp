// SPDX-License-Identifier: MIT
// Scenario files on disk and where the bundled ones live.
#include "core/scenario/availability_trace.h"
#include "core/scenario/scenario_json.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace collapipe {

bool loadScenarioFile(const QString &path, Scenario *out, std::vector<ScenarioProblem> *problems)
{
    QFile file(path);
    if (!QFileInfo::exists(path)) {
        if (problems) {
            problems->push_back(
                {QString(), QStringLiteral("cannot open %1: no such file").arg(path)});
        }
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        if (problems) {
            problems->push_back(
                {QString(), QStringLiteral("cannot read %1: %2").arg(path, file.errorString())});
        }
        return false;
    }
    std::vector<ScenarioProblem> local;
    std::vector<ScenarioProblem> &found = problems ? *problems : local;
    Scenario ignored;
    Scenario &scenario = out ? *out : ignored;
    const bool parsed = scenarioFromJson(file.readAll(), &scenario, &found);
    // Trace files are named relative to the scenario's folder: only here is that folder known.
    const bool traces = loadAvailabilityTraces(QFileInfo(path).absolutePath(), &scenario, &found);
    return parsed && traces;
}

bool saveScenarioFile(const QString &path, const Scenario &s, QString *error)
{
    // QSaveFile writes a temporary file and renames it on commit, so a crash or a full disk never
    // leaves a half-written scenario behind (style.md rule 11).
    QSaveFile file(path);
    const QByteArray json = scenarioToJson(s);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        if (error) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

QString bundledScenarioDir()
{
    const QString fromEnv = qEnvironmentVariable("COLLAPIPE_SCENARIO_DIR");
    if (!fromEnv.isEmpty()) {
        return fromEnv;
    }
    // applicationDirPath() needs a QCoreApplication; without one skip the installed location.
    if (QCoreApplication::instance()) {
        const QString installed
            = QDir(QCoreApplication::applicationDirPath())
                  .absoluteFilePath(QStringLiteral("../share/collapipe/scenarios"));
        if (QFileInfo(installed).isDir()) {
            return QDir::cleanPath(installed);
        }
    }
    const QString source = QStringLiteral(COLLAPIPE_SCENARIO_SOURCE_DIR);
    if (QFileInfo(source).isDir()) {
        return source;
    }
    return QString();
}

} // namespace collapipe
