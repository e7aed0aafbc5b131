// SPDX-License-Identifier: MIT
// TopologyDocument's waypoint paths (mobility.waypoints, issue [6/7]): a list, not a scalar field,
// so it has its own edit (one SetWaypointsCommand) and primitive.
#include "core/scenario/scenario_fields.h"
#include "ui/commands/set_waypoints_command.h"
#include "ui/model/topology_document.h"

#include <QUndoStack>

namespace collapipe {

namespace {

Mobility *mobilityOf(Topology &t, ItemKind kind, int outer, int inner)
{
    if (kind == ItemKind::Device) {
        return &t.clusters[std::size_t(outer)].devices[std::size_t(inner)].mobility;
    }
    if (kind == ItemKind::ControlUnit) {
        return &t.clusters[std::size_t(outer)].controlUnit.mobility;
    }
    return nullptr;
}

} // namespace

std::vector<Position> TopologyDocument::waypoints(const ItemRef &ref) const
{
    const TopologyIndex::Slot *slot = slotOf(ref);
    if (!slot) {
        return {};
    }
    const Mobility *m = mobilityOf(
        const_cast<Topology &>(m_scenario.topology), ref.kind, slot->outer, slot->inner);
    return m ? m->waypoints : std::vector<Position>{};
}

bool TopologyDocument::setWaypoints(const ItemRef &ref, const std::vector<Position> &points,
    QString *error, const QString &text, int dragId)
{
    if (refuseReadOnly(error)) {
        return false;
    }
    if ((ref.kind != ItemKind::Device && ref.kind != ItemKind::ControlUnit) || !contains(ref)) {
        if (error) {
            *error
                = tr("mobility.waypoints: %1 %2 has no path").arg(itemKindName(ref.kind), ref.id);
        }
        return false;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (const FieldSpec<Position> &field : waypointFields()) {
            const double value = field.get(points[i]);
            const QString reason = checkFieldValue(field, value);
            if (!reason.isEmpty()) {
                if (error) {
                    *error = QStringLiteral("mobility.waypoints[%1].%2: %3")
                                 .arg(i)
                                 .arg(field.key, reason);
                }
                return false;
            }
        }
    }
    const std::vector<Position> before = waypoints(ref);
    if (before == points) {
        return true;
    }
    m_undoStack->push(new SetWaypointsCommand(this, ref, before, points,
        text.isEmpty() ? tr("Edit the path of %1").arg(ref.id) : text, dragId));
    return true;
}

void TopologyDocument::applyWaypoints(const ItemRef &ref, const std::vector<Position> &points)
{
    const TopologyIndex::Slot *slot = slotOf(ref);
    if (!slot) {
        return;
    }
    Mobility *m = mobilityOf(m_scenario.topology, ref.kind, slot->outer, slot->inner);
    if (!m) {
        return;
    }
    m->waypoints = points;
    Q_EMIT propertyChanged(ref, QStringLiteral("mobility.waypoints"));
    finishChange();
}

} // namespace collapipe
