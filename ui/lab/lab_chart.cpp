// SPDX-License-Identifier: MIT
#include "ui/lab/lab_chart.h"

#include "ui/lab/lab_memory_strip.h"
#include "ui/plots/gantt_plot.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>

namespace collapipe {

namespace {

constexpr double kBarHalf = 0.36;
constexpr int kGanttRow = 2;  ///< layout rows: title, bubbles, Gantt, memory, legend
constexpr int kMemoryRow = 3; ///< (the memory strip's row)

QString percent(double fraction)
{
    return QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 1);
}

/// A W bar's colour: a hue of its own, so the deferred weight gradients stand out from B.
QColor weightGradColor()
{
    return QColor(150, 90, 190);
}

QColor barColor(const LabEvent &e)
{
    return e.resource.kind == ResourceKind::Device && e.op == OpKind::BackwardWeight
        ? weightGradColor()
        : GanttPlot::kindColor(e.kind);
}

bool isLink(const LabEvent &e)
{
    return e.resource.kind == ResourceKind::Link;
}

} // namespace

LabChart::LabChart(QWidget *parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("lab-chart"));
    const QString family = font().family();
    plotLayout()->insertRow(0);
    plotLayout()->insertRow(1);
    m_title = new QCPTextElement(this, QString(), QFont(family, 10, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);
    auto *bubbles = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, bubbles);
    // One bubble figure per line: four charts side by side on a 1280-pixel screen leave each
    // ~300 px, too narrow for the three on one line.
    bubbles->setRowSpacing(0);
    for (int i = 0; i < 3; ++i) {
        m_bubbles[i] = new QCPTextElement(this, QString(), QFont(family, 8));
        m_bubbles[i]->setMargins(QMargins(2, 0, 2, 0));
        bubbles->addElement(i, 0, m_bubbles[i]);
    }
    plotLayout()->setRowStretchFactor(0, 0.001);
    plotLayout()->setRowStretchFactor(1, 0.001);
    xAxis->setTickLabelFont(QFont(family, 8));
    yAxis->setRangeReversed(true);
    yAxis->grid()->setVisible(false);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    yAxis->setTickLabelFont(QFont(family, 8));
    m_memory = std::make_unique<LabMemoryStrip>(this, kMemoryRow);
    plotLayout()->setRowStretchFactor(kGanttRow, 3.0);
    plotLayout()->setRowStretchFactor(kMemoryRow, 1.2);
    // Gantt and memory strip share the time axis and the left edge.
    auto *margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_memory->axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    QCPAxis *memoryX = m_memory->axisRect()->axis(QCPAxis::atBottom);
    connect(xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), memoryX,
        qOverload<const QCPRange &>(&QCPAxis::setRange));
    legend->setVisible(true);
    legend->setFont(QFont(family, 8));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    // Two columns: a chart may be ~300 px wide (four side by side at 1280 px).
    legend->setWrap(2);
    legend->setIconSize(14, 8);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(6);
    legend->setBorderPen(Qt::NoPen);
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(4, 0, legend);
    plotLayout()->setRowStretchFactor(4, 0.001);
    m_highlight = new QCPItemRect(this);
    m_highlight->setPen(QPen(Qt::black, 2.5));
    m_highlight->setBrush(Qt::NoBrush);
    m_highlight->setLayer(QStringLiteral("overlay"));
    m_highlight->setVisible(false);
    m_cursor = new QCPItemStraightLine(this);
    m_cursor->setPen(QPen(QColor(90, 90, 90), 1.0, Qt::DashLine)); // thin: labels stay legible
    m_cursor->setClipAxisRect(axisRect());
    m_cursor->setLayer(QStringLiteral("overlay"));
    m_cursor->setVisible(false);
    // The legend lists the bar kinds only, not the memory strip's graphs.
    setAutoAddPlottableToLegend(false);
    setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setRangeDrag(Qt::Horizontal);
    // Labels fit or not at the final pixel size: decide once the layout is known.
    connect(this, &QCustomPlot::afterLayout, this, &LabChart::placeLabels);
    setMouseTracking(true);
    // Four charts side by side must fit a 1280-pixel screen (the Lab floats at 94 % of it).
    setMinimumSize(260, 300);
}

LabChart::~LabChart() = default;

void LabChart::setSchedule(const LabPlan &plan, int index, double endS)
{
    m_plan = plan;
    m_index = index;
    m_endS = endS;
    m_name = plan.schedules[std::size_t(index)].kind.name;
    rebuild();
}

QStringList LabChart::legendNames() const
{
    QStringList names;
    for (const QCPGraph *g : m_legendGraphs) {
        names << g->name();
    }
    return names;
}

int LabChart::chunks() const
{
    if (m_plan.schedules.empty()) {
        return 1;
    }
    const LabScheduleKind &k = m_plan.schedules[std::size_t(m_index)].kind;
    return chunksOf(k.schedule, k.chunks);
}

void LabChart::setComputeOnly(bool computeOnly)
{
    if (computeOnly != m_computeOnly) {
        m_computeOnly = computeOnly;
        if (!m_plan.schedules.empty()) {
            rebuild();
        }
    }
}

int LabChart::rowOf(const LabEvent &e) const
{
    // With links: CU, hop, S0, hop, S1, …, S(S−1), hop, edge → rows 0, 1, 2, … 2S+2.
    const auto position = [this](int node) {
        if (node == kControlUnitNode) {
            return -1;
        }
        if (node == kEdgeServerNode) {
            return m_plan.stageCount;
        }
        const auto it = std::find(m_plan.stageDevice.begin(), m_plan.stageDevice.end(), node);
        return int(it - m_plan.stageDevice.begin());
    };
    if (m_computeOnly) {
        return e.stage;
    }
    switch (e.resource.kind) {
    case ResourceKind::ControlUnit:
        return 0;
    case ResourceKind::EdgeServer:
        return 2 * m_plan.stageCount + 2;
    case ResourceKind::Device:
        return 2 * e.stage + 2;
    case ResourceKind::Link:
        return 2 * std::min(position(e.resource.from), position(e.resource.to)) + 3;
    }
    return 0;
}

void LabChart::rebuild()
{
    for (QCPItemRect *item : m_items) {
        removeItem(item);
    }
    for (const Label &l : m_labels) {
        removeItem(l.text);
    }
    m_items.clear();
    m_labels.clear();
    for (QCPGraph *g : m_legendGraphs) {
        removeGraph(g);
    }
    m_legendGraphs.clear();
    const LabSchedule &s = m_plan.schedules[std::size_t(m_index)];
    m_shown = m_computeOnly ? s.computeOnly : s.withLinks;
    m_ops = computeOps(m_shown);
    const int S = m_plan.stageCount;
    m_rowLabels.clear();
    if (!m_computeOnly) {
        m_rowLabels << tr("CU") << tr("link CU–S0");
    }
    for (int j = 0; j < S; ++j) {
        // Short: the blocks are in the status line and the bars' tooltips.
        const int device = m_plan.stageDevice[std::size_t(j)];
        m_rowLabels << QStringLiteral("S%1 %2").arg(j).arg(m_plan.deviceNames.value(device));
        if (!m_computeOnly) {
            m_rowLabels << (j + 1 < S ? tr("link S%1–S%2").arg(j).arg(j + 1)
                                      : tr("link S%1–edge").arg(j));
        }
    }
    if (!m_computeOnly) {
        m_rowLabels << tr("edge (head)");
    }
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    ticker->clear();
    for (int r = 0; r < m_rowLabels.size(); ++r) {
        ticker->addTick(r, m_rowLabels[r]);
    }
    const double end
        = m_endS > 0.0 ? m_endS : (m_computeOnly ? s.computeOnlyMakespanS : s.makespanS);
    for (int r = 0; r < m_rowLabels.size(); ++r) {
        auto *lane = new QCPItemRect(this);
        lane->setPen(Qt::NoPen);
        lane->setBrush(QColor(238, 238, 238));
        lane->topLeft->setCoords(0.0, r - kBarHalf - 0.06);
        lane->bottomRight->setCoords(end, r + kBarHalf + 0.06);
        m_items.push_back(lane);
    }
    const bool split = splitsBackward(s.kind.schedule);
    QList<EventKind> kinds{EventKind::Forward, EventKind::Backward};
    if (!m_computeOnly) {
        kinds << EventKind::SendActivation << EventKind::SendGradient << EventKind::Embed
              << EventKind::DecoderForward << EventKind::DecoderBackward;
    }
    for (EventKind k : kinds) {
        QCPGraph *g = addGraph();
        g->setName(split && k == EventKind::Backward ? opName(OpKind::BackwardInput)
                                                     : GanttPlot::kindName(k));
        g->setPen(QPen(GanttPlot::kindColor(k).darker(140)));
        g->setBrush(GanttPlot::kindColor(k));
        g->addToLegend();
        m_legendGraphs.push_back(g);
        if (split && k == EventKind::Backward) {
            QCPGraph *w = addGraph();
            w->setName(opName(OpKind::BackwardWeight));
            w->setPen(QPen(weightGradColor().darker(140)));
            w->setBrush(weightGradColor());
            w->addToLegend();
            m_legendGraphs.push_back(w);
        }
    }
    const QFont labelFont(font().family(), 8);
    for (const LabEvent &e : m_shown) {
        if (e.endS <= e.startS && isLink(e)) {
            continue; // a free hop (compute only) has nothing to draw
        }
        const int row = rowOf(e);
        auto *bar = new QCPItemRect(this);
        bar->setPen(QPen(barColor(e).darker(140), 1));
        bar->setBrush(barColor(e));
        bar->topLeft->setCoords(e.startS, row - kBarHalf);
        bar->bottomRight->setCoords(e.endS, row + kBarHalf);
        m_items.push_back(bar);
        if (e.resource.kind == ResourceKind::Device) {
            auto *text = new QCPItemText(this);
            text->setText(QString::number(e.microbatch));
            text->setFont(labelFont);
            text->setColor(Qt::white);
            text->setClipToAxisRect(true);
            text->position->setCoords((e.startS + e.endS) / 2.0, row);
            m_labels.push_back({text, e, row});
        }
    }
    // Two lines: the schedule's name stays whole when four charts share the width.
    m_title->setText(tr("%1\nS = %2, M = %3 · makespan %4 s")
                         .arg(m_name)
                         .arg(S)
                         .arg(m_plan.microbatches)
                         .arg(m_computeOnly ? s.computeOnlyMakespanS : s.makespanS, 0, 'g', 3));
    for (Bubble b : {Bubble::Textbook, Bubble::ComputeOnly, Bubble::WithLinks}) {
        m_bubbles[int(b)]->setText(bubbleText(b));
    }
    // The number that matches the chart shown is bold.
    m_bubbles[int(Bubble::ComputeOnly)]->setFont(
        QFont(font().family(), 8, m_computeOnly ? QFont::Bold : QFont::Normal));
    m_bubbles[int(Bubble::WithLinks)]->setFont(
        QFont(font().family(), 8, m_computeOnly ? QFont::Normal : QFont::Bold));
    xAxis->setRange(-0.01 * end, end * 1.01); // the first bar's label clear of the axis
    yAxis->setRange(-0.6, std::max<qsizetype>(1, m_rowLabels.size()) - 0.4);
    yAxis->setRangeReversed(true);
    m_memory->setOps(m_ops, m_plan.stageNames, m_plan.microbatches);
    setStep(m_step);
}

void LabChart::setStep(int step)
{
    m_step = m_ops.empty() ? -1 : std::clamp(step, -1, int(m_ops.size()) - 1);
    placeHighlight();
    m_memory->setCursor(cursorS());
    replot(QCustomPlot::rpQueuedReplot);
}

const LabEvent *LabChart::currentOp() const
{
    return m_step >= 0 && m_step < int(m_ops.size()) ? &m_ops[std::size_t(m_step)] : nullptr;
}

double LabChart::cursorS() const
{
    const LabEvent *op = currentOp();
    return op ? op->endS : -1.0;
}

int LabChart::stashedAtCursor(int stage) const
{
    return m_memory->valueAtCursor(stage);
}

QStringList LabChart::memoryLaneLabels() const
{
    return m_memory->laneLabels();
}

void LabChart::placeHighlight()
{
    const LabEvent *op = currentOp();
    m_highlight->setVisible(op != nullptr);
    m_cursor->setVisible(op != nullptr);
    if (!op) {
        return;
    }
    const int row = rowOf(*op);
    m_highlight->topLeft->setCoords(op->startS, row - kBarHalf - 0.08);
    m_highlight->bottomRight->setCoords(op->endS, row + kBarHalf + 0.08);
    m_cursor->point1->setCoords(op->endS, 0.0);
    m_cursor->point2->setCoords(op->endS, 1.0);
}

void LabChart::placeLabels()
{
    const QFontMetricsF metrics(QFont(font().family(), 8));
    const double rowPx = rowPixels();
    for (Label &l : m_labels) {
        const double x0 = xAxis->coordToPixel(l.op.startS);
        const double x1 = xAxis->coordToPixel(l.op.endS);
        // The advance width, not the ink: digits share one advance, so a bar that holds "1" also
        // holds "0", and thin neighbours never show a lone digit each that reads as one number
        // ("1" "2" looking like "12"). Three pixels to spare on each side.
        const double textWidth = metrics.horizontalAdvance(l.text->text());
        const double textHeight = metrics.tightBoundingRect(l.text->text()).height();
        l.text->setVisible(x1 - x0 >= textWidth + 6.0 && rowPx * 2 * kBarHalf >= textHeight);
    }
}

QList<QRectF> LabChart::visibleLabelRects() const
{
    QList<QRectF> rects;
    const QFontMetricsF metrics(QFont(font().family(), 8));
    for (const Label &l : m_labels) {
        if (l.text->visible()) {
            const QSizeF size = metrics.tightBoundingRect(l.text->text()).size();
            const QPointF c(
                xAxis->coordToPixel(l.text->position->coords().x()), yAxis->coordToPixel(l.row));
            const QRectF r(c - QPointF(size.width() / 2, size.height() / 2), size);
            if (axisRect()->rect().intersects(r.toRect())) {
                rects << r;
            }
        }
    }
    return rects;
}

double LabChart::rowPixels() const
{
    return std::abs(yAxis->coordToPixel(1.0) - yAxis->coordToPixel(0.0));
}

QString LabChart::bubbleText(Bubble which) const
{
    if (m_plan.schedules.empty()) {
        return {};
    }
    const LabSchedule &s = m_plan.schedules[std::size_t(m_index)];
    switch (which) {
    case Bubble::Textbook:
        return tr("textbook bubble %1")
            .arg(s.textbookBubble < 0.0 ? QStringLiteral("—") : percent(s.textbookBubble));
    case Bubble::ComputeOnly:
        return tr("compute-only bubble %1").arg(percent(s.bubbleComputeOnly));
    case Bubble::WithLinks:
        return tr("bubble with links %1").arg(percent(s.bubbleWithLinks));
    }
    return {};
}

QString LabChart::bubbleToolTip(Bubble which) const
{
    if (m_plan.schedules.empty()) {
        return {};
    }
    const LabSchedule &s = m_plan.schedules[std::size_t(m_index)];
    switch (which) {
    case Bubble::Textbook:
        return s.textbookDefinition;
    case Bubble::ComputeOnly:
        return tr("Simulated, compute only: 1 − Σ busy / (S · makespan) over the S devices, with "
                  "these devices' real forward and backward times but free links, CU and edge. "
                  "Differs from the textbook when the stages are unequal.");
    case Bubble::WithLinks:
        return tr("Simulated with communication: the same idle share over one iteration of the "
                  "full chain (CU embedding, every transfer on its link, the edge's head), as the "
                  "cost model times it. Devices waiting for the radio count as idle. %1")
            .arg(m_plan.hopNote);
    }
    return {};
}

void LabChart::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF p = event->position();
    for (Bubble b : {Bubble::Textbook, Bubble::ComputeOnly, Bubble::WithLinks}) {
        if (m_bubbles[int(b)]->outerRect().contains(p.toPoint())) {
            QToolTip::showText(event->globalPosition().toPoint(), bubbleToolTip(b), this);
            QCustomPlot::mouseMoveEvent(event);
            return;
        }
    }
    const double t = xAxis->pixelToCoord(p.x());
    const double y = yAxis->pixelToCoord(p.y());
    for (const LabEvent &e : m_shown) {
        if (t >= e.startS && t <= e.endS && std::abs(y - rowOf(e)) <= kBarHalf) {
            const QString row = e.resource.kind == ResourceKind::Device
                ? QStringLiteral("S%1 %2").arg(e.stage).arg(m_plan.stageNames.value(e.stage))
                : m_rowLabels.value(rowOf(e));
            const QString what = e.resource.kind == ResourceKind::Device
                ? opName(e.op)
                : GanttPlot::kindName(e.kind);
            QString text = tr("%1, %2\n%3 – %4 s")
                               .arg(row, what)
                               .arg(e.startS, 0, 'g', 4)
                               .arg(e.endS, 0, 'g', 4);
            if (e.microbatch >= 0) {
                text += chunks() > 1 && e.resource.kind == ResourceKind::Device
                    ? tr("\nmicro-batch %1, chunk %2").arg(e.microbatch).arg(e.chunk)
                    : tr("\nmicro-batch %1").arg(e.microbatch);
            }
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
            break;
        }
    }
    QCustomPlot::mouseMoveEvent(event);
}

} // namespace collapipe
