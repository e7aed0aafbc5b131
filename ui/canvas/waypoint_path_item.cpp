// SPDX-License-Identifier: MIT
#include "ui/canvas/waypoint_path_item.h"

#include "core/types/round_record.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/waypoint_handles.h"
#include "ui/model/topology_document.h"

#include <QGraphicsObject>
#include <QPainter>
#include <QPainterPath>
#include <QPen>

#include <cmath>
#include <limits>
#include <utility>

namespace collapipe {

namespace waypointpath {

// Teal: apart from the run view's orange (D2D) and purple (D2E) arrows the path often crosses.
const QColor kPathColour(0x00, 0x69, 0x5c);
const QColor kTravelledColour(0x4d, 0xb6, 0xac);

/// A square on a waypoint (a dot on a path being clicked), the same size in pixels at any zoom.
class HandleGraphic : public QGraphicsItem
{
public:
    explicit HandleGraphic(QGraphicsItem *parent)
        : QGraphicsItem(parent)
    {
        setFlag(ItemIgnoresTransformations);
        setAcceptedMouseButtons(Qt::NoButton); // WaypointHandles hit-tests the handles itself
    }
    void setLook(bool hot, bool dot)
    {
        if (hot != m_hot || dot != m_dot) {
            m_hot = hot;
            m_dot = dot;
            update();
        }
    }
    QRectF boundingRect() const override { return QRectF(-7, -7, 14, 14); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        if (m_dot) {
            painter->setPen(Qt::NoPen);
            painter->setBrush(kPathColour);
            painter->drawEllipse(QPointF(), 3.0, 3.0);
            return;
        }
        painter->setPen(QPen(kPathColour, 1.5));
        painter->setBrush(m_hot ? kPathColour : QColor(Qt::white));
        const double half = m_hot ? 5.5 : 4.5;
        painter->drawRect(QRectF(-half, -half, 2 * half, 2 * half));
    }

private:
    bool m_hot = false;
    bool m_dot = false;
};

/// A ring around the node where the shown round has it: on the path, the icon left visible.
class MarkerGraphic : public QGraphicsItem
{
public:
    explicit MarkerGraphic(QGraphicsItem *parent)
        : QGraphicsItem(parent)
    {
        setFlag(ItemIgnoresTransformations);
        setAcceptedMouseButtons(Qt::NoButton);
    }
    QRectF boundingRect() const override { return QRectF(-17, -17, 34, 34); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(255, 255, 255, 220), 5.0));
        painter->drawEllipse(QPointF(), 14.0, 14.0);
        painter->setPen(QPen(kPathColour, 2.5));
        painter->drawEllipse(QPointF(), 14.0, 14.0);
    }
};

/// The drawn path: a QGraphicsObject so the overlay notices when the scene deletes it. Owns the
/// handle and marker items (children, deleted with it).
class PathGraphic : public QGraphicsObject
{
public:
    PathGraphic()
        : m_marker(new MarkerGraphic(this))
    {
        m_dashed = QPen(kPathColour, 2.0, Qt::DashLine);
        m_dashed.setCosmetic(true); // the same on screen at every zoom
        m_solid = QPen(kTravelledColour, 5.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        m_solid.setCosmetic(true);
        setZValue(40); // above links, hulls and nodes, below labels
        setAcceptedMouseButtons(Qt::NoButton);
        m_marker->setVisible(false);
    }
    /// `solid` up to the marker, `dashed` the rest (the whole path without a marker).
    void setLines(const QPainterPath &solid, const QPainterPath &dashed)
    {
        prepareGeometryChange();
        m_solidPath = solid;
        m_dashedPath = dashed;
        update();
    }
    void setHandles(const QPolygonF &points, int hot, bool dots)
    {
        while (m_handles.size() > points.size()) {
            delete m_handles.takeLast();
        }
        while (m_handles.size() < points.size()) {
            m_handles.append(new HandleGraphic(this));
        }
        for (qsizetype i = 0; i < points.size(); ++i) {
            m_handles[i]->setPos(points[i]);
            m_handles[i]->setLook(i == hot, dots);
        }
    }
    void setMarker(const std::optional<QPointF> &at)
    {
        m_marker->setVisible(at.has_value());
        if (at) {
            m_marker->setPos(*at);
        }
    }
    QRectF boundingRect() const override
    {
        // A cosmetic pen is a few pixels wide at any zoom: a small margin in scene units.
        return m_solidPath.controlPointRect()
            .united(m_dashedPath.controlPointRect())
            .adjusted(-5, -5, 5, 5);
    }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        // The travelled part as a light band, the part ahead dashed on top: where a path comes
        // back along itself, both stay visible.
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(Qt::NoBrush);
        if (!m_solidPath.isEmpty()) {
            painter->setPen(m_solid);
            painter->drawPath(m_solidPath);
        }
        painter->setPen(m_dashed);
        painter->drawPath(m_dashedPath);
    }

private:
    QPen m_dashed;
    QPen m_solid;
    QPainterPath m_solidPath;
    QPainterPath m_dashedPath;
    QList<HandleGraphic *> m_handles;
    MarkerGraphic *m_marker;
};

QPainterPath polyline(const QPolygonF &points)
{
    QPainterPath path;
    if (!points.isEmpty()) {
        path.moveTo(points.first());
        for (qsizetype i = 1; i < points.size(); ++i) {
            path.lineTo(points[i]);
        }
    }
    return path;
}

/// A dashed line's segments, each drawn on its own from its left (then upper) end: the dashes
/// restart there, so a path that comes back along itself (there and back, as campus-day's
/// walker) lays its dashes on the same places instead of filling each other's gaps.
QPainterPath dashedSegments(const QPolygonF &points)
{
    QPainterPath path;
    for (qsizetype i = 1; i < points.size(); ++i) {
        QPointF a = points[i - 1];
        QPointF b = points[i];
        if (b.x() < a.x() || (b.x() == a.x() && b.y() < a.y())) {
            std::swap(a, b);
        }
        path.moveTo(a);
        path.lineTo(b);
    }
    return path;
}

} // namespace waypointpath

WaypointPathOverlay::WaypointPathOverlay(TopologyScene *scene, TopologyDocument *document)
    : QObject(scene)
    , m_scene(scene)
    , m_document(document)
    , m_handles(new WaypointHandles(scene, document, this))
{
    connect(scene, &TopologyScene::selectedRefsChanged, this, &WaypointPathOverlay::follow);
    connect(scene, &TopologyScene::roundShown, this, &WaypointPathOverlay::showRound);
    connect(scene, &TopologyScene::roundCleared, this, &WaypointPathOverlay::clearRound);
    connect(document, &TopologyDocument::propertyChanged, this, [this](const ItemRef &ref) {
        if (ref == m_ref || ref == m_previewRef) {
            update();
        }
    });
    connect(document, &TopologyDocument::itemMoved, this, [this](const ItemRef &ref) {
        if (ref == m_ref || ref == m_previewRef) {
            update();
        }
    });
    connect(document, &TopologyDocument::itemRemoved, this, [this] { update(); });
    connect(document, &TopologyDocument::scenarioReset, this, [this] { update(); });
}

bool WaypointPathOverlay::isShown() const
{
    return m_item && m_item->isVisible();
}

void WaypointPathOverlay::setPreview(const ItemRef &ref, const std::vector<Position> &points)
{
    m_previewRef = ref;
    m_preview = points;
    m_previewing = true;
    update();
}

void WaypointPathOverlay::clearPreview()
{
    m_previewing = false;
    m_preview.clear();
    m_previewRef = ItemRef{};
    update();
}

void WaypointPathOverlay::setHotHandle(int index)
{
    if (index != m_hot) {
        m_hot = index;
        update();
    }
}

void WaypointPathOverlay::follow(const ItemRefList &refs)
{
    const bool one = refs.size() == 1
        && (refs.first().kind == ItemKind::Device || refs.first().kind == ItemKind::ControlUnit);
    const ItemRef ref = one ? refs.first() : ItemRef{};
    if (ref != m_ref) {
        m_hot = -1;
    }
    m_ref = ref;
    update();
}

void WaypointPathOverlay::showRound(const RoundRecord &record)
{
    m_roundShown = true;
    m_roundStartS = record.simTimeS - record.latencyS;
    update();
}

void WaypointPathOverlay::clearRound()
{
    m_roundShown = false;
    update();
}

void WaypointPathOverlay::update()
{
    m_drawn.clear();
    m_marker.reset();
    m_travelled.clear();
    m_remaining.clear();
    const ItemRef ref = m_previewing ? m_previewRef : m_ref;
    const bool alive = !ref.isNull() && m_document->contains(ref);
    const bool waypoints = alive
        && m_document->propertyValue(ref, QStringLiteral("mobility.model")).toInt()
            == static_cast<int>(MobilityModel::Waypoints);
    const std::vector<Position> points = m_previewing
        ? m_preview
        : (waypoints ? m_document->waypoints(ref) : std::vector<Position>{});
    if (!alive || points.empty() || (!m_previewing && !waypoints)) {
        if (m_item) {
            m_item->setVisible(false);
        }
        return;
    }
    if (!m_item) {
        m_item = new waypointpath::PathGraphic;
        m_scene->addItem(m_item);
    }
    m_drawn << toScenePoint(m_document->position(ref));
    for (const Position &p : points) {
        m_drawn << toScenePoint(p);
    }
    const bool loop = !m_previewing
        && m_document->propertyValue(ref, QStringLiteral("mobility.loop")).toDouble() != 0.0;
    QPolygonF path = m_drawn;
    if (loop) {
        path << m_drawn.first();
    }
    auto *graphic = static_cast<waypointpath::PathGraphic *>(m_item.data());
    if (m_roundShown && !m_previewing) {
        splitAtMarker(path, loop,
            m_document->propertyValue(ref, QStringLiteral("mobility.speed_mps")).toDouble());
    }
    if (m_marker) {
        graphic->setLines(
            waypointpath::polyline(m_travelled), waypointpath::dashedSegments(m_remaining));
    } else {
        graphic->setLines(QPainterPath(), waypointpath::dashedSegments(path));
    }
    graphic->setHandles(m_drawn.mid(1), m_previewing ? -1 : m_hot, m_previewing);
    graphic->setMarker(m_marker);
    m_item->setVisible(true);
}

void WaypointPathOverlay::splitAtMarker(const QPolygonF &path, bool loop, double speedMps)
{
    const Position at = m_scene->shownPosition(m_ref);
    const QPointF p = toScenePoint(at);
    // Path length up to each point, and the length covered at the round's start (how far the
    // node should be if the path is the one it ran): it tells apart segments that overlap (a
    // path that goes out and comes back the same way).
    std::vector<double> cumulative{0.0};
    for (qsizetype i = 1; i < path.size(); ++i) {
        cumulative.push_back(cumulative.back() + QLineF(path[i - 1], path[i]).length());
    }
    const double total = cumulative.back();
    double expected = std::max(0.0, speedMps * m_roundStartS);
    if (std::isfinite(expected) && total > 0.0) {
        expected = loop ? std::fmod(expected, total) : std::min(expected, total);
    } else {
        expected = 0.0;
    }
    struct Foot
    {
        qsizetype segment = 0;
        QPointF point;
        double distance = std::numeric_limits<double>::infinity();
        double along = 0.0; ///< path length from the start to the foot
    };
    std::vector<Foot> feet;
    double nearest = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i + 1 < path.size(); ++i) {
        const QPointF a = path[i];
        const QPointF d = path[i + 1] - a;
        const double length2 = QPointF::dotProduct(d, d);
        const double t
            = length2 > 0.0 ? std::clamp(QPointF::dotProduct(p - a, d) / length2, 0.0, 1.0) : 0.0;
        Foot f;
        f.segment = i;
        f.point = a + t * d;
        f.distance = QLineF(p, f.point).length();
        f.along = cumulative[std::size_t(i)] + t * std::sqrt(length2);
        nearest = std::min(nearest, f.distance);
        feet.push_back(f);
    }
    if (feet.empty()) {
        return;
    }
    // Of the segments as near as the nearest (within a centimetre), the one whose foot is
    // nearest to where the node should be along the path.
    const Foot *best = nullptr;
    double bestGap = std::numeric_limits<double>::infinity();
    for (const Foot &f : feet) {
        if (f.distance > nearest + 0.01) {
            continue;
        }
        double gap = std::abs(f.along - expected);
        if (loop) {
            gap = std::min(gap, total - gap);
        }
        if (gap < bestGap) {
            bestGap = gap;
            best = &f;
        }
    }
    m_marker = p;
    m_travelled = path.mid(0, best->segment + 1);
    m_travelled << best->point;
    m_remaining << best->point;
    m_remaining += path.mid(best->segment + 1);
}

} // namespace collapipe
