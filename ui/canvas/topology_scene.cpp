// SPDX-License-Identifier: MIT
#include "ui/canvas/topology_scene.h"

#include "ui/canvas/abstract_tool.h"
#include "ui/canvas/canvas_labels.h"
#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/control_unit_item.h"
#include "ui/canvas/device_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_server_item.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"
#include "ui/model/validation_model.h"

#include <QGraphicsSceneHelpEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

// "Compute: 2e+12 FLOP/s" lines from the field table, so tooltips show units without a copy.
QString summary(const TopologyDocument *document, const ItemRef &ref)
{
    QStringList lines{QStringLiteral("<b>%1 %2</b>").arg(itemKindName(ref.kind), ref.id)};
    for (const BoundField &field : boundFields(ref)) {
        const QVariant value = field.get(document->scenario());
        // Mobility rows are for Properties; the round's position shows the motion itself.
        if (!value.isValid() || field.info.kind == FieldKind::Enum
            || field.info.key == QLatin1String("id")
            || field.info.key.startsWith(QLatin1String("mobility."))) {
            continue;
        }
        if (field.info.kind == FieldKind::String) {
            if (!value.toString().isEmpty()) {
                lines.append(
                    field.info.label + QStringLiteral(": ") + value.toString().toHtmlEscaped());
            }
            continue;
        }
        lines.append(
            QStringLiteral("%1: %2 %3")
                .arg(field.info.label, formatFieldNumber(value.toDouble()), field.info.unit));
    }
    return lines.join(QStringLiteral("<br>"));
}

} // namespace

TopologyScene::TopologyScene(TopologyDocument *document, QObject *parent)
    : QGraphicsScene(parent)
    , m_document(document)
    , m_overlay(std::make_unique<RunOverlay>(this))
{
    // No index: a BSP index helped a 1,000-device pan a little but made adding 100,000 devices
    // (each placed once) stall the open; most items ignore transformations and are visited
    // either way.
    setItemIndexMethod(QGraphicsScene::NoIndex);
    connect(document, &TopologyDocument::scenarioReset, this, &TopologyScene::rebuild);
    connect(document, &TopologyDocument::itemAdded, this, &TopologyScene::onItemAdded);
    connect(document, &TopologyDocument::itemAboutToBeRemoved, this,
        &TopologyScene::onItemAboutToBeRemoved);
    connect(document, &TopologyDocument::clusterConnected, this,
        [this](const QString &clusterId) { onClusterConnected(clusterId); });
    connect(document, &TopologyDocument::itemMoved, this, &TopologyScene::onItemMoved);
    connect(document, &TopologyDocument::propertyChanged, this, &TopologyScene::onPropertyChanged);
    connect(document, &TopologyDocument::changed, this, &TopologyScene::finishEdit);
    connect(document, &TopologyDocument::problemsChanged, this, &TopologyScene::updateFlags);
    m_dragSettle = new QTimer(this);
    m_dragSettle->setSingleShot(true);
    m_dragSettle->setInterval(kDragSettleMs);
    connect(m_dragSettle, &QTimer::timeout, this, [this] {
        if (m_labelsStale) {
            layoutLabels();
        }
    });
    connect(this, &QGraphicsScene::selectionChanged, this, [this] {
        for (ClusterGlyphItem *glyph : std::as_const(m_glyphs)) {
            if (glyph->isVisible()) {
                glyph->update(); // it draws its hull's selection
            }
        }
        if (!m_rebuilding) {
            Q_EMIT selectedRefsChanged(selectedRefs());
        }
    });
    rebuild();
}

TopologyScene::~TopologyScene()
{
    m_overlay->sceneAboutToClear(); // the base class deletes the items after this body
    // ~QGraphicsScene emits selectionChanged while it clears the items; this part of the object is
    // gone by then, so the lambda connected in the constructor must not run.
    disconnect(this, &QGraphicsScene::selectionChanged, this, nullptr);
}

void TopologyScene::showRound(const RoundRecord &record)
{
    finishBuildNow(); // the round goes onto every device
    // Moving nodes are drawn where the round had them (stored per round from store v7); nodes
    // at their scenario position, or rounds stored without positions, keep the document's.
    QHash<ItemRef, Position> moved;
    const Scenario &scenario = m_document->scenario();
    for (const DeviceRound &d : record.devices) {
        const ItemRef ref{ItemKind::Device, d.deviceId};
        if (std::isfinite(d.xM) && std::isfinite(d.yM) && m_nodes.contains(ref)
            && !(m_document->position(ref) == Position{d.xM, d.yM})) {
            moved.insert(ref, Position{d.xM, d.yM});
        }
    }
    for (const ClusterRound &c : record.clusters) {
        if (!std::isfinite(c.controlUnitXM) || !std::isfinite(c.controlUnitYM)) {
            continue;
        }
        // The record's cluster index may be stale after edits: find it through its devices.
        for (const DeviceRound &d : record.devices) {
            if (d.cluster != c.cluster) {
                continue;
            }
            for (const Cluster &cluster : scenario.topology.clusters) {
                for (const Device &device : cluster.devices) {
                    const ItemRef cu{ItemKind::ControlUnit, cluster.controlUnit.id};
                    if (device.id == d.deviceId
                        && !(cluster.controlUnit.position
                            == Position{c.controlUnitXM, c.controlUnitYM})) {
                        moved.insert(cu, Position{c.controlUnitXM, c.controlUnitYM});
                    }
                }
            }
            break;
        }
    }
    const bool geometryChanged = moved != m_roundPositions;
    m_roundPositions = std::move(moved);
    m_overlay->showRound(record);
    if (geometryChanged) {
        syncGeometry();
    }
    Q_EMIT roundShown(record);
}

void TopologyScene::clearRound()
{
    if (!m_roundPositions.isEmpty()) {
        finishBuildNow(); // nodes built so far stand where the round had them
    }
    m_overlay->clearRound();
    if (!m_roundPositions.isEmpty()) {
        m_roundPositions.clear();
        syncGeometry();
    }
    Q_EMIT roundCleared();
}

Position TopologyScene::shownPosition(const ItemRef &ref) const
{
    const auto it = m_roundPositions.constFind(ref);
    return it != m_roundPositions.constEnd() ? it.value() : m_document->position(ref);
}

void TopologyScene::showLabStep(const LabStepMark &mark)
{
    m_labStep = mark;
    placeLabStep();
}

void TopologyScene::clearLabStep()
{
    m_labStep.reset();
    placeLabStep();
}

void TopologyScene::placeLabStep()
{
    const NodeItem *device = m_labStep ? m_nodes.value(m_labStep->device) : nullptr;
    if (!device) {
        delete m_labStepItem;
        m_labStepItem = nullptr;
        return;
    }
    if (!m_labStepItem) {
        m_labStepItem = new LabStepItem;
        addItem(m_labStepItem);
    }
    const NodeItem *to = m_nodes.value(m_labStep->to);
    m_labStepItem->setMetresPerPixel(m_metresPerPixel);
    m_labStepItem->setEnds(device->pos(), to ? to->pos() : device->pos());
    m_labStepItem->setTexts(m_labStep->opText, to ? m_labStep->linkText : QString());
}

bool TopologyScene::isShowingRound() const
{
    return m_overlay->isShown();
}

int TopologyScene::itemCount(ItemKind kind) const
{
    if (kind == ItemKind::Cluster) {
        return static_cast<int>(m_hulls.size());
    }
    int n = 0;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        n += it.key().kind == kind ? 1 : 0;
    }
    return n;
}

int TopologyScene::linkCount(bool d2e) const
{
    int n = 0;
    for (const LinkItem *link : m_links) {
        n += (link->kind() == LinkItem::Kind::D2E) == d2e ? 1 : 0;
    }
    return n;
}

ItemRefList TopologyScene::selectedRefs() const
{
    ItemRefList refs;
    for (QGraphicsItem *item : selectedItems()) {
        if (auto *node = dynamic_cast<NodeItem *>(item)) {
            refs.append(node->ref());
        } else if (auto *hull = dynamic_cast<ClusterHullItem *>(item)) {
            refs.append(hull->ref());
        }
    }
    return refs;
}

void TopologyScene::selectRefs(const ItemRefList &refs)
{
    finishBuildNow();    // the items to select may not be made yet
    m_rebuilding = true; // one selectedRefsChanged for the whole change
    clearSelection();
    for (const ItemRef &ref : refs) {
        if (ref.kind == ItemKind::Cluster) {
            if (ClusterHullItem *hull = m_hulls.value(ref.id)) {
                hull->setSelected(true);
            }
        } else if (NodeItem *node = m_nodes.value(ref)) {
            node->setSelected(true);
        }
    }
    m_rebuilding = false;
    Q_EMIT selectedRefsChanged(selectedRefs());
}

ItemRef TopologyScene::refAt(const QPointF &scenePos) const
{
    const QTransform deviceTransform
        = QTransform::fromScale(1.0 / m_metresPerPixel, 1.0 / m_metresPerPixel);
    for (QGraphicsItem *item :
        items(scenePos, Qt::IntersectsItemShape, Qt::DescendingOrder, deviceTransform)) {
        if (detailOpacity(item) == 0.0) {
            continue; // faded out: its cluster is drawn as a glyph
        }
        if (auto *node = dynamic_cast<NodeItem *>(item)) {
            return node->ref();
        }
        if (auto *hull = dynamic_cast<ClusterHullItem *>(item)) {
            return hull->ref();
        }
        if (auto *label = dynamic_cast<ClusterLabelItem *>(item)) {
            return label->hull()->ref(); // the name stands for the cluster (click, drag)
        }
        if (auto *glyph = dynamic_cast<ClusterGlyphItem *>(item);
            glyph && glyph->acceptedMouseButtons() != Qt::NoButton) {
            return glyph->hull()->ref(); // so does the glyph
        }
    }
    return ItemRef{};
}

QString TopologyScene::clusterNear(const QPointF &scenePos) const
{
    const ItemRef under = refAt(scenePos);
    if (under.kind == ItemKind::Cluster && !under.isNull()) {
        return under.id;
    }
    if ((under.kind == ItemKind::Device || under.kind == ItemKind::ControlUnit)
        && !under.isNull()) {
        const int ci = m_document->clusterIndexOfMember(under.id);
        return m_document->scenario().topology.clusters[static_cast<size_t>(ci)].id;
    }
    QString best;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (const Cluster &c : m_document->scenario().topology.clusters) {
        const double d = QLineF(scenePos, toScenePoint(c.controlUnit.position)).length();
        if (d < bestDistance) {
            bestDistance = d;
            best = c.id;
        }
    }
    return best;
}

QString TopologyScene::edgeServerNear(const QPointF &scenePos) const
{
    QString best;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (const EdgeServer &e : m_document->scenario().topology.edgeServers) {
        const double d = QLineF(scenePos, toScenePoint(e.position)).length();
        if (d < bestDistance) {
            bestDistance = d;
            best = e.id;
        }
    }
    return best;
}

void TopologyScene::setTool(AbstractTool *tool)
{
    if (m_tool) {
        m_tool->deactivate();
    }
    m_tool = tool;
    if (m_tool) {
        Q_EMIT statusMessage(m_tool->statusHint());
    }
}

QPointF TopologyScene::snapped(const QPointF &scenePos) const
{
    if (!m_snap) {
        return scenePos;
    }
    const double step = snapStepM();
    return QPointF(std::round(scenePos.x() / step) * step, std::round(scenePos.y() / step) * step);
}

void TopologyScene::setMetresPerPixel(double metresPerPixel)
{
    if (metresPerPixel <= 0.0 || (metresPerPixel == m_metresPerPixel && !m_labelsDeferred)) {
        return;
    }
    m_metresPerPixel = metresPerPixel;
    if (m_build) {
        // The build sizes hulls and links cluster by cluster with the level of detail; a zoom
        // while it does, or while it lays out labels, starts both over at the new scale.
        if (m_build->stage == ChunkedBuild::Stage::Detail
            || m_build->stage == ChunkedBuild::Stage::Labels
            || m_build->stage == ChunkedBuild::Stage::Sort) {
            m_build->stage = ChunkedBuild::Stage::Detail;
            m_build->next = 0;
            m_build->labels.reset();
        }
    } else {
        for (ClusterHullItem *hull : std::as_const(m_hulls)) {
            hull->setMetresPerPixel(metresPerPixel);
        }
        for (LinkItem *link : std::as_const(m_links)) {
            link->setMetresPerPixel(metresPerPixel);
        }
    }
    if (m_build) {
        // The build lays the labels out at its end.
    } else if (!deferLabelsWhileHidden()) {
        layoutLabels();
    }
    m_overlay->syncGeometry();
    placeLabStep();
}

void TopologyScene::updateFlags()
{
    if (isMakingItems()) {
        return; // the build's finishEdit() flags every item once they are all made
    }
    QSet<ItemRef> flagged;
    for (const ScenarioProblem &problem : m_document->problems()) {
        flagged.insert(itemForProblemPath(m_document->scenario(), problem.path));
    }
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        it.value()->setFlagged(flagged.contains(it.key()));
    }
    for (auto it = m_hulls.cbegin(); it != m_hulls.cend(); ++it) {
        it.value()->setFlagged(flagged.contains({ItemKind::Cluster, it.key()}));
    }
    // A glyph is marked when its cluster or any member is (the members are not drawn).
    for (const Cluster &cluster : m_document->scenario().topology.clusters) {
        bool any = flagged.contains({ItemKind::Cluster, cluster.id})
            || flagged.contains({ItemKind::ControlUnit, cluster.controlUnit.id});
        for (size_t i = 0; !any && i < cluster.devices.size(); ++i) {
            any = flagged.contains({ItemKind::Device, cluster.devices[i].id});
        }
        if (ClusterGlyphItem *glyph = m_glyphs.value(cluster.id)) {
            glyph->setFlagged(any);
        }
    }
}

int TopologyScene::nextDragId()
{
    m_dragging = true;
    return ++m_dragSerial;
}

void TopologyScene::endDrag()
{
    m_dragging = false;
    m_dragSettle->stop();
    if (m_labelsStale) {
        layoutLabels();
    }
    m_document->validateNow();
}

bool TopologyScene::deferLabelsWhileHidden()
{
    if (m_nodes.size() < kDeferLabelsNodes) {
        return false;
    }
    const QList<QGraphicsView *> shownIn = views();
    if (shownIn.isEmpty()
        || std::any_of(shownIn.begin(), shownIn.end(),
            [](const QGraphicsView *view) { return view->isVisible(); })) {
        return false;
    }
    m_labelsDeferred = true;
    return true;
}

void TopologyScene::layoutDeferredLabels()
{
    if (m_labelsDeferred) {
        layoutLabels();
    }
}

void TopologyScene::layoutLabels()
{
    if (m_build) {
        return; // the build lays them out in steps at its end
    }
    ++m_labelPasses;
    m_labelsStale = false;
    m_labelsDeferred = false;
    applyLevelOfDetail();
    if (m_labelOrderStale) {
        m_labelNodes = m_nodes.values();
        m_labelHulls = m_hulls.values();
        sortForLabelLayout(&m_labelNodes, &m_labelHulls);
        m_labelOrderStale = false;
    }
    layoutCanvasLabels(m_metresPerPixel, m_labelNodes, m_labelHulls, m_links,
        m_overlay ? m_overlay->shownBadges() : QList<DeviceRunBadge *>(), m_glyphs.values(),
        m_overlay ? m_overlay->shownEdgeBadges() : QList<EdgeRunBadge *>());
}

QRectF TopologyScene::topologyRect() const
{
    QRectF rect;
    for (const NodeItem *node : m_nodes) {
        const QRectF point(node->pos(), QSizeF(0.001, 0.001));
        rect = rect.isNull() ? point : rect.united(point);
    }
    return rect;
}

void TopologyScene::helpEvent(QGraphicsSceneHelpEvent *event)
{
    const ItemRef ref = refAt(event->scenePos());
    if (m_overlay && m_overlay->isShown()) {
        // The run badges' tooltips are built here, for the devices under the pointer only.
        if (ref.kind == ItemKind::Device) {
            m_overlay->ensureToolTip(ref.id);
        }
        const QTransform deviceTransform
            = QTransform::fromScale(1.0 / m_metresPerPixel, 1.0 / m_metresPerPixel);
        for (QGraphicsItem *item : items(event->scenePos(), Qt::IntersectsItemShape,
                 Qt::DescendingOrder, deviceTransform)) {
            if (const auto *badge = dynamic_cast<const DeviceRunBadge *>(item)) {
                m_overlay->ensureToolTip(badge);
            }
        }
    }
    if (NodeItem *node = m_nodes.value(ref)) {
        node->setToolTip(summary(m_document, ref));
    } else if (ClusterHullItem *hull
        = ref.kind == ItemKind::Cluster ? m_hulls.value(ref.id) : nullptr) {
        hull->setToolTip(summary(m_document, ref));
    }
    QGraphicsScene::helpEvent(event);
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (!m_tool || m_tool->usesDefaultHandling()) {
        QGraphicsScene::mousePressEvent(event);
    }
    if (m_tool) {
        m_tool->mousePressed(event);
    }
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (!m_tool || m_tool->usesDefaultHandling()) {
        QGraphicsScene::mouseMoveEvent(event);
    }
    if (m_tool) {
        m_tool->mouseMoved(event);
    }
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (!m_tool || m_tool->usesDefaultHandling()) {
        QGraphicsScene::mouseReleaseEvent(event);
    }
    if (m_tool) {
        m_tool->mouseReleased(event);
    }
}

void TopologyScene::updateSceneRect()
{
    // Generous margins so the user can pan past the edges and place new items there.
    const QRectF rect = topologyRect();
    const double margin = std::max({rect.width(), rect.height(), 200.0});
    const QRectF wanted = rect.adjusted(-margin, -margin, margin, margin);
    // Kept while the topology stays well inside it and it is not much too large: a drag step
    // then does not change the scroll bars' ranges (and the view's work that follows) each time.
    const QRectF &current = m_sceneRect;
    const QRectF inner = rect.adjusted(-margin / 2, -margin / 2, margin / 2, margin / 2);
    if (current.contains(inner) && current.width() <= 1.25 * wanted.width()
        && current.height() <= 1.25 * wanted.height()) {
        return;
    }
    m_sceneRect = wanted;
    setSceneRect(wanted);
}

} // namespace collapipe
