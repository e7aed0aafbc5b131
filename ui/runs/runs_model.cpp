// SPDX-License-Identifier: MIT
#include "ui/runs/runs_model.h"

#include "core/store/run_compare.h"

#include <QColor>
#include <QDateTime>

#include <cmath>

namespace collapipe {

namespace {

QString metric(double v, const char *unit)
{
    return std::isfinite(v) ? formatMetricValue(v, QLatin1String(unit)) : QStringLiteral("—");
}

} // namespace

RunsModel::RunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RunsModel::setRuns(std::vector<RunListEntry> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int RunsModel::rowOf(qint64 id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].info.id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const RunListEntry &r = m_runs[static_cast<std::size_t>(index.row())];
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        switch (r.info.status) {
        case RunStatus::Completed:
            return QColor(0, 120, 0);
        case RunStatus::Failed:
        case RunStatus::Interrupted:
            return QColor(176, 0, 32);
        default:
            return {};
        }
    }
    if (role == Qt::UserRole) {
        return QVariant::fromValue<qint64>(r.info.id);
    }
    if (role == Qt::ToolTipRole && index.column() == NameColumn) {
        return r.info.name; // the table elides long names (an experiment's) in the middle
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole) {
        return {};
    }
    switch (index.column()) {
    case IdColumn:
        return QVariant::fromValue<qint64>(r.info.id);
    case NameColumn:
        return r.info.name;
    case StatusColumn:
        return runStatusName(r.info.status);
    case PolicyColumn:
        return r.info.policy;
    case ScheduleColumn:
        return r.schedule;
    case SeedColumn:
        return QString::number(r.info.seed);
    case CreatedColumn: {
        const QDateTime t = QDateTime::fromString(r.info.created, Qt::ISODate);
        return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                           : r.info.created;
    }
    case RoundsColumn:
        return QStringLiteral("%1 / %2").arg(r.info.roundsDone).arg(r.info.roundsPlanned);
    case SimTimeColumn:
        return r.summary.rounds > 0 ? metric(r.summary.simTimeS, "s") : QStringLiteral("—");
    case LatencyColumn:
        return metric(r.summary.meanLatencyS, "s");
    case EnergyColumn:
        return metric(r.summary.totalEnergyJ, "J");
    case LossColumn:
        return r.summary.rounds > 0 ? metric(r.summary.finalLoss, "") : QStringLiteral("—");
    case AccuracyColumn:
        return r.summary.rounds > 0 ? metric(r.summary.finalAccuracy, "%") : QStringLiteral("—");
    default:
        return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case IdColumn:
        return tr("id");
    case NameColumn:
        return tr("name");
    case StatusColumn:
        return tr("status");
    case PolicyColumn:
        return tr("policy");
    case ScheduleColumn:
        return tr("schedule");
    case SeedColumn:
        return tr("seed");
    case CreatedColumn:
        return tr("date");
    case RoundsColumn:
        return tr("rounds");
    case SimTimeColumn:
        return tr("simulated time");
    case LatencyColumn:
        return tr("mean latency");
    case EnergyColumn:
        return tr("total energy");
    case LossColumn:
        return tr("final loss");
    case AccuracyColumn:
        return tr("final accuracy");
    default:
        return {};
    }
}

} // namespace collapipe
