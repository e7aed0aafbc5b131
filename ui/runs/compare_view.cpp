// SPDX-License-Identifier: MIT
#include "ui/runs/compare_view.h"

#include "core/store/csv_field.h"
#include "ui/export/plot_export.h"
#include "ui/plots/axis_range.h"
#include "ui/plots/fitted_legend.h"
#include "ui/runs/store_loader.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <array>
#include <cmath>
#include <string_view>

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
    {"loss", QT_TRANSLATE_NOOP("CompareView", "Training loss"), "loss",
        [](const RoundRecord &r) { return r.loss; }},
    {"accuracy", QT_TRANSLATE_NOOP("CompareView", "Validation accuracy"), "%",
        [](const RoundRecord &r) { return 100.0 * r.accuracy; }},
}};

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
    , m_target(new QDoubleSpinBox)
    , m_summary(new QLabel)
{
    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    for (std::size_t i = 0; i < kCurves.size(); ++i) {
        auto *plot = new QCustomPlot;
        plot->setObjectName(QString::fromLatin1(kCurves[i].file));
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0,
            new QCPTextElement(
                plot, tr(kCurves[i].title), QFont(font().family(), 10, QFont::Bold)));
        plot->xAxis->setLabel(tr("simulated time [s]"));
        const QString unit = QString::fromUtf8(kCurves[i].unit);
        plot->yAxis->setLabel(unit == QLatin1String("loss") || unit == QLatin1String("%")
                ? (unit == QLatin1String("%") ? tr("accuracy [%]") : tr("loss"))
                : QStringLiteral("[%1]").arg(unit));
        // The legend in one row under the plot: it never covers a curve.
        plot->legend->setVisible(true);
        plot->legend->setFont(QFont(font().family(), 8));
        plot->axisRect()->insetLayout()->take(plot->legend);
        plot->plotLayout()->addElement(2, 0, plot->legend);
        plot->plotLayout()->setRowStretchFactor(2, 0.001);
        plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        plot->legend->setWrap(4);
        plot->legend->setBorderPen(Qt::NoPen);
        plot->legend->setMargins(QMargins(2, 0, 2, 0));
        keepLegendFitted(plot); // its entries side by side at the left, not spread over the row
        plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
        plot->setMinimumSize(260, 190); // not the title's width: the window must fit the screen
        installPlotExportMenu(plot);
        m_plots << plot;
        grid->addWidget(plot, int(i) / 2, int(i) % 2);
    }
    for (QTableWidget *t : {m_metrics, m_config}) {
        t->verticalHeader()->setVisible(false);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        t->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    m_target->setRange(0.0, 100.0);
    m_target->setDecimals(1);
    m_target->setSuffix(QStringLiteral(" %"));
    m_target->setSpecialValueText(tr("auto"));
    m_target->setValue(0.0);
    m_target->setToolTip(tr("Target validation accuracy for \"time to accuracy\". auto: the lowest "
                            "final accuracy of the compared runs (every run reached it)"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *exportButton = new QPushButton(tr("Export report…"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(new QLabel(tr("target accuracy")));
    bar->addWidget(m_target);
    bar->addWidget(exportButton);
    // Everything in one scrolling column: the plots keep a readable size and every table row is
    // visible (the tables never scroll on their own).
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(m_summary);
    column->addLayout(grid, 1);
    column->addWidget(m_metrics);
    column->addWidget(m_config);
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(scroll, 1);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString folder
            = QFileDialog::getExistingDirectory(this, tr("Export comparison report"));
        QString error;
        if (!folder.isEmpty() && !exportReport(folder, &error)) {
            QMessageBox::warning(this, tr("Export report"), error);
        }
    });
    connect(m_target, &QDoubleSpinBox::valueChanged, this, [this] {
        if (!m_ids.isEmpty()) {
            request(m_dbPath, m_ids);
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
    request(dbPath, runIds);
    return true;
}

void CompareView::request(const QString &dbPath, const QList<qint64> &runIds)
{
    CompareOptions options;
    if (m_target->value() > 0.0) {
        options.targetAccuracy = m_target->value() / 100.0;
    }
    const quint64 request = ++m_request;
    m_summary->setText(tr("reading %1 …").arg(dbPath));
    StoreLoader::instance()->loadComparison(
        dbPath, runIds, options, this, [this, request, dbPath, runIds](CompareData data) {
            if (request != m_request) {
                return; // a newer selection or target is on its way
            }
            if (!data.ok) {
                // The runs shown before stay; the summary line says why the new ones are not.
                m_summary->setText(data.error.toHtmlEscaped());
                Q_EMIT loaded(false, data.error);
                return;
            }
            m_dbPath = dbPath;
            m_ids = runIds;
            showComparison(std::move(data));
            Q_EMIT loaded(true, QString());
        });
}

void CompareView::showComparison(CompareData data)
{
    m_comparison = std::move(data.comparison);
    m_rounds = std::move(data.rounds);
    fillPlots();
    const QStringList labels = runLabels(m_comparison);
    m_title->setText(tr("Comparing %1 (deltas against %2)")
                         .arg(labels.join(QStringLiteral(", ")), labels.first()));
    m_summary->setText(timeToAccuracySummary());
    fillTables();
}

QString CompareView::timeToAccuracySummary() const
{
    const RunComparison &c = m_comparison;
    if (c.runs.empty()) {
        return {};
    }
    if (std::isnan(c.targetAccuracy)) {
        // A trained run stopped before its first evaluation has none either: not "training off".
        return tr("No validation accuracy in these runs (training off, or stopped before the "
                  "first evaluation): compare them on latency and energy.");
    }
    const QStringList labels = runLabels(c);
    QStringList lines;
    for (const MetricComparison &m : c.metrics) {
        if (!m.key.startsWith(QLatin1String("time_to_"))) {
            continue;
        }
        QStringList parts;
        for (std::size_t r = 0; r < m.values.size(); ++r) {
            parts << QStringLiteral("%1 %2").arg(labels[qsizetype(r)],
                std::isnan(m.values[r]) ? tr("not reached")
                                        : formatMetricValue(m.values[r], m.unit));
        }
        lines << QStringLiteral("<b>%1</b>: %2")
                     .arg(m.label.toHtmlEscaped(),
                         parts.join(QStringLiteral(" · ")).toHtmlEscaped());
    }
    return lines.join(QStringLiteral("<br>"));
}

void CompareView::fillPlots()
{
    const QStringList labels = runLabels(m_comparison);
    for (int p = 0; p < m_plots.size(); ++p) {
        QCustomPlot *plot = m_plots[p];
        plot->clearGraphs();
        plot->clearItems();
        double lo = 0.0;
        double hi = -1.0;
        double tMax = 0.0;
        for (std::size_t r = 0; r < m_rounds.size(); ++r) {
            QCPGraph *g = plot->addGraph();
            g->setPen(QPen(runColor(int(r)), 1.5));
            g->setName(labels.value(qsizetype(r)));
            QVector<double> x;
            QVector<double> y;
            for (const RoundRecord &rec : m_rounds[r]) {
                const double v = kCurves[static_cast<std::size_t>(p)].value(rec);
                tMax = std::max(tMax, rec.simTimeS);
                if (std::isfinite(v)) { // accuracy only every few rounds; loss off without training
                    x << rec.simTimeS;
                    y << v;
                    lo = hi < lo ? v : std::min(lo, v);
                    hi = hi < lo ? v : std::max(hi, v);
                }
            }
            g->setData(x, y, true);
            if (x.size() < 50) {
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
            }
        }
        const bool accuracy
            = std::string_view(kCurves[static_cast<std::size_t>(p)].file) == "accuracy";
        if (accuracy && !std::isnan(m_comparison.targetAccuracy)) {
            const double target = 100.0 * m_comparison.targetAccuracy;
            auto *line = new QCPItemStraightLine(plot);
            line->setPen(QPen(Qt::gray, 1, Qt::DashLine));
            line->point1->setCoords(0.0, target);
            line->point2->setCoords(1.0, target);
            lo = hi < lo ? target : std::min(lo, target);
            hi = std::max(hi, target);
        }
        const bool startsAtZero
            = !accuracy && std::string_view(kCurves[static_cast<std::size_t>(p)].file) != "loss";
        const auto [ylo, yhi] = paddedRange(lo, hi, startsAtZero);
        plot->yAxis->setRange(ylo, yhi);
        const auto [xlo, xhi] = paddedRange(0.0, tMax, true);
        plot->xAxis->setRange(xlo, xhi);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void CompareView::fillTables()
{
    const RunComparison &c = m_comparison;
    const int runs = static_cast<int>(c.runs.size());
    const QStringList labels = runLabels(c);
    QStringList header{tr("metric"), labels.value(0)};
    for (int r = 1; r < runs; ++r) {
        header << labels.value(r)
               << tr("Δ vs %1").arg(labels.value(0).section(QLatin1Char(' '), 0, 0));
    }
    m_metrics->clear();
    m_metrics->setColumnCount(header.size());
    m_metrics->setHorizontalHeaderLabels(header);
    m_metrics->setRowCount(static_cast<int>(c.metrics.size()));
    for (int m = 0; m < static_cast<int>(c.metrics.size()); ++m) {
        const MetricComparison &metric = c.metrics[static_cast<std::size_t>(m)];
        const bool timeTo = metric.key.startsWith(QLatin1String("time_to_"));
        const auto value = [&](std::size_t r) {
            auto *item = new QTableWidgetItem(timeTo && std::isnan(metric.values[r])
                    ? tr("not reached")
                    : formatMetricValue(metric.values[r], metric.unit));
            item->setData(Qt::UserRole, metric.values[r]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        int col = 0;
        auto *name = new QTableWidgetItem(metric.unit.isEmpty() || metric.unit == QLatin1String("%")
                ? metric.label
                : QStringLiteral("%1 [%2]").arg(metric.label, metric.unit));
        name->setToolTip(metric.key);
        if (timeTo) {
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
        }
        m_metrics->setItem(m, col++, name);
        m_metrics->setItem(m, col++, value(0));
        for (std::size_t r = 1; r < metric.values.size(); ++r) {
            m_metrics->setItem(m, col++, value(r));
            auto *d = new QTableWidgetItem(formatMetricDelta(metric, r));
            d->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            const double delta = metric.delta(r);
            if (std::isfinite(delta) && delta != 0.0) {
                const bool better = metric.higherIsBetter ? delta > 0 : delta < 0;
                d->setForeground(better ? QColor(0, 120, 0) : QColor(176, 0, 32));
            }
            m_metrics->setItem(m, col++, d);
        }
    }
    QStringList configHeader{tr("setting that differs")};
    configHeader << labels;
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
    m_config->setVisible(!c.config.empty());
    // Every row visible: the table is exactly as tall as its rows (the page scrolls instead).
    for (QTableWidget *t : {m_metrics, m_config}) {
        t->resizeRowsToContents();
        int height = t->horizontalHeader()->sizeHint().height() + 2 * t->frameWidth();
        for (int r = 0; r < t->rowCount(); ++r) {
            height += t->rowHeight(r);
        }
        if (t->horizontalScrollBar()->isVisible()
            || t->horizontalHeader()->length() > t->viewport()->width()) {
            height += t->horizontalScrollBar()->sizeHint().height();
        }
        t->setFixedHeight(height);
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
                         "run comparison</title></head><body>\n<h1>%1</h1>\n<p>%2</p>\n")
              .arg(m_title->text().toHtmlEscaped(), timeToAccuracySummary());
    for (int p = 0; p < m_plots.size(); ++p) {
        const QString name = QString::fromLatin1(kCurves[static_cast<std::size_t>(p)].file)
            + QStringLiteral(".png");
        if (!exportPlot(m_plots[p], dir.filePath(name), error)) {
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
