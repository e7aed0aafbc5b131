// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_report.h"

#include "core/store/csv_field.h"

#include <cmath>

namespace collapipe {
namespace {

QString number(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 17) : QString();
}

QString line(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields) {
        quoted << csvField(f);
    }
    return quoted.join(QLatin1Char(',')) + QLatin1Char('\n');
}

} // namespace

QString axisCurvesCsv(const std::vector<StoredPoint> &points, const QStringList &metrics)
{
    QString csv = QStringLiteral("metric,axis,axis_value,other_axes,policy,n,mean,sd,ci95_low,"
                                 "ci95_high,ci95_half_width,note\n");
    for (const QString &metric : metrics) {
        for (const QStringList &axis : analysisAxes(points)) {
            for (const AxisSummary &s : metricAlongAxis(points, axis, metric)) {
                const MeanInterval &m = s.stat;
                const double low = m.hasInterval ? m.mean - m.halfWidth : std::nan("");
                const double high = m.hasInterval ? m.mean + m.halfWidth : std::nan("");
                csv += line({metric, axisName(axis), s.axisValue, s.otherAxes, s.policy,
                    QString::number(m.n), number(m.mean), m.hasInterval ? number(m.sd) : QString(),
                    number(low), number(high), number(m.halfWidth),
                    m.hasInterval ? QString() : QStringLiteral("n=1: no interval")});
            }
        }
    }
    return csv;
}

QString policySummaryCsv(const std::vector<StoredPoint> &points, const QStringList &metrics)
{
    QString csv = QStringLiteral(
        "metric,setting,policy,n,mean,sd,ci95_low,ci95_high,ci95_half_width,note\n");
    for (const QString &metric : metrics) {
        for (const PolicySummary &s : metricPerPolicy(points, metric)) {
            const MeanInterval &m = s.stat;
            const double low = m.hasInterval ? m.mean - m.halfWidth : std::nan("");
            const double high = m.hasInterval ? m.mean + m.halfWidth : std::nan("");
            csv += line({metric, s.setting, s.policy, QString::number(m.n), number(m.mean),
                m.hasInterval ? number(m.sd) : QString(), number(low), number(high),
                number(m.halfWidth),
                m.hasInterval ? QString() : QStringLiteral("n=1: no interval")});
        }
    }
    return csv;
}

QString regimeMapCsv(const std::vector<StoredPoint> &points, const QStringList &metrics)
{
    QString csv = QStringLiteral("metric,better,x_axis,x_value,y_axis,y_value,other_axes,"
                                 "best_policy,best_mean,runner_up,runner_up_mean,"
                                 "relative_margin,policies\n");
    const std::vector<QStringList> axes = analysisAxes(points);
    for (const QString &metric : metrics) {
        const QString better
            = metricLowerIsBetter(metric) ? QStringLiteral("lower") : QStringLiteral("higher");
        for (std::size_t i = 0; i < axes.size(); ++i) {
            for (std::size_t j = i + 1; j < axes.size(); ++j) {
                for (const RegimeCell &c : regimeMap(points, axes[i], axes[j], metric)) {
                    csv += line({metric, better, axisName(axes[i]), c.xValue, axisName(axes[j]),
                        c.yValue, c.otherAxes, c.best, number(c.bestMean), c.runnerUp,
                        number(c.runnerUpMean), number(c.relativeMargin),
                        QString::number(c.policies)});
                }
            }
        }
    }
    return csv;
}

QString paretoCsv(const std::vector<StoredPoint> &points)
{
    QString csv = QStringLiteral("policy,setting,n,mean_latency_s,mean_energy_j,on_front\n");
    for (const ParetoPoint &p : paretoFronts(points)) {
        csv += line({p.policy, p.setting, QString::number(p.n), number(p.meanLatencyS),
            number(p.meanEnergyJ), p.onFront ? QStringLiteral("1") : QStringLiteral("0")});
    }
    return csv;
}

QString accuracyOverTimeCsv(const std::vector<StoredPoint> &points)
{
    QString csv = QStringLiteral("setting,policy,seeds,sim_time_s,mean_accuracy\n");
    for (const AccuracyCurve &c : accuracyOverTime(points)) {
        for (std::size_t i = 0; i < c.timeS.size(); ++i) {
            csv += line({c.setting, c.policy, QString::number(c.seeds), number(c.timeS[i]),
                number(c.meanAccuracy[i])});
        }
    }
    return csv;
}

QString timeToAccuracyCsv(const std::vector<StoredPoint> &points, double target)
{
    QString csv = QStringLiteral("setting,policy,target_accuracy,seeds,reached,mean_time_s,sd,"
                                 "ci95_low,ci95_high,ci95_half_width,final_accuracy,note\n");
    for (const TimeToAccuracy &r : timeToAccuracy(points, target)) {
        const MeanInterval &m = r.timeS;
        const double low = m.hasInterval ? m.mean - m.halfWidth : std::nan("");
        const double high = m.hasInterval ? m.mean + m.halfWidth : std::nan("");
        QString note;
        if (r.reached == 0) {
            note = QStringLiteral("none reached");
        } else if (!m.hasInterval) {
            note = QStringLiteral("n=1: no interval");
        }
        csv += line({r.setting, r.policy, number(r.target), QString::number(r.seeds),
            QString::number(r.reached), r.reached ? number(m.mean) : QString(),
            m.hasInterval ? number(m.sd) : QString(), number(low), number(high),
            m.hasInterval ? number(m.halfWidth) : QString(), number(r.finalAccuracy), note});
    }
    return csv;
}

} // namespace collapipe
