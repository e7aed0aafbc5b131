// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/reproduce_claims.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

/// The report of `collapipe reproduce` as one self-contained HTML page (issue [5/7]): how it was
/// run, the claims table, the per-policy results on paper.json, each part's figures, regime map
/// and CSV links. Pure text: the figures arrive as PNG bytes drawn by the front end (the shared
/// figure code needs widgets, which core/ must not use); no Gui, no widgets here.
namespace collapipe {

/// Where, when and how the reproduction ran (the report's first lines).
struct ReproduceRunInfo
{
    QString startedUtc;  ///< ISO 8601
    QString finishedUtc; ///< ISO 8601
    double wallS = 0.0;
    QString machine; ///< host, OS, CPU model, logical cores
    QString load;    ///< load average at the end ("1.02 0.80 0.66")
    QString commit;  ///< source commit ("abc1234", "+ local changes"), or why unknown
    QString version; ///< program version
    bool quick = false;
    QString database;
    int points = 0;      ///< over every part
    int ran = 0;         ///< run this time
    int skipped = 0;     ///< already completed in the database (resume)
    int failed = 0;      ///< failed points (e.g. a baseline that cannot fit a model)
    QString figuresNote; ///< why there are no figures (a build without the figure library)
};

/// One figure, drawn by the shared figure code (ui/figures, renderReportFigures()) as files.
struct ReproduceFigure
{
    QString caption;
    QByteArray png; ///< the PNG's bytes (embedded: base64 in the HTML, a resource in the PDF)
    QString
        resourceName;  ///< the PNG's path relative to the report ("figures/01-policies/pareto.png")
    QStringList files; ///< every format written, relative to the report (linked)
};

/// One experiment of the set as the report shows it.
struct ReproducePartReport
{
    ClaimPart results; ///< its name and completed points
    QString description;
    QString file;         ///< the experiment file (as given)
    QString experimentId; ///< its id in the database
    int points = 0;       ///< points of the experiment (completed or not)
    QStringList csvFiles; ///< relative links to its CSV files
    QStringList failures; ///< "point 99 (uniform, seed 1): infeasible: ..."
    std::vector<ReproduceFigure> figures;
};

/// How figures go into the page: as base64 PNG data (the self-contained HTML file) or as
/// <img src="resourceName"> (a document whose renderer is given the images, e.g. the PDF).
enum class FigureEmbed {
    Base64Png,
    ImageResource
};

/// The whole page. `claims` is claimsTable() of the parts' results.
QString reproduceHtml(const ReproduceRunInfo &info, const std::vector<ClaimRow> &claims,
    const std::vector<ReproducePartReport> &parts, FigureEmbed embed);

/// The per-policy table on the base setting (the first part without axes): each policy's mean
/// latency ± 95 % half-width, latency change vs DSSDA's, computation efficiency, fullest
/// device's memory and upload. Rows in the points' policy order; empty without a base part.
QString basePolicyTableHtml(const std::vector<ReproducePartReport> &parts);

/// `text` with &, <, > and " escaped for HTML.
QString htmlEscape(const QString &text);

} // namespace collapipe
