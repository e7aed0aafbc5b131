// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QTimer;
class QToolButton;

namespace collapipe {

class ClusterRowFilter;

/// The bar above the Gantt and the decision table (issue [7/7]): search by id or name, a
/// cluster picker (one or several clusters; none: all), expand all / collapse all, and the count
/// of what is shown. Edits go to the ClusterRowFilter; the bar follows its resets.
class ClusterFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit ClusterFilterBar(ClusterRowFilter *filter, QWidget *parent = nullptr);

    QLineEdit *searchEdit() const { return m_search; }
    QListWidget *pickerList() const { return m_list; }
    /// "12 of 100 clusters · 140 rows": set by the view after each rebuild.
    void setCountText(const QString &text);

private:
    void rebuildPicker();
    void syncFromFilter();
    void applyPicks();

    ClusterRowFilter *m_filter;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QToolButton *m_picker;
    QListWidget *m_list;
    QLabel *m_count;
    bool m_syncing = false;
};

} // namespace collapipe
