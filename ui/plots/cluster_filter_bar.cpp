// SPDX-License-Identifier: MIT
#include "ui/plots/cluster_filter_bar.h"

#include "ui/plots/cluster_row_filter.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSizePolicy>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

namespace collapipe {

ClusterFilterBar::ClusterFilterBar(ClusterRowFilter *filter, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
    , m_search(new QLineEdit)
    , m_searchDelay(new QTimer(this))
    , m_picker(new QToolButton)
    , m_list(new QListWidget)
    , m_count(new QLabel)
{
    m_search->setObjectName(QStringLiteral("clusterSearch"));
    m_search->setPlaceholderText(tr("Search id or name…"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Shows the clusters and devices whose id or name contains the text "
                            "(highlighted); a matching device opens its cluster"));
    m_search->setMaximumWidth(220);
    // Typing into a 100-cluster round rebuilds hundreds of rows: wait for a pause.
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
        [this] { m_filter->setSearchText(m_search->text()); });

    // The picker: a checkable list in a popup (a menu of 100 actions would run off the screen).
    m_picker->setObjectName(QStringLiteral("clusterPicker"));
    m_picker->setPopupMode(QToolButton::InstantPopup);
    m_picker->setToolTip(tr("Show only the checked clusters (none checked: all)"));
    auto *menu = new QMenu(m_picker);
    auto *popup = new QWidget;
    auto *all = new QPushButton(tr("Show all"));
    auto *popupLayout = new QVBoxLayout(popup);
    popupLayout->setContentsMargins(4, 4, 4, 4);
    popupLayout->addWidget(all);
    popupLayout->addWidget(m_list);
    m_list->setMinimumSize(180, 260);
    auto *action = new QWidgetAction(menu);
    action->setDefaultWidget(popup);
    menu->addAction(action);
    m_picker->setMenu(menu);
    connect(all, &QPushButton::clicked, this, [this] { m_filter->setPickedClusters({}); });
    connect(m_list, &QListWidget::itemChanged, this, [this] { applyPicks(); });

    auto *expand = new QToolButton;
    expand->setText(tr("Expand all"));
    expand->setObjectName(QStringLiteral("expandAll"));
    connect(expand, &QToolButton::clicked, this, [this] { m_filter->setAllExpanded(true); });
    auto *collapse = new QToolButton;
    collapse->setText(tr("Collapse all"));
    collapse->setObjectName(QStringLiteral("collapseAll"));
    connect(collapse, &QToolButton::clicked, this, [this] { m_filter->setAllExpanded(false); });
    m_count->setObjectName(QStringLiteral("clusterRowCount"));
    // The count never widens the dock (a narrow one elides it; the tooltip has it whole).
    m_count->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_count->setMinimumWidth(0);
    m_search->setMinimumWidth(100);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_picker);
    layout->addWidget(expand);
    layout->addWidget(collapse);
    layout->addWidget(m_count, 1);
    connect(m_filter, &ClusterRowFilter::clustersChanged, this, &ClusterFilterBar::rebuildPicker);
    connect(m_filter, &ClusterRowFilter::changed, this, &ClusterFilterBar::syncFromFilter);
    rebuildPicker();
}

void ClusterFilterBar::setCountText(const QString &text)
{
    m_count->setText(text);
    m_count->setToolTip(text);
}

void ClusterFilterBar::rebuildPicker()
{
    m_syncing = true;
    m_list->clear();
    for (int c = 0; c < m_filter->clusterCount(); ++c) {
        auto *item = new QListWidgetItem(m_filter->clusterTitle(c), m_list);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(Qt::Unchecked);
        item->setData(Qt::UserRole, c);
    }
    m_syncing = false;
    syncFromFilter();
}

void ClusterFilterBar::syncFromFilter()
{
    m_syncing = true;
    const QSet<int> picked = m_filter->pickedClusters();
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        item->setCheckState(
            picked.contains(item->data(Qt::UserRole).toInt()) ? Qt::Checked : Qt::Unchecked);
    }
    if (m_search->text().trimmed() != m_filter->searchText() && !m_searchDelay->isActive()) {
        m_search->setText(m_filter->searchText()); // a reset cleared it
        m_searchDelay->stop();
    }
    m_picker->setText(picked.isEmpty()
            ? tr("Clusters: all")
            : tr("Clusters: %1 of %2").arg(picked.size()).arg(m_filter->clusterCount()));
    m_syncing = false;
}

void ClusterFilterBar::applyPicks()
{
    if (m_syncing) {
        return;
    }
    QSet<int> picked;
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->checkState() == Qt::Checked) {
            picked.insert(m_list->item(row)->data(Qt::UserRole).toInt());
        }
    }
    m_filter->setPickedClusters(picked);
}

} // namespace collapipe
