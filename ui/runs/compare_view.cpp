// SPDX-License-Identifier: MIT
#include "ui/runs/compare_view.h"

#include "core/store/csv_field.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "ui/export/plot_export.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <array>
#include <cmath>

namespace collapipe {

namespace {

struct Curve
{
    const char *file;
    const char *title;
    const char *unit;
    double (*value)(const RoundRecord &);
};

const std::array<Curve, 4> kCurves = {{
    {"latency", QT_TRANSLATE_NOOP("CompareView", "Latency per round"), "s",
        [](const RoundRecord &r) { return r.latencyS; }},
    {"energy", QT_TRANSLATE_NOOP("CompareView", "Energy per round (all devices)"), "J",
        [](const RoundRecord &r) { return r.energyJ; }},
    {"loss", QT_TRANSLATE_NOOP("CompareView", "Training loss"), "",
        [](const RoundRecord &r) { return r.loss; }},
    {"accuracy", QT_TRANSLATE_NOOP("CompareView", "Validation accuracy"), "",
        [](const RoundRecord &r) { return r.accuracy; }},
}};

QString cell(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 5) : QStringLiteral("—");
}

QString csvRow(const QStringList &cells)
{
    QStringList out;
    for (const QString &c : cells) {
        out << csvField(c);
    }
    return out.join(QLatin1Char(',')) + QLatin1Char('\n');
}

bool writeFile(const QString &path, const QString &text, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(text.toUtf8()) < 0
        || !f.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

QStringList tableRow(const QTableWidget *t, int row)
{
    QStringList cells;
    for (int c = 0; c < t->columnCount(); ++c) {
        cells << (row < 0 ? t->horizontalHeaderItem(c)->text()
                          : (t->item(row, c) ? t->item(row, c)->text() : QString()));
    }
    return cells;
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_metrics(new QTableWidget)
    , m_config(new QTableWidget)
    , m_title(new QLabel(tr("Compare runs: select 2–4 runs in the runs browser")))
{
    auto *grid = new QGridLayout;
    grid->setSpacing(2);
    for (std::size_t i = 0; i < kCurves.size(); ++i) {
        auto *plot = new QCustomPlot;
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0,
            new QCPTextElement(
                plot, tr(kCurves[i].title), QFont(font().family(), 10, QFont::Bold)));
        plot->xAxis->setLabel(tr("round"));
        plot->yAxis->setLabel(QString::fromUtf8(kCurves[i].unit));
        plot->legend->setVisible(true);
        plot->legend->setFont(QFont(font().family(), 8));
        plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
        plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
        plot->setMinimumSize(220, 130); // not the title's width: the window must fit the screen
        installPlotExportMenu(plot);
        m_plots << plot;
        grid->addWidget(plot, int(i) / 2, int(i) % 2);
    }
    for (QTableWidget *t : {m_metrics, m_config}) {
        t->verticalHeader()->setVisible(false);
        t->verticalHeader()->setDefaultSectionSize(20);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    auto *exportButton = new QPushButton(tr("Export report…"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(exportButton);
    auto *plots = new QWidget;
    plots->setLayout(grid);
    auto *tables = new QSplitter(Qt::Horizontal);
    tables->addWidget(m_metrics);
    tables->addWidget(m_config);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(plots);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString folder
            = QFileDialog::getExistingDirectory(this, tr("Export comparison report"));
        QString error;
        if (!folder.isEmpty() && !exportReport(folder, &error)) {
            QMessageBox::warning(this, tr("Export report"), error);
        }
    });
}

QColor CompareView::runColor(int index)
{
    static const std::array<QColor, 4> colors
        = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44), QColor(148, 103, 189)};
    return colors[static_cast<std::size_t>(index) % colors.size()];
}

bool CompareView::load(const QString &dbPath, const QList<qint64> &runIds, QString *error)
{
    if (runIds.size() < 2 || runIds.size() > 4) {
        *error = tr("select 2 to 4 runs to compare (%1 selected)").arg(runIds.size());
        return false;
    }
    StoreOptions options;
    options.create = false;
    auto store = RunStore::open(dbPath, error, options);
    if (!store) {
        return false;
    }
    RunComparison comparison;
    const std::vector<std::int64_t> ids(runIds.begin(), runIds.end());
    if (!compareRuns(store.get(), ids, &comparison, error)) {
        return false;
    }
    RunReader reader(store.get());
    std::vector<std::vector<RoundRecord>> rounds(ids.size());
    for (std::size_t r = 0; r < ids.size(); ++r) {
        if (!reader.rounds(ids[r], &rounds[r], error)) {
            return false;
        }
    }
    m_comparison = comparison;
    for (int p = 0; p < m_plots.size(); ++p) {
        QCustomPlot *plot = m_plots[p];
        plot->clearGraphs();
        for (std::size_t r = 0; r < ids.size(); ++r) {
            QCPGraph *g = plot->addGraph();
            g->setPen(QPen(runColor(int(r)), 1));
            const RunInfo &info = comparison.runs[r]; // the full name is in the runs browser
            g->setName(QStringLiteral("#%1 %2 s%3").arg(info.id).arg(info.policy).arg(info.seed));
            QVector<double> x;
            QVector<double> y;
            for (const RoundRecord &rec : rounds[r]) {
                const double v = kCurves[static_cast<std::size_t>(p)].value(rec);
                if (std::isfinite(v)) { // accuracy only every few rounds; loss off without training
                    x << rec.round;
                    y << v;
                }
            }
            g->setData(x, y, true);
            if (x.size() < 50) {
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
            }
        }
        plot->rescaleAxes();
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
    QStringList names;
    for (const RunInfo &info : comparison.runs) {
        names << QStringLiteral("#%1").arg(info.id);
    }
    m_title->setText(tr("Comparing runs %1 (deltas against %2)")
                         .arg(names.join(QStringLiteral(", ")), names.first()));
    fillTables();
    return true;
}

void CompareView::fillTables()
{
    const RunComparison &c = m_comparison;
    const int runs = static_cast<int>(c.runs.size());
    QStringList header{tr("metric"), tr("unit"), QStringLiteral("#%1").arg(c.runs[0].id)};
    for (int r = 1; r < runs; ++r) {
        header << QStringLiteral("#%1").arg(c.runs[static_cast<std::size_t>(r)].id) << tr("Δ")
               << tr("Δ %");
    }
    m_metrics->clear();
    m_metrics->setColumnCount(header.size());
    m_metrics->setHorizontalHeaderLabels(header);
    m_metrics->setRowCount(static_cast<int>(c.metrics.size()));
    for (int m = 0; m < static_cast<int>(c.metrics.size()); ++m) {
        const MetricComparison &metric = c.metrics[static_cast<std::size_t>(m)];
        int col = 0;
        m_metrics->setItem(m, col++, new QTableWidgetItem(metric.key));
        m_metrics->setItem(m, col++, new QTableWidgetItem(metric.unit));
        m_metrics->setItem(m, col++, new QTableWidgetItem(cell(metric.values[0])));
        for (std::size_t r = 1; r < metric.values.size(); ++r) {
            const double pct = metric.deltaPercent(r);
            m_metrics->setItem(m, col++, new QTableWidgetItem(cell(metric.values[r])));
            m_metrics->setItem(m, col++, new QTableWidgetItem(cell(metric.delta(r))));
            auto *p = new QTableWidgetItem(std::isfinite(pct)
                    ? QStringLiteral("%1%2 %")
                          .arg(pct > 0 ? QStringLiteral("+") : QString())
                          .arg(pct, 0, 'f', 1)
                    : QStringLiteral("—"));
            if (std::isfinite(pct) && std::abs(pct) >= 0.05) {
                p->setForeground(pct < 0 ? QColor(0, 120, 0) : QColor(176, 0, 32));
            }
            m_metrics->setItem(m, col++, p);
        }
    }
    QStringList configHeader{tr("setting that differs")};
    for (const RunInfo &info : c.runs) {
        configHeader << QStringLiteral("#%1").arg(info.id);
    }
    m_config->clear();
    m_config->setColumnCount(configHeader.size());
    m_config->setHorizontalHeaderLabels(configHeader);
    m_config->setRowCount(static_cast<int>(c.config.size()));
    for (int d = 0; d < static_cast<int>(c.config.size()); ++d) {
        const ConfigDifference &diff = c.config[static_cast<std::size_t>(d)];
        m_config->setItem(d, 0, new QTableWidgetItem(diff.path));
        for (int r = 0; r < diff.values.size() && r + 1 < configHeader.size(); ++r) {
            m_config->setItem(d, r + 1, new QTableWidgetItem(diff.values[r]));
        }
    }
}

bool CompareView::exportReport(const QString &folder, QString *error) const
{
    if (m_comparison.runs.empty()) {
        *error = tr("nothing to export: no runs compared yet");
        return false;
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("%1: cannot create the folder").arg(folder);
        return false;
    }
    const QDir dir(folder);
    QString html
        = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>CollaPipe "
                         "run comparison</title></head><body>\n<h1>%1</h1>\n")
              .arg(m_title->text().toHtmlEscaped());
    for (int p = 0; p < m_plots.size(); ++p) {
        const QString name = QString::fromLatin1(kCurves[static_cast<std::size_t>(p)].file)
            + QStringLiteral(".png");
        if (!exportPlot(m_plots[p], dir.filePath(name), error, 900, 420)) {
            return false;
        }
        html += QStringLiteral("<img src=\"%1\" alt=\"%1\">\n").arg(name);
    }
    for (const auto &[table, file] :
        {std::pair{m_metrics, "metrics"}, std::pair{m_config, "config"}}) {
        QString csv = csvRow(tableRow(table, -1));
        html += QStringLiteral(
            "<h2>%1</h2>\n<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n<tr>")
                    .arg(QString::fromLatin1(file));
        for (const QString &h : tableRow(table, -1)) {
            html += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
        }
        html += QStringLiteral("</tr>\n");
        for (int r = 0; r < table->rowCount(); ++r) {
            csv += csvRow(tableRow(table, r));
            html += QStringLiteral("<tr>");
            for (const QString &v : tableRow(table, r)) {
                html += QStringLiteral("<td>%1</td>").arg(v.toHtmlEscaped());
            }
            html += QStringLiteral("</tr>\n");
        }
        html += QStringLiteral("</table>\n");
        if (!writeFile(
                dir.filePath(QString::fromLatin1(file) + QStringLiteral(".csv")), csv, error)) {
            return false;
        }
    }
    html += QStringLiteral("</body></html>\n");
    return writeFile(dir.filePath(QStringLiteral("report.html")), html, error);
}

} // namespace collapipe
