// SPDX-License-Identifier: MIT
// An experiment read in one pass: the file's problems and its points' problems together
// (readExperiment), and the file helpers around it.
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_parse.h"
#include "core/scenario/scenario_json.h"

#include <QFileInfo>

namespace collapipe {
namespace {

/// Reads a file's text; false + one problem naming it when missing, unreadable or empty.
bool readExperimentText(
    const QString &path, QByteArray *text, std::vector<ExperimentProblem> *problems)
{
    // Bounded like a scenario file: a stream such as /dev/zero is refused, not read into memory.
    QString error;
    if (!readInputFile(path, text, &error)) {
        if (problems) {
            problems->push_back({QString(), error});
        }
        return false;
    }
    if (text->trimmed().isEmpty()) {
        if (problems) {
            problems->push_back({QString(),
                QStringLiteral("%1: the file is empty (expected an experiment: a JSON object with "
                               "\"experiment_version\": %2)")
                    .arg(path)
                    .arg(kExperimentVersion)});
        }
        return false;
    }
    return true;
}

} // namespace

bool readExperiment(const QByteArray &json, const QString &baseDir, ExperimentSpec *spec,
    std::vector<ExperimentPoint> *points, std::vector<ExperimentProblem> *problems)
{
    std::vector<ExperimentPoint> partial;
    std::vector<ExperimentPoint> &expanded = points ? *points : partial;
    expanded.clear();
    ExperimentSpec ignored;
    ExperimentSpec &s = spec ? *spec : ignored;
    bool expandable = false;
    const bool fileOk
        = experiment_detail::parseExperiment(json, baseDir, &s, problems, &expandable);
    if (!expandable) {
        return false;
    }
    // With problems in the file, its valid parts are still expanded: a point's own problems
    // (a "set" value or an axis value its scenario refuses) are listed in the same pass.
    std::vector<ExperimentProblem> local;
    const bool pointsOk = expandExperiment(s, &expanded, problems ? problems : &local);
    if (!fileOk || !pointsOk) {
        expanded.clear();
        return false;
    }
    return true;
}

bool loadExperiment(const QString &path, ExperimentSpec *spec, std::vector<ExperimentPoint> *points,
    std::vector<ExperimentProblem> *problems)
{
    if (points) {
        points->clear();
    }
    QByteArray text;
    return readExperimentText(path, &text, problems)
        && readExperiment(text, QFileInfo(path).absolutePath(), spec, points, problems);
}

bool loadExperimentFile(
    const QString &path, ExperimentSpec *out, std::vector<ExperimentProblem> *problems)
{
    QByteArray text;
    return readExperimentText(path, &text, problems)
        && experimentFromJson(text, QFileInfo(path).absolutePath(), out, problems);
}

} // namespace collapipe
