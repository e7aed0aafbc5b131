// SPDX-License-Identifier: MIT
#include "ui/docks/waypoint_list_editor.h"

#include "core/scenario/scenario_fields.h"
#include "ui/model/topology_document.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

namespace collapipe {

WaypointListEditor::WaypointListEditor(TopologyDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_table(new QTableWidget(0, 2, this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("waypointList"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // Add and Remove share the title's row: wherever the dock is scrolled, the buttons are in
    // view whenever the table's top is (below the table they fell under the fold at 1280 x 800).
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Waypoints</b> (visited in order after the position)"));
    title->setWordWrap(true);
    header->addWidget(title, 1);
    auto *add = new QPushButton(tr("Add"));
    add->setObjectName(QStringLiteral("addWaypoint"));
    add->setToolTip(tr("Append a waypoint 10 m east of the last one"));
    auto *remove = new QPushButton(tr("Remove"));
    remove->setObjectName(QStringLiteral("removeWaypoint"));
    remove->setToolTip(tr("Remove the selected waypoint (the last one if none is selected)"));
    header->addWidget(add);
    header->addWidget(remove);
    layout->addLayout(header);
    m_table->setHorizontalHeaderLabels({tr("x [m]"), tr("y [m]")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMinimumHeight(fontMetrics().lineSpacing() * 6);
    // As tall as its rows (not the scroll area's default 192 px): the title, the buttons and a
    // short path fit in the docked Properties together.
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setToolTip(tr("Edit a cell to move a waypoint (metres); each edit is one undo step"));
    layout->addWidget(m_table);
    m_error->setObjectName(QStringLiteral("fieldError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b71c1c; font-weight: bold;"));
    m_error->hide();
    layout->addWidget(m_error);

    connect(add, &QPushButton::clicked, this, [this] { addWaypoint(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        removeWaypoint(row >= 0 ? row : m_table->rowCount() - 1);
    });
    connect(m_table, &QTableWidget::cellChanged, this,
        [this](int row, int column) { editCell(row, column, m_table->item(row, column)->text()); });
    connect(document, &TopologyDocument::propertyChanged, this, [this](const ItemRef &ref) {
        if (ref == m_ref) {
            refresh();
        }
    });
    connect(document, &TopologyDocument::scenarioReset, this, [this] { setItem(m_ref); });
    connect(document, &TopologyDocument::itemRemoved, this, [this] {
        if (!m_ref.isNull() && !m_document->contains(m_ref)) {
            setItem(ItemRef{});
        }
    });
    setItem(ItemRef{});
}

void WaypointListEditor::setItem(const ItemRef &ref)
{
    const bool node = ref.kind == ItemKind::Device || ref.kind == ItemKind::ControlUnit;
    m_ref = node && m_document->contains(ref) ? ref : ItemRef{};
    m_error->hide();
    refresh();
}

bool WaypointListEditor::isRelevant() const
{
    return !m_ref.isNull()
        && m_document->propertyValue(m_ref, QStringLiteral("mobility.model")).toInt()
        == static_cast<int>(MobilityModel::Waypoints);
}

void WaypointListEditor::refresh()
{
    setVisible(isRelevant());
    const std::vector<Position> points = m_document->waypoints(m_ref);
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(static_cast<int>(points.size()));
    for (int i = 0; i < m_table->rowCount(); ++i) {
        const Position &p = points[std::size_t(i)];
        const double values[] = {p.xM, p.yM};
        for (int column = 0; column < 2; ++column) {
            const QString text = formatFieldNumber(values[column]);
            QTableWidgetItem *item = m_table->item(i, column);
            if (!item) {
                m_table->setItem(i, column, new QTableWidgetItem(text));
            } else if (item->text() != text) {
                item->setText(text);
            }
        }
    }
}

bool WaypointListEditor::apply(const std::vector<Position> &points, const QString &text)
{
    QString error;
    if (!m_document->setWaypoints(m_ref, points, &error, text)) {
        m_error->setText(error);
        m_error->show();
        refresh(); // the stored path again; the reason says what was refused
        return false;
    }
    m_error->hide();
    m_error->clear();
    refresh();
    return true;
}

bool WaypointListEditor::addWaypoint()
{
    if (m_ref.isNull()) {
        return false;
    }
    std::vector<Position> points = m_document->waypoints(m_ref);
    const Position last = points.empty() ? m_document->position(m_ref) : points.back();
    points.push_back({last.xM + 10.0, last.yM});
    return apply(points, tr("Add a waypoint to %1").arg(m_ref.id));
}

bool WaypointListEditor::removeWaypoint(int row)
{
    std::vector<Position> points = m_document->waypoints(m_ref);
    if (m_ref.isNull() || row < 0 || row >= static_cast<int>(points.size())) {
        return false;
    }
    points.erase(points.begin() + row);
    return apply(points, tr("Remove waypoint %1 of %2").arg(row + 1).arg(m_ref.id));
}

bool WaypointListEditor::editCell(int row, int column, const QString &text)
{
    std::vector<Position> points = m_document->waypoints(m_ref);
    if (m_ref.isNull() || row < 0 || row >= static_cast<int>(points.size()) || column < 0
        || column > 1) {
        return false;
    }
    bool ok = false;
    const double value = QLocale::c().toDouble(text.trimmed(), &ok);
    if (!ok) {
        m_error->setText(
            QStringLiteral("mobility.waypoints[%1].%2: must be a number (got %3)")
                .arg(row)
                .arg(column == 0 ? QStringLiteral("x_m") : QStringLiteral("y_m"), text));
        m_error->show();
        refresh();
        return false;
    }
    (column == 0 ? points[std::size_t(row)].xM : points[std::size_t(row)].yM) = value;
    return apply(points, QString());
}

QString WaypointListEditor::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace collapipe
