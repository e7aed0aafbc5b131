// SPDX-License-Identifier: MIT
#include "ui/plots/cluster_round_marks.h"

#include <QCoreApplication>
#include <QStringList>

#include <cmath>

namespace collapipe {

namespace cluster_round_marks {

QString seconds(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 3) : QStringLiteral("—");
}

} // namespace cluster_round_marks

QString clusterRoundMark(const ClusterRound &c)
{
    QString mark;
    if (c.satOut) {
        mark += QStringLiteral(" ✕ sat out");
    } else if (!c.aggregated) {
        mark += QStringLiteral(" ✕ late");
    }
    if (c.dropouts > 0) {
        mark += QStringLiteral(" ⟳%1").arg(c.dropouts);
    }
    return mark;
}

QString clusterRoundMarkTip(const ClusterRound &c)
{
    using cluster_round_marks::seconds;
    const auto tr
        = [](const char *text) { return QCoreApplication::translate("DecisionTableModel", text); };
    QStringList lines;
    if (c.satOut) {
        const QString why = c.satOutReason.isEmpty() ? tr("no device present") : c.satOutReason;
        lines << tr("Sat this round out (%1): no update from it, FedAvg "
                    "weights renormalised over the others.")
                     .arg(why);
    } else if (!c.aggregated) {
        lines << tr("Missed the round deadline (latency %1 s): left out of "
                    "this round's FedAvg, weights renormalised.")
                     .arg(seconds(c.latencyS));
    }
    if (c.dropouts > 0) {
        lines << tr("%1 device(s) dropped out mid-round: %2 s of work lost, "
                    "%3 s recovery (segments re-sent), then re-planned.")
                     .arg(c.dropouts)
                     .arg(seconds(c.lostS))
                     .arg(seconds(c.recoveryS));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace collapipe
