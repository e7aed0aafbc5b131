// SPDX-License-Identifier: MIT
#include "core/experiment/reproduce_html.h"

#include <QHash>

#include <cmath>
#include <map>
#include <utility>

namespace collapipe {
namespace {

/// A figure's width on the page (CSS px): two 7 × 4.5 in figures fit one A4 page of report.pdf.
constexpr int kFigureWidthPx = 600;

const char kStyle[] = R"(<style>
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; margin: 1.5em; color: #222; }
h1 { font-size: 16pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.4em; }
h3 { font-size: 11pt; margin-top: 1em; margin-bottom: 0.2em; } li { margin: 0.1em 0; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
td.holds { background: #d8f0d8; } td.fails { background: #f6d6d6; }
p.meta { color: #555; margin: 0.2em 0; } .small { font-size: 8.5pt; color: #444; }
</style>
)";

QString number(double v, int digits = 3)
{
    return std::isfinite(v) ? QString::number(v, 'g', digits) : QStringLiteral("—");
}

QString cell(const QString &text, const char *cls = nullptr)
{
    return cls ? QStringLiteral("<td class=\"%1\">%2</td>").arg(QLatin1String(cls), text)
               : QStringLiteral("<td>%1</td>").arg(text);
}

QString list(const QStringList &lines)
{
    if (lines.isEmpty()) {
        return QStringLiteral("<p>—</p>\n");
    }
    QString h = QStringLiteral("<ul>\n");
    for (const QString &l : lines) {
        h += QStringLiteral("<li>%1</li>\n").arg(htmlEscape(l));
    }
    return h + QStringLiteral("</ul>\n");
}

QString oursText(const ClaimRow &row)
{
    if (row.ours.n == 0) {
        return QStringLiteral("— (no base setting)");
    }
    QString text = claimValueText(row.claim, row.ours.mean);
    if (row.ours.hasInterval) {
        // The interval in the claim's own unit: percentage points, or the ratio.
        const bool ratio = row.claim.kind == ClaimKind::MemoryRatio;
        text += ratio ? QStringLiteral(" ± %1").arg(number(row.ours.halfWidth, 2))
                      : QStringLiteral(" ± %1 pp").arg(number(100.0 * row.ours.halfWidth, 3));
    } else {
        text += QStringLiteral(" (one seed: no interval)");
    }
    return htmlEscape(text)
        + QStringLiteral("<br><span class=\"small\">vs %1, n = %2 seeds; "
                         "%3</span>")
              .arg(htmlEscape(row.oursAgainst))
              .arg(row.ours.n)
              .arg(htmlEscape(row.oursPerPolicy.join(QStringLiteral(", "))));
}

QString claimsTableHtml(const std::vector<ClaimRow> &claims)
{
    QString h = QStringLiteral(
        "<table id=\"claims\" width=\"100%\"><tr><th width=\"28%\">claim (paper)</th>"
        "<th width=\"11%\">paper</th><th width=\"40%\">ours on paper.json (95 % CI)</th>"
        "<th width=\"9%\">holds</th><th width=\"12%\">settings held</th>"
        "</tr>\n");
    for (const ClaimRow &row : claims) {
        const QString paper = row.claim.kind == ClaimKind::MemoryRatio
            ? QStringLiteral("&lt; 0.50× of fl")
            : htmlEscape(claimValueText(row.claim, row.claim.paperValue));
        h += QStringLiteral("<tr class=\"claim\">") + cell(htmlEscape(row.claim.statement))
            + cell(paper, "num") + cell(oursText(row))
            + cell(row.holdsOnBase ? QStringLiteral("yes") : QStringLiteral("no"),
                row.holdsOnBase ? "holds" : "fails")
            + cell(QStringLiteral("%1 of %2").arg(row.settingsHeld).arg(row.settings), "num")
            + QStringLiteral("</tr>\n");
    }
    h += QStringLiteral("</table>\n");
    // Where and why, per claim, at full width below the table.
    for (const ClaimRow &row : claims) {
        h += QStringLiteral("<h3>%1: where it holds</h3>\n").arg(htmlEscape(row.claim.key))
            + list(row.holdsWhere);
        if (!row.failsBecause.isEmpty()) {
            h += QStringLiteral("<p><b>Why it fails</b> (at each part's worst setting):</p>\n")
                + list(row.failsBecause);
        }
    }
    return h;
}

/// For a part with two axes: the latency claim's value per cell (green where it holds).
QString regimeTableHtml(const ReproducePartReport &part)
{
    const std::vector<QStringList> axes = analysisAxes(part.results.points);
    if (axes.size() != 2) {
        return QString();
    }
    const PaperClaim &claim = paperClaims().front();
    // cell → policy → values
    std::map<std::pair<QString, QString>, std::map<QString, std::vector<double>>> cells;
    QStringList xs;
    QStringList ys;
    for (const StoredPoint &p : part.results.points) {
        const QString x = axisValue(p.coordinates, axes[0]);
        const QString y = axisValue(p.coordinates, axes[1]);
        if (!xs.contains(x)) {
            xs << x;
        }
        if (!ys.contains(y)) {
            ys << y;
        }
        const double v = pointMetric(p, claim.metric);
        if (std::isfinite(v)) {
            cells[{x, y}][p.policy].push_back(v);
        }
    }
    QString h = QStringLiteral("<p>Latency change of DSSDA against the closest baseline; green "
                               "where the paper's −48.98 % holds. Rows %1, columns %2.</p>"
                               "<table><tr><th></th>")
                    .arg(htmlEscape(axisName(axes[0])), htmlEscape(axisName(axes[1])));
    for (const QString &y : ys) {
        h += QStringLiteral("<th>%1</th>").arg(htmlEscape(y));
    }
    h += QStringLiteral("</tr>\n");
    for (const QString &x : xs) {
        h += QStringLiteral("<tr><th>%1</th>").arg(htmlEscape(x));
        for (const QString &y : ys) {
            QHash<QString, double> means;
            for (const auto &[policy, values] : cells[{x, y}]) {
                means.insert(policy, meanInterval(values).mean);
            }
            QString against;
            const double v = claimValue(claim, means, &against);
            h += cell(
                htmlEscape(claimValueText(claim, v)) + QStringLiteral(" vs ") + htmlEscape(against),
                claimHolds(claim, v) ? "holds" : "fails");
        }
        h += QStringLiteral("</tr>\n");
    }
    return h + QStringLiteral("</table>\n");
}

/// Width and height of a PNG from its IHDR chunk (bytes 16-23, big-endian); {0, 0} if `png` is
/// not one. Here because core/ has no QImage.
std::pair<quint32, quint32> pngSize(const QByteArray &png)
{
    if (png.size() < 24 || !png.startsWith("\x89PNG\r\n\x1a\n") || png.mid(12, 4) != "IHDR") {
        return {0, 0};
    }
    const auto be32 = [&png](int at) {
        quint32 v = 0;
        for (int i = 0; i < 4; ++i) {
            v = (v << 8) | quint8(png.at(at + i));
        }
        return v;
    };
    return {be32(16), be32(20)};
}

QString figureHtml(const ReproduceFigure &f, FigureEmbed embed)
{
    // The figure draws its own title, so the caption goes to alt and title only: a caption
    // line above it said the same again.
    QString h = QStringLiteral("<div class=\"figure\">");
    const QString src = embed == FigureEmbed::Base64Png
        ? QStringLiteral("data:image/png;base64,") + QString::fromLatin1(f.png.toBase64())
        : htmlEscape(f.resourceName);
    // Both sides given: with the width alone QTextDocument (report.pdf) reserved a line far
    // taller than the drawn image, a blank band above every figure and one figure per page.
    const auto [w, hgt] = pngSize(f.png);
    const QString height = w > 0 && hgt > 0
        ? QStringLiteral(" height=\"%1\"").arg(qRound(kFigureWidthPx * double(hgt) / double(w)))
        : QString();
    h += QStringLiteral("<img src=\"%1\" width=\"%2\"%3 alt=\"%4\" title=\"%4\">")
             .arg(src)
             .arg(kFigureWidthPx)
             .arg(height, htmlEscape(f.caption));
    QStringList links;
    for (const QString &file : f.files) {
        links << QStringLiteral("<a href=\"%1\">%2</a>")
                     .arg(htmlEscape(file), htmlEscape(file.section(QLatin1Char('.'), -1)));
    }
    if (!links.isEmpty()) {
        h += QStringLiteral("<p class=\"small\">files: %1</p>")
                 .arg(links.join(QStringLiteral(", ")));
    }
    return h + QStringLiteral("</div>\n");
}

} // namespace

QString htmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

QString basePolicyTableHtml(const std::vector<ReproducePartReport> &parts)
{
    const ReproducePartReport *base = nullptr;
    for (const ReproducePartReport &p : parts) {
        if (!p.results.points.empty() && analysisAxes(p.results.points).empty()) {
            base = &p;
            break;
        }
    }
    if (!base) {
        return QString();
    }
    QStringList order;
    std::map<QString, std::vector<const StoredPoint *>> byPolicy;
    for (const StoredPoint &p : base->results.points) {
        if (!order.contains(p.policy)) {
            order << p.policy;
        }
        byPolicy[p.policy].push_back(&p);
    }
    const auto stat = [&](const QString &policy, const char *metric) {
        std::vector<double> values;
        for (const StoredPoint *p : byPolicy[policy]) {
            const double v = pointMetric(*p, QLatin1String(metric));
            if (std::isfinite(v)) {
                values.push_back(v);
            }
        }
        return meanInterval(values);
    };
    const double dssda = stat(reproducePolicy(), "mean_latency_s").mean;
    QString h = QStringLiteral(
        "<table id=\"policies\" width=\"100%\"><tr><th>policy</th><th>seeds</th><th>mean round "
        "latency "
        "[s] ± 95 %</th><th>DSSDA's latency vs it</th><th>computation efficiency</th>"
        "<th>fullest device [GB]</th><th>upload [s]</th></tr>\n");
    for (const QString &policy : order) {
        const MeanInterval latency = stat(policy, "mean_latency_s");
        const QString change = policy == reproducePolicy()
            ? QStringLiteral("—")
            : claimValueText(paperClaims().front(), 1.0 - dssda / latency.mean);
        h += QStringLiteral("<tr><td nowrap>%1</td>").arg(htmlEscape(policy))
            + cell(QString::number(latency.n), "num")
            + cell(number(latency.mean, 4)
                    + (latency.hasInterval ? QStringLiteral(" ± ") + number(latency.halfWidth, 2)
                                           : QString()),
                "num")
            + cell(htmlEscape(change), "num")
            + cell(number(stat(policy, "mean_computation_efficiency").mean), "num")
            + cell(number(stat(policy, "max_device_memory_bytes").mean / 1e9), "num")
            + cell(number(stat(policy, "mean_upload_s").mean), "num") + QStringLiteral("</tr>\n");
    }
    return h + QStringLiteral("</table>\n");
}

QString reproduceHtml(const ReproduceRunInfo &info, const std::vector<ClaimRow> &claims,
    const std::vector<ReproducePartReport> &parts, FigureEmbed embed)
{
    QString h = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                               "<title>CollaPipe reproduction</title>\n")
        + QLatin1String(kStyle) + QStringLiteral("</head><body>\n");
    h += QStringLiteral("<h1>CollaPipe: the paper's claims under our model%1</h1>\n")
             .arg(info.quick ? QStringLiteral(" (quick set)") : QString());
    const auto meta = [&h](const QString &label, const QString &value) {
        h += QStringLiteral("<p class=\"meta\"><b>%1:</b> %2</p>\n").arg(label, htmlEscape(value));
    };
    meta(QStringLiteral("Run"),
        QStringLiteral("%1 → %2 UTC, %3 s wall; %4 points: %5 run now, %6 resumed from the "
                       "database, %7 failed")
            .arg(info.startedUtc, info.finishedUtc, QString::number(info.wallS, 'f', 1))
            .arg(info.points)
            .arg(info.ran)
            .arg(info.skipped)
            .arg(info.failed));
    meta(QStringLiteral("Machine"), info.machine + QStringLiteral("; load average ") + info.load);
    meta(QStringLiteral("Program"),
        QStringLiteral("collapipe %1, commit %2").arg(info.version, info.commit));
    meta(QStringLiteral("Database"), info.database);
    if (!info.figuresNote.isEmpty()) {
        meta(QStringLiteral("Figures"), info.figuresNote);
    }
    h += QStringLiteral(
        "<p>Paper: arXiv 2509.19855 (spec §0 item 9, §9). Our model is the reconstruction of "
        "the spec (core/MODEL.md), cost model only; it was not tuned to agree. "
        "<b>Computation efficiency</b> is FLOPs done / (pipeline makespan × the scheduled "
        "devices' FLOP/s) of the slowest cluster, averaged over rounds (spec §2.1, §10-L); the "
        "paper does not define it. <b>Per-device memory</b> is the largest predicted memory of "
        "one device over devices and rounds (spec §2.4). Baselines: uniform, proportional, fl, "
        "sl (spec §8 items 1–4); the DSSDA ablations are listed beside them.</p>\n");
    h += QStringLiteral("<h2>Claims</h2>\n") + claimsTableHtml(claims);
    const QString policies = basePolicyTableHtml(parts);
    if (!policies.isEmpty()) {
        h += QStringLiteral("<h2>Every policy on paper.json</h2>\n") + policies;
    }
    for (const ReproducePartReport &part : parts) {
        h += QStringLiteral("<h2>%1</h2>\n<p>%2</p>\n")
                 .arg(htmlEscape(part.results.name), htmlEscape(part.description));
        h += QStringLiteral("<p class=\"small\">%1 · experiment %2 · %3 completed of %4 points")
                 .arg(htmlEscape(part.file), htmlEscape(part.experimentId))
                 .arg(part.results.points.size())
                 .arg(part.points);
        if (!part.csvFiles.isEmpty()) {
            QStringList links;
            for (const QString &csv : part.csvFiles) {
                links << QStringLiteral("<a href=\"%1\">%2</a>")
                             .arg(htmlEscape(csv), htmlEscape(csv.section(QLatin1Char('/'), -1)));
            }
            h += QStringLiteral(" · CSV: ") + links.join(QStringLiteral(", "));
        }
        h += QStringLiteral("</p>\n");
        for (const ReproduceFigure &f : part.figures) {
            h += figureHtml(f, embed);
        }
        h += regimeTableHtml(part);
        if (!part.failures.isEmpty()) {
            h += QStringLiteral("<p class=\"small\"><b>Failed points</b> (not in the "
                                "comparisons):</p>\n")
                + list(part.failures);
        }
    }
    return h + QStringLiteral("</body></html>\n");
}

} // namespace collapipe
