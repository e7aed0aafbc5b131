// SPDX-License-Identifier: MIT
#include "core/scenario/availability_trace.h"

#include "core/scenario/scenario_fields.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cmath>

namespace collapipe {

namespace {

struct LastRow
{
    double timeS = 0.0;
    int line = 0;
};

QString quotedField(const QString &text)
{
    return QStringLiteral("\"%1\"").arg(text.left(60));
}

} // namespace

bool parseAvailabilityTrace(const QByteArray &csv, const QString &fileName, const QString &path,
    const QSet<QString> &knownDevices, QHash<QString, std::vector<AvailabilityEvent>> *out,
    std::vector<ScenarioProblem> *problems)
{
    const std::size_t before = problems->size();
    const QList<QByteArray> lines = csv.split('\n');
    QHash<QString, LastRow> last;
    bool seenRow = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i) + 1;
        const QString line = QString::fromUtf8(lines[i]).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        const bool first = !seenRow;
        seenRow = true;
        if (first && line == QStringLiteral("time_s,device_id,up")) {
            continue; // the header
        }
        auto bad = [&](const QString &message) {
            problems->push_back({path,
                QStringLiteral("%1 line %2: %3").arg(fileName).arg(lineNumber).arg(message)});
        };
        QStringList fields = line.split(QLatin1Char(','));
        for (QString &f : fields) {
            f = f.trimmed();
        }
        if (fields.size() != 3) {
            bad(QStringLiteral("expected 3 fields time_s,device_id,up (got %1: %2)")
                    .arg(fields.size())
                    .arg(quotedField(line)));
            continue;
        }
        bool ok = false;
        const double timeS = fields[0].toDouble(&ok);
        bool rowOk = true;
        if (!ok || !std::isfinite(timeS) || timeS < 0.0) {
            bad(QStringLiteral("time_s must be a number >= 0 (got %1)")
                    .arg(quotedField(fields[0])));
            rowOk = false;
        }
        const QString &device = fields[1];
        if (!knownDevices.contains(device)) {
            bad(QStringLiteral("device_id %1 is no device of the scenario")
                    .arg(quotedField(device)));
            rowOk = false;
        }
        if (fields[2] != QStringLiteral("0") && fields[2] != QStringLiteral("1")) {
            bad(QStringLiteral("up must be 0 or 1 (got %1)").arg(quotedField(fields[2])));
            rowOk = false;
        }
        if (!rowOk) {
            continue;
        }
        const auto previous = last.constFind(device);
        if (previous != last.constEnd() && timeS <= previous->timeS) {
            bad(QStringLiteral("time_s %1 of device \"%2\" is not after its previous row's %3 "
                               "(line %4)")
                    .arg(formatFieldNumber(timeS), device, formatFieldNumber(previous->timeS))
                    .arg(previous->line));
            continue;
        }
        last.insert(device, {timeS, lineNumber});
        (*out)[device].push_back({timeS, fields[2] == QStringLiteral("1")});
    }
    return problems->size() == before;
}

bool loadAvailabilityTraces(
    const QString &baseDir, Scenario *scenario, std::vector<ScenarioProblem> *problems)
{
    const std::size_t before = problems->size();
    QSet<QString> known;
    for (const Cluster &c : scenario->topology.clusters) {
        for (const Device &d : c.devices) {
            known.insert(d.id);
        }
    }
    // One read per file, however many devices share it; its row problems are reported once, at
    // the first device that names it.
    struct Loaded
    {
        bool ok = false;
        QHash<QString, std::vector<AvailabilityEvent>> rows;
    };
    QHash<QString, Loaded> files;
    auto &clusters = scenario->topology.clusters;
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        for (std::size_t k = 0; k < clusters[n].devices.size(); ++k) {
            Device &device = clusters[n].devices[k];
            DeviceAvailability &a = device.availability;
            if (a.kind != AvailabilityKind::Trace) {
                continue;
            }
            const QString path
                = QStringLiteral("clusters[%1].devices[%2].availability.file").arg(n).arg(k);
            if (a.file.trimmed().isEmpty()) {
                continue; // validateScenario() reports it
            }
            const QString resolved = QDir(baseDir).absoluteFilePath(a.file);
            auto it = files.find(resolved);
            if (it == files.end()) {
                Loaded loaded;
                QByteArray csv;
                QString error;
                if (!readInputFile(resolved, &csv, &error)) {
                    problems->push_back({path, QStringLiteral("trace: %1").arg(error)});
                } else {
                    loaded.ok
                        = parseAvailabilityTrace(csv, a.file, path, known, &loaded.rows, problems);
                }
                it = files.insert(resolved, std::move(loaded));
            }
            if (!it->ok) {
                continue;
            }
            a.trace = it->rows.value(device.id);
            if (a.trace.empty()) {
                problems->push_back({path,
                    QStringLiteral("%1 has no row for device \"%2\"").arg(a.file, device.id)});
            }
        }
    }
    return problems->size() == before;
}

} // namespace collapipe
