// SPDX-License-Identifier: MIT
#include "ui/runs/runs_browser.h"

#include "core/store/run_store.h"
#include "ui/runs/runs_model.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace collapipe {

RunsBrowser::RunsBrowser(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunsModel(this))
    , m_table(new QTableView)
    , m_db(new QLineEdit)
    , m_open(new QPushButton(tr("Open")))
    , m_rename(new QPushButton(tr("Rename…")))
    , m_delete(new QPushButton(tr("Delete…")))
    , m_compare(new QPushButton(tr("Compare")))
    , m_status(new QLabel)
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(20);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_open->setToolTip(tr("Replay the selected run: its scenario opens read-only on the canvas "
                          "and the replay bar above scrubs every panel"));
    m_compare->setToolTip(tr("Compare 2–4 selected runs: overlaid curves, config diff, metrics"));
    auto *refresh = new QToolButton;
    refresh->setText(tr("Refresh"));
    auto *browse = new QToolButton;
    browse->setText(QStringLiteral("…"));
    auto *dbRow = new QHBoxLayout;
    dbRow->addWidget(new QLabel(tr("Database")));
    dbRow->addWidget(m_db, 1);
    dbRow->addWidget(browse);
    dbRow->addWidget(refresh);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_open, m_rename, m_delete, m_compare}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    m_status->setStyleSheet(QStringLiteral("color: gray"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(dbRow);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(refresh, &QToolButton::clicked, this, &RunsBrowser::refresh);
    connect(m_db, &QLineEdit::editingFinished, this, &RunsBrowser::refresh);
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Run database"), m_db->text(), tr("SQLite (*.sqlite *.db)"));
        if (!path.isEmpty()) {
            setDatabasePath(path);
        }
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &RunsBrowser::updateButtons);
    connect(m_table, &QTableView::doubleClicked, this, [this] { m_open->click(); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QList<qint64> ids = selectedRuns();
        if (!ids.isEmpty()) {
            Q_EMIT openRequested(databasePath(), ids.first());
        }
    });
    connect(m_compare, &QPushButton::clicked, this,
        [this] { Q_EMIT compareRequested(databasePath(), selectedRuns()); });
    connect(m_rename, &QPushButton::clicked, this, &RunsBrowser::renameSelected);
    connect(m_delete, &QPushButton::clicked, this, &RunsBrowser::deleteSelected);
    updateButtons();
}

void RunsBrowser::setDatabasePath(const QString &path)
{
    m_db->setText(path);
    refresh();
}

QString RunsBrowser::databasePath() const
{
    return m_db->text();
}

QList<qint64> RunsBrowser::selectedRuns() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows()) {
        rows << i.row();
    }
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int r : rows) {
        ids << m_model->run(r).id;
    }
    std::sort(ids.begin(), ids.end()); // the oldest selected run is the comparison's reference
    return ids;
}

bool RunsBrowser::refresh()
{
    if (databasePath().isEmpty() || !QFileInfo::exists(databasePath())) {
        m_status->setText(tr("no database at %1 yet").arg(databasePath()));
        return false;
    }
    QString error;
    StoreOptions options;
    options.create = false;
    options.checkOnOpen = false; // quick_check reads the whole file: not on the UI thread
    auto store = RunStore::open(databasePath(), &error, options);
    if (!store || !m_model->reload(store.get(), &error)) {
        m_status->setText(error);
        return false;
    }
    m_status->setText(tr("%n run(s)", nullptr, m_model->rowCount()));
    updateButtons();
    return true;
}

bool RunsBrowser::renameRun(qint64 id, const QString &name, QString *error)
{
    auto store = RunStore::open(databasePath(), error);
    const bool ok = store && store->renameRun(id, name, error);
    refresh();
    return ok;
}

bool RunsBrowser::deleteRun(qint64 id, QString *error)
{
    auto store = RunStore::open(databasePath(), error);
    const bool ok = store && store->deleteRun(id, error);
    refresh();
    return ok;
}

void RunsBrowser::renameSelected()
{
    const QList<qint64> ids = selectedRuns();
    if (ids.size() != 1) {
        return;
    }
    const QString old = m_model->run(m_model->rowOf(ids.first())).name;
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("Rename run"), tr("Name"), QLineEdit::Normal, old, &ok);
    QString error;
    if (ok && !renameRun(ids.first(), name, &error)) {
        QMessageBox::warning(this, tr("Rename run"), error);
    }
}

void RunsBrowser::deleteSelected()
{
    const QList<qint64> ids = selectedRuns();
    if (ids.isEmpty()) {
        return;
    }
    QStringList names;
    for (qint64 id : ids) {
        names << QStringLiteral("#%1 %2").arg(id).arg(m_model->run(m_model->rowOf(id)).name);
    }
    const auto answer = QMessageBox::question(this, tr("Delete runs"),
        tr("Delete %n run(s) and all their rounds? This cannot be undone.\n\n%1", nullptr,
            int(ids.size()))
            .arg(names.join(QLatin1Char('\n'))),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
        return;
    }
    for (qint64 id : ids) {
        QString error;
        if (!deleteRun(id, &error)) {
            QMessageBox::warning(this, tr("Delete runs"), error);
            return;
        }
    }
}

void RunsBrowser::updateButtons()
{
    const int n = static_cast<int>(selectedRuns().size());
    m_open->setEnabled(n == 1);
    m_rename->setEnabled(n == 1);
    m_delete->setEnabled(n >= 1);
    m_compare->setEnabled(n >= 2 && n <= 4);
}

} // namespace collapipe
