// SPDX-License-Identifier: MIT
#include "ui/plots/decision_tree_model.h"

#include "ui/plots/cluster_round_marks.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/decision_table_model.h"

#include <QColor>
#include <QFont>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace collapipe {

namespace decision_tree {

constexpr quintptr kTopLevel = 0; ///< internalId of a summary row; a child's is its group + 1
const QColor kMatchBackground(255, 240, 160);
const QColor kLeftOutColor(183, 28, 28);  ///< late or sat out: its update is not in FedAvg
const QColor kReplannedColor(230, 81, 0); ///< dropouts: re-planned mid-round

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 3) : QStringLiteral("—");
}

/// Sums, minima and maxima over a cluster's devices (the summary row).
struct ClusterTotals
{
    int active = 0; ///< devices given blocks
    int stages = 0;
    int firstBlock = std::numeric_limits<int>::max();
    int lastBlock = -1;
    double bandwidth = 0.0;
    double power = 0.0;
    double minSnr = std::numeric_limits<double>::infinity();
    double minRate = std::numeric_limits<double>::infinity();
    double maxMemory = 0.0;
    double maxTrainerMemory = std::numeric_limits<double>::quiet_NaN();
    double maxMeasured = std::numeric_limits<double>::quiet_NaN();
    double energy = 0.0;
    double queue = 0.0;
};

ClusterTotals totalsOf(const DecisionTableModel &source, const std::vector<int> &rows)
{
    ClusterTotals t;
    auto maxNan = [](double a, double b) { return std::isfinite(a) ? std::max(a, b) : b; };
    for (int row : rows) {
        const DeviceRound *d = source.deviceOfRow(row);
        if (!d) {
            continue;
        }
        t.bandwidth += d->bandwidthShare;
        t.power += d->powerW;
        t.energy += d->energyJ;
        t.queue += d->energyQueueJ;
        t.maxMemory = std::max(t.maxMemory, d->memoryPredictedBytes);
        if (std::isfinite(d->memoryPredictedTrainerBytes)) {
            t.maxTrainerMemory = maxNan(t.maxTrainerMemory, d->memoryPredictedTrainerBytes);
        }
        if (std::isfinite(d->memoryMeasuredBytes)) {
            t.maxMeasured = maxNan(t.maxMeasured, d->memoryMeasuredBytes);
        }
        if (d->stage < 0) {
            continue;
        }
        ++t.active;
        t.stages = std::max(t.stages, d->stage + 1);
        t.firstBlock = std::min(t.firstBlock, d->firstBlock);
        t.lastBlock = std::max(t.lastBlock, d->lastBlock);
        t.minSnr = std::min(t.minSnr, d->linkSnrDb);
        t.minRate = std::min(t.minRate, d->linkRateBps);
    }
    return t;
}

} // namespace decision_tree

int DecisionTreeModel::statusColumn()
{
    return DecisionTableModel::ColumnCount;
}

DecisionTreeModel::DecisionTreeModel(
    DecisionTableModel *source, ClusterRowFilter *filter, QObject *parent)
    : QAbstractItemModel(parent)
    , m_source(source)
    , m_filter(filter)
{
    connect(m_source, &QAbstractItemModel::modelReset, this, &DecisionTreeModel::rebuild);
    connect(m_filter, &ClusterRowFilter::changed, this, &DecisionTreeModel::rebuild);
    connect(m_source, &QAbstractItemModel::dataChanged, this, [this] {
        if (rowCount() > 0) { // cluster labels changed (setClusterIds): same rows, new text
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        }
    });
    rebuild();
}

void DecisionTreeModel::rebuild()
{
    beginResetModel();
    m_groups.clear();
    std::map<int, std::vector<int>> rowsOf; // cluster → source rows, in source order
    for (int row = 0; row < m_source->rowCount(); ++row) {
        rowsOf[m_source->clusterOfRow(row)].push_back(row);
    }
    m_clusterCount = int(rowsOf.size());
    m_fullRowCount = m_source->rowCount() + m_clusterCount;
    if (m_fullRowCount > 0) {
        m_filter->noteRound(m_fullRowCount); // the view reads the expansion after the reset
    }
    for (auto &[cluster, rows] : rowsOf) {
        if (!m_filter->isPicked(cluster)) {
            continue;
        }
        Group g;
        g.cluster = cluster;
        g.allRows = rows;
        g.clusterHit = m_filter->clusterMatches(cluster);
        for (int row : rows) {
            g.devices += m_source->deviceOfRow(row) ? 1 : 0;
        }
        if (!m_filter->isSearching() || g.clusterHit) {
            g.rows = rows;
        } else {
            for (int row : rows) {
                const DeviceRound *d = m_source->deviceOfRow(row);
                if (d && m_filter->deviceMatches(d->deviceId)) {
                    g.rows.push_back(row);
                }
            }
            if (g.rows.empty()) {
                continue;
            }
            g.forcedOpen = true;
        }
        m_groups.push_back(std::move(g));
    }
    endResetModel();
}

QModelIndex DecisionTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= columnCount() || row < 0 || row >= rowCount(parent)) {
        return {};
    }
    return createIndex(
        row, column, parent.isValid() ? quintptr(parent.row() + 1) : decision_tree::kTopLevel);
}

QModelIndex DecisionTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == decision_tree::kTopLevel) {
        return {};
    }
    return createIndex(int(child.internalId() - 1), 0, decision_tree::kTopLevel);
}

int DecisionTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid()) {
        return int(m_groups.size());
    }
    if (parent.internalId() != decision_tree::kTopLevel || parent.column() != 0) {
        return 0;
    }
    return int(m_groups[std::size_t(parent.row())].rows.size());
}

int DecisionTreeModel::columnCount(const QModelIndex &) const
{
    return DecisionTableModel::ColumnCount + 1;
}

int DecisionTreeModel::clusterOfRow(int row) const
{
    return row >= 0 && row < int(m_groups.size()) ? m_groups[std::size_t(row)].cluster : -1;
}

bool DecisionTreeModel::isForcedOpen(int row) const
{
    return row >= 0 && row < int(m_groups.size()) && m_groups[std::size_t(row)].forcedOpen;
}

int DecisionTreeModel::sourceRow(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == decision_tree::kTopLevel) {
        return -1;
    }
    const Group &g = m_groups[std::size_t(index.internalId() - 1)];
    return g.rows[std::size_t(index.row())];
}

QVariant DecisionTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    if (index.internalId() == decision_tree::kTopLevel) {
        return summaryData(m_groups[std::size_t(index.row())], index.column(), role);
    }
    const Group &g = m_groups[std::size_t(index.internalId() - 1)];
    return childData(g, g.rows[std::size_t(index.row())], index.column(), role);
}

QVariant DecisionTreeModel::childData(const Group &g, int row, int column, int role) const
{
    if (column == statusColumn()) {
        return {};
    }
    if (role == Qt::BackgroundRole) {
        const DeviceRound *d = m_source->deviceOfRow(row);
        const bool hit = d && (column == DecisionTableModel::DeviceColumn)
            && m_filter->deviceMatches(d->deviceId);
        return hit ? QVariant(decision_tree::kMatchBackground) : QVariant();
    }
    if (column == DecisionTableModel::ClusterColumn && role == Qt::DisplayRole) {
        return QString(); // the summary row above names the cluster
    }
    Q_UNUSED(g);
    return m_source->data(m_source->index(row, column), role);
}

QVariant DecisionTreeModel::summaryData(const Group &g, int column, int role) const
{
    using decision_tree::ClusterTotals;
    using decision_tree::kLeftOutColor;
    using decision_tree::kMatchBackground;
    using decision_tree::kReplannedColor;
    using decision_tree::totalsOf;
    const auto number = [](double v) { return decision_tree::number(v); };
    const ClusterRound *c = m_source->clusterRound(g.cluster);
    const int first = g.allRows.front();
    if (role == Qt::FontRole) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::BackgroundRole) {
        return g.clusterHit && column == DecisionTableModel::ClusterColumn
            ? QVariant(kMatchBackground)
            : QVariant();
    }
    if (role == Qt::ForegroundRole) {
        if (c && (column == DecisionTableModel::ClusterColumn || column == statusColumn())) {
            if (c->satOut || !c->aggregated) {
                return kLeftOutColor;
            }
            if (c->dropouts > 0) {
                return kReplannedColor;
            }
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (column == DecisionTableModel::ClusterColumn || column == statusColumn()) {
            const QString tip = c ? clusterRoundMarkTip(*c) : QString();
            return tip.isEmpty() ? tr("Aggregated this round; no dropout.") : tip;
        }
        return tr("Cluster total: Σ over its devices (D2D share, power, energy, queue), the "
                  "weakest link (SNR, rate), the largest device memory");
    }
    if (role == Qt::TextAlignmentRole) {
        return column == DecisionTableModel::ClusterColumn
                || column == DecisionTableModel::DeviceColumn || column == statusColumn()
            ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) {
        return {};
    }
    const bool display = role == Qt::DisplayRole;
    if (column == DecisionTableModel::ClusterColumn) {
        const QString label
            = m_source->data(m_source->index(first, column), Qt::UserRole).toString();
        return display && c ? label + clusterRoundMark(*c) : QVariant(label);
    }
    if (column == statusColumn()) {
        if (!c) {
            return {};
        }
        QStringList parts;
        if (c->satOut) {
            parts << tr("sat out");
        } else if (!c->aggregated) {
            parts << tr("late: not in FedAvg");
        }
        if (c->dropouts > 0) {
            parts << tr("⟳%1 re-planned (+%2 s)")
                         .arg(c->dropouts)
                         .arg(number(c->lostS + c->recoveryS));
        }
        return display ? (parts.isEmpty() ? tr("ok") : parts.join(QStringLiteral(" · ")))
                       : QVariant(isClusterRoundMarked(*c));
    }
    if (column == DecisionTableModel::ScheduleColumn) {
        return m_source->data(m_source->index(first, column), role);
    }
    const ClusterTotals t = totalsOf(*m_source, g.allRows);
    const bool hasEdge = g.allRows.size() > std::size_t(g.devices);
    switch (column) {
    case DecisionTableModel::DeviceColumn:
        return display ? tr("%1 of %2 devices%3")
                             .arg(t.active)
                             .arg(g.devices)
                             .arg(hasEdge ? tr(" + edge") : QString())
                       : QVariant(t.active);
    case DecisionTableModel::StageColumn:
        return display ? tr("%n stage(s)", nullptr, t.stages) : QVariant(t.stages);
    case DecisionTableModel::BlocksColumn: {
        if (t.lastBlock < 0) {
            return display ? QVariant(QStringLiteral("—")) : QVariant(0);
        }
        QString text = QStringLiteral("%1–%2").arg(t.firstBlock).arg(t.lastBlock);
        if (hasEdge && c && c->edgeFirstBlock >= 0) {
            text += tr(" · edge %1–%2").arg(c->edgeFirstBlock).arg(c->edgeLastBlock);
        }
        return display ? QVariant(text) : QVariant(t.lastBlock - t.firstBlock + 1);
    }
    case DecisionTableModel::MicrobatchesColumn:
        return c
            ? (display ? QVariant(QString::number(c->microbatches)) : QVariant(c->microbatches))
            : QVariant();
    case DecisionTableModel::BandwidthColumn:
        return display ? QVariant(QStringLiteral("Σ %1 %").arg(100.0 * t.bandwidth, 0, 'f', 1))
                       : QVariant(t.bandwidth);
    case DecisionTableModel::PowerColumn:
        return display ? QVariant(QStringLiteral("Σ %1 W").arg(number(t.power)))
                       : QVariant(t.power);
    case DecisionTableModel::SnrColumn:
        if (!std::isfinite(t.minSnr)) {
            return {};
        }
        return display ? QVariant(QStringLiteral("min %1 dB").arg(t.minSnr, 0, 'f', 1))
                       : QVariant(t.minSnr);
    case DecisionTableModel::RateColumn:
        if (!std::isfinite(t.minRate)) {
            return {};
        }
        return display ? QVariant(QStringLiteral("min %1 Mbit/s").arg(number(t.minRate / 1e6)))
                       : QVariant(t.minRate);
    case DecisionTableModel::MemoryColumn:
        return display ? QVariant(QStringLiteral("max %1 GB").arg(number(t.maxMemory / 1e9)))
                       : QVariant(t.maxMemory);
    case DecisionTableModel::TrainerMemoryColumn:
        if (!std::isfinite(t.maxTrainerMemory)) {
            return {};
        }
        return display ? QVariant(QStringLiteral("max %1 MB").arg(number(t.maxTrainerMemory / 1e6)))
                       : QVariant(t.maxTrainerMemory);
    case DecisionTableModel::MeasuredColumn:
        if (!std::isfinite(t.maxMeasured)) {
            return {};
        }
        return display ? QVariant(QStringLiteral("max %1 MB").arg(number(t.maxMeasured / 1e6)))
                       : QVariant(t.maxMeasured);
    case DecisionTableModel::EnergyColumn:
        return display ? QVariant(QStringLiteral("Σ %1 J").arg(number(t.energy)))
                       : QVariant(t.energy);
    case DecisionTableModel::QueueColumn:
        return display ? QVariant(QStringLiteral("Σ %1 J").arg(number(t.queue)))
                       : QVariant(t.queue);
    default:
        return {};
    }
}

QVariant DecisionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section == statusColumn()) {
        if (role == Qt::DisplayRole) {
            return tr("round status");
        }
        if (role == Qt::ToolTipRole) {
            return tr("What churn and the deadline did to the cluster this round: ok; sat out (no "
                      "device present); late (missed the deadline, left out of FedAvg); ⟳n "
                      "re-planned after n mid-round dropouts (+ lost and recovery time)");
        }
        return {};
    }
    return m_source->headerData(section, orientation, role);
}

} // namespace collapipe
