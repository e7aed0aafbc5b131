// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"
#include "core/types/round_record.h"

#include <QString>

#include <cstdint>
#include <vector>

/// Reads stored runs back as the same value types the engine produced (issue [5/6]). Used by the
/// CLI verbs and the Studio's runs browser / replay. Errors name the database file and the run.
namespace collapipe {

class RunStore;

/// Which parts of each round `rounds()` fills besides the scalars.
enum RoundParts : unsigned {
    RoundScalars = 0,
    RoundClusters = 1u << 0,
    RoundDevices = 1u << 1,
    RoundEvents = 1u << 2,
    RoundEverything = RoundClusters | RoundDevices | RoundEvents
};

/// One stored device row with its round (for tables and the per-device plots).
struct DeviceRoundRow
{
    int round = 0;
    DeviceRound device;
};

class RunReader
{
public:
    /// Borrows `store` (same thread, must outlive the reader).
    explicit RunReader(RunStore *store);

    /// Every run, newest first.
    bool listRuns(std::vector<RunInfo> *runs, QString *error);
    bool run(std::int64_t id, RunInfo *info, QString *error);
    bool scenarioJson(std::int64_t id, QString *json, QString *error);
    /// The run's rounds in order; `parts` selects what else to fill (clusters, devices, events).
    bool rounds(std::int64_t id, std::vector<RoundRecord> *rounds, QString *error,
        unsigned parts = RoundScalars);
    /// Every device row of the run, ordered by round, cluster, device.
    bool deviceRounds(std::int64_t id, std::vector<DeviceRoundRow> *rows, QString *error);
    /// The timeline of one round (for the Gantt), in stored order.
    bool events(std::int64_t id, int round, std::vector<TimelineEvent> *events, QString *error);
    /// Key metrics aggregated in SQL over the stored rounds. `deviceAggregates` false skips the
    /// device rows (the run's largest table): meanEnergyQueueJ, maxMemoryFraction and
    /// maxDeviceMemoryBytes are then NaN, every other field the same.
    bool summary(
        std::int64_t id, RunSummary *summary, QString *error, bool deviceAggregates = true);
    /// Why clusters sat rounds out: one entry per cluster and reason, ordered by first round.
    bool satOuts(std::int64_t id, std::vector<SatOutSpan> *spans, QString *error);

private:
    bool requireRun(std::int64_t id, QString *error);
    RunStore *m_store;
};

} // namespace collapipe
