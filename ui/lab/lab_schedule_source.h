// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/pipeline_recursion.h"
#include "core/pipeline/schedule.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"
#include "core/types/timeline_event.h"

#include <QString>
#include <QStringList>

#include <vector>

/// The Pipeline Lab's one door into the engine (issue [4/7] "The Lab"): it turns a scenario, a
/// cluster and a list of schedules into timed ops of ONE local iteration per schedule, on the
/// same devices and links. Everything the Lab draws comes from here, so a new schedule of
/// core/pipeline plugs in by adding it to labSchedules() (timed by core/pipeline's
/// timeSchedule(); its closed-form bubble, if any, in textbookOf() of the .cpp); no widget
/// changes. Pure: no widgets, callable from any thread.
namespace collapipe {

/// A schedule the Lab can show, with its display name ("GPipe", "1F1B", "ZB-H1").
struct LabScheduleKind
{
    ScheduleKind schedule = ScheduleKind::GPipe;
    QString name;
    int chunks = 1; ///< v (Interleaved only; ZB-V's 2 is fixed by core/pipeline)
};

/// Every schedule the Lab offers, in display order: GPipe, 1F1B, interleaved 1F1B (v = 2),
/// ZB-H1, ZB-V.
std::vector<LabScheduleKind> labSchedules();

/// One timed op: the timeline's event plus which device op it is (a B/W split tells B from W
/// here; both are EventKind::Backward) and its chunk. A TimelineEvent, so the widgets read it so.
struct LabEvent : TimelineEvent
{
    OpKind op = OpKind::Forward; ///< device compute only
    int chunk = 0;
};

/// +1 for a forward (stashes), −1 for what frees the stash (a fused backward or a W), 0 else
/// (a B keeps the stash: its W still needs it).
int stashDelta(const LabEvent &e);

/// Short name of a device op for the legend and tooltips ("backward (input grad B)", …).
QString opName(OpKind op);

/// One schedule's iteration, timed twice: with every link, the CU and the edge as in the cost
/// model (core/cost), and "compute only" (those take no time: the textbook picture).
struct LabSchedule
{
    LabScheduleKind kind;
    std::vector<LabEvent> withLinks;   ///< every op of the chain, sorted by start
    std::vector<LabEvent> computeOnly; ///< the devices' F, B (and W) only, sorted by start
    double makespanS = 0.0;            ///< with links: first embed to last gradient at the CU
    double computeOnlyMakespanS = 0.0; ///< compute only: first F to last B
    /// Idle share of the S devices over the iteration, 1 − Σ_j busy_j / (S · makespan): the
    /// ClusterCost::bubbleFraction definition, once with links and once compute only.
    double bubbleWithLinks = 0.0;
    double bubbleComputeOnly = 0.0;
    /// Peak chunk activations stashed (forward done, its freeing op not yet) per stage,
    /// compute only.
    std::vector<int> peakStashed;
    /// The schedule's closed-form bubble (< 0: none applies) and its definition for a tooltip.
    double textbookBubble = -1.0;
    QString textbookDefinition;
};

/// "What if" factors on the planned chain (the Lab's sliders; the scenario is never touched):
/// stage j computes `stageSpeed[j]` times as fast (its F and B take 1/factor of the plan's
/// time), link l carries `linkRate[l]` times the planned rate (both directions: its activation
/// and gradient sends take 1/factor). Links in chain order: 0 = CU → S0, l = S(l−1) → S(l),
/// S = S(S−1) → edge. Missing entries are 1.
struct LabWhatIf
{
    std::vector<double> stageSpeed;
    std::vector<double> linkRate;
    /// Every factor is 1 (the plan as the cost model timed it).
    bool isIdentity() const;
};

/// `chain` with the factors of `whatIf` applied (factors ≤ 0 or not finite count as 1).
ChainTimes applyWhatIf(ChainTimes chain, const LabWhatIf &whatIf);

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
    /// How the wrap (last device → first, interleaved) and edge (stage 0 ↔ edge, ZB-V) hops
    /// were timed: shown in the chart's tooltip.
    QString hopNote;
    /// "CU → S0", "S0 → S1", …, "S3 → edge": the links LabWhatIf::linkRate indexes.
    QStringList linkNames;

    // What re-timing and the trainer need (the Lab's what-if and tensor panel).
    Scenario scenario;        ///< the planned scenario (a copy), for the trainer
    ClusterDecision decision; ///< the policy's round-0 decision for the cluster
    ChainTimes chain;         ///< the chain as the cost model timed it, before hops and what-if
    LabWhatIf whatIf;         ///< the factors the schedules are timed with now
};

/// Plans `cluster` of `scenario` the way a run's round 0 would (the scenario's policy on the
/// round-0 channel) and times each of `schedules` on that plan (same stages, blocks, M, links).
/// Fails (ok = false, error set) for an invalid cluster index, a policy that finds no decision,
/// or a decision that trains each device alone (no pipeline to show).
LabPlan buildLabPlan(
    const Scenario &scenario, int cluster, const std::vector<LabScheduleKind> &schedules);

/// Re-times every schedule of `plan` (an ok plan) on its chain with the factors `whatIf`:
/// same stages, blocks, M and op orders, only the times change. Fast (no policy, no channel):
/// the Lab calls it on every slider move. False + message if a schedule no longer fits.
bool retimeLabPlan(LabPlan *plan, const LabWhatIf &whatIf, QString *error);

/// The compute ops (F, B, W on devices) of `events` in the order the Lab steps through them:
/// by start time, ties by stage (the events are already sorted that way).
std::vector<LabEvent> computeOps(const std::vector<LabEvent> &events);

/// Chunk activations stashed on stage `stage` at time `t` (Σ stashDelta() of the compute ops
/// ended by t).
int stashedAt(const std::vector<LabEvent> &events, int stage, double t);

} // namespace collapipe
