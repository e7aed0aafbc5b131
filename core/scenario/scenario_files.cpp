// SPDX-License-Identifier: MIT
// Scenario files on disk and where the bundled ones live.
#include "core/scenario/availability_trace.h"
#include "core/scenario/scenario_json.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace collapipe {

bool readInputFile(const QString &path, QByteArray *bytes, QString *error, qint64 maxBytes)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat st = {};
    if (::stat(native.constData(), &st) != 0) {
        const int err = errno;
        *error = err == ENOENT ? QStringLiteral("cannot open %1: no such file").arg(path)
                               : QStringLiteral("cannot read %1: %2")
                                     .arg(path, QString::fromLocal8Bit(std::strerror(err)));
        return false;
    }
    const auto tooLarge = [&](qint64 size) {
        const QString limit = maxBytes % (qint64(1) << 30) == 0
            ? QStringLiteral("%1 GiB").arg(maxBytes >> 30)
            : QStringLiteral("%1 bytes").arg(maxBytes);
        *error = size < 0
            ? QStringLiteral("cannot read %1: more than the %2 an input file may have")
                  .arg(path, limit)
            : QStringLiteral("cannot read %1: %2 bytes, more than the %3 an input file may have")
                  .arg(path)
                  .arg(size)
                  .arg(limit);
        return false;
    };
    if (S_ISREG(st.st_mode) && qint64(st.st_size) > maxBytes) {
        return tooLarge(qint64(st.st_size));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    if (S_ISREG(st.st_mode)) {
        *bytes = file.readAll();
    } else {
        // A stream (a pipe, /dev/zero) has no size to check first: read it in chunks, bounded.
        bytes->clear();
        constexpr qint64 kChunk = 1 << 16;
        while (!file.atEnd() || file.isSequential()) {
            const QByteArray chunk = file.read(kChunk);
            if (chunk.isEmpty()) {
                break;
            }
            if (qint64(bytes->size()) + chunk.size() > maxBytes) {
                bytes->clear();
                return tooLarge(-1);
            }
            bytes->append(chunk);
        }
    }
    if (file.error() != QFileDevice::NoError) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        bytes->clear();
        return false;
    }
    return true;
}

bool loadScenarioFile(const QString &path, Scenario *out, std::vector<ScenarioProblem> *problems)
{
    QByteArray json;
    QString error;
    if (!readInputFile(path, &json, &error)) {
        if (problems) {
            problems->push_back({QString(), error});
        }
        return false;
    }
    if (json.trimmed().isEmpty()) {
        if (problems) {
            problems->push_back({QString(),
                QStringLiteral("%1: the file is empty (%2 bytes); a scenario is a JSON object "
                               "(e.g. collapipe generate writes one)")
                    .arg(path)
                    .arg(json.size())});
        }
        return false;
    }
    std::vector<ScenarioProblem> local;
    std::vector<ScenarioProblem> &found = problems ? *problems : local;
    Scenario ignored;
    Scenario &scenario = out ? *out : ignored;
    const bool parsed = scenarioFromJson(json, &scenario, &found);
    // Trace files are named relative to the scenario's folder: only here is that folder known.
    const bool traces = loadAvailabilityTraces(QFileInfo(path).absolutePath(), &scenario, &found);
    return parsed && traces;
}

bool saveScenarioFile(const QString &path, const Scenario &s, QString *error)
{
    // QSaveFile writes a temporary file and renames it on commit, so a crash or a full disk never
    // leaves a half-written scenario behind (style.md rule 11).
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (error) {
            *error = S_ISDIR(st.st_mode)
                ? QStringLiteral("cannot write %1: is a folder").arg(path)
                : QStringLiteral("cannot write %1: not a regular file (a device, FIFO or "
                                 "socket); a scenario is saved to a regular file only")
                      .arg(path);
        }
        return false;
    }
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
