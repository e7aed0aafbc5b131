// SPDX-License-Identifier: MIT
// The run database's columns, one line each (issue [3/7]). Units are SI and in the column names;
// NULL in a metric column means "not measured this round" (RoundRecord's NaN). Never edit or
// reorder a shipped column: a new one is appended with the next schema version as `since`, and the
// migration that adds it to older files is generated from that line (schema.cpp).
#include "core/store/store_tables.h"

#include "core/store/event_names.h"

namespace collapipe {

void bindValue(SqliteStatement &s, int i, RunStatus v)
{
    s.bind(i, runStatusName(v));
}

void bindValue(SqliteStatement &s, int i, ResourceKind v)
{
    s.bindStatic(i, resourceKindKey(v));
}

void bindValue(SqliteStatement &s, int i, EventKind v)
{
    s.bindStatic(i, eventKindKey(v));
}

void bindValue(SqliteStatement &s, int i, ScheduleKind v)
{
    s.bindStatic(i, scheduleName(v));
}

void readValue(const SqliteStatement &s, int c, ScheduleKind *v)
{
    const QString name = s.columnText(c);
    for (ScheduleKind k : {ScheduleKind::GPipe, ScheduleKind::OneFOneB, ScheduleKind::Interleaved,
             ScheduleKind::ZeroBubbleH1, ScheduleKind::ZeroBubbleV}) {
        if (name == QLatin1String(scheduleName(k))) {
            *v = k;
            return;
        }
    }
}

void readValue(const SqliteStatement &s, int c, RunStatus *v)
{
    parseRunStatus(s.columnText(c), v);
}

void readValue(const SqliteStatement &s, int c, ResourceKind *v)
{
    parseResourceKind(s.columnText(c), v);
}

void readValue(const SqliteStatement &s, int c, EventKind *v)
{
    parseEventKind(s.columnText(c), v);
}

namespace {

constexpr ColumnUse kReadOnly = ColumnUse::ReadOnly;
constexpr ColumnUse kWriteOnly = ColumnUse::WriteOnly;

} // namespace

// clang-format off
const StoreTable<RunRow> &runsTable()
{
    using C = RunRow;
    static const StoreTable<RunRow> table {"runs", false, {
        storeColumn<C>("id", "INTEGER PRIMARY KEY AUTOINCREMENT", STORE_FIELD(info.id), "", 1, kReadOnly),
        storeColumn<C>("name", "TEXT    NOT NULL", STORE_FIELD(info.name)),
        storeColumn<C>("created", "TEXT    NOT NULL", STORE_FIELD(info.created), "ISO 8601, UTC"),
        storeColumn<C>("finished", "TEXT", STORE_FIELD(info.finished), "NULL while running or when interrupted", 1, kReadOnly),
        storeColumn<C>("scenario_name", "TEXT    NOT NULL DEFAULT ''", STORE_FIELD(info.scenarioName)),
        storeColumn<C>("scenario_json", "TEXT    NOT NULL", STORE_FIELD(scenarioJson), "the exact scenario the run used", 1, kWriteOnly),
        storeColumn<C>("policy", "TEXT    NOT NULL", STORE_FIELD(info.policy)),
        storeColumn<C>("seed", "INTEGER NOT NULL", STORE_FIELD(info.seed), "the uint64 seed's bits"),
        storeColumn<C>("train", "INTEGER NOT NULL", STORE_FIELD(info.train), "1 = trainer on, 0 = cost model only"),
        storeColumn<C>("status", "TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed', 'interrupted'))", STORE_FIELD(info.status)),
        storeColumn<C>("message", "TEXT    NOT NULL DEFAULT ''", STORE_FIELD(info.message), "why it stopped/failed/was interrupted"),
        storeColumn<C>("version", "TEXT    NOT NULL", STORE_FIELD(info.version), "program version that wrote it"),
        storeColumn<C>("rounds_planned", "INTEGER NOT NULL", STORE_FIELD(info.roundsPlanned)),
        storeColumn<C>("rounds_done", "INTEGER NOT NULL DEFAULT 0", STORE_FIELD(info.roundsDone), "committed rounds, updated with each batch"),
        storeColumn<C>("sim_time_s", "REAL    NOT NULL DEFAULT 0", STORE_FIELD(info.simTimeS), "simulated clock after the last committed round"),
        storeColumn<C>("writer_pid", "INTEGER", STORE_FIELD(info.writerPid), "NULL once finished"),
        storeColumn<C>("writer_host", "TEXT", STORE_FIELD(info.writerHost), "NULL once finished"),
        storeColumn<C>("writer_start", "INTEGER", STORE_FIELD(writerStart), "writer's process start (clock ticks), NULL if unknown"),
        // v5: the experiment point a run computes (core/experiment), for resume and merge.
        storeColumn<C>("experiment_id", "TEXT    NOT NULL DEFAULT ''", STORE_FIELD(info.point.experimentId), "'': not part of an experiment", 5),
        storeColumn<C>("point_fingerprint", "TEXT    NOT NULL DEFAULT ''", STORE_FIELD(info.point.fingerprint), "hash of the point's full scenario", 5),
        storeColumn<C>("point_index", "INTEGER NOT NULL DEFAULT -1", STORE_FIELD(info.point.index), "place in the experiment's order; -1: none", 5),
        storeColumn<C>("point_coordinates", "TEXT    NOT NULL DEFAULT ''", STORE_FIELD(info.point.coordinatesJson), "the point's axis values as a JSON object", 5),
    }, "", "", "CREATE INDEX runs_by_status ON runs(status);"};
    return table;
}

const StoreTable<RoundRecord> &roundsTable()
{
    using C = RoundRecord;
    static const StoreTable<RoundRecord> table {"rounds", true, {
        storeColumn<C>("round", "INTEGER NOT NULL", STORE_FIELD(round)),
        storeColumn<C>("sim_time_s", "REAL NOT NULL", STORE_FIELD(simTimeS)),
        storeColumn<C>("latency_s", "REAL NOT NULL", STORE_FIELD(latencyS)),
        storeColumn<C>("compute_s", "REAL NOT NULL", STORE_FIELD(split.computeS)),
        storeColumn<C>("d2d_s", "REAL NOT NULL", STORE_FIELD(split.d2dS)),
        storeColumn<C>("d2e_s", "REAL NOT NULL", STORE_FIELD(split.d2eS)),
        storeColumn<C>("decoder_s", "REAL NOT NULL", STORE_FIELD(split.decoderS)),
        storeColumn<C>("upload_s", "REAL NOT NULL", STORE_FIELD(split.uploadS)),
        storeColumn<C>("aggregation_s", "REAL NOT NULL", STORE_FIELD(split.aggregationS)),
        storeColumn<C>("bubble_s", "REAL NOT NULL", STORE_FIELD(split.bubbleS)),
        storeColumn<C>("bubble_fraction", "REAL NOT NULL", STORE_FIELD(bubbleFraction)),
        storeColumn<C>("computation_efficiency", "REAL NOT NULL", STORE_FIELD(computationEfficiency)),
        storeColumn<C>("energy_j", "REAL NOT NULL", STORE_FIELD(energyJ)),
        storeColumn<C>("loss", "REAL", STORE_FIELD(loss), "NULL: training off"),
        storeColumn<C>("accuracy", "REAL", STORE_FIELD(accuracy), "NULL: not evaluated this round"),
        storeColumn<C>("drift", "REAL NOT NULL", STORE_FIELD(drift)),
        storeColumn<C>("penalty", "REAL NOT NULL", STORE_FIELD(penalty)),
        storeColumn<C>("objective", "REAL NOT NULL", STORE_FIELD(objective)),
        storeColumn<C>("decision_time_s", "REAL NOT NULL", STORE_FIELD(decisionTimeS)),
        // v2: re-segmentation traffic measured by the trainer.
        storeColumn<C>("bytes_moved", "REAL", STORE_FIELD(bytesMoved), "NULL: training off, or stored before v2", 2),
    }, "PRIMARY KEY (run_id, round)", "WITHOUT ROWID", ""};
    return table;
}

const StoreTable<ClusterRoundRow> &clusterRoundsTable()
{
    using C = ClusterRoundRow;
    static const StoreTable<ClusterRoundRow> table {"cluster_rounds", true, {
        storeColumn<C>("round", "INTEGER NOT NULL", STORE_FIELD(round)),
        storeColumn<C>("cluster", "INTEGER NOT NULL", STORE_FIELD(cluster.cluster)),
        storeColumn<C>("microbatches", "INTEGER NOT NULL", STORE_FIELD(cluster.microbatches)),
        storeColumn<C>("microbatch_size", "INTEGER NOT NULL", STORE_FIELD(cluster.microbatchSize)),
        storeColumn<C>("makespan_s", "REAL NOT NULL", STORE_FIELD(cluster.makespanS)),
        storeColumn<C>("bubble_fraction", "REAL NOT NULL", STORE_FIELD(cluster.bubbleFraction)),
        storeColumn<C>("computation_efficiency", "REAL NOT NULL", STORE_FIELD(cluster.computationEfficiency)),
        storeColumn<C>("upload_s", "REAL NOT NULL", STORE_FIELD(cluster.uploadS)),
        storeColumn<C>("latency_s", "REAL NOT NULL", STORE_FIELD(cluster.latencyS)),
        storeColumn<C>("convergence_queue", "REAL NOT NULL", STORE_FIELD(cluster.convergenceQueue)),
        storeColumn<C>("loss", "REAL", STORE_FIELD(cluster.loss), "NULL: training off"),
        // v3: the encoder tail an EdgeTail cluster's edge server ran.
        storeColumn<C>("edge_first_block", "INTEGER NOT NULL DEFAULT -1", STORE_FIELD(cluster.edgeFirstBlock), "-1: no tail", 3),
        storeColumn<C>("edge_last_block", "INTEGER NOT NULL DEFAULT -1", STORE_FIELD(cluster.edgeLastBlock), "", 3),
        storeColumn<C>("edge_memory_bytes", "REAL", STORE_FIELD(cluster.edgeMemoryBytes), "NULL: no tail, or before v3", 3),
        // v4: the control unit's radio energy (spec §2.5), part of rounds.energy_j from v4 on.
        storeColumn<C>("control_unit_energy_j", "REAL", STORE_FIELD(cluster.controlUnitEnergyJ), "NULL: stored before v4", 4),
        // v6: the schedule each cluster ran (DSSDA may choose it per round, issue [4/7]).
        storeColumn<C>("schedule", "TEXT NOT NULL DEFAULT ''", STORE_FIELD(cluster.schedule), "gpipe | 1f1b | interleaved | zb-h1 | zb-v; before v6: the run scenario's", 6),
        storeColumn<C>("interleave", "INTEGER NOT NULL DEFAULT 1", STORE_FIELD(cluster.interleave), "v of interleaved, 1 otherwise", 6),
        // v7: where the control unit was this round (mobility, issue [6/7]).
        storeColumn<C>("control_unit_x_m", "REAL", STORE_FIELD(cluster.controlUnitXM), "NULL: stored before v7", 7),
        storeColumn<C>("control_unit_y_m", "REAL", STORE_FIELD(cluster.controlUnitYM), "NULL: stored before v7", 7),
        // v8: churn and the deadline (issue [6/7], core/MODEL.md "Churn", "Deadline").
        storeColumn<C>("aggregated", "INTEGER NOT NULL DEFAULT 1", STORE_FIELD(cluster.aggregated), "1: in the round's FedAvg; 0: sat out or missed the deadline", 8),
        storeColumn<C>("sat_out", "INTEGER NOT NULL DEFAULT 0", STORE_FIELD(cluster.satOut), "1: no device present, did not train", 8),
        storeColumn<C>("dropouts", "INTEGER NOT NULL DEFAULT 0", STORE_FIELD(cluster.dropouts), "devices that left mid-round", 8),
        storeColumn<C>("lost_s", "REAL NOT NULL DEFAULT 0", STORE_FIELD(cluster.lostS), "work thrown away by dropouts, part of latency_s", 8),
        storeColumn<C>("recovery_s", "REAL NOT NULL DEFAULT 0", STORE_FIELD(cluster.recoveryS), "re-transfer of dropped segments, part of latency_s", 8),
        // v9: why a cluster sat out (no device present, or the present ones could carry no plan).
        storeColumn<C>("sat_out_reason", "TEXT NOT NULL DEFAULT ''", STORE_FIELD(cluster.satOutReason), "'': took part, or stored before v9", 9),
    }, "PRIMARY KEY (run_id, round, cluster)", "WITHOUT ROWID", ""};
    return table;
}

const StoreTable<DeviceRoundRow> &deviceRoundsTable()
{
    using C = DeviceRoundRow;
    static const StoreTable<DeviceRoundRow> table {"device_rounds", true, {
        storeColumn<C>("round", "INTEGER NOT NULL", STORE_FIELD(round)),
        storeColumn<C>("cluster", "INTEGER NOT NULL", STORE_FIELD(device.cluster)),
        storeColumn<C>("device", "INTEGER NOT NULL", STORE_FIELD(device.device), "index into the cluster's devices"),
        storeColumn<C>("device_id", "TEXT NOT NULL", STORE_FIELD(device.deviceId)),
        storeColumn<C>("stage", "INTEGER NOT NULL", STORE_FIELD(device.stage), "-1: given no blocks"),
        storeColumn<C>("first_block", "INTEGER NOT NULL", STORE_FIELD(device.firstBlock), "-1: given no blocks"),
        storeColumn<C>("last_block", "INTEGER NOT NULL", STORE_FIELD(device.lastBlock)),
        storeColumn<C>("microbatches", "INTEGER NOT NULL", STORE_FIELD(device.microbatches)),
        storeColumn<C>("bandwidth_share", "REAL NOT NULL", STORE_FIELD(device.bandwidthShare)),
        storeColumn<C>("power_w", "REAL NOT NULL", STORE_FIELD(device.powerW)),
        storeColumn<C>("memory_predicted_bytes", "REAL NOT NULL", STORE_FIELD(device.memoryPredictedBytes)),
        storeColumn<C>("memory_measured_bytes", "REAL", STORE_FIELD(device.memoryMeasuredBytes), "NULL: training off"),
        storeColumn<C>("memory_capacity_bytes", "REAL NOT NULL", STORE_FIELD(device.memoryCapacityBytes)),
        storeColumn<C>("energy_j", "REAL NOT NULL", STORE_FIELD(device.energyJ)),
        storeColumn<C>("energy_queue_j", "REAL NOT NULL", STORE_FIELD(device.energyQueueJ), "Q(t+1) after this round's update"),
        storeColumn<C>("busy_s", "REAL NOT NULL", STORE_FIELD(device.busyS)),
        storeColumn<C>("link_distance_m", "REAL NOT NULL", STORE_FIELD(device.linkDistanceM), "the device's outgoing link this round"),
        storeColumn<C>("link_snr_db", "REAL NOT NULL", STORE_FIELD(device.linkSnrDb)),
        storeColumn<C>("link_rate_bps", "REAL NOT NULL", STORE_FIELD(device.linkRateBps)),
        // v3: the memory predicted at the trainer's width (comparable with memory_measured_bytes).
        storeColumn<C>("memory_predicted_trainer_bytes", "REAL", STORE_FIELD(device.memoryPredictedTrainerBytes), "NULL: training off", 3),
        // v7: where the device was this round (mobility, issue [6/7]).
        storeColumn<C>("x_m", "REAL", STORE_FIELD(device.xM), "NULL: stored before v7", 7),
        storeColumn<C>("y_m", "REAL", STORE_FIELD(device.yM), "NULL: stored before v7", 7),
        // v8: whether the device was present at the round's start (availability, battery).
        storeColumn<C>("present", "INTEGER NOT NULL DEFAULT 1", STORE_FIELD(device.present), "", 8),
    }, "PRIMARY KEY (run_id, round, cluster, device)", "WITHOUT ROWID", ""};
    return table;
}

const StoreTable<EventRow> &eventsTable()
{
    using C = EventRow;
    static const StoreTable<EventRow> table {"events", true, {
        storeColumn<C>("round", "INTEGER NOT NULL", STORE_FIELD(round)),
        storeColumn<C>("seq", "INTEGER NOT NULL", STORE_FIELD(seq), "order within the round's timeline"),
        storeColumn<C>("cluster", "INTEGER NOT NULL", STORE_FIELD(event.cluster)),
        storeColumn<C>("resource_kind", "TEXT NOT NULL", STORE_FIELD(event.resource.kind), "control_unit | device | link | edge_server"),
        storeColumn<C>("res_from", "INTEGER NOT NULL", STORE_FIELD(event.resource.from), "device index, or -1 CU / -2 edge server"),
        storeColumn<C>("res_to", "INTEGER NOT NULL", STORE_FIELD(event.resource.to), "links only"),
        storeColumn<C>("kind", "TEXT NOT NULL", STORE_FIELD(event.kind), "forward, backward, send_activation, ..."),
        storeColumn<C>("microbatch", "INTEGER NOT NULL", STORE_FIELD(event.microbatch), "-1: per-round event"),
        storeColumn<C>("stage", "INTEGER NOT NULL", STORE_FIELD(event.stage)),
        storeColumn<C>("start_s", "REAL NOT NULL", STORE_FIELD(event.startS), "from the start of the round"),
        storeColumn<C>("end_s", "REAL NOT NULL", STORE_FIELD(event.endS)),
    }, "PRIMARY KEY (run_id, round, seq)", "WITHOUT ROWID", ""};
    return table;
}
// clang-format on

int storeTablesVersion()
{
    return std::max({runsTable().newestVersion(), roundsTable().newestVersion(),
        clusterRoundsTable().newestVersion(), deviceRoundsTable().newestVersion(),
        eventsTable().newestVersion()});
}

QByteArray storeMigrationSql(int version)
{
    // Version 1 creates every table (runs first: the others reference it); later versions only
    // add columns, in table order.
    auto step = [version](const auto &table) {
        return version == 1 ? table.createSql(1) : table.addColumnsSql(version);
    };
    QByteArray sql = step(runsTable()) + step(roundsTable()) + step(clusterRoundsTable())
        + step(deviceRoundsTable()) + step(eventsTable());
    if (version == 6) {
        // Before v6 every cluster of a run ran the scenario's schedule ("gpipe" or "1f1b", the
        // only ones a decision could name; fl and sl copied it too): fill it in from the run's
        // scenario, 1f1b (the default) if the key is missing.
        sql += "UPDATE cluster_rounds SET schedule = COALESCE((SELECT json_extract("
               "scenario_json, '$.optimizer.schedule') FROM runs WHERE runs.id = "
               "cluster_rounds.run_id), '1f1b') WHERE schedule = '';\n";
    }
    return sql;
}

} // namespace collapipe
