// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace collapipe {

class ClusterFilterBar;
class ClusterRowFilter;
class DecisionTableModel;
class DecisionTreeModel;
struct Scenario;

/// The decision table of the selected round with a title and "Export CSV…" (every device row,
/// whatever is filtered). Grouped by cluster (issue [7/7]): a summary row per cluster that opens
/// to its devices (DecisionTreeModel), the cluster filter bar above; a round of up to
/// ClusterRowFilter::kExpandedRowLimit rows opens expanded, a larger one collapsed.
class DecisionTableView : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionTableView(QWidget *parent = nullptr);
    /// Every row of the round (devices and edge tails), ungrouped: what CSV export writes.
    DecisionTableModel *model() const { return m_model; }
    DecisionTreeModel *treeModel() const { return m_tree; }
    QTreeView *tree() const { return m_view; }
    ClusterRowFilter *filter() const { return m_filter; }
    ClusterFilterBar *filterBar() const { return m_bar; }
    /// The run's scenario: cluster ids for the labels, and names for the search.
    void setScenario(const Scenario &scenario);
    /// Rows a reader sees (summary rows plus the children of open ones), scrolling aside.
    int visibleRowCount() const;
    QSize sizeHint() const override { return {520, 300}; }

    /// Whether the table is really on screen: its dock's QDockWidget::visibilityChanged (a dock
    /// tabbed behind another still reports isVisible() in Qt 6.4). Default on. Off screen the
    /// columns are not fitted; they catch up when it shows again.
    void setOnScreen(bool onScreen);
    bool isOnScreen() const { return m_onScreen && isVisible(); }
    /// Times the columns were fitted to their contents (once per round on screen, none off it).
    int columnFits() const { return m_columnFits; }
    /// The columns wait for the table to show (fitted to a round it did not show yet).
    bool columnsStale() const { return m_columnsStale; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyExpansion();
    void updateTitle();
    /// Fits the columns to the rows shown now, or marks them stale while off screen.
    void fitColumns();

    DecisionTableModel *m_model;
    ClusterRowFilter *m_filter;
    DecisionTreeModel *m_tree;
    QTreeView *m_view;
    ClusterFilterBar *m_bar;
    QLabel *m_title;
    bool m_applying = false;
    bool m_onScreen = true;
    bool m_columnsStale = false;
    int m_columnFits = 0;
};

} // namespace collapipe
