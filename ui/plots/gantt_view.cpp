// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_view.h"

#include "ui/plots/axis_ticks.h"
#include "ui/plots/cluster_filter_bar.h"
#include "ui/plots/gantt_plot.h"

#include <QCoreApplication>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <vector>

namespace collapipe {

namespace gantt_view {

/// A colour of the legend strip and its names: full, short, shortest.
struct LegendEntry
{
    QColor color;
    std::array<QString, 3> names;
};

/// The names of a legend form (0 full, 1 short, 2 shortest) for the bar kinds and the lanes.
struct LegendForm
{
    int kinds;
    int lanes;
};
constexpr std::array<LegendForm, 4> kLegendForms{{{0, 0}, {1, 0}, {1, 1}, {2, 2}}};

std::array<QString, 3> kindNames(EventKind kind)
{
    const auto t = [](const char *text) { return QCoreApplication::translate("GanttView", text); };
    const QString full = GanttPlot::kindName(kind);
    switch (kind) {
    case EventKind::Embed:
        return {full, t("embed"), t("emb")};
    case EventKind::Forward:
        return {full, t("fwd"), t("fwd")};
    case EventKind::Backward:
        return {full, t("bwd"), t("bwd")};
    case EventKind::SendActivation:
        return {full, t("act"), t("act")};
    case EventKind::SendGradient:
        return {full, t("grad"), t("grad")};
    case EventKind::DecoderForward:
        return {full, t("edge fwd"), t("e-fwd")};
    case EventKind::DecoderBackward:
        return {full, t("edge bwd"), t("e-bwd")};
    case EventKind::Upload:
        return {full, t("upload"), t("up")};
    case EventKind::Aggregate:
        return {full, t("aggr"), t("agg")};
    }
    return {full, full, full};
}

std::array<QString, 3> laneNames(GanttLane lane)
{
    const auto t = [](const char *text) { return QCoreApplication::translate("GanttView", text); };
    const QString full = GanttPlot::laneName(lane);
    switch (lane) {
    case GanttLane::Compute:
        return {full, t("compute"), t("cmp")};
    case GanttLane::Transfer:
        return {full, t("xfer"), t("xfer")};
    case GanttLane::Upload:
        return {full, t("upload"), t("up")};
    }
    return {full, full, full};
}

QString swatchHtml(const QColor &c, const QString &name)
{
    // An entry never wraps inside itself.
    return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
        .arg(c.name(), name.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
}

/// The tooltip's entries may wrap anywhere.
QString tipSwatchHtml(const QColor &c, const QString &name)
{
    return QStringLiteral("<span style=\"color:%1\">&#9632;</span> %2")
        .arg(c.name(), name.toHtmlEscaped());
}

/// One line of the legend and its width in `fm` (the plain text it shows).
struct LegendLine
{
    QString html;
    int width = 0;
};

/// The kinds, then (when any) the lanes after a lead ("│ cluster lanes:"), named as `form`
/// says; `maxWidth` >= 0: only the entries that fit, with a trailing " …".
LegendLine legendLine(const std::vector<LegendEntry> &kinds, const std::vector<LegendEntry> &lanes,
    LegendForm form, const QFontMetrics &fm, int maxWidth)
{
    const std::array<QString, 3> leads{QCoreApplication::translate("GanttView", "│ cluster lanes:"),
        QCoreApplication::translate("GanttView", "│ lanes:"),
        QCoreApplication::translate("GanttView", "│ lanes:")};
    const QString &lead = leads[std::size_t(form.lanes)];
    const QString gap = QStringLiteral("  ");
    const QString ellipsis = QStringLiteral(" …");
    QString plain;
    QString html;
    const auto add = [&](const QString &plainPart, const QString &htmlPart) {
        const QString next = plain + plainPart;
        if (maxWidth >= 0 && fm.horizontalAdvance(next + ellipsis) > maxWidth) {
            return false;
        }
        plain = next;
        html += htmlPart;
        return true;
    };
    bool all = true;
    for (std::size_t i = 0; i < kinds.size() && all; ++i) {
        const QString &name = kinds[i].names[std::size_t(form.kinds)];
        all = add((i ? gap : QString()) + QStringLiteral("■ ") + name,
            (i ? QStringLiteral(" &nbsp;") : QString()) + swatchHtml(kinds[i].color, name));
    }
    if (!lanes.empty() && all) {
        all = add(gap + lead, QStringLiteral(" &nbsp;") + lead.toHtmlEscaped());
    }
    for (std::size_t i = 0; i < lanes.size() && all; ++i) {
        const QString &name = lanes[i].names[std::size_t(form.lanes)];
        all = add(QStringLiteral(" ■ ") + name,
            QStringLiteral("&nbsp;") + swatchHtml(lanes[i].color, name));
    }
    if (!all) {
        plain += ellipsis;
        html += QStringLiteral("&nbsp;…");
    }
    return {html, fm.horizontalAdvance(plain)};
}

} // namespace gantt_view

GanttView::GanttView(QWidget *parent)
    : QWidget(parent)
    , m_plot(new GanttPlot)
    , m_bar(new ClusterFilterBar(m_plot->filter()))
    , m_scroll(new QScrollArea)
    , m_strip(new QCustomPlot)
    , m_legend(new QLabel)
    , m_note(new QLabel)
{
    setObjectName(QStringLiteral("ganttView"));
    m_scroll->setObjectName(QStringLiteral("ganttScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_plot);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_bar);
    // A round shown without its timeline says why where it is always in sight (the plot's own
    // title scrolls away with its rows).
    m_note->setObjectName(QStringLiteral("ganttNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("QLabel { background: #fff4c2; padding: 3px; }"));
    m_note->hide();
    connect(m_plot, &GanttPlot::timelineNoteChanged, m_note, [this](const QString &note) {
        m_note->setText(note);
        m_note->setVisible(!note.isEmpty());
    });
    layout->addWidget(m_note);
    layout->addWidget(m_scroll, 1);
    // The time axis strip: the plot's x axis (range, ticks, label with its unit) alone.
    m_strip->setObjectName(QStringLiteral("ganttAxisStrip"));
    m_strip->yAxis->setVisible(false);
    m_strip->xAxis->grid()->setVisible(false);
    m_strip->xAxis->setLabel(m_plot->xAxis->label());
    m_strip->xAxis->setRange(m_plot->xAxis->range());
    m_strip->xAxis->setTicker(QSharedPointer<FittedTicker>::create());
    m_strip->axisRect()->setAutoMargins(QCP::msBottom);
    const QFontMetrics labelFm(m_strip->xAxis->labelFont());
    const QFontMetrics tickFm(m_strip->xAxis->tickLabelFont());
    m_strip->setFixedHeight(labelFm.height() + tickFm.height() + 24);
    m_strip->setVisible(false);
    layout->addWidget(m_strip);
    // The colour legend: fixed under the rows, whatever they are scrolled to.
    m_plot->setLegendForExportsOnly(true);
    m_legend->setObjectName(QStringLiteral("ganttLegend"));
    m_legend->setWordWrap(false); // one line; updateLegend() picks a form that fits
    m_legend->setTextFormat(Qt::RichText);
    // Its width is the view's, never the text's (a long line must not widen the dock).
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_legend->setMinimumWidth(1);
    m_legend->setContentsMargins(6, 0, 6, 2);
    m_legend->setFont(QFont(font().family(), 8));
    layout->addWidget(m_legend);
    updateLegend(false);
    setMinimumSize(360, 220);
    connect(m_plot, &GanttPlot::rowsChanged, this, &GanttView::updateCount);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), m_strip,
        [this](const QCPRange &range) {
            m_strip->xAxis->setRange(range);
            if (m_strip->isVisible()) { // else syncStrip() replots it when it shows
                m_stripRefits = 0;
                m_strip->replot(QCustomPlot::rpQueuedReplot);
            }
        });
    connect(m_plot, &QCustomPlot::afterReplot, this, &GanttView::syncStrip);
    // The strip's ticks follow its length as the plot's do (the same ticks at the same x), a few
    // passes per change as GanttPlot::updateLayout() does: a fit that alternated between two
    // steps (a hidden strip has no length) replotted it ~120 times a second, run or no run.
    connect(m_strip, &QCustomPlot::afterLayout, this, [this] {
        if (m_strip->isVisible() && m_stripRefits < kStripRefitPasses
            && fitAxisTicks(m_strip->xAxis)) {
            ++m_stripRefits;
            m_strip->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    updateCount();
}

QCPAxis *GanttView::stripAxis() const
{
    return m_strip->xAxis;
}

void GanttView::syncStrip()
{
    // The plot fills the viewport unless its rows need more (GanttPlot::fitRowHeight): then its
    // own time axis is below the fold and the strip shows the time scale instead.
    const bool overflow = m_plot->height() > m_scroll->viewport()->height() + 1;
    const bool shows = overflow && !m_strip->isVisible();
    if (overflow != m_strip->isVisible()) {
        m_strip->setVisible(overflow);
    }
    if (!overflow) {
        return;
    }
    m_stripRefits = 0;
    const QRect rect = m_plot->axisRect()->rect();
    const int left = m_strip->mapFrom(this, m_plot->mapTo(this, rect.topLeft())).x();
    const int right
        = m_strip->width() - 1 - m_strip->mapFrom(this, m_plot->mapTo(this, rect.topRight())).x();
    const QMargins margins(std::max(left, 0), 0, std::max(right, 0), 0);
    if (m_strip->axisRect()->margins().left() != margins.left()
        || m_strip->axisRect()->margins().right() != margins.right()
        || m_strip->xAxis->range() != m_plot->xAxis->range() || shows) {
        m_strip->axisRect()->setMargins(margins);
        m_strip->xAxis->setRange(m_plot->xAxis->range());
        m_strip->replot(QCustomPlot::rpQueuedReplot);
    }
}

void GanttView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (width() != m_legendWidth) {
        updateLegend(m_legendHasLanes); // the widest form that fits the new width
    }
}

void GanttView::updateLegend(bool lanes)
{
    using gantt_view::LegendEntry;
    std::vector<LegendEntry> kinds;
    for (EventKind k : GanttPlot::legendKinds()) {
        kinds.push_back({GanttPlot::kindColor(k), gantt_view::kindNames(k)});
    }
    std::vector<LegendEntry> laneEntries;
    if (lanes) {
        for (int lane = 0; lane < kGanttLanes; ++lane) {
            const auto l = static_cast<GanttLane>(lane);
            laneEntries.push_back({GanttPlot::laneColor(l), gantt_view::laneNames(l)});
        }
    }
    // One line, the widest form that fits (it wrapped to three lines at 1280 x 800).
    const QFontMetrics fm(m_legend->font());
    const QMargins margins = m_legend->contentsMargins();
    const int available = width() - 4 - margins.left() - margins.right() - 8; // 8: slack
    const auto &forms = gantt_view::kLegendForms;
    QString html;
    m_legendForm = -1;
    for (std::size_t f = 0; f < forms.size() && m_legendForm < 0; ++f) {
        const gantt_view::LegendLine line
            = gantt_view::legendLine(kinds, laneEntries, forms[f], fm, -1);
        if (line.width <= available) {
            html = line.html;
            m_legendForm = int(f);
        }
    }
    if (m_legendForm < 0) {
        // Too narrow even for the shortest names: as many as fit, then "…" (the tooltip has
        // them all).
        html = gantt_view::legendLine(kinds, laneEntries, forms.back(), fm, std::max(available, 0))
                   .html;
        m_legendForm = int(forms.size());
    }
    // The tooltip names every colour in full, and what the lanes' shades mean.
    QStringList tip;
    for (const LegendEntry &e : kinds) {
        tip << gantt_view::tipSwatchHtml(e.color, e.names[0]);
    }
    QString tooltip = tr("Bars: %1").arg(tip.join(QStringLiteral(", ")));
    if (lanes) {
        QStringList laneTip;
        for (const LegendEntry &e : laneEntries) {
            laneTip << gantt_view::tipSwatchHtml(e.color, e.names[0]);
        }
        tooltip += QStringLiteral("<br>")
            + tr("A cluster's summary row (▸ ▾) has a thin lane per kind of resource, top to "
                 "bottom: %1 (compute: its devices, control unit and edge server; transfers: "
                 "activations and gradients on its links). A stretch is paler when fewer of the "
                 "cluster's resources of that kind are busy at once; hover a row for the counts.")
                  .arg(laneTip.join(QStringLiteral(", ")));
    }
    m_legend->setToolTip(tooltip);
    m_legend->setText(html);
    m_legendHasLanes = lanes;
    m_legendWidth = width();
}

void GanttView::updateCount()
{
    bool lanes = false;
    for (int row = 0; row < m_plot->rowCount() && !lanes; ++row) {
        lanes = m_plot->isSummaryRow(row);
    }
    if (lanes != m_legendHasLanes) {
        updateLegend(lanes);
    }
    if (m_plot->round() < 0) {
        m_bar->setCountText(QString());
        return;
    }
    m_bar->setCountText(tr("%1 of %2 clusters · %3 of %4 rows")
                            .arg(m_plot->shownClusterCount())
                            .arg(m_plot->clusterCount())
                            .arg(m_plot->rowCount())
                            .arg(m_plot->fullRowCount()));
}

} // namespace collapipe
