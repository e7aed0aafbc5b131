// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_plot.h"

#include "ui/plots/cluster_labels.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <map>

namespace collapipe {

namespace {

constexpr double kBarHalfHeight = 0.36;
constexpr int kMinimumHeight = 200; ///< px, with no round or few rows

/// Pipeline position of a node: CU before stage 0, devices by stage, the edge after the last.
double nodePosition(int node, const std::map<int, int> &stageOfDevice, int stageCount)
{
    if (node == kControlUnitNode) {
        return -1.0;
    }
    if (node == kEdgeServerNode) {
        return stageCount;
    }
    const auto it = stageOfDevice.find(node);
    return it != stageOfDevice.end() ? it->second : 1000.0 + node;
}

} // namespace

QColor GanttPlot::kindColor(EventKind kind)
{
    switch (kind) {
    case EventKind::Embed:
        return QColor(150, 150, 150);
    case EventKind::Forward:
        return QColor(31, 119, 180);
    case EventKind::Backward:
        return QColor(255, 127, 14);
    case EventKind::SendActivation:
        return QColor(44, 160, 44);
    case EventKind::SendGradient:
        return QColor(214, 39, 40);
    case EventKind::DecoderForward:
        return QColor(148, 103, 189);
    case EventKind::DecoderBackward:
        return QColor(227, 119, 194);
    case EventKind::Upload:
        return QColor(140, 86, 75);
    case EventKind::Aggregate:
        return QColor(23, 190, 207);
    }
    return Qt::black;
}

QString GanttPlot::kindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Embed:
        return tr("embed");
    case EventKind::Forward:
        return tr("forward");
    case EventKind::Backward:
        return tr("backward");
    case EventKind::SendActivation:
        return tr("send activation");
    case EventKind::SendGradient:
        return tr("send gradient");
    case EventKind::DecoderForward:
        return tr("edge fwd");
    case EventKind::DecoderBackward:
        return tr("edge bwd");
    case EventKind::Upload:
        return tr("upload");
    case EventKind::Aggregate:
        return tr("aggregate");
    }
    return {};
}

GanttPlot::GanttPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("pipeline-gantt"));
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(
        this, tr("Pipeline Gantt — no round selected"), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);
    xAxis->setLabel(tr("time in round [s]"));
    yAxis->setRangeReversed(true); // first resource on top
    yAxis->grid()->setVisible(false);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    yAxis->setTickLabelFont(QFont(font().family(), 8));
    setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setRangeDrag(Qt::Horizontal);
    // Legend entries: one empty, filled graph per kind (items have no legend of their own).
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(3); // 5 per row clipped the names in a dock of ~450 px
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(2, 0, legend);
    plotLayout()->setRowStretchFactor(2, 0.001);
    for (EventKind k : {EventKind::Forward, EventKind::Backward, EventKind::SendActivation,
             EventKind::SendGradient, EventKind::Embed, EventKind::DecoderForward,
             EventKind::DecoderBackward, EventKind::Upload, EventKind::Aggregate}) {
        QCPGraph *g = addGraph();
        g->setName(kindName(k));
        g->setPen(QPen(kindColor(k).darker(140)));
        g->setBrush(kindColor(k));
    }
    m_sweep.setStartValue(0.0);
    m_sweep.setDuration(600);
    connect(&m_sweep, &QVariantAnimation::valueChanged, this,
        [this](const QVariant &v) { sweepTo(v.toDouble()); });
    setMouseTracking(true);
    // Explicit, so the title (it grows with the round's text) never sets the window's width.
    setMinimumSize(300, kMinimumHeight);
}

void GanttPlot::fitRowHeight()
{
    // Issue [1/7], 1280 x 800: with many devices per cluster the rows (and their labels) ran into
    // each other. Each row gets at least its label's line; the dock scrolls beyond that. The
    // plot's own overhead (title, legend, time axis) is what it takes beside the axis rect.
    const int rowPx = QFontMetrics(yAxis->tickLabelFont()).height() + 2;
    const int rows = std::max(rowCount(), 1);
    const int overhead = std::max(0, height() - axisRect()->height());
    const int rowsPx = int(std::ceil(rowPx * (rows + 0.4))); // the range adds 0.7 - 0.3 rows
    setMinimumHeight(std::max(kMinimumHeight, rowsPx + std::max(overhead, 120)));
}

void GanttPlot::clearRound()
{
    m_sweep.stop();
    for (const Bar &b : m_bars) {
        removeItem(b.rect);
    }
    for (QCPItemRect *lane : m_lanes) {
        removeItem(lane);
    }
    m_bars.clear();
    m_lanes.clear();
    m_rowLabels.clear();
    m_edgeTails.clear();
    m_round = -1;
    m_summary.clear();
    m_title->setText(tr("Pipeline Gantt — no round selected"));
    replot(QCustomPlot::rpQueuedReplot);
}

void GanttPlot::buildRows(const RoundRecord &record, std::vector<int> *rowOfEvent)
{
    // Row key per cluster: (cluster, position along the pipeline, resource) so rows read in
    // pipeline order: CU, link, stage 0, link, stage 1, …, link, edge server.
    std::map<int, std::map<int, int>> stageOf; // cluster → device → stage
    std::map<std::pair<int, int>, QString> names;
    std::map<int, int> stageCount;
    for (const ClusterRound &c : record.clusters) {
        if (c.edgeFirstBlock >= 0) {
            m_edgeTails.insert(
                c.cluster, tr("blocks %1–%2 + head").arg(c.edgeFirstBlock).arg(c.edgeLastBlock));
        }
    }
    for (const DeviceRound &d : record.devices) {
        names[{d.cluster, d.device}]
            = d.deviceId.isEmpty() ? QStringLiteral("dev %1").arg(d.device) : d.deviceId;
        if (d.stage >= 0) {
            stageOf[d.cluster][d.device] = d.stage;
            stageCount[d.cluster] = std::max(stageCount[d.cluster], d.stage + 1);
        }
    }
    auto nodeName = [&](int cluster, int node) {
        if (node == kControlUnitNode) {
            return tr("CU");
        }
        if (node == kEdgeServerNode) {
            return tr("edge");
        }
        const auto it = names.find({cluster, node});
        return it != names.end() ? it->second : QStringLiteral("dev %1").arg(node);
    };
    using Key = std::tuple<int, double, int, int, int>; // cluster, position, kind, from, to
    std::map<Key, int> rows;
    std::vector<Key> keys;
    keys.reserve(record.events.size());
    for (const TimelineEvent &e : record.events) {
        const auto &stages = stageOf[e.cluster];
        const int s = stageCount[e.cluster];
        const ResourceId &r = e.resource;
        double pos = 0.0;
        int from = r.from;
        int to = 0;
        switch (r.kind) {
        case ResourceKind::ControlUnit:
            pos = -1.0;
            from = kControlUnitNode;
            break;
        case ResourceKind::EdgeServer:
            pos = s;
            from = kEdgeServerNode;
            break;
        case ResourceKind::Device:
            pos = nodePosition(r.from, stages, s);
            break;
        case ResourceKind::Link: {
            // Both directions of a hop share one row (activations go down, gradients come back).
            const double a = nodePosition(r.from, stages, s);
            const double b = nodePosition(r.to, stages, s);
            pos = std::min(a, b) + 0.5;
            from = a <= b ? r.from : r.to;
            to = a <= b ? r.to : r.from;
            break;
        }
        }
        keys.emplace_back(e.cluster, pos, static_cast<int>(r.kind), from, to);
        rows.emplace(keys.back(), 0);
    }
    int index = 0;
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    ticker->clear();
    const bool manyClusters
        = !rows.empty() && std::get<0>(rows.begin()->first) != std::get<0>(rows.rbegin()->first);
    for (auto &[key, row] : rows) {
        row = index++;
        const auto [cluster, pos, kind, from, to] = key;
        QString label = static_cast<ResourceKind>(kind) == ResourceKind::Link
            ? QStringLiteral("%1→%2").arg(nodeName(cluster, from), nodeName(cluster, to))
            : nodeName(cluster, from);
        if (static_cast<ResourceKind>(kind) == ResourceKind::EdgeServer
            && m_edgeTails.contains(cluster)) {
            // Its "edge fwd/bwd" bars include the encoder tail, not only the head.
            label += QStringLiteral(" · ") + m_edgeTails.value(cluster);
        }
        if (manyClusters) {
            label = QStringLiteral("%1 %2").arg(clusterLabel(m_clusterIds, cluster), label);
        }
        m_rowLabels << label;
        ticker->addTick(row, label);
    }
    rowOfEvent->clear();
    for (const Key &k : keys) {
        rowOfEvent->push_back(rows[k]);
    }
}

void GanttPlot::setClusterIds(const QStringList &ids)
{
    m_clusterIds = ids;
    if (m_round >= 0) {
        const RoundRecord shown = m_record;
        setRecord(shown);
    }
}

void GanttPlot::setRecord(const RoundRecord &record)
{
    clearRound();
    m_record = record;
    m_round = record.round;
    std::vector<int> rowOf;
    buildRows(record, &rowOf);
    m_end = 0.0;
    for (const TimelineEvent &e : record.events) {
        m_end = std::max(m_end, e.endS);
    }
    const double laneEnd = std::max(m_end, 1e-9);
    for (int row = 0; row < rowCount(); ++row) {
        auto *lane = new QCPItemRect(this);
        lane->setPen(Qt::NoPen);
        lane->setBrush(QColor(238, 238, 238));
        lane->topLeft->setCoords(0.0, row - kBarHalfHeight - 0.06);
        lane->bottomRight->setCoords(laneEnd, row + kBarHalfHeight + 0.06);
        lane->setSelectable(false);
        m_lanes.push_back(lane);
    }
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const TimelineEvent &e = record.events[i];
        auto *rect = new QCPItemRect(this);
        rect->setPen(QPen(kindColor(e.kind).darker(140), 1));
        rect->setBrush(kindColor(e.kind));
        rect->setSelectable(false);
        rect->topLeft->setCoords(e.startS, rowOf[i] - kBarHalfHeight);
        rect->bottomRight->setCoords(e.endS, rowOf[i] + kBarHalfHeight);
        m_bars.push_back({rect, e, rowOf[i]});
    }
    QStringList parts;
    double minMakespan = 1e300, maxMakespan = 0.0, minBubble = 1.0, maxBubble = 0.0;
    for (const ClusterRound &c : record.clusters) {
        parts << tr("%1: makespan %2 s, bubble %3 %")
                     .arg(clusterLabel(m_clusterIds, c.cluster))
                     .arg(c.makespanS, 0, 'g', 4)
                     .arg(100.0 * c.bubbleFraction, 0, 'f', 1);
        if (m_edgeTails.contains(c.cluster)) {
            parts.last() += tr(", edge runs %1").arg(m_edgeTails.value(c.cluster));
        }
        minMakespan = std::min(minMakespan, c.makespanS);
        maxMakespan = std::max(maxMakespan, c.makespanS);
        minBubble = std::min(minBubble, c.bubbleFraction);
        maxBubble = std::max(maxBubble, c.bubbleFraction);
    }
    m_summary = tr("Round %1 — T = %2 s; %3")
                    .arg(record.round)
                    .arg(record.latencyS, 0, 'g', 4)
                    .arg(parts.join(QStringLiteral("; ")));
    // The title stays short (it sets the widget's minimum width); per-cluster detail is in
    // summary().
    auto range = [](double lo, double hi, int decimals, double scale) {
        return qFuzzyCompare(lo, hi) ? QString::number(lo * scale, 'f', decimals)
                                     : QStringLiteral("%1–%2")
                                           .arg(lo * scale, 0, 'f', decimals)
                                           .arg(hi * scale, 0, 'f', decimals);
    };
    QString title = tr("Round %1 · T = %2 s").arg(record.round).arg(record.latencyS, 0, 'g', 4);
    if (!record.clusters.empty()) {
        // Its own line: the plot's minimum width no longer follows the title, so keep lines short.
        title += tr("\nmakespan %1 s · bubble %2 %")
                     .arg(range(minMakespan, maxMakespan, 3, 1.0),
                         range(minBubble, maxBubble, 1, 100.0));
    }
    // Upload and aggregation can take far longer than the pipeline; start zoomed on the pipeline
    // so forward/backward bars and bubbles are readable (wheel or drag shows the rest).
    double pipelineEnd = 0.0;
    for (const TimelineEvent &e : record.events) {
        if (e.kind != EventKind::Upload && e.kind != EventKind::Aggregate) {
            pipelineEnd = std::max(pipelineEnd, e.endS);
        }
    }
    double shownEnd = laneEnd;
    if (pipelineEnd > 0.0 && pipelineEnd < 0.3 * laneEnd) {
        shownEnd = pipelineEnd;
        title += tr("\nzoomed to the pipeline: 0–%1 s of %2 s")
                     .arg(pipelineEnd, 0, 'g', 3)
                     .arg(laneEnd, 0, 'g', 4);
    }
    m_title->setText(title);
    xAxis->setRange(0.0, shownEnd * 1.02);
    yAxis->setRange(-0.7, std::max(rowCount(), 1) - 0.3);
    yAxis->setRangeReversed(true);
    fitRowHeight();
    if (m_animated && !m_bars.empty()) {
        m_sweep.setEndValue(m_end);
        sweepTo(0.0);
        m_sweep.start();
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void GanttPlot::sweepTo(double t)
{
    for (Bar &b : m_bars) {
        b.rect->setVisible(b.event.startS <= t);
        b.rect->bottomRight->setCoords(std::min(b.event.endS, t), b.row + kBarHalfHeight);
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void GanttPlot::mouseMoveEvent(QMouseEvent *event)
{
    const double t = xAxis->pixelToCoord(event->position().x());
    const double y = yAxis->pixelToCoord(event->position().y());
    for (const Bar &b : m_bars) {
        if (t >= b.event.startS && t <= b.event.endS && std::abs(y - b.row) <= kBarHalfHeight) {
            QString text = tr("%1, %2\n%3 – %4 s")
                               .arg(m_rowLabels.value(b.row), kindName(b.event.kind))
                               .arg(b.event.startS, 0, 'g', 5)
                               .arg(b.event.endS, 0, 'g', 5);
            if (b.event.microbatch >= 0) {
                text += tr("\nmicro-batch %1").arg(b.event.microbatch);
            }
            if (b.event.resource.kind == ResourceKind::EdgeServer
                && m_edgeTails.contains(b.event.cluster)) {
                text += tr("\nthe edge runs encoder %1").arg(m_edgeTails.value(b.event.cluster));
            }
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
            break;
        }
    }
    QCustomPlot::mouseMoveEvent(event);
}

} // namespace collapipe
