// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/pipeline_schedule.h"
#include "core/types/timeline_event.h"

#include <QString>
#include <QStringList>

#include <vector>

/// The Pipeline Lab's one door into the engine (issue [4/7] "The Lab"): it turns a scenario, a
/// cluster and a list of schedules into timed ops of ONE local iteration per schedule, on the
/// same devices and links. Everything the Lab draws comes from here, so a new schedule of
/// core/pipeline plugs in by adding it to labSchedules() and, if its timing call differs, to
/// timeSchedule() in the .cpp; no widget changes. Pure: no widgets, callable from any thread.
namespace collapipe {

/// A schedule the Lab can show, with its display name ("GPipe", "1F1B").
struct LabScheduleKind
{
    PipelineSchedule schedule = PipelineSchedule::GPipe;
    QString name;
};

/// Every schedule the Lab offers, in display order (today GPipe and 1F1B).
std::vector<LabScheduleKind> labSchedules();

/// One schedule's iteration, timed twice: with every link, the CU and the edge as in the cost
/// model (core/cost), and "compute only" (those take no time: the textbook picture).
struct LabSchedule
{
    LabScheduleKind kind;
    std::vector<TimelineEvent> withLinks;   ///< every op of the chain, sorted by start
    std::vector<TimelineEvent> computeOnly; ///< the devices' F and B only, sorted by start
    double makespanS = 0.0;                 ///< with links: first embed to last gradient at the CU
    double computeOnlyMakespanS = 0.0;      ///< compute only: first F to last B
    /// Idle share of the S devices over the iteration, 1 − Σ_j busy_j / (S · makespan): the
    /// ClusterCost::bubbleFraction definition, once with links and once compute only.
    double bubbleWithLinks = 0.0;
    double bubbleComputeOnly = 0.0;
    /// Peak micro-batches stashed (forward done, backward not yet) per stage, compute only.
    std::vector<int> peakStashed;
};

/// What the Lab shows for one cluster.
struct LabPlan
{
    bool ok = false;
    QString error; ///< why there is nothing to show (names the cluster and the cause)
    QString title; ///< "Pipeline lab · cluster lab · dssda round 0"
    int cluster = 0;
    int stageCount = 0;           ///< S
    int microbatches = 0;         ///< M
    std::vector<int> stageDevice; ///< device index of stage j
    QStringList stageNames;       ///< "Tablet 1 · blocks 0–1" per stage
    QStringList deviceNames;      ///< every device of the cluster (index = device)
    std::vector<LabSchedule> schedules;

    /// The textbook bubble (S − 1) / (M + S − 1): equal stages, free links (GPipe paper).
    double textbookBubble() const
    {
        return stageCount + microbatches <= 1
            ? 0.0
            : double(stageCount - 1) / double(microbatches + stageCount - 1);
    }
};

/// Plans `cluster` of `scenario` the way a run's round 0 would (the scenario's policy on the
/// round-0 channel) and times each of `schedules` on that plan (same stages, blocks, M, links).
/// Fails (ok = false, error set) for an invalid cluster index, a policy that finds no decision,
/// or a decision that trains each device alone (no pipeline to show).
LabPlan buildLabPlan(
    const Scenario &scenario, int cluster, const std::vector<LabScheduleKind> &schedules);

/// The compute ops (F and B on devices) of `events` in the order the Lab steps through them:
/// by start time, ties by stage (the events are already sorted that way).
std::vector<TimelineEvent> computeOps(const std::vector<TimelineEvent> &events);

/// Micro-batches stashed on stage `stage` at time `t` (forwards ended by t minus backwards ended
/// by t), from compute events.
int stashedAt(const std::vector<TimelineEvent> &events, int stage, double t);

} // namespace collapipe
