// SPDX-License-Identifier: MIT
#include "ui/plots/decision_table_model.h"

#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_round_marks.h"

#include <cmath>

namespace collapipe {

namespace {

QString number(double v, int precision = 3)
{
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("—");
}

QString megabytes(double bytes)
{
    return std::isfinite(bytes) ? QStringLiteral("%1 MB").arg(number(bytes / 1e6))
                                : QStringLiteral("—");
}

QVariant raw(const DeviceRound &d, int column)
{
    switch (column) {
    case DecisionTableModel::ClusterColumn:
        return d.cluster;
    case DecisionTableModel::DeviceColumn:
        return d.deviceId;
    case DecisionTableModel::StageColumn:
        return d.stage;
    case DecisionTableModel::BlocksColumn:
        return d.firstBlock < 0 ? 0 : d.lastBlock - d.firstBlock + 1;
    case DecisionTableModel::MicrobatchesColumn:
        return d.microbatches;
    case DecisionTableModel::BandwidthColumn:
        return d.bandwidthShare;
    case DecisionTableModel::PowerColumn:
        return d.powerW;
    case DecisionTableModel::SnrColumn:
        return d.linkSnrDb;
    case DecisionTableModel::RateColumn:
        return d.linkRateBps;
    case DecisionTableModel::MemoryColumn:
        return d.memoryPredictedBytes;
    case DecisionTableModel::TrainerMemoryColumn:
        return d.memoryPredictedTrainerBytes;
    case DecisionTableModel::MeasuredColumn:
        return d.memoryMeasuredBytes;
    case DecisionTableModel::CapacityColumn:
        return d.memoryCapacityBytes;
    case DecisionTableModel::EnergyColumn:
        return d.energyJ;
    case DecisionTableModel::QueueColumn:
        return d.energyQueueJ;
    default:
        return {};
    }
}

QString display(const DeviceRound &d, int column)
{
    switch (column) {
    case DecisionTableModel::ClusterColumn:
        return QString::number(d.cluster);
    case DecisionTableModel::DeviceColumn:
        return d.deviceId;
    case DecisionTableModel::StageColumn:
        if (!d.present) {
            return QStringLiteral("away"); // not present at the round's start (churn)
        }
        return d.stage < 0 ? QStringLiteral("idle") : QString::number(d.stage);
    case DecisionTableModel::BlocksColumn:
        return d.firstBlock < 0 ? QStringLiteral("—")
                                : QStringLiteral("%1–%2 (%3)")
                                      .arg(d.firstBlock)
                                      .arg(d.lastBlock)
                                      .arg(d.lastBlock - d.firstBlock + 1);
    case DecisionTableModel::MicrobatchesColumn:
        return QString::number(d.microbatches);
    case DecisionTableModel::BandwidthColumn:
        return QStringLiteral("%1 %").arg(100.0 * d.bandwidthShare, 0, 'f', 1);
    case DecisionTableModel::PowerColumn:
        return QStringLiteral("%1 W").arg(number(d.powerW));
    case DecisionTableModel::SnrColumn:
        return QStringLiteral("%1 dB").arg(d.linkSnrDb, 0, 'f', 1);
    case DecisionTableModel::RateColumn:
        return QStringLiteral("%1 Mbit/s").arg(number(d.linkRateBps / 1e6));
    case DecisionTableModel::MemoryColumn:
        return QStringLiteral("%1 GB").arg(number(d.memoryPredictedBytes / 1e9));
    case DecisionTableModel::TrainerMemoryColumn:
        return megabytes(d.memoryPredictedTrainerBytes);
    case DecisionTableModel::MeasuredColumn:
        return megabytes(d.memoryMeasuredBytes);
    case DecisionTableModel::CapacityColumn:
        return QStringLiteral("%1 GB").arg(number(d.memoryCapacityBytes / 1e9));
    case DecisionTableModel::EnergyColumn:
        return QStringLiteral("%1 J").arg(number(d.energyJ));
    case DecisionTableModel::QueueColumn:
        return QStringLiteral("%1 J").arg(number(d.energyQueueJ));
    default:
        return {};
    }
}

/// "1f1b", "zb-h1", "interleaved v=2": the name the scenario and `plan` use, with v.
QString scheduleText(const ClusterRound &c)
{
    const QString name = QString::fromUtf8(scheduleName(c.schedule));
    return c.schedule == ScheduleKind::Interleaved
        ? QStringLiteral("%1 v=%2").arg(name).arg(c.interleave)
        : name;
}

int edgeBlocks(const ClusterRound &c)
{
    return c.edgeLastBlock - c.edgeFirstBlock + 1;
}

// An edge row fills only what the edge tail has: the rest stays blank (not "—", which means
// "not measured" in the device rows).
QVariant edgeRaw(const ClusterRound &c, int column)
{
    switch (column) {
    case DecisionTableModel::ClusterColumn:
        return c.cluster;
    case DecisionTableModel::DeviceColumn:
        return QStringLiteral("edge server");
    case DecisionTableModel::BlocksColumn:
        return edgeBlocks(c);
    case DecisionTableModel::MicrobatchesColumn:
        return c.microbatches;
    case DecisionTableModel::MemoryColumn:
        return std::isfinite(c.edgeMemoryBytes) ? QVariant(c.edgeMemoryBytes) : QVariant();
    default:
        return {};
    }
}

QString edgeDisplay(const ClusterRound &c, int column)
{
    switch (column) {
    case DecisionTableModel::ClusterColumn:
        return QString::number(c.cluster);
    case DecisionTableModel::DeviceColumn:
        return QStringLiteral("edge server");
    case DecisionTableModel::StageColumn:
        return QStringLiteral("edge");
    case DecisionTableModel::BlocksColumn:
        return QStringLiteral("%1–%2 (%3) + head")
            .arg(c.edgeFirstBlock)
            .arg(c.edgeLastBlock)
            .arg(edgeBlocks(c));
    case DecisionTableModel::MicrobatchesColumn:
        return QString::number(c.microbatches);
    case DecisionTableModel::MemoryColumn:
        return std::isfinite(c.edgeMemoryBytes)
            ? QStringLiteral("%1 GB").arg(number(c.edgeMemoryBytes / 1e9))
            : QString();
    default:
        return {};
    }
}

} // namespace

const ClusterRound *DecisionTableModel::clusterRound(int cluster) const
{
    for (const ClusterRound &c : m_clusters) {
        if (c.cluster == cluster) {
            return &c;
        }
    }
    return nullptr;
}

DecisionTableModel::DecisionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int DecisionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

bool DecisionTableModel::isEdgeRow(int row) const
{
    return row >= 0 && row < rowCount() && m_rows[static_cast<std::size_t>(row)].edge >= 0;
}

int DecisionTableModel::clusterOfRow(int row) const
{
    if (row < 0 || row >= rowCount()) {
        return -1;
    }
    const Row &r = m_rows[static_cast<std::size_t>(row)];
    return r.edge >= 0 ? m_edges[static_cast<std::size_t>(r.edge)].cluster
                       : m_devices[static_cast<std::size_t>(r.device)].cluster;
}

const DeviceRound *DecisionTableModel::deviceOfRow(int row) const
{
    if (row < 0 || row >= rowCount() || m_rows[static_cast<std::size_t>(row)].device < 0) {
        return nullptr;
    }
    return &m_devices[static_cast<std::size_t>(m_rows[static_cast<std::size_t>(row)].device)];
}

int DecisionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DecisionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    if (index.column() == ScheduleColumn && (role == Qt::DisplayRole || role == Qt::UserRole)) {
        const int cluster = row.edge >= 0 ? m_edges[static_cast<std::size_t>(row.edge)].cluster
                                          : m_devices[static_cast<std::size_t>(row.device)].cluster;
        for (const ClusterRound &c : m_clusters) {
            if (c.cluster == cluster) {
                return role == Qt::DisplayRole ? scheduleText(c)
                                               : QString::fromUtf8(scheduleName(c.schedule));
            }
        }
        return {};
    }
    const int rowCluster = row.edge >= 0 ? m_edges[static_cast<std::size_t>(row.edge)].cluster
                                         : m_devices[static_cast<std::size_t>(row.device)].cluster;
    if (index.column() == ClusterColumn && (role == Qt::DisplayRole || role == Qt::UserRole)) {
        // The scenario's id, as on the canvas (also in the CSV export), never the index; the
        // display marks a cluster churn or the deadline touched (core/MODEL.md "Churn").
        const QString label = clusterLabel(m_clusterIds, rowCluster);
        const ClusterRound *c = clusterRound(rowCluster);
        if (role == Qt::UserRole || !c) {
            return label;
        }
        return label + clusterRoundMark(*c);
    }
    if (index.column() == ClusterColumn && role == Qt::ToolTipRole) {
        const ClusterRound *c = clusterRound(rowCluster);
        return c ? clusterRoundMarkTip(*c) : QString();
    }
    if (row.edge >= 0) {
        const ClusterRound &c = m_edges[static_cast<std::size_t>(row.edge)];
        switch (role) {
        case Qt::DisplayRole:
            return edgeDisplay(c, index.column());
        case Qt::UserRole:
            return edgeRaw(c, index.column());
        case Qt::TextAlignmentRole:
            return index.column() == DeviceColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                  : QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ForegroundRole:
            return QColor(69, 90, 100); // the edge server's slate, as on the canvas
        case Qt::ToolTipRole:
            return tr("Cluster %1: the edge server runs encoder blocks %2–%3, then the head "
                      "(edge tail). Memory: its predicted share of the server (spec §2.4).")
                .arg(clusterLabel(m_clusterIds, c.cluster))
                .arg(c.edgeFirstBlock)
                .arg(c.edgeLastBlock);
        default:
            return {};
        }
    }
    const DeviceRound &d = m_devices[static_cast<std::size_t>(row.device)];
    switch (role) {
    case Qt::DisplayRole:
        return display(d, index.column());
    case Qt::UserRole:
        return raw(d, index.column());
    case Qt::TextAlignmentRole:
        return index.column() == DeviceColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
        if (index.column() == MemoryColumn && d.memoryCapacityBytes > 0.0
            && d.memoryPredictedBytes > d.memoryCapacityBytes) {
            return QColor(Qt::red); // over capacity: the decision is infeasible
        }
        const ClusterRound *c = clusterRound(d.cluster);
        if (!d.present || (c && !c->aggregated)) {
            return QColor(Qt::gray); // away, or its cluster's update was left out
        }
        return {};
    }
    default:
        return {};
    }
}

QVariant DecisionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    static const char *const names[ColumnCount] = {QT_TR_NOOP("cluster"), QT_TR_NOOP("device"),
        QT_TR_NOOP("stage"), QT_TR_NOOP("blocks δ"), QT_TR_NOOP("micro-batches M"),
        QT_TR_NOOP("schedule"), QT_TR_NOOP("D2D share β"), QT_TR_NOOP("power p"), QT_TR_NOOP("SNR"),
        QT_TR_NOOP("rate"), QT_TR_NOOP("memory predicted (profiled)"),
        QT_TR_NOOP("predicted (trainer)"), QT_TR_NOOP("measured (trainer)"), QT_TR_NOOP("capacity"),
        QT_TR_NOOP("energy"), QT_TR_NOOP("queue Q")};
    static const char *const tips[ColumnCount] = {QT_TR_NOOP("cluster id (as on the canvas)"),
        QT_TR_NOOP("device id"), QT_TR_NOOP("pipeline stage j (idle: no blocks this round)"),
        QT_TR_NOOP("encoder blocks first–last (count δ), spec §2.1"),
        QT_TR_NOOP("micro-batches M of the cluster, spec §2.3"),
        QT_TR_NOOP("the cluster's pipeline schedule this round (gpipe, 1f1b, interleaved with v "
                   "chunks per device, zb-h1, zb-v), spec §2.3; with schedule auto DSSDA chooses "
                   "it per round"),
        QT_TR_NOOP("share β of the cluster's D2D band, 0–100 %, spec §2.2"),
        QT_TR_NOOP("transmit power p, 0..p_max W, spec §2.2"),
        QT_TR_NOOP("SNR of the outgoing link this round, dB"),
        QT_TR_NOOP("Shannon rate of the outgoing link, spec §2.2"),
        QT_TR_NOOP("memory the cost model requires at the profiled width (model.profiled), "
                   "checked against capacity, spec §2.4"),
        QT_TR_NOOP("the same formula at the trainer's width (model.trainer, fp32): the "
                   "prediction to compare with the measured column (training on only)"),
        QT_TR_NOOP("peak memory measured in the trainer's small model (training on only)"),
        QT_TR_NOOP("device memory capacity Mem_k"),
        QT_TR_NOOP("energy E_k(t) this round, spec §2.5"),
        QT_TR_NOOP("virtual energy queue Q_k(t+1), spec §5")};
    if (section < 0 || section >= ColumnCount) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        return tr(tips[section]);
    }
    return {};
}

void DecisionTableModel::setRecord(const RoundRecord &record)
{
    beginResetModel();
    m_devices = record.devices;
    m_round = record.round;
    m_clusters = record.clusters;
    m_edges.clear();
    for (const ClusterRound &c : record.clusters) {
        if (c.edgeFirstBlock >= 0 && c.edgeLastBlock >= c.edgeFirstBlock) {
            m_edges.push_back(c);
        }
    }
    // Each edge row follows the last device row of its cluster (the end when it has none).
    m_rows.clear();
    std::vector<bool> placed(m_edges.size(), false);
    auto placeEdge = [this, &placed](int cluster) {
        for (std::size_t e = 0; e < m_edges.size(); ++e) {
            if (!placed[e] && m_edges[e].cluster == cluster) {
                m_rows.push_back(Row{-1, static_cast<int>(e)});
                placed[e] = true;
            }
        }
    };
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        m_rows.push_back(Row{static_cast<int>(i), -1});
        const bool lastOfCluster
            = i + 1 == m_devices.size() || m_devices[i + 1].cluster != m_devices[i].cluster;
        if (lastOfCluster) {
            placeEdge(m_devices[i].cluster);
        }
    }
    for (std::size_t e = 0; e < m_edges.size(); ++e) {
        if (!placed[e]) {
            m_rows.push_back(Row{-1, static_cast<int>(e)});
        }
    }
    endResetModel();
}

void DecisionTableModel::setClusterIds(const QStringList &ids)
{
    m_clusterIds = ids;
    if (rowCount() > 0) {
        Q_EMIT dataChanged(index(0, ClusterColumn), index(rowCount() - 1, ClusterColumn));
    }
}

void DecisionTableModel::clear()
{
    beginResetModel();
    m_devices.clear();
    m_edges.clear();
    m_clusters.clear();
    m_rows.clear();
    m_round = -1;
    endResetModel();
}

} // namespace collapipe
