// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace collapipe {

class RunsModel;

/// Runs browser dock (issue [6/6]): the runs of the database with status, policy, seed, date and
/// key results; Refresh, Open (replay), Rename, Delete (with confirmation), Compare (2–4
/// selected). An opened run is scrubbed with the ReplayBar above the plots and the canvas.
class RunsBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit RunsBrowser(QWidget *parent = nullptr);

    void setDatabasePath(const QString &path);
    QString databasePath() const;
    RunsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QSize sizeHint() const override { return {600, 300}; }
    /// Ids of the selected rows, in row order.
    QList<qint64> selectedRuns() const;

    /// Non-interactive parts of the actions (tests call them directly).
    bool renameRun(qint64 id, const QString &name, QString *error);
    bool deleteRun(qint64 id, QString *error);

public Q_SLOTS:
    /// Re-reads the list; errors show in the status line.
    bool refresh();

Q_SIGNALS:
    void openRequested(const QString &dbPath, qint64 runId);
    void compareRequested(const QString &dbPath, const QList<qint64> &runIds);

private:
    void renameSelected();
    void deleteSelected();
    void updateButtons();

    RunsModel *m_model;
    QTableView *m_table;
    QLineEdit *m_db;
    QPushButton *m_open;
    QPushButton *m_rename;
    QPushButton *m_delete;
    QPushButton *m_compare;
    QLabel *m_status;
};

} // namespace collapipe
