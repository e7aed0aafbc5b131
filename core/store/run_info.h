// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/run_status.h"

#include <QString>

#include <cstdint>

/// Value types that describe stored runs (issue [5/6] "core/store").
namespace collapipe {

/// The message of a run whose writer process ended without finishing it.
QString interruptedMessage();

/// The experiment point a run computes (core/experiment); empty for a plain run.
struct ExperimentPointTag
{
    QString experimentId;    ///< the experiment's id (hash of its points); empty: no experiment
    QString fingerprint;     ///< the point's fingerprint (hash of its full scenario)
    int index = -1;          ///< the point's place in the experiment's expansion order
    QString coordinatesJson; ///< the point's axis values, a JSON object {"path": value, ...}

    bool isSet() const { return !experimentId.isEmpty(); }
};

/// What the writer knows when a run starts.
struct RunMeta
{
    QString name;         ///< free text; CLI and Studio use storedRunName() (core/sim)
    QString scenarioName; ///< Scenario::name
    QString scenarioJson; ///< the full scenario the run uses (after any --set patches)
    QString policy;
    std::uint64_t seed = 0;
    bool train = false;
    int roundsPlanned = 0;
    QString version; ///< program version
    ExperimentPointTag point = {};
};

/// One row of `runs`.
struct RunInfo
{
    std::int64_t id = 0;
    QString name;
    QString created;  ///< ISO 8601 UTC
    QString finished; ///< empty while running or when interrupted
    QString scenarioName;
    QString policy;
    std::uint64_t seed = 0;
    bool train = false;
    RunStatus status = RunStatus::Running;
    QString message;
    QString version;
    int roundsPlanned = 0;
    int roundsDone = 0;
    double simTimeS = 0.0;
    std::int64_t writerPid = 0; ///< 0 once finished
    QString writerHost;
    ExperimentPointTag point = {};
};

/// Key metrics of a run, aggregated over its stored rounds (for `show`, `compare`, `sweep`).
/// NaN where nothing was measured (e.g. loss with training off).
struct RunSummary
{
    int rounds = 0;
    double simTimeS = 0.0;
    double meanLatencyS = 0.0;
    double meanEnergyJ = 0.0; ///< per round, all devices
    double totalEnergyJ = 0.0;
    double meanBubbleFraction = 0.0;
    double meanComputationEfficiency = 0.0;
    double meanObjective = 0.0;
    double meanDecisionTimeS = 0.0;
    double finalLoss = 0.0;         ///< last round with a loss
    double finalAccuracy = 0.0;     ///< last round with an accuracy
    double meanEnergyQueueJ = 0.0;  ///< over devices and rounds
    double maxMemoryFraction = 0.0; ///< max predicted memory / capacity over devices and rounds
    /// Max predicted memory of one device over devices and rounds (spec §2.4, profiled width):
    /// the "per-device memory" the paper's memory claim compares (core/experiment/README.md).
    double maxDeviceMemoryBytes = 0.0;
    LatencySplit meanSplit; ///< each part of the round latency (spec §2.3) averaged over rounds
    /// Churn and the deadline (core/MODEL.md "Churn", "Deadline"), counted in cluster-rounds:
    /// clusters that sat a round out (no device present, or the present ones could carry no
    /// plan), clusters that trained but missed the deadline, and the rounds in which no cluster's
    /// update was aggregated (the global model did not change).
    int satOutClusterRounds = 0;
    int lateClusterRounds = 0;
    int roundsWithoutAggregation = 0;
};

/// One cluster's sat-out rounds that share a reason (cluster_rounds.sat_out_reason).
struct SatOutSpan
{
    int cluster = 0; ///< index into the scenario's clusters
    QString reason;  ///< "no device present" or the policy's message; empty before v9
    int rounds = 0;
    int firstRound = 0;
    int lastRound = 0;
};

} // namespace collapipe
