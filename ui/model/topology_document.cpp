// SPDX-License-Identifier: MIT
#include "ui/model/topology_document.h"

#include "core/scenario/scenario_fields.h"
#include "ui/commands/add_cluster_command.h"
#include "ui/commands/add_device_command.h"
#include "ui/commands/add_edge_server_command.h"
#include "ui/commands/change_property_command.h"
#include "ui/commands/connect_cluster_command.h"
#include "ui/commands/document_macro_command.h"
#include "ui/commands/move_items_command.h"
#include "ui/commands/remove_cluster_command.h"
#include "ui/commands/remove_device_command.h"
#include "ui/commands/remove_edge_server_command.h"
#include "ui/model/field_access.h"

#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

size_t at(int index)
{
    return static_cast<size_t>(index);
}

} // namespace

TopologyDocument::TopologyDocument(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
    , m_validateTimer(new QTimer(this))
{
    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(kDragValidationDelayMs);
    connect(m_validateTimer, &QTimer::timeout, this, [this] { settleValidation(); });
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
        [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
    revalidate();
}

TopologyDocument::~TopologyDocument() = default;

bool TopologyDocument::isModified() const
{
    return !m_undoStack->isClean();
}

void TopologyDocument::reset(const Scenario &scenario, const QString &filePath)
{
    m_undoStack->clear();
    setReadOnly(false);
    m_scenario = scenario;
    m_traceProblems.clear();
    m_index.invalidate();
    setFilePath(filePath);
    Q_EMIT scenarioReset();
    finishChange();
    Q_EMIT modifiedChanged(false);
}

bool TopologyDocument::load(const QString &path, QString *error)
{
    return apply(read(path), path, error);
}

TopologyDocument::LoadedFile TopologyDocument::read(const QString &path)
{
    LoadedFile file;
    Scenario &loaded = file.scenario;
    std::vector<ScenarioProblem> problems;
    const bool clean = loadScenarioFile(path, &loaded, &problems);
    if (!clean) {
        // A file whose only problems are semantic (those validateScenario() also finds) opens,
        // so the user can fix it; unreadable, unparsable or structurally wrong files do not.
        // Problem by problem: counting them is not enough, since a syntax error leaves an empty
        // scenario whose semantic problems outnumber the one syntax error.
        QSet<QString> semantic;
        for (const ScenarioProblem &p : validateScenario(loaded)) {
            semantic.insert(p.toString());
        }
        const bool unusable = std::any_of(problems.cbegin(), problems.cend(),
            [&semantic](const ScenarioProblem &p) { return !semantic.contains(p.toString()); });
        if (unusable) {
            QStringList lines;
            for (const ScenarioProblem &p : problems) {
                lines.append(p.toString());
            }
            file.error = tr("Cannot open %1:\n%2").arg(path, lines.join(QLatin1Char('\n')));
            return file;
        }
    }
    file.usable = true;
    // loadScenarioFile() ran validateScenario() on it, before the traces were read into it.
    file.validated = clean
        && std::none_of(loaded.topology.clusters.cbegin(), loaded.topology.clusters.cend(),
            [](const Cluster &cluster) {
                return std::any_of(cluster.devices.cbegin(), cluster.devices.cend(),
                    [](const Device &d) { return !d.availability.trace.empty(); });
            });
    return file;
}

bool TopologyDocument::apply(LoadedFile &&file, const QString &path, QString *error)
{
    if (!file.usable) {
        if (error) {
            *error = file.error;
        }
        return false;
    }
    m_validatedByLoad = file.validated; // the reset's validation would repeat read()'s
    reset(file.scenario, path);
    m_validatedByLoad = false; // only that reset's own validation
    return true;
}

void TopologyDocument::setReadOnly(bool readOnly, const QString &reason)
{
    const QString newReason = readOnly ? reason : QString();
    if (readOnly == m_readOnly && newReason == m_readOnlyReason) {
        return;
    }
    m_readOnly = readOnly;
    m_readOnlyReason = newReason;
    Q_EMIT readOnlyChanged(readOnly, newReason);
}

bool TopologyDocument::refuseReadOnly(QString *error) const
{
    if (m_readOnly && error) {
        *error = m_readOnlyReason.isEmpty() ? tr("the scenario is read-only") : m_readOnlyReason;
    }
    return m_readOnly;
}

bool TopologyDocument::save(const QString &path, QString *error)
{
    if (!saveScenarioFile(path, m_scenario, error)) {
        return false;
    }
    setFilePath(path);
    m_undoStack->setClean();
    return true;
}

QString TopologyDocument::addDevice(const QString &clusterId, Device device)
{
    if (isReadOnly()) {
        return QString();
    }
    const int ci = clusterIndex(clusterId);
    if (ci < 0) {
        return QString();
    }
    if (device.id.isEmpty() || contains({ItemKind::Device, device.id})
        || clusterIndexOfMember(device.id) >= 0) {
        device.id = uniqueId(QStringLiteral("dev"));
    }
    if (device.name.trimmed().isEmpty()) {
        device.name = uniqueName(tr("Device %1"));
    }
    const int di = static_cast<int>(m_scenario.topology.clusters[at(ci)].devices.size());
    m_undoStack->push(new AddDeviceCommand(this, ci, di, device));
    return device.id;
}

QString TopologyDocument::addEdgeServer(EdgeServer server)
{
    if (isReadOnly()) {
        return QString();
    }
    if (server.id.isEmpty() || edgeServerIndex(server.id) >= 0) {
        server.id = uniqueId(QStringLiteral("es"));
    }
    if (server.name.trimmed().isEmpty()) {
        server.name = uniqueName(tr("Edge server %1"));
    }
    const int index = static_cast<int>(m_scenario.topology.edgeServers.size());
    m_undoStack->push(new AddEdgeServerCommand(this, index, server));
    return server.id;
}

QString TopologyDocument::addCluster(Cluster cluster)
{
    if (isReadOnly()) {
        return QString();
    }
    if (cluster.id.isEmpty() || clusterIndex(cluster.id) >= 0) {
        cluster.id = uniqueId(QStringLiteral("cluster"));
    }
    if (cluster.controlUnit.id.isEmpty() || clusterIndexOfMember(cluster.controlUnit.id) >= 0) {
        cluster.controlUnit.id = uniqueId(QStringLiteral("cu"));
    }
    if (cluster.name.trimmed().isEmpty()) {
        cluster.name = uniqueName(tr("Cluster %1"));
    }
    const int index = static_cast<int>(m_scenario.topology.clusters.size());
    m_undoStack->push(new AddClusterCommand(this, index, cluster));
    return cluster.id;
}

void TopologyDocument::moveItems(const QList<ItemPosition> &moves, int dragId)
{
    if (isReadOnly()) {
        return;
    }
    QList<ItemPosition> valid;
    for (const ItemPosition &move : moves) {
        if (contains(move.first) && move.first.kind != ItemKind::Cluster
            && move.first.kind != ItemKind::Settings) {
            valid.append(move);
        }
    }
    if (!valid.isEmpty()) {
        m_dragStep = dragId != 0;
        m_undoStack->push(new MoveItemsCommand(this, valid, dragId));
        m_dragStep = false;
    }
}

bool TopologyDocument::setProperty(
    const ItemRef &ref, const QString &key, const QVariant &value, QString *error)
{
    if (refuseReadOnly(error)) {
        return false;
    }
    BoundField field;
    if (!findBoundField(ref, key, &field) || !field.get(m_scenario).isValid()) {
        if (error) {
            *error = tr("%1: no such field on %2 %3").arg(key, itemKindName(ref.kind), ref.id);
        }
        return false;
    }
    QVariant newValue = value;
    if (field.info.kind == FieldKind::String) {
        newValue = value.toString();
        if (field.info.required && newValue.toString().trimmed().isEmpty()) {
            if (error) {
                *error = tr("%1: must not be empty").arg(key);
            }
            return false;
        }
    } else {
        bool ok = false;
        const double number = value.toDouble(&ok);
        const QString reason = ok ? checkFieldValue(field.info, number)
                                  : tr("must be a number (got %1)").arg(value.toString());
        if (!reason.isEmpty()) {
            if (error) {
                *error = key + QStringLiteral(": ") + reason;
            }
            return false;
        }
        newValue = number;
    }
    const QVariant oldValue = field.get(m_scenario);
    if (oldValue == newValue) {
        return true;
    }
    m_undoStack->push(new ChangePropertyCommand(this, ref, key, oldValue, newValue));
    return true;
}

bool TopologyDocument::setProperties(
    const ItemRefList &refs, const QList<QPair<QString, QVariant>> &values, QString *error)
{
    if (refuseReadOnly(error)) {
        return false;
    }
    for (const ItemRef &ref : refs) {
        for (const auto &value : values) {
            BoundField field;
            if (!findBoundField(ref, value.first, &field) || !field.get(m_scenario).isValid()) {
                if (error) {
                    *error = tr("%1: no such field on %2 %3")
                                 .arg(value.first, itemKindName(ref.kind), ref.id);
                }
                return false;
            }
            if (field.info.kind != FieldKind::String) {
                const QString reason = checkFieldValue(field.info, value.second.toDouble());
                if (!reason.isEmpty()) {
                    if (error) {
                        *error = value.first + QStringLiteral(": ") + reason;
                    }
                    return false;
                }
            }
        }
    }
    beginChangeBatch(); // validates once for the whole preset, not once per field
    m_undoStack->beginMacro(refs.size() == 1 ? tr("Change %1").arg(refs.first().id)
                                             : tr("Change %1 items").arg(refs.size()));
    for (const ItemRef &ref : refs) {
        for (const auto &value : values) {
            setProperty(ref, value.first, value.second, error);
        }
    }
    m_undoStack->endMacro();
    endChangeBatch();
    return true;
}

bool TopologyDocument::connectCluster(const QString &clusterId, const QString &edgeServerId)
{
    if (isReadOnly()) {
        return false;
    }
    const int ci = clusterIndex(clusterId);
    if (ci < 0 || edgeServerIndex(edgeServerId) < 0) {
        return false;
    }
    const QString old = m_scenario.topology.clusters[at(ci)].edgeServerId;
    if (old != edgeServerId) {
        m_undoStack->push(new ConnectClusterCommand(this, ci, old, edgeServerId));
    }
    return true;
}

void TopologyDocument::removeItems(const ItemRefList &refs)
{
    if (isReadOnly()) {
        return;
    }
    // Whole clusters first (a control unit stands for its cluster), then devices of clusters
    // that stay, then edge servers; each removal looks its index up again because earlier
    // removals of the macro shift indices.
    QSet<QString> clusters;
    for (const ItemRef &ref : refs) {
        if (ref.kind == ItemKind::Cluster && clusterIndex(ref.id) >= 0) {
            clusters.insert(ref.id);
        } else if (ref.kind == ItemKind::ControlUnit) {
            const int ci = clusterIndexOfMember(ref.id);
            if (ci >= 0) {
                clusters.insert(m_scenario.topology.clusters[at(ci)].id);
            }
        }
    }
    QStringList devices;
    QStringList servers;
    for (const ItemRef &ref : refs) {
        if (ref.kind == ItemKind::Device) {
            const int ci = clusterIndexOfMember(ref.id);
            if (ci >= 0 && !clusters.contains(m_scenario.topology.clusters[at(ci)].id)) {
                devices.append(ref.id);
            }
        } else if (ref.kind == ItemKind::EdgeServer && edgeServerIndex(ref.id) >= 0) {
            servers.append(ref.id);
        }
    }
    const int total = static_cast<int>(clusters.size() + devices.size() + servers.size());
    if (total == 0) {
        return;
    }
    // One undo step and one change: the scene updates per item, validation runs once.
    // Edit ▸ Undo names what goes back: "Delete device c3-d7", never "Delete 1 items" (no
    // translation is loaded, so %n gets no plural form of its own).
    QString text = tr("Delete %1 items").arg(total);
    if (total == 1) {
        text = !clusters.isEmpty() ? tr("Delete cluster %1").arg(*clusters.cbegin())
            : !devices.isEmpty()   ? tr("Delete device %1").arg(devices.first())
                                   : tr("Delete edge server %1").arg(servers.first());
    }
    auto *macro = new DocumentMacroCommand(this, text);
    macro->beginBuild();
    for (const QString &id : std::as_const(clusters)) {
        macro->runChild(new RemoveClusterCommand(this, clusterIndex(id), macro));
    }
    for (const QString &id : std::as_const(devices)) {
        int ci = -1;
        int di = -1;
        if (deviceIndex(id, &ci, &di)) {
            macro->runChild(new RemoveDeviceCommand(this, ci, di, macro));
        }
    }
    // A cluster never points at a removed server: each one a removed server served moves to the
    // nearest remaining server (its edge_server_id is cleared if none remains, which validation
    // reports), in the same undo step, before the server goes.
    const Topology &topology = m_scenario.topology;
    for (size_t ci = 0; ci < topology.clusters.size(); ++ci) {
        const Cluster &cluster = topology.clusters[ci];
        if (!servers.contains(cluster.edgeServerId)) {
            continue;
        }
        QString nearest;
        double best = std::numeric_limits<double>::infinity();
        for (const EdgeServer &server : topology.edgeServers) {
            const double d = std::hypot(server.position.xM - cluster.controlUnit.position.xM,
                server.position.yM - cluster.controlUnit.position.yM);
            if (!servers.contains(server.id) && d < best) {
                best = d;
                nearest = server.id;
            }
        }
        macro->runChild(new ConnectClusterCommand(
            this, static_cast<int>(ci), cluster.edgeServerId, nearest, macro));
    }
    for (const QString &id : std::as_const(servers)) {
        macro->runChild(new RemoveEdgeServerCommand(this, edgeServerIndex(id), macro));
    }
    macro->endBuild();
    m_undoStack->push(macro);
}

bool TopologyDocument::contains(const ItemRef &ref) const
{
    if (ref.kind == ItemKind::Settings) {
        return !boundFields(ref).empty();
    }
    return slotOf(ref) != nullptr;
}

const TopologyIndex::Slot *TopologyDocument::slotOf(const ItemRef &ref) const
{
    return m_index.find(m_scenario.topology, ref);
}

Position TopologyDocument::position(const ItemRef &ref) const
{
    const Topology &t = m_scenario.topology;
    const TopologyIndex::Slot *slot = slotOf(ref);
    if (!slot) {
        return Position{};
    }
    switch (ref.kind) {
    case ItemKind::EdgeServer:
        return t.edgeServers[at(slot->outer)].position;
    case ItemKind::ControlUnit:
        return t.clusters[at(slot->outer)].controlUnit.position;
    case ItemKind::Device:
        return t.clusters[at(slot->outer)].devices[at(slot->inner)].position;
    default:
        return Position{};
    }
}

int TopologyDocument::edgeServerIndex(const QString &id) const
{
    const TopologyIndex::Slot *slot = slotOf({ItemKind::EdgeServer, id});
    return slot ? slot->outer : -1;
}

int TopologyDocument::clusterIndex(const QString &id) const
{
    const TopologyIndex::Slot *slot = slotOf({ItemKind::Cluster, id});
    return slot ? slot->outer : -1;
}

int TopologyDocument::clusterIndexOfMember(const QString &memberId) const
{
    // The first cluster naming the id, as a scan in file order would find it.
    const TopologyIndex::Slot *cu = slotOf({ItemKind::ControlUnit, memberId});
    const TopologyIndex::Slot *device = slotOf({ItemKind::Device, memberId});
    if (cu && device) {
        return std::min(cu->outer, device->outer);
    }
    return cu ? cu->outer : (device ? device->outer : -1);
}

bool TopologyDocument::deviceIndex(const QString &id, int *clusterIndex, int *deviceIndex) const
{
    const TopologyIndex::Slot *slot = slotOf({ItemKind::Device, id});
    if (!slot) {
        return false;
    }
    *clusterIndex = slot->outer;
    *deviceIndex = slot->inner;
    return true;
}

QVariant TopologyDocument::propertyValue(const ItemRef &ref, const QString &key) const
{
    BoundField field;
    return findBoundField(ref, key, &field) ? field.get(m_scenario) : QVariant();
}

ItemRef TopologyDocument::refForId(const QString &id) const
{
    for (const ItemKind kind :
        {ItemKind::EdgeServer, ItemKind::Cluster, ItemKind::ControlUnit, ItemKind::Device}) {
        if (contains({kind, id})) {
            return {kind, id};
        }
    }
    return ItemRef{};
}

QString TopologyDocument::uniqueId(const QString &prefix) const
{
    QSet<QString> used;
    for (const EdgeServer &e : m_scenario.topology.edgeServers) {
        used.insert(e.id);
    }
    for (const Cluster &c : m_scenario.topology.clusters) {
        used.insert(c.id);
        used.insert(c.controlUnit.id);
        for (const Device &d : c.devices) {
            used.insert(d.id);
        }
    }
    for (int n = 1;; ++n) {
        const QString id = prefix + QString::number(n);
        if (!used.contains(id)) {
            return id;
        }
    }
}

QString TopologyDocument::uniqueName(const QString &pattern) const
{
    QSet<QString> used;
    for (const EdgeServer &e : m_scenario.topology.edgeServers) {
        used.insert(e.name);
    }
    for (const Cluster &c : m_scenario.topology.clusters) {
        used.insert(c.name);
        for (const Device &d : c.devices) {
            used.insert(d.name);
        }
    }
    for (int n = 1;; ++n) {
        const QString name = pattern.arg(n);
        if (!used.contains(name)) {
            return name;
        }
    }
}

void TopologyDocument::finishChange()
{
    if (m_batchDepth > 0) {
        m_batchChanged = true;
        return;
    }
    Q_EMIT changed();
    if (m_dragStep) {
        m_validationPending = true;
        m_validateTimer->start(); // restarted by each step: runs once the drag pauses or ends
        return;
    }
    revalidate();
}

void TopologyDocument::endChangeBatch()
{
    Q_ASSERT(m_batchDepth > 0);
    if (--m_batchDepth == 0 && m_batchChanged) {
        m_batchChanged = false;
        finishChange();
    }
}

void TopologyDocument::setDragValidationDelay(int ms)
{
    m_validateTimer->setInterval(ms);
}

void TopologyDocument::revalidate()
{
    m_validationPending = false;
    m_validateTimer->stop();
    const bool wasValid = m_problems.empty();
    const QString oldReason = m_validityReason;
    m_problems = m_validatedByLoad ? std::vector<ScenarioProblem>() : validateScenario(m_scenario);
    m_validatedByLoad = false;
    m_problems.insert(m_problems.end(), m_traceProblems.begin(), m_traceProblems.end());
    if (m_problems.empty()) {
        m_validityReason.clear();
    } else {
        m_validityReason = m_problems.front().toString();
        if (m_problems.size() > 1) {
            m_validityReason
                += tr(" (and %n more)", nullptr, static_cast<int>(m_problems.size() - 1));
        }
    }
    Q_EMIT problemsChanged();
    if (wasValid != m_problems.empty() || oldReason != m_validityReason) {
        Q_EMIT validityChanged(m_problems.empty(), m_validityReason);
    }
}

void TopologyDocument::setFilePath(const QString &path)
{
    if (path != m_filePath) {
        m_filePath = path;
        Q_EMIT filePathChanged(path);
    }
}

} // namespace collapipe
