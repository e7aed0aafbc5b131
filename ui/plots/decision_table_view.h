// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace collapipe {

class DecisionTableModel;

/// The decision table of the selected round with a title and "Export CSV…".
class DecisionTableView : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionTableView(QWidget *parent = nullptr);
    DecisionTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QSize sizeHint() const override { return {520, 300}; }

private:
    DecisionTableModel *m_model;
    QTableView *m_table;
    QLabel *m_title;
};

} // namespace collapipe
