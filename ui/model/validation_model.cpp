// SPDX-License-Identifier: MIT
#include "ui/model/validation_model.h"

#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"

#include <QRegularExpression>

namespace collapipe {

ValidationModel::ValidationModel(TopologyDocument *document, QObject *parent)
    : QAbstractListModel(parent)
    , m_document(document)
{
    connect(document, &TopologyDocument::problemsChanged, this, &ValidationModel::refresh);
    refresh();
}

int ValidationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_texts.size());
}

QVariant ValidationModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_texts.size()) {
        return QVariant();
    }
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return m_texts.at(index.row());
    case PathRole:
        return m_paths.at(index.row());
    case ItemKindRole:
        return static_cast<int>(itemAt(index.row()).kind);
    case ItemIdRole:
        return itemAt(index.row()).id;
    default:
        return QVariant();
    }
}

ItemRef ValidationModel::itemAt(int row) const
{
    if (row < 0 || row >= m_paths.size()) {
        return ItemRef{};
    }
    return itemForProblemPath(m_document->scenario(), m_paths.at(row));
}

void ValidationModel::refresh()
{
    // Problems change after every edit; a reset is simplest and the list is short.
    beginResetModel();
    m_texts.clear();
    m_paths.clear();
    for (const ScenarioProblem &p : m_document->problems()) {
        m_texts.append(p.toString());
        m_paths.append(p.path);
    }
    endResetModel();
}

ItemRef itemForProblemPath(const Scenario &scenario, const QString &path)
{
    static const QRegularExpression server(QStringLiteral("^edge_servers\\[(\\d+)\\]"));
    static const QRegularExpression device(
        QStringLiteral("^clusters\\[(\\d+)\\]\\.devices\\[(\\d+)\\]"));
    static const QRegularExpression unit(QStringLiteral("^clusters\\[(\\d+)\\]\\.control_unit"));
    static const QRegularExpression cluster(QStringLiteral("^clusters\\[(\\d+)\\]"));
    const auto &servers = scenario.topology.edgeServers;
    const auto &clusters = scenario.topology.clusters;
    auto index = [](const QRegularExpressionMatch &m, int group) {
        return static_cast<size_t>(m.captured(group).toULongLong());
    };
    if (const auto m = server.match(path); m.hasMatch()) {
        return index(m, 1) < servers.size() ? ItemRef{ItemKind::EdgeServer, servers[index(m, 1)].id}
                                            : ItemRef{};
    }
    if (const auto m = device.match(path); m.hasMatch()) {
        const size_t c = index(m, 1);
        const size_t d = index(m, 2);
        if (c < clusters.size() && d < clusters[c].devices.size()) {
            return {ItemKind::Device, clusters[c].devices[d].id};
        }
    }
    if (const auto m = unit.match(path); m.hasMatch()) {
        const size_t c = index(m, 1);
        return c < clusters.size() ? ItemRef{ItemKind::ControlUnit, clusters[c].controlUnit.id}
                                   : ItemRef{};
    }
    if (const auto m = cluster.match(path); m.hasMatch()) {
        const size_t c = index(m, 1);
        return c < clusters.size() ? ItemRef{ItemKind::Cluster, clusters[c].id} : ItemRef{};
    }
    // Settings: the longest section name that prefixes the path.
    QString best;
    for (const auto &section : settingsSections()) {
        if ((path == section.first || path.startsWith(section.first + QLatin1Char('.')))
            && section.first.size() > best.size()) {
            best = section.first;
        }
    }
    if (best.isEmpty() && (path == QLatin1String("name") || path == QLatin1String("description"))) {
        best = QStringLiteral("scenario");
    }
    return best.isEmpty() ? ItemRef{} : ItemRef{ItemKind::Settings, best};
}

} // namespace collapipe
