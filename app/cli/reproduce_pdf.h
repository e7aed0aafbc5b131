// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <utility>
#include <vector>

/// The PDF of `collapipe reproduce`'s report, printed from its HTML by QTextDocument onto a
/// QPdfWriter (QtGui; the CLI runs it under the offscreen platform, no display needed).
/// QTextDocument shows no SVG, so each figure is rasterised (QtSvg) and handed over as an image
/// resource under the name the HTML's <img src> uses.
namespace collapipe::cli {

/// Writes `html` as an A4 PDF to `path` (through a temporary file renamed at the end, so a
/// failure never leaves a truncated PDF). `figures`: (resource name, SVG text) pairs.
bool writeReportPdf(const QString &path, const QString &html,
    const std::vector<std::pair<QString, QString>> &figures, QString *error);

} // namespace collapipe::cli
