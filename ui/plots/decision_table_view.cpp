// SPDX-License-Identifier: MIT
#include "ui/plots/decision_table_view.h"

#include "ui/export/plot_export.h"
#include "ui/plots/decision_table_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace collapipe {

DecisionTableView::DecisionTableView(QWidget *parent)
    : QWidget(parent)
    , m_model(new DecisionTableModel(this))
    , m_table(new QTableView)
    , m_title(new QLabel(tr("Decision — no round selected")))
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(20);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    auto *exportButton = new QPushButton(tr("Export CSV…"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    connect(exportButton, &QPushButton::clicked, this,
        [this] { exportModelInteractively(*m_model, this); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_title->setText(m_model->round() < 0 ? tr("Decision — no round selected")
                                              : tr("Decision of round %1").arg(m_model->round()));
    });
}

} // namespace collapipe
