// SPDX-License-Identifier: MIT
// FALLBACK line charts as SVG text (see the header): to be replaced by the shared renderer.
#include "reproduce_fallback_figures.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <map>

namespace collapipe::cli {
namespace {

const char *const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"};

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

} // namespace

QString fallbackAxisFigureSvg(const std::vector<AxisSummary> &curve, const QString &xLabel,
    const QString &yLabel, bool logY, int width, int height)
{
    // x: the axis values as categories in first-met order (the experiment's order).
    QStringList xs;
    QStringList policies;
    std::map<QString, std::map<QString, const AxisSummary *>> byPolicy;
    double lo = INFINITY;
    double hi = -INFINITY;
    for (const AxisSummary &s : curve) {
        if (!xs.contains(s.axisValue)) {
            xs << s.axisValue;
        }
        if (!policies.contains(s.policy)) {
            policies << s.policy;
        }
        byPolicy[s.policy][s.axisValue] = &s;
        const double half = s.stat.hasInterval ? s.stat.halfWidth : 0.0;
        if (std::isfinite(s.stat.mean)) {
            lo = std::min(lo, s.stat.mean - half);
            hi = std::max(hi, s.stat.mean + half);
        }
    }
    if (logY) {
        lo = 0.0;
        for (const AxisSummary &s : curve) {
            if (s.stat.mean > 0.0 && (lo == 0.0 || s.stat.mean < lo)) {
                lo = s.stat.mean;
            }
        }
    }
    if (!std::isfinite(lo) || !std::isfinite(hi) || (logY && lo <= 0.0)) {
        lo = 0.0;
        hi = 1.0;
        logY = false;
    }
    const auto ty = [logY](double v) { return logY ? std::log10(std::max(v, 1e-12)) : v; };
    double y0 = ty(lo);
    double y1 = ty(hi);
    if (y1 - y0 < 1e-12) {
        y0 -= 0.5;
        y1 += 0.5;
    }
    const double pad = 0.05 * (y1 - y0);
    y0 -= pad;
    y1 += pad;
    const int left = 70, right = 150, top = 15, bottom = 45;
    const double pw = width - left - right;
    const double ph = height - top - bottom;
    const auto px
        = [&](int i) { return left + (xs.size() > 1 ? pw * i / double(xs.size() - 1) : pw / 2); };
    const auto py = [&](double v) { return top + ph * (1.0 - (ty(v) - y0) / (y1 - y0)); };
    QString s = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" "
                               "height=\"%2\" viewBox=\"0 0 %1 %2\" font-family=\"DejaVu Sans, "
                               "sans-serif\" font-size=\"11\">\n"
                               "<rect width=\"%1\" height=\"%2\" fill=\"white\"/>\n")
                    .arg(width)
                    .arg(height);
    s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" "
                        "stroke=\"#444\"/>\n")
             .arg(left)
             .arg(top)
             .arg(pw)
             .arg(ph);
    for (int k = 0; k <= 4; ++k) { // y ticks at five even steps of the (transformed) range
        const double t = y0 + (y1 - y0) * k / 4.0;
        const double v = logY ? std::pow(10.0, t) : t;
        const double y = top + ph * (1.0 - k / 4.0);
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\"/>"
                            "<text x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>\n")
                 .arg(left)
                 .arg(y)
                 .arg(left + pw)
                 .arg(left - 4)
                 .arg(y + 4)
                 .arg(QString::number(v, 'g', 3));
    }
    for (int i = 0; i < xs.size(); ++i) {
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n")
                 .arg(px(i))
                 .arg(top + ph + 16)
                 .arg(esc(xs[i]));
    }
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n")
             .arg(left + pw / 2)
             .arg(height - 8)
             .arg(esc(xLabel));
    s += QStringLiteral("<text transform=\"translate(14,%1) rotate(-90)\" text-anchor=\"middle\">"
                        "%2%3</text>\n")
             .arg(top + ph / 2)
             .arg(esc(yLabel), logY ? QStringLiteral(" (log)") : QString());
    for (int p = 0; p < policies.size(); ++p) {
        const QString colour = QLatin1String(kColours[p % 10]);
        QStringList path;
        for (int i = 0; i < xs.size(); ++i) {
            const auto it = byPolicy[policies[p]].find(xs[i]);
            if (it == byPolicy[policies[p]].end() || !std::isfinite(it->second->stat.mean)) {
                continue;
            }
            const MeanInterval &m = it->second->stat;
            path << QStringLiteral("%1,%2").arg(px(i)).arg(py(m.mean));
            if (m.hasInterval && m.halfWidth > 0.0) {
                s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\"/>")
                         .arg(px(i))
                         .arg(py(std::max(m.mean - m.halfWidth, logY ? lo : -INFINITY)))
                         .arg(py(m.mean + m.halfWidth))
                         .arg(colour);
            }
            s += QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"2.5\" fill=\"%3\"/>")
                     .arg(px(i))
                     .arg(py(m.mean))
                     .arg(colour);
        }
        s += QStringLiteral("<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"1.5\" "
                            "points=\"%2\"/>\n")
                 .arg(colour, path.join(QLatin1Char(' ')));
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" "
                            "stroke-width=\"2\"/><text x=\"%5\" y=\"%6\">%7</text>\n")
                 .arg(left + pw + 10)
                 .arg(top + 10 + 16 * p)
                 .arg(left + pw + 28)
                 .arg(colour)
                 .arg(left + pw + 32)
                 .arg(top + 14 + 16 * p)
                 .arg(esc(policies[p]));
    }
    return s + QStringLiteral("</svg>\n");
}

} // namespace collapipe::cli
