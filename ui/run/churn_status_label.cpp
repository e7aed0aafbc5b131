// SPDX-License-Identifier: MIT
#include "ui/run/churn_status_label.h"

#include "ui/run/run_controller.h"

namespace collapipe {

ChurnStatusLabel::ChurnStatusLabel(RunController *controller, QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("runChurn"));
    setWordWrap(true);
    setVisible(false);
    if (controller) {
        connect(controller, &RunController::runStarted, this, &ChurnStatusLabel::reset);
        connect(controller, &RunController::roundFinished, this, &ChurnStatusLabel::addRound);
    }
}

void ChurnStatusLabel::reset()
{
    m_ignoring = false;
    m_satOut = m_late = m_nobody = 0;
    m_lastRound = m_lastCluster = -1;
    m_lastReason.clear();
    clear();
    setToolTip(QString());
    setVisible(false);
}

void ChurnStatusLabel::forgetRun()
{
    reset();
    m_ignoring = true;
}

void ChurnStatusLabel::addRound(const RoundRecord &record)
{
    if (m_ignoring) {
        return;
    }
    bool changed = false;
    bool anyAggregated = record.clusters.empty();
    for (const ClusterRound &c : record.clusters) {
        anyAggregated = anyAggregated || c.aggregated;
        if (c.satOut) {
            ++m_satOut;
            m_lastRound = record.round;
            m_lastCluster = c.cluster;
            m_lastReason = c.satOutReason.isEmpty() ? tr("no device present") : c.satOutReason;
            changed = true;
        } else if (!c.aggregated) {
            ++m_late;
            changed = true;
        }
    }
    if (!anyAggregated) {
        ++m_nobody;
    }
    if (changed) {
        refresh();
    }
}

void ChurnStatusLabel::refresh()
{
    QString text = tr("Left out of FedAvg: %1 cluster-round(s) sat out, %2 missed the deadline")
                       .arg(m_satOut)
                       .arg(m_late);
    if (m_nobody > 0) {
        text += tr("; %1 round(s) aggregated no cluster (model unchanged)").arg(m_nobody);
    }
    if (m_lastCluster >= 0) {
        // The policy's message can be long and span lines: its first line here, all of it in
        // the tooltip.
        const QString first = m_lastReason.section(QLatin1Char('\n'), 0, 0);
        text += tr(". Last sat out: cluster %1 in round %2 (%3).")
                    .arg(m_lastCluster)
                    .arg(m_lastRound)
                    .arg(first.size() > 160 ? first.left(159) + QChar(0x2026) : first);
        setToolTip(tr("Round %1, cluster %2 sat out: %3")
                       .arg(m_lastRound)
                       .arg(m_lastCluster)
                       .arg(m_lastReason));
    }
    setText(text);
    setVisible(true);
}

} // namespace collapipe
