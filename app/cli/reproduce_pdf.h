// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

/// The PDF of `collapipe reproduce`'s report, printed from its HTML by QTextDocument onto a
/// QPdfWriter (QtGui; the CLI runs it under the offscreen platform, no display needed).
/// Each figure is handed over as an image resource under the name the HTML's <img src> uses.
namespace collapipe::cli {

/// Writes `html` as an A4 PDF to `path` (through a temporary file renamed at the end, so a
/// failure never leaves a truncated PDF). `figures`: (resource name, PNG bytes) pairs.
bool writeReportPdf(const QString &path, const QString &html,
    const std::vector<std::pair<QString, QByteArray>> &figures, QString *error);

} // namespace collapipe::cli
