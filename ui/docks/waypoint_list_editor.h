// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;

namespace collapipe {

class TopologyDocument;

/// The waypoint path of the selected device or control unit (mobility.waypoints, issue [6/7]) as
/// a table of x, y rows in metres, with Add and Remove: every edit (a cell, an added or removed
/// row) is one undoable TopologyDocument::setWaypoints. A refused value is reverted and the
/// reason, naming the waypoint, the coordinate and the value, is shown under the table. Shown
/// only while the item's mobility model is "waypoints".
class WaypointListEditor : public QWidget
{
    Q_OBJECT
public:
    explicit WaypointListEditor(TopologyDocument *document, QWidget *parent = nullptr);

    /// A device or control unit; anything else (or a null ref) hides the editor.
    void setItem(const ItemRef &ref);
    ItemRef item() const { return m_ref; }
    /// Whether the item's model is "waypoints" (the editor is meant to be seen).
    bool isRelevant() const;

    // As the buttons and cells do; used by them and by tests.
    bool addWaypoint();
    bool removeWaypoint(int row);
    bool editCell(int row, int column, const QString &text);
    QString errorText() const;
    QTableWidget *table() const { return m_table; }

private:
    void refresh();
    bool apply(const std::vector<Position> &points, const QString &text);

    TopologyDocument *m_document;
    ItemRef m_ref;
    QTableWidget *m_table;
    QLabel *m_error;
};

} // namespace collapipe
