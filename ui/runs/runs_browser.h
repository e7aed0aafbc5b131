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
/// Every store access runs on the StoreLoader's thread (issue [3/7]): the list is read from a
/// read-only connection, and a database locked by a CLI delays the list, never the window.
class RunsBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit RunsBrowser(QWidget *parent = nullptr);
    ~RunsBrowser() override;

    void setDatabasePath(const QString &path);
    QString databasePath() const;
    RunsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QSize sizeHint() const override { return {600, 300}; }
    /// Ids of the selected rows, in row order.
    QList<qint64> selectedRuns() const;

    /// Non-interactive parts of the actions (tests call them directly). Both return at once;
    /// edited() reports the outcome, then the list is read again (refreshed()).
    void renameRun(qint64 id, const QString &name);
    void deleteRun(qint64 id);
    /// The status line ("2 run(s)", "reading …", or the error naming the database).
    QString statusText() const;

public Q_SLOTS:
    /// Starts reading the list again; refreshed() follows, errors show in the status line.
    void refresh();

Q_SIGNALS:
    /// The list was read (`ok`), or could not be (`error` names the database).
    void refreshed(bool ok, const QString &error);
    /// A rename or delete finished.
    void edited(bool ok, const QString &error);
    void openRequested(const QString &dbPath, qint64 runId);
    void compareRequested(const QString &dbPath, const QList<qint64> &runIds);

private:
    void renameSelected();
    void deleteSelected();
    void updateButtons();
    /// The name column as wide as its names, at most kMaxNameChars average characters: longer
    /// names (an experiment's) are elided in the middle, whole in the tooltip, so the result
    /// columns stay in view.
    void fitNameColumn();
    static constexpr int kMaxNameChars = 36;
    void finishEdit(const QString &title, bool ok, const QString &error, bool interactive);

    RunsModel *m_model;
    QTableView *m_table;
    QLineEdit *m_db;
    QPushButton *m_open;
    QPushButton *m_rename;
    QPushButton *m_delete;
    QPushButton *m_compare;
    QLabel *m_status;
    quint64 m_listRequest = 0; ///< the newest list read: older results are stale
};

} // namespace collapipe
