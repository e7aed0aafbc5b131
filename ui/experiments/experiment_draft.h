// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <vector>

/// What the Experiments view edits (issue [5/7] "the Studio's Experiments view"), turned into an
/// experiment file's JSON: the Studio validates, expands and runs exactly what it would save, with
/// the same code as `collapipe experiment` (core/experiment/experiment.h).
namespace collapipe {

/// One grid axis: a field path and its values as typed ("1, 20", "1e6:4e6:1e6", "gpipe 1f1b").
struct DraftAxis
{
    QString path;
    QString values;
};

struct ExperimentDraft
{
    QString name = QStringLiteral("studio experiment");
    /// The base scenario: an inline scenario object, or an absolute file path (string).
    QJsonValue scenario;
    std::vector<DraftAxis> axes;
    QStringList policies;
    QString seeds = QStringLiteral("1, 2");
    int rounds = 20;
    bool train = false;
};

/// The values of an axis as JSON: tokens split by commas or spaces; a number stays a number,
/// true/false a boolean, anything else a string; "from:to:step" expands (to inclusive, up to
/// 1000 values). False with a message naming the token when a range is malformed or empty.
bool parseAxisValues(const QString &text, std::vector<QJsonValue> *values, QString *error);

/// The experiment file (experiment_version 1) for `draft`; axis values as parseAxisValues()
/// reads them, seeds as integers. False with a message naming the field on bad text.
bool draftToJson(const ExperimentDraft &draft, QByteArray *json, QString *error);

/// Reads an experiment file's JSON back into a draft. `baseDir` resolves a relative scenario path
/// (stored absolute). Zipped axes and "set" are not editable here: refused with a message (the
/// CLI runs such files). False with a message naming the key on anything else unexpected.
bool draftFromJson(
    const QByteArray &json, const QString &baseDir, ExperimentDraft *draft, QString *error);

} // namespace collapipe
