// SPDX-License-Identifier: MIT
#include "ui/canvas/topology_view.h"

#include "ui/canvas/abstract_tool.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/run_legend.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/scale_bar_strip.h"
#include "ui/canvas/topology_scene.h"
#include "ui/settings/settings_store.h"

#include <QAction>
#include <QActionGroup>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

Setting<bool> &legendShownSetting()
{
    static Setting<bool> setting{QStringLiteral("canvas/runLegendShown"), true};
    return setting;
}

Setting<int> &legendCornerSetting()
{
    // -1: automatic (the corner covering the least of the topology).
    static Setting<int> setting{QStringLiteral("canvas/runLegendCorner"), -1};
    return setting;
}

} // namespace

double niceLength(double target)
{
    if (!(target > 0.0)) {
        return 1.0;
    }
    const double base = std::pow(10.0, std::floor(std::log10(target)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * base >= target) {
            return m * base;
        }
    }
    return 10.0 * base;
}

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
    , m_scaleBar(new ScaleBarStrip(this))
{
    // The scale bar's strip: below the viewport, so the topology never passes under it.
    setViewportMargins(0, 0, 0, ScaleBarStrip::stripHeight());
    // Scroll bars always: the viewport's size does not change with the scene rect, so a fit is
    // not undone a turn later by scroll bars coming (the scene rect has a margin of the
    // topology's size around it: they were shown at any zoom near fit anyway).
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setRenderHint(QPainter::Antialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    // Only what changed is repainted (issue [7/7]: a drag step repainted and uploaded the whole
    // viewport); what follows the view (the legend) repaints it all on a zoom or a scroll
    // (zoomUpdated, scrollContentsBy) and when the legend moves (drawForeground).
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    // drawBackground() fills every exposed pixel: the widget's own background fill would paint
    // the viewport twice per frame.
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    syncToolMode();
    // While the scene builds a new scenario in steps the viewport keeps its last picture (the
    // busy dialog is up): painting a half-built scene each step cost more than building it.
    connect(scene, &TopologyScene::buildStarted, this,
        [this] { viewport()->setUpdatesEnabled(false); });
    connect(scene, &TopologyScene::buildFinished, this, [this] {
        viewport()->setUpdatesEnabled(true);
        viewport()->update();
        // The fit at topologyBuilt came before the labels: measure them now, as a build at
        // once does (a small scenario built in steps frames the same).
        if (m_fitted && measuresFit()) {
            fitTopology();
        }
    });
    // The legend names the round shown: repaint where it was and where it goes whenever the
    // round changes (a partial update repaints only the items that changed, which left the key
    // naming a round or two before the one the Gantt and the replay bar show).
    connect(scene, &TopologyScene::roundShown, this, &TopologyView::updateLegendArea);
    connect(scene, &TopologyScene::roundCleared, this, &TopologyView::updateLegendArea);
    connect(scene, &TopologyScene::topologyBuilt, this, [this] {
        if (m_fitWhenBuilt) {
            fitTopology();
        }
    });
    // A scroll bar moved by the user ends "fitted" (see resizeEvent); the fit's own scrolling
    // does not trigger actions.
    for (QScrollBar *bar : {horizontalScrollBar(), verticalScrollBar()}) {
        connect(bar, &QScrollBar::actionTriggered, this, [this] { m_fitted = false; });
    }

    const int storedCorner = legendCornerSetting().get();
    m_legendAuto = storedCorner < 0;
    m_legendCorner = m_legendAuto ? Qt::TopLeftCorner : static_cast<Qt::Corner>(storedCorner);
    m_legendShown = new QAction(tr("Show run legend"), this);
    m_legendShown->setCheckable(true);
    m_legendShown->setChecked(legendShownSetting().get());
    m_legendShown->setToolTip(tr("The key of the run overlay on the canvas"));
    connect(m_legendShown, &QAction::toggled, this, &TopologyView::setLegendVisible);
    m_legendActions.append(m_legendShown);
    auto *corners = new QActionGroup(this);
    QAction *automatic = corners->addAction(tr("Out of the way (automatic)"));
    automatic->setCheckable(true);
    automatic->setChecked(m_legendAuto);
    connect(automatic, &QAction::triggered, this, [this] { setLegendCornerAutomatic(); });
    m_legendActions.append(automatic);
    for (const auto &[corner, text] : {std::pair{Qt::TopLeftCorner, tr("Top left")},
             std::pair{Qt::TopRightCorner, tr("Top right")},
             std::pair{Qt::BottomLeftCorner, tr("Bottom left")},
             std::pair{Qt::BottomRightCorner, tr("Bottom right")}}) {
        QAction *action = corners->addAction(text);
        action->setCheckable(true);
        action->setChecked(!m_legendAuto && corner == m_legendCorner);
        const Qt::Corner c = corner;
        connect(action, &QAction::triggered, this, [this, c] { setLegendCorner(c); });
        m_legendActions.append(action);
    }
}

void TopologyView::setLegendVisible(bool visible)
{
    if (m_legendShown->isChecked() != visible) {
        m_legendShown->setChecked(visible); // comes back here through toggled
        return;
    }
    legendShownSetting().set(visible);
    viewport()->update();
}

bool TopologyView::isLegendVisible() const
{
    return m_legendShown->isChecked();
}

void TopologyView::setLegendCorner(Qt::Corner corner)
{
    m_legendAuto = false;
    m_legendCorner = corner;
    legendCornerSetting().set(corner);
    const int index = 2
        + QList<Qt::Corner>{Qt::TopLeftCorner, Qt::TopRightCorner, Qt::BottomLeftCorner,
            Qt::BottomRightCorner}
              .indexOf(corner);
    if (index > 1 && index < m_legendActions.size()) {
        m_legendActions[index]->setChecked(true);
    }
    viewport()->update();
}

void TopologyView::setLegendCornerAutomatic()
{
    m_legendAuto = true;
    legendCornerSetting().set(-1);
    m_legendActions[1]->setChecked(true);
    viewport()->update();
}

Qt::Corner TopologyView::legendCorner() const
{
    return legendPlace().corner;
}

bool TopologyView::isLegendCompact() const
{
    return legendPlace().compact;
}

QRectF TopologyView::runChipRect(const QGraphicsItem *item, const QTransform &viewportTransform)
{
    if (const auto *badge = dynamic_cast<const DeviceRunBadge *>(item)) {
        return badge->isChipShown()
            ? badge->deviceTransform(viewportTransform).mapRect(badge->chipRect())
            : QRectF();
    }
    if (const auto *edge = dynamic_cast<const EdgeRunBadge *>(item)) {
        return edge->isChipShown()
            ? edge->deviceTransform(viewportTransform).mapRect(edge->chipRect())
            : QRectF();
    }
    return {};
}

TopologyView::LegendPlace TopologyView::legendPlace() const
{
    if (!m_legendAuto) {
        return {m_legendCorner, false};
    }
    // The corner whose legend covers the fewest device and server icons and labels, then the
    // least area of the other items (hulls, links). When every corner would cover an icon or a
    // label with the whole key, the compact legend (title row) goes where it covers the least.
    // One pass over the top-level items, each mapped once.
    constexpr std::array corners{
        Qt::TopLeftCorner, Qt::TopRightCorner, Qt::BottomRightCorner, Qt::BottomLeftCorner};
    constexpr double kNodeCost = 1e9; // covering one icon or label outweighs any area
    std::array<QRectF, 8> rects;
    std::array<double, 8> cost{};
    for (std::size_t i = 0; i < corners.size(); ++i) {
        rects[i] = legendRectAt(corners[i], false);
        rects[i + 4] = legendRectAt(corners[i], true);
    }
    const QTransform vt = viewportTransform();
    for (const QGraphicsItem *item : m_scene->items()) {
        if (!item->isVisible()) {
            continue;
        }
        // A cluster's name is its hull's child but counts like an icon: the legend covered
        // "Library" on the campus-day canvas at 1280 × 800. So does a run chip shown by its
        // device or edge server (the key covered segment chips at 1280 × 800, zoomed in).
        const QRectF chip = item->parentItem() ? runChipRect(item, vt) : QRectF();
        const bool clusterName = chip.isNull() && item->parentItem()
            && dynamic_cast<const ClusterLabelItem *>(item) != nullptr;
        if (item->parentItem() && !clusterName && chip.isNull()) {
            continue;
        }
        const QRectF r
            = chip.isNull() ? item->deviceTransform(vt).mapRect(item->boundingRect()) : chip;
        const bool node
            = clusterName || !chip.isNull() || dynamic_cast<const NodeItem *>(item) != nullptr;
        for (std::size_t i = 0; i < rects.size(); ++i) {
            if (!r.intersects(rects[i])) {
                continue;
            }
            const QRectF overlap = r.intersected(rects[i]);
            cost[i] += node ? kNodeCost : overlap.width() * overlap.height();
        }
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < rects.size(); ++i) {
        // The whole key while some corner has room for it; the compact one only otherwise.
        const bool better
            = i < 4 ? cost[i] < cost[best] : cost[best] >= kNodeCost && cost[i] < cost[best];
        if (better) {
            best = i;
        }
    }
    return {corners[best % 4], best >= 4};
}

QRectF TopologyView::scaleBarRect() const
{
    return m_scaleBar->barRect().translated(m_scaleBar->pos() - viewport()->pos());
}

void TopologyView::updateLegendArea()
{
    const QRect was = m_legendDrawn.toAlignedRect().adjusted(-2, -2, 2, 2);
    const QRect now = legendRect().toAlignedRect().adjusted(-2, -2, 2, 2);
    if (!was.isEmpty()) {
        viewport()->update(was);
    }
    if (!now.isEmpty()) {
        viewport()->update(now);
    }
}

QRectF TopologyView::legendRect() const
{
    if (!isLegendVisible() || !m_scene->isShowingRound()) {
        return QRectF();
    }
    const LegendPlace place = legendPlace();
    // Hovering the compact legend shows the whole key from the same corner.
    return legendRectAt(place.corner, place.compact && !m_legendHover);
}

QRectF TopologyView::legendRectAt(Qt::Corner corner, bool compact) const
{
    const QSizeF size = runLegendSize(compact);
    const QRectF area = QRectF(viewport()->rect()).adjusted(10, 10, -10, -10);
    const bool right = corner == Qt::TopRightCorner || corner == Qt::BottomRightCorner;
    const bool bottom = corner == Qt::BottomLeftCorner || corner == Qt::BottomRightCorner;
    const double x = right ? area.right() - size.width() : area.left();
    const double y = bottom ? area.bottom() - size.height() : area.top();
    return QRectF(QPointF(x, y), size);
}

double TopologyView::zoom() const
{
    return transform().m11();
}

void TopologyView::setShowGrid(bool show)
{
    m_showGrid = show;
    viewport()->update();
}

void TopologyView::zoomIn()
{
    m_fitted = false;
    const auto anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    scaleBy(1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut()
{
    m_fitted = false;
    const auto anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    scaleBy(1.0 / 1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::focusRef(const ItemRef &ref)
{
    if (ref.isNull() || ref.kind == ItemKind::Settings) {
        return;
    }
    m_fitted = false; // it may scroll
    m_scene->selectRefs({ref});
    if (ref.kind == ItemKind::Cluster) {
        if (const QGraphicsItem *hull = m_scene->hullItem(ref.id)) {
            ensureVisible(hull->boundingRect(), 40, 40);
        }
    } else if (const QGraphicsItem *node = m_scene->nodeItem(ref)) {
        // Scroll only if needed, so the rest of the topology stays where the user left it.
        ensureVisible(QRectF(node->pos(), QSizeF(0.01, 0.01)), 80, 80);
    }
}

void TopologyView::syncToolMode()
{
    AbstractTool *tool = m_scene->tool();
    setDragMode(tool ? tool->dragMode() : QGraphicsView::RubberBandDrag);
    viewport()->setCursor(tool ? tool->cursor() : QCursor(Qt::ArrowCursor));
}

void TopologyView::scaleBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (target == zoom()) {
        return;
    }
    scale(target / zoom(), target / zoom());
    zoomUpdated();
}

void TopologyView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    // Queued: MainWindow::openInitial's fit (queued before the show) comes first and lays the
    // labels out at the final scale; this is the fallback when nothing fits the view.
    QTimer::singleShot(0, this, [this] { m_scene->layoutDeferredLabels(); });
}

void TopologyView::paintEvent(QPaintEvent *event)
{
    if (m_scene->areLabelsDeferred()) {
        m_scene->layoutDeferredLabels();
    }
    QGraphicsView::paintEvent(event);
}

void TopologyView::zoomUpdated()
{
    m_scaleBar->setPixelsPerMetre(zoom());
    m_scene->setMetresPerPixel(1.0 / zoom());
    viewport()->update();
    Q_EMIT zoomChanged(zoom());
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0) {
        m_fitted = false;
        scaleBy(std::pow(1.15, steps));
    }
    event->accept();
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_fitted = false;
        m_panStart = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    // The last frame's legend rect: no placement pass per mouse move.
    const bool overLegend = !m_legendDrawn.isNull() && m_legendDrawn.contains(event->position());
    if (overLegend != m_legendHover) {
        m_legendHover = overLegend;
        viewport()->update();
    }
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panStart;
        m_panStart = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        syncToolMode();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void TopologyView::scrollContentsBy(int dx, int dy)
{
    // The legend stays put: a scroll repaints the whole viewport, as a full
    // update mode does (no scrolled copy of the old pixels first, which costs a frame's memmove).
    const ViewportUpdateMode mode = viewportUpdateMode();
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    QGraphicsView::scrollContentsBy(dx, dy);
    setViewportUpdateMode(mode);
}

void TopologyView::leaveEvent(QEvent *event)
{
    if (m_legendHover) {
        m_legendHover = false;
        viewport()->update();
    }
    QGraphicsView::leaveEvent(event);
}

void TopologyView::drawBackground(QPainter *painter, const QRectF &rect)
{
    painter->fillRect(rect, canvasBackground());
    if (!m_showGrid) {
        return;
    }
    // Grid step: a nice number of metres at least 40 px apart.
    const double step = niceLength(40.0 / zoom());
    QPen pen(QColor(228, 228, 222), 0);
    painter->setPen(pen);
    painter->setRenderHint(QPainter::Antialiasing, false); // axis-aligned: no need, much cheaper
    const double x0 = std::floor(rect.left() / step) * step;
    const double y0 = std::floor(rect.top() / step) * step;
    QVector<QLineF> lines;
    for (double x = x0; x <= rect.right(); x += step) {
        lines.append(QLineF(x, rect.top(), x, rect.bottom()));
    }
    for (double y = y0; y <= rect.bottom(); y += step) {
        lines.append(QLineF(rect.left(), y, rect.right(), y));
    }
    painter->drawLines(lines);
    painter->setRenderHint(QPainter::Antialiasing);
}

void TopologyView::drawForeground(QPainter *painter, const QRectF &)
{
    // The scale bar has its own strip below the viewport (ScaleBarStrip).
    painter->save();
    painter->resetTransform();
    const QRectF legend = legendRect();
    if (legend != m_legendDrawn) {
        // The legend moved or changed size: a partial repaint would leave a piece of the old one.
        viewport()->update();
    }
    m_legendDrawn = legend;
    if (!m_legendDrawn.isNull()) {
        // The overlay's key: the run view must read without the manual.
        const bool compact = m_legendDrawn.height() < runLegendSize().height();
        paintRunLegend(painter, m_legendDrawn.topLeft(), m_scene->runOverlay()->round(), compact);
    }
    painter->restore();
}

} // namespace collapipe
