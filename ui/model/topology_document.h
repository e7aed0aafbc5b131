// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/scenario_json.h"
#include "ui/model/item_ref.h"
#include "ui/model/topology_index.h"

#include <QObject>
#include <QPair>
#include <QVariant>

#include <vector>

class QTimer;
class QUndoStack;

namespace collapipe {

/// One item's new position in a move.
using ItemPosition = QPair<ItemRef, Position>;

/// The open scenario of the Studio (style.md rule 7): owns the Scenario and its QUndoStack and is
/// its ONLY mutator. The edit functions (add/remove/move/setProperty/connect) push one QUndoCommand
/// each; the commands call the apply* functions below, which change the Scenario and emit the
/// typed change signals that every view listens to. Lives on the GUI thread.
class TopologyDocument : public QObject
{
    Q_OBJECT
public:
    explicit TopologyDocument(QObject *parent = nullptr);
    ~TopologyDocument() override;

    const Scenario &scenario() const { return m_scenario; }
    QUndoStack *undoStack() const { return m_undoStack; }
    /// "" for a new, never-saved document.
    QString filePath() const { return m_filePath; }
    /// True when the scenario differs from the last save/load (the undo stack is not clean).
    bool isModified() const;

    /// True when validateScenario() finds no problem; a run may start only then.
    bool isValid() const
    {
        settleValidation();
        return m_problems.empty();
    }
    /// Why the scenario is invalid (first problem, and how many more); "" when valid.
    QString validityReason() const
    {
        settleValidation();
        return m_validityReason;
    }
    const std::vector<ScenarioProblem> &problems() const
    {
        settleValidation();
        return m_problems;
    }
    /// A drag step (moveItems with a drag id) is not validated at once (issue [7/7]: on 1,000
    /// devices validation was a quarter of a step): it runs kDragValidationDelayMs after the
    /// drag's last step, at validateNow() (the canvas calls it when the drag ends), or when
    /// validity is asked for, whichever comes first. Every other edit validates at once.
    void validateNow() { settleValidation(); }
    bool isValidationPending() const { return m_validationPending; }
    static constexpr int kDragValidationDelayMs = 200;
    /// The delay after a drag step (tests lengthen it so a slow machine cannot fire it mid-drag).
    void setDragValidationDelay(int ms);

    // --- Whole-document operations (clear the undo history) ---
    /// Replaces the scenario, e.g. File ▸ New with a template.
    void reset(const Scenario &scenario, const QString &filePath = QString());
    /// Loads a scenario file. A file that parses but fails only validateScenario() still opens
    /// (the validation panel lists the problems); a file that cannot be read, has a JSON syntax
    /// error or a structural problem (wrong type, unknown key, missing required key) does not:
    /// false, the document (scenario, path, undo history) is left exactly as it was, and *error
    /// names the file and every problem (syntax errors with line and column).
    bool load(const QString &path, QString *error);
    /// What load() reads, checks and decides before it touches the document. read() is
    /// reentrant (no document state): FileController runs it on a worker thread for a big file,
    /// then apply() on the GUI thread does what load() does with it.
    struct LoadedFile
    {
        Scenario scenario;
        bool usable = false;    ///< false: *error says why, the document stays as it is
        bool validated = false; ///< valid as read (validateScenario found nothing, no traces)
        QString error;
    };
    static LoadedFile read(const QString &path);
    bool apply(LoadedFile &&file, const QString &path, QString *error);
    /// Writes the scenario atomically (QSaveFile via saveScenarioFile) and marks it clean.
    bool save(const QString &path, QString *error);

    /// Read-only: a replayed run's scenario shown on the canvas (issue [1/7] #4). Every undoable
    /// edit below is refused (nothing pushed; false / an empty id; *error = `reason`) until
    /// setReadOnly(false). reset() and load() make the document editable again.
    void setReadOnly(bool readOnly, const QString &reason = QString());
    bool isReadOnly() const { return m_readOnly; }
    QString readOnlyReason() const { return m_readOnlyReason; }

    // --- Undoable edits (each pushes one command or macro) ---
    /// The add functions give an item with an empty name a readable unique one ("Device 3",
    /// "Cluster 2", "Edge server 1").
    /// Adds a device to a cluster; an empty or taken id is replaced by a fresh one. Returns the id.
    QString addDevice(const QString &clusterId, Device device);
    QString addEdgeServer(EdgeServer server);
    /// Adds a cluster (its control unit positioned by the caller); ids are made unique.
    QString addCluster(Cluster cluster);
    /// Moves items. Consecutive calls with the same non-zero dragId merge into one undo step.
    void moveItems(const QList<ItemPosition> &moves, int dragId = 0);
    /// Sets one field (JSON key of the item's field table) to value (double, or QString for String
    /// fields). Refuses a value the field table rejects and returns false with *error set to the
    /// field's reason, e.g. "memory_bytes: must be > 0 (got -5)". Consecutive edits of the same
    /// field merge into one undo step (spin boxes).
    bool setProperty(
        const ItemRef &ref, const QString &key, const QVariant &value, QString *error = nullptr);
    /// Sets several fields on several items as one undo step (e.g. applying a device preset).
    /// Every value is checked first; nothing changes if one is refused (*error says which).
    bool setProperties(const ItemRefList &refs, const QList<QPair<QString, QVariant>> &values,
        QString *error = nullptr);
    /// Replaces the waypoint path (mobility.waypoints) of a device or control unit as one undo
    /// step named `text` (default "Edit the path of <id>"). Every point is checked against the
    /// waypoint fields; a refused one leaves the path as it was and *error names it and its
    /// value, e.g. "mobility.waypoints[2].x_m: must be <= 100000 (got 2e+05)". Consecutive calls
    /// with the same non-zero dragId (a waypoint dragged on the canvas) merge into one undo step;
    /// one that ends at the path the drag started from leaves none.
    bool setWaypoints(const ItemRef &ref, const std::vector<Position> &points,
        QString *error = nullptr, const QString &text = QString(), int dragId = 0);
    /// Makes edgeServerId serve clusterId.
    bool connectCluster(const QString &clusterId, const QString &edgeServerId);
    /// Removes devices, edge servers and clusters (a control unit stands for its cluster) as one
    /// undo step. Clusters served by a removed edge server move to the nearest remaining one (or
    /// get an empty edge_server_id if none remains) in that same step.
    void removeItems(const ItemRefList &refs);

    // --- Lookups ---
    bool contains(const ItemRef &ref) const;
    Position position(const ItemRef &ref) const;
    int edgeServerIndex(const QString &id) const;
    int clusterIndex(const QString &id) const;
    /// Cluster owning a device or control unit id, -1 if none.
    int clusterIndexOfMember(const QString &memberId) const;
    bool deviceIndex(const QString &id, int *clusterIndex, int *deviceIndex) const;
    /// The waypoint path of a device or control unit (empty for other items).
    std::vector<Position> waypoints(const ItemRef &ref) const;
    /// Current value of a field (double, or QString for String fields); invalid if unknown.
    QVariant propertyValue(const ItemRef &ref, const QString &key) const;
    /// The item with this id (ids share one namespace), or a null ref.
    ItemRef refForId(const QString &id) const;
    /// A fresh id "<prefix>N" not used anywhere in the scenario.
    QString uniqueId(const QString &prefix) const;
    /// pattern.arg(N) for the smallest N >= 1 that no item is named yet ("Cluster %1").
    QString uniqueName(const QString &pattern) const;

    // --- Primitive changes, called only by the undo commands ---
    /// Groups the primitive changes up to the matching endChangeBatch() into one change: each
    /// primitive still emits its typed signal (views update per item), but changed() and the
    /// revalidation run once, at the end (issue [7/7]: deleting N items validated N times).
    /// Nests; DocumentMacroCommand and MoveItemsCommand open one around their work.
    void beginChangeBatch() { ++m_batchDepth; }
    void endChangeBatch();
    void applyInsertEdgeServer(int index, const EdgeServer &server);
    EdgeServer applyTakeEdgeServer(int index);
    void applyInsertCluster(int index, const Cluster &cluster);
    Cluster applyTakeCluster(int index);
    void applyInsertDevice(int clusterIndex, int deviceIndex, const Device &device);
    Device applyTakeDevice(int clusterIndex, int deviceIndex);
    void applyPosition(const ItemRef &ref, Position position);
    void applyClusterEdgeServer(int clusterIndex, const QString &edgeServerId);
    void applyProperty(const ItemRef &ref, const QString &key, const QVariant &value);
    /// Emits propertyChanged(ref, "mobility.waypoints").
    void applyWaypoints(const ItemRef &ref, const std::vector<Position> &points);

Q_SIGNALS:
    /// The whole scenario was replaced (new/open); views rebuild.
    void scenarioReset();
    void itemAdded(const collapipe::ItemRef &ref);
    void itemAboutToBeRemoved(const collapipe::ItemRef &ref);
    void itemRemoved(const collapipe::ItemRef &ref);
    void itemMoved(const collapipe::ItemRef &ref);
    /// A field changed (key = JSON key); for Settings, ref.id names the section.
    void propertyChanged(const collapipe::ItemRef &ref, const QString &key);
    void clusterConnected(const QString &clusterId, const QString &edgeServerId);
    /// Emitted after every change of the scenario, after the specific signal.
    void changed();
    void validityChanged(bool valid, const QString &reason);
    void problemsChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &filePath);
    void readOnlyChanged(bool readOnly, const QString &reason);

private:
    void revalidate();
    void settleValidation() const
    {
        if (m_validationPending) {
            const_cast<TopologyDocument *>(this)->revalidate();
        }
    }
    bool refuseReadOnly(QString *error) const;
    void setFilePath(const QString &path);
    void finishChange();
    /// Re-reads every trace device's availability rows (relative names resolved against the
    /// document's folder) after an availability edit; their problems join validation.
    void reloadTraces();
    const TopologyIndex::Slot *slotOf(const ItemRef &ref) const;

    Scenario m_scenario;
    QUndoStack *m_undoStack = nullptr;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    QString m_filePath;
    std::vector<ScenarioProblem> m_problems;
    std::vector<ScenarioProblem> m_traceProblems; ///< from the last reloadTraces()
    /// load() found the scenario valid (validateScenario, no traces): the reset that follows
    /// skips the same pass (issue [7/7]: 100,000 devices validated twice on opening).
    bool m_validatedByLoad = false;
    QString m_validityReason;
    TopologyIndex m_index;
    int m_batchDepth = 0;
    bool m_batchChanged = false;
    bool m_dragStep = false;          ///< moveItems with a drag id is pushing its command
    bool m_validationPending = false; ///< a drag step's validation waits (m_validateTimer)
    QTimer *m_validateTimer = nullptr;
};

} // namespace collapipe
