// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_compare.h"
#include "core/types/round_record.h"

#include <QList>
#include <QWidget>

class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace collapipe {

/// Side-by-side comparison of 2–4 stored runs (issue [6/6], [1/7] #9): latency, energy, loss and
/// accuracy on the simulated clock overlaid in one colour per run (runs with the same seed differ
/// in how long their rounds take, not in loss per round), the simulated time each run needs to
/// reach a target accuracy (settable; the dashed line on the accuracy plot) and 90 % of the best
/// final accuracy, the config diff and the key metrics with units and deltas against the first
/// run (core/store compareRuns: the same numbers as `collapipe compare`). Runs are named by what
/// differs between them ("#4 1f1b"). exportReport() writes PNG plots, CSV tables and HTML.
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
    /// The target accuracy box (0 = automatic: the lowest final accuracy of the runs).
    QDoubleSpinBox *targetBox() const { return m_target; }
    /// "Time to accuracy …: #3 gpipe 35.0 s · #4 1f1b 70.0 s".
    QString timeToAccuracySummary() const;
    QSize sizeHint() const override { return {760, 520}; }

    /// Writes <folder>/latency.png … accuracy.png, metrics.csv, config.csv and report.html.
    bool exportReport(const QString &folder, QString *error) const;

private:
    bool reload(QString *error);
    void fillPlots();
    void fillTables();
    static QColor runColor(int index);

    RunComparison m_comparison;
    std::vector<std::vector<RoundRecord>> m_rounds;
    QString m_dbPath;
    QList<qint64> m_ids;
    QList<QCustomPlot *> m_plots;
    QTableWidget *m_metrics;
    QTableWidget *m_config;
    QLabel *m_title;
    QDoubleSpinBox *m_target;
    QLabel *m_summary;
};

} // namespace collapipe
