// SPDX-License-Identifier: MIT
#include "ui/figures/report_figures.h"

#include "core/experiment/experiment_time_to_accuracy.h"
#include "ui/figures/axis_curve_figure.h"
#include "ui/figures/pareto_figure.h"
#include "ui/figures/policy_figure.h"
#include "ui/figures/regime_map_figure.h"
#include "ui/figures/time_to_accuracy_figure.h"

#include <QApplication>
#include <QDir>
#include <QRegularExpression>
#include <qcustomplot.h>

#include <cmath>
#include <functional>

namespace collapipe {
namespace {

/// A file-name-safe stem: letters, digits, '_', '.', '+' and '-' stay, anything else is '-'.
QString safeStem(QString stem)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_.+-]"));
    return stem.replace(unsafe, QStringLiteral("-"));
}

QString titleOf(QCustomPlot *plot)
{
    if (auto *t = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0))) {
        return t->text().replace(QLatin1Char('\n'), QLatin1Char(' '));
    }
    return {};
}

} // namespace

bool renderReportFigures(const std::vector<StoredPoint> &points, const QString &dir,
    const ReportFigureOptions &options, QStringList *written, QString *error,
    std::vector<ReportFigure> *figures)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        *error = QStringLiteral("drawing figures needs a QApplication (none is running)");
        return false;
    }
    for (const QString &format : options.formats) {
        if (!plotExportFormats().contains(format)) {
            *error = QStringLiteral("figure format '%1' is not one of %2")
                         .arg(format, plotExportFormats().join(QStringLiteral(", ")));
            return false;
        }
    }
    const QDir folder(dir);
    QCustomPlot plot;
    plot.resize(options.size.logicalSize());
    const auto save = [&](const QString &stem) {
        const QString safe = safeStem(stem);
        for (const QString &format : options.formats) {
            const QString path = folder.filePath(safe + QLatin1Char('.') + format);
            if (!exportPlot(&plot, path, error, options.size)) {
                return false;
            }
            if (written) {
                written->append(path);
            }
        }
        if (figures) {
            figures->push_back({safe, titleOf(&plot)});
        }
        return true;
    };

    const std::vector<QStringList> axes = analysisAxes(points);
    for (const QString &metric : options.metrics) {
        for (const QStringList &axis : axes) {
            if (figures::drawAxisCurves(&plot, points, axis, metric)
                && !save(QStringLiteral("curve-%1-vs-%2").arg(metric, axisName(axis)))) {
                return false;
            }
        }
    }
    if (axes.empty()) {
        // Policies and seeds only: no axis to draw a curve along, one dot per policy instead.
        for (const QString &metric : options.metrics) {
            if (figures::drawPolicySummary(&plot, points, metric)
                && !save(QStringLiteral("policies-%1").arg(metric))) {
                return false;
            }
        }
    }
    for (const QString &metric : options.metrics) {
        for (std::size_t i = 0; i < axes.size(); ++i) {
            for (std::size_t j = i + 1; j < axes.size(); ++j) {
                const QStringList settings = figures::regimeMapSettings(points, axes[i], axes[j]);
                for (qsizetype k = 0; k < settings.size(); ++k) {
                    QString stem = QStringLiteral("regime-%1-%2-%3")
                                       .arg(metric, axisName(axes[i]), axisName(axes[j]));
                    if (settings.size() > 1) {
                        stem += QStringLiteral("-%1").arg(k + 1);
                    }
                    if (figures::drawRegimeMap(&plot, points, axes[i], axes[j], metric, settings[k])
                        && !save(stem)) {
                        return false;
                    }
                }
            }
        }
    }
    if (figures::drawParetoFronts(&plot, points) && !save(QStringLiteral("pareto"))) {
        return false;
    }
    const double target = std::isnan(options.targetAccuracy) ? defaultTargetAccuracy(points)
                                                             : options.targetAccuracy;
    if (std::isfinite(target) && figures::drawTimeToAccuracy(&plot, points, target)
        && !save(QStringLiteral("time-to-accuracy"))) {
        return false;
    }
    return true;
}

} // namespace collapipe
