// SPDX-License-Identifier: MIT
#include "ui/plots/decision_table_view.h"

#include "ui/export/plot_export.h"
#include "ui/plots/cluster_filter_bar.h"
#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_tree_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace collapipe {

DecisionTableView::DecisionTableView(QWidget *parent)
    : QWidget(parent)
    , m_model(new DecisionTableModel(this))
    , m_filter(new ClusterRowFilter(this))
    , m_tree(new DecisionTreeModel(m_model, m_filter, this))
    , m_view(new QTreeView)
    , m_bar(new ClusterFilterBar(m_filter))
    , m_title(new QLabel(tr("Decision — no round selected")))
{
    m_view->setObjectName(QStringLiteral("decisionTree"));
    m_view->setModel(m_tree);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setIndentation(14);
    // Fitted to the contents once per round (fitColumns), not by the header: in ResizeToContents
    // mode it measured every row again for each cluster the round opened or closed, also while
    // tabbed behind the Gantt (issue [7/7] "The Studio keeps up with the engine").
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setStretchLastSection(false);
    // The round status reads next to the cluster it marks.
    m_view->header()->moveSection(DecisionTreeModel::statusColumn(), 1);
    auto *exportButton = new QPushButton(tr("Export CSV…"));
    exportButton->setToolTip(tr("Every device row of the round, whatever the filter shows"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_bar);
    layout->addWidget(m_view, 1);
    connect(exportButton, &QPushButton::clicked, this,
        [this] { exportModelInteractively(*m_model, this); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &DecisionTableView::updateTitle);
    connect(m_tree, &QAbstractItemModel::modelReset, this, &DecisionTableView::applyExpansion);
    // Another scenario's clusters: the shown round belongs to the previous run.
    connect(m_filter, &ClusterRowFilter::clustersChanged, m_model, &DecisionTableModel::clear);
    connect(
        m_filter, &ClusterRowFilter::expansionChanged, this, &DecisionTableView::applyExpansion);
    auto follow = [this](const QModelIndex &index, bool expanded) {
        if (!m_applying && !index.parent().isValid()) {
            m_filter->setExpanded(m_tree->clusterOfRow(index.row()), expanded);
        }
        if (!m_applying) {
            fitColumns(); // its device rows may be wider
        }
        updateTitle();
    };
    connect(m_view, &QTreeView::expanded, this,
        [follow](const QModelIndex &index) { follow(index, true); });
    connect(m_view, &QTreeView::collapsed, this,
        [follow](const QModelIndex &index) { follow(index, false); });
}

void DecisionTableView::setScenario(const Scenario &scenario)
{
    m_model->setClusterIds(clusterIds(scenario));
    m_filter->setScenario(scenario);
}

void DecisionTableView::applyExpansion()
{
    m_applying = true;
    for (int row = 0; row < m_tree->rowCount(); ++row) {
        const bool open
            = m_tree->isForcedOpen(row) || m_filter->isExpanded(m_tree->clusterOfRow(row));
        m_view->setExpanded(m_tree->index(row, 0), open);
    }
    m_applying = false;
    fitColumns();
    updateTitle();
}

void DecisionTableView::fitColumns()
{
    if (!isOnScreen()) {
        m_columnsStale = true; // showEvent / setOnScreen(true) fit them
        return;
    }
    m_columnsStale = false;
    ++m_columnFits;
    m_view->header()->resizeSections(QHeaderView::ResizeToContents);
}

void DecisionTableView::setOnScreen(bool onScreen)
{
    m_onScreen = onScreen;
    if (m_columnsStale && isOnScreen()) {
        fitColumns();
    }
}

void DecisionTableView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_columnsStale && isOnScreen()) {
        fitColumns();
    }
}

int DecisionTableView::visibleRowCount() const
{
    int rows = 0;
    for (int row = 0; row < m_tree->rowCount(); ++row) {
        const QModelIndex index = m_tree->index(row, 0);
        rows += 1 + (m_view->isExpanded(index) ? m_tree->rowCount(index) : 0);
    }
    return rows;
}

void DecisionTableView::updateTitle()
{
    if (m_model->round() < 0) {
        m_title->setText(tr("Decision — no round selected"));
        m_bar->setCountText(QString());
        return;
    }
    m_title->setText(tr("Decision of round %1").arg(m_model->round()));
    m_bar->setCountText(tr("%1 of %2 clusters · %3 of %4 rows")
                            .arg(m_tree->rowCount())
                            .arg(m_tree->clusterCount())
                            .arg(visibleRowCount())
                            .arg(m_tree->fullRowCount()));
}

} // namespace collapipe
