// SPDX-License-Identifier: MIT
#include "ui/runs/runs_browser.h"

#include "ui/runs/runs_model.h"
#include "ui/runs/store_loader.h"

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

RunsBrowser::~RunsBrowser()
{
    // Shown as a window of its own (a floating dock, a test), this widget's window is closed by
    // ~QWidget, after this destructor: the focused line edit then emits editingFinished into a
    // half-destroyed object (UBSan: a downcast to a type the object no longer has). Cut the
    // line edits' connections to this first.
    m_db->disconnect(this);
}

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
    m_table->horizontalHeader()->setSectionResizeMode(
        RunsModel::NameColumn, QHeaderView::Interactive); // fitNameColumn()
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setWordWrap(false); // wrapped, a long name showed its first line cut at the end
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

QString RunsBrowser::statusText() const
{
    return m_status->text();
}

void RunsBrowser::refresh()
{
    const QString path = databasePath();
    const quint64 request = ++m_listRequest;
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        m_status->setText(tr("no database at %1 yet").arg(path));
        Q_EMIT refreshed(false, m_status->text());
        return;
    }
    m_status->setText(tr("reading %1 …").arg(path));
    StoreLoader::instance()->listRuns(path, this, [this, request](RunsListing listing) {
        if (request != m_listRequest) {
            return; // a newer refresh (or another database) is on its way
        }
        if (!listing.ok) {
            m_status->setText(listing.error);
            Q_EMIT refreshed(false, listing.error);
            return;
        }
        m_model->setRuns(std::move(listing.runs));
        fitNameColumn();
        m_status->setText(tr("%n run(s)", nullptr, m_model->rowCount()));
        updateButtons();
        Q_EMIT refreshed(true, QString());
    });
}

void RunsBrowser::fitNameColumn()
{
    const int cap = m_table->fontMetrics().averageCharWidth() * kMaxNameChars;
    const int header = m_table->horizontalHeader()->sectionSizeHint(RunsModel::NameColumn);
    // QTableView's override is protected; QAbstractItemView's is public (and dispatches to it).
    const int names
        = static_cast<QAbstractItemView *>(m_table)->sizeHintForColumn(RunsModel::NameColumn);
    m_table->setColumnWidth(RunsModel::NameColumn, std::max(header, std::min(names, cap)));
}

void RunsBrowser::renameRun(qint64 id, const QString &name)
{
    StoreLoader::instance()->renameRun(databasePath(), id, name, this,
        [this](StoreReadStatus result) { finishEdit(QString(), result.ok, result.error, false); });
}

void RunsBrowser::deleteRun(qint64 id)
{
    StoreLoader::instance()->deleteRun(databasePath(), id, this,
        [this](StoreReadStatus result) { finishEdit(QString(), result.ok, result.error, false); });
}

void RunsBrowser::finishEdit(const QString &title, bool ok, const QString &error, bool interactive)
{
    if (!ok && interactive) {
        QMessageBox::warning(this, title, error);
    }
    Q_EMIT edited(ok, error);
    refresh();
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
    if (ok) {
        StoreLoader::instance()->renameRun(
            databasePath(), ids.first(), name, this, [this](StoreReadStatus result) {
                finishEdit(tr("Rename run"), result.ok, result.error, true);
            });
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
    // One request per run, in order on the loader's thread; each reports and refreshes.
    for (qint64 id : ids) {
        StoreLoader::instance()->deleteRun(
            databasePath(), id, this, [this](StoreReadStatus result) {
                finishEdit(tr("Delete runs"), result.ok, result.error, true);
            });
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
