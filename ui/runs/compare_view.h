// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_compare.h"

#include <QList>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace collapipe {

/// Side-by-side comparison of 2–4 stored runs (issue [6/6]): latency, energy, loss and accuracy
/// per round overlaid in one colour per run, the config diff (from the stored scenario JSON and
/// start settings, core/store compareRuns) and the key metrics with deltas and percentages
/// against the first run. exportReport() writes PNG plots, CSV tables and an HTML page.
class CompareView : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget *parent = nullptr);

    /// Loads the runs; false + error (naming the database and run) when one cannot be read.
    bool load(const QString &dbPath, const QList<qint64> &runIds, QString *error);
    const RunComparison &comparison() const { return m_comparison; }
    QList<QCustomPlot *> plots() const { return m_plots; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *configTable() const { return m_config; }
    QSize sizeHint() const override { return {760, 520}; }

    /// Writes <folder>/latency.png … accuracy.png, metrics.csv, config.csv and report.html.
    bool exportReport(const QString &folder, QString *error) const;

private:
    void fillTables();
    static QColor runColor(int index);

    RunComparison m_comparison;
    QList<QCustomPlot *> m_plots;
    QTableWidget *m_metrics;
    QTableWidget *m_config;
    QLabel *m_title;
};

} // namespace collapipe
