// SPDX-License-Identifier: MIT
#include "ui/canvas/waypoint_path_item.h"

#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QGraphicsObject>
#include <QPainter>
#include <QPainterPath>
#include <QPen>

namespace collapipe {

namespace waypointpath {

/// The drawn path: a QGraphicsObject so the overlay notices when the scene deletes it.
class PathGraphic : public QGraphicsObject
{
public:
    PathGraphic()
    {
        m_pen = QPen(QColor(0x6a, 0x1b, 0x9a), 2.0, Qt::DashLine);
        m_pen.setCosmetic(true); // the same on screen at every zoom
        setZValue(40);           // above links and hulls, below labels
        setAcceptedMouseButtons(Qt::NoButton);
    }
    void setPath(const QPainterPath &path)
    {
        prepareGeometryChange();
        m_path = path;
    }
    QRectF boundingRect() const override
    {
        // A cosmetic pen is a few pixels wide at any zoom: a small margin in scene units.
        return m_path.controlPointRect().adjusted(-5, -5, 5, 5);
    }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setPen(m_pen);
        painter->setBrush(QColor(0x6a, 0x1b, 0x9a, 160));
        painter->drawPath(m_path);
    }

private:
    QPainterPath m_path;
    QPen m_pen;
};

} // namespace waypointpath

WaypointPathOverlay::WaypointPathOverlay(TopologyScene *scene, TopologyDocument *document)
    : QObject(scene)
    , m_scene(scene)
    , m_document(document)
{
    connect(scene, &TopologyScene::selectedRefsChanged, this, &WaypointPathOverlay::follow);
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

void WaypointPathOverlay::follow(const ItemRefList &refs)
{
    const bool one = refs.size() == 1
        && (refs.first().kind == ItemKind::Device || refs.first().kind == ItemKind::ControlUnit);
    m_ref = one ? refs.first() : ItemRef{};
    update();
}

void WaypointPathOverlay::update()
{
    m_drawn.clear();
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
    QPainterPath path;
    path.addPolygon(m_drawn);
    if (!m_previewing
        && m_document->propertyValue(ref, QStringLiteral("mobility.loop")).toDouble()) {
        path.lineTo(m_drawn.first());
    }
    // A dot per waypoint, about 3 px across at the current scale.
    const double r = 3.0 * m_scene->metresPerPixel();
    for (int i = 1; i < m_drawn.size(); ++i) {
        path.addEllipse(m_drawn[i], r, r);
    }
    static_cast<waypointpath::PathGraphic *>(m_item.data())->setPath(path);
    m_item->setVisible(true);
}

} // namespace collapipe
