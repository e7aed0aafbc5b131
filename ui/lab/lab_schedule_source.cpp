// SPDX-License-Identifier: MIT
#include "ui/lab/lab_schedule_source.h"

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"
#include "core/pipeline/pipeline_recursion.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <memory>

namespace collapipe {

namespace {

/// The one place a schedule is timed for the Lab: core/pipeline's timeSchedule() for every
/// kind (GPipe and 1F1B give runPipeline()'s events exactly).
bool timeLabSchedule(const ChainTimes &chain, const LabScheduleKind &kind, int microbatches,
    int cluster, std::vector<LabEvent> *events, double *makespanS)
{
    const StageTimes &st0 = chain.stages.front();
    // ZB-V's order depends on the chunk times (schedule.h): the first stage's, as schedule.h says.
    const ChunkOpTimes zbv{st0.fwdS / 2.0, st0.bwdS * (1.0 - st0.weightGradFraction) / 2.0,
        st0.bwdS * st0.weightGradFraction / 2.0};
    const Schedule schedule
        = makeSchedule(kind.schedule, int(chain.stages.size()), microbatches, kind.chunks, zbv);
    const ScheduleTiming timing = timeSchedule(chain, schedule);
    if (!timing.ok) {
        return false;
    }
    *makespanS = timing.run.makespanS;
    events->clear();
    for (const PipelineEvent &pe : timing.events) {
        LabEvent e;
        static_cast<TimelineEvent &>(e) = pe.event;
        e.cluster = cluster;
        e.op = pe.op;
        e.chunk = pe.chunk;
        events->push_back(e);
    }
    // Stable: equal starts keep the recursion's topological order (as core/cost/timeline.h).
    std::stable_sort(events->begin(), events->end(),
        [](const LabEvent &a, const LabEvent &b) { return a.startS < b.startS; });
    return true;
}

/// Fills the hops the cost model leaves at 0 (free): interleaved's wrap (last device → first
/// and back) and ZB-V's stage 0 ↔ edge. The cost model has no reusable function for the D2D time
/// between two arbitrary devices of the chain, so the wrap is the MEAN of the chain's own D2D
/// sends (activation: stages 0 … S − 2's sendS; gradient: stages 1 … S − 1's gradS), and stage 0
/// ↔ edge is the last stage's D2E hop (its sendS, the edge's gradient), the same radio to the
/// same edge. Returns the note the chart shows.
QString fillHops(ChainTimes *chain)
{
    const auto &st = chain->stages;
    const std::size_t S = st.size();
    double send = 0.0;
    double grad = 0.0;
    for (std::size_t j = 0; j + 1 < S; ++j) {
        send += st[j].sendS;
        grad += st[j + 1].gradS;
    }
    if (S > 1) {
        chain->wrapSendS = send / double(S - 1);
        chain->wrapGradS = grad / double(S - 1);
    }
    chain->firstStageEdgeSendS = st.back().sendS;
    chain->edgeFirstStageGradS = chain->edgeSendGradS;
    return QObject::tr("Interleaved's wrap hop (last device → first) is the mean of the chain's "
                       "D2D sends (%1 s activation, %2 s gradient); ZB-V's stage 0 ↔ edge hop is "
                       "the last stage's D2E hop (%3 s, %4 s).")
        .arg(chain->wrapSendS, 0, 'g', 3)
        .arg(chain->wrapGradS, 0, 'g', 3)
        .arg(chain->firstStageEdgeSendS, 0, 'g', 3)
        .arg(chain->edgeFirstStageGradS, 0, 'g', 3);
}

/// The schedule's closed-form bubble on equal stages with free links (mean stage times), and
/// its definition; < 0 when none applies.
void textbookOf(const LabScheduleKind &kind, const ChainTimes &chain, int M, double *bubble,
    QString *definition)
{
    const int S = int(chain.stages.size());
    double F = 0.0;
    double B = 0.0;
    double W = 0.0;
    for (const StageTimes &st : chain.stages) {
        F += st.fwdS / S;
        B += st.bwdS * (1.0 - st.weightGradFraction) / S;
        W += st.bwdS * st.weightGradFraction / S;
    }
    switch (kind.schedule) {
    case ScheduleKind::GPipe:
    case ScheduleKind::OneFOneB:
        *bubble = double(S - 1) / double(M + S - 1);
        *definition = QObject::tr("Textbook bubble (S − 1) / (M + S − 1) with S = %1 stages and "
                                  "M = %2 micro-batches: each stage's idle share when every stage "
                                  "takes the same time and transfers are free (GPipe paper).")
                          .arg(S)
                          .arg(M);
        return;
    case ScheduleKind::Interleaved: {
        const int v = std::max(1, kind.chunks);
        *bubble = double(S - 1) / double(v * M + S - 1);
        *definition = QObject::tr("Textbook bubble (S − 1) / (v·M + S − 1) with S = %1, M = %2, "
                                  "v = %3 chunks per device: the fill and drain shrink by v "
                                  "(Megatron-LM interleaved schedule), equal stages, free links.")
                          .arg(S)
                          .arg(M)
                          .arg(v);
        return;
    }
    case ScheduleKind::ZeroBubbleH1: {
        // Each stage idles (S − 1)(F + B − W) with B the input-gradient part only: core/MODEL.md
        // "Closed forms" writes the same as (S − 1)(F + B_fused − 2W), B_fused = B + W. A third
        // of 1F1B's (S − 1)(F + B + W) when F = B = W; the preset's simulated compute-only
        // bubble matches it exactly (1/9, tst_lab_schedule_source).
        const double idle = double(S - 1) * std::max(0.0, F + B - W);
        const double total = M * (F + B + W) + idle;
        *bubble = total > 0.0 ? idle / total : 0.0;
        *definition
            = QObject::tr("ZB-H1 bubble (S − 1)(F + B − W) / (M(F + B + W) + (S − 1)(F + B − W)) "
                          "with S = %1, M = %2 and the stages' mean F = %3 s, B = %4 s, W = %5 s: "
                          "B is the input gradient only (with the fused backward B + W: "
                          "(S − 1)(F + B_fused − 2W)); the deferred weight gradients fill part of "
                          "the drain (zero-bubble paper; a third of 1F1B's when F = B = W), equal "
                          "stages, free links.")
                  .arg(S)
                  .arg(M)
                  .arg(F, 0, 'g', 3)
                  .arg(B, 0, 'g', 3)
                  .arg(W, 0, 'g', 3);
        return;
    }
    case ScheduleKind::ZeroBubbleV:
        *bubble = -1.0;
        *definition = QObject::tr("ZB-V has no closed form: its order is list-scheduled from the "
                                  "op times (core/pipeline zero_bubble_v.h), so its bubble is only "
                                  "what the simulation measures.");
        return;
    }
}

/// The chain with links, the CU and the edge taking no time: only the devices' F and B remain.
ChainTimes computeOnlyChain(ChainTimes chain)
{
    chain.embedS = 0.0;
    chain.controlUnitSendS = 0.0;
    chain.decoderFwdS = 0.0;
    chain.decoderBwdS = 0.0;
    chain.edgeSendGradS = 0.0;
    chain.wrapSendS = 0.0;
    chain.wrapGradS = 0.0;
    chain.firstStageEdgeSendS = 0.0;
    chain.edgeFirstStageGradS = 0.0;
    for (StageTimes &st : chain.stages) {
        st.sendS = 0.0;
        st.gradS = 0.0;
    }
    return chain;
}

bool isCompute(const TimelineEvent &e)
{
    return e.resource.kind == ResourceKind::Device
        && (e.kind == EventKind::Forward || e.kind == EventKind::Backward);
}

/// 1 − Σ_j busy_j / (S · makespan) over the compute ops of `events`.
double bubbleOf(const std::vector<LabEvent> &events, int stages, double makespanS)
{
    if (stages <= 0 || makespanS <= 0.0) {
        return 0.0;
    }
    double busy = 0.0;
    for (const LabEvent &e : events) {
        if (isCompute(e)) {
            busy += e.endS - e.startS;
        }
    }
    return std::clamp(1.0 - busy / (stages * makespanS), 0.0, 1.0);
}

QString deviceName(const Device &d, int index)
{
    if (!d.name.isEmpty()) {
        return d.name;
    }
    return d.id.isEmpty() ? QObject::tr("device %1").arg(index) : d.id;
}

} // namespace

std::vector<LabScheduleKind> labSchedules()
{
    return {{ScheduleKind::GPipe, QStringLiteral("GPipe")},
        {ScheduleKind::OneFOneB, QStringLiteral("1F1B")},
        {ScheduleKind::Interleaved, QStringLiteral("Interleaved 1F1B (v = 2)"), 2},
        {ScheduleKind::ZeroBubbleH1, QStringLiteral("ZB-H1")},
        {ScheduleKind::ZeroBubbleV, QStringLiteral("ZB-V")}};
}

int stashDelta(const LabEvent &e)
{
    if (!isCompute(e)) {
        return 0;
    }
    switch (e.op) {
    case OpKind::Forward:
        return 1;
    case OpKind::Backward:
    case OpKind::BackwardWeight:
        return -1;
    case OpKind::BackwardInput:
        return 0;
    }
    return 0;
}

QString opName(OpKind op)
{
    switch (op) {
    case OpKind::Forward:
        return QObject::tr("forward");
    case OpKind::Backward:
        return QObject::tr("backward");
    case OpKind::BackwardInput:
        return QObject::tr("backward (input grad B)");
    case OpKind::BackwardWeight:
        return QObject::tr("weight grad W");
    }
    return {};
}

std::vector<LabEvent> computeOps(const std::vector<LabEvent> &events)
{
    std::vector<LabEvent> ops;
    for (const LabEvent &e : events) {
        if (isCompute(e)) {
            ops.push_back(e);
        }
    }
    std::stable_sort(ops.begin(), ops.end(), [](const LabEvent &a, const LabEvent &b) {
        return a.startS < b.startS || (a.startS == b.startS && a.stage < b.stage);
    });
    return ops;
}

int stashedAt(const std::vector<LabEvent> &events, int stage, double t)
{
    int n = 0;
    for (const LabEvent &e : events) {
        if (e.stage != stage || !isCompute(e) || e.endS > t) {
            continue;
        }
        n += stashDelta(e);
    }
    return n;
}

bool LabWhatIf::isIdentity() const
{
    const auto ones = [](const std::vector<double> &f) {
        return std::all_of(f.begin(), f.end(), [](double x) { return x == 1.0; });
    };
    return ones(stageSpeed) && ones(linkRate);
}

ChainTimes applyWhatIf(ChainTimes chain, const LabWhatIf &whatIf)
{
    const auto factor = [](const std::vector<double> &f, std::size_t i) {
        const double x = i < f.size() ? f[i] : 1.0;
        return std::isfinite(x) && x > 0.0 ? x : 1.0;
    };
    auto &st = chain.stages;
    for (std::size_t j = 0; j < st.size(); ++j) {
        const double speed = factor(whatIf.stageSpeed, j);
        st[j].fwdS /= speed;
        st[j].bwdS /= speed;
    }
    // Link l joins the sender of l − 1's activations to the receiver; its gradient goes back.
    const std::size_t S = st.size();
    for (std::size_t l = 0; l <= S && S > 0; ++l) {
        const double rate = factor(whatIf.linkRate, l);
        if (l == 0) {
            chain.controlUnitSendS /= rate;
            st[0].gradS /= rate;
        } else if (l < S) {
            st[l - 1].sendS /= rate;
            st[l].gradS /= rate;
        } else {
            st[S - 1].sendS /= rate;
            chain.edgeSendGradS /= rate;
        }
    }
    return chain;
}

bool retimeLabPlan(LabPlan *plan, const LabWhatIf &whatIf, QString *error)
{
    ChainTimes chain = applyWhatIf(plan->chain, whatIf);
    plan->hopNote = fillHops(&chain);
    for (LabSchedule &s : plan->schedules) {
        const LabScheduleKind kind = s.kind;
        std::vector<LabEvent> all;
        if (!timeLabSchedule(
                chain, kind, plan->microbatches, plan->cluster, &s.withLinks, &s.makespanS)
            || !timeLabSchedule(computeOnlyChain(chain), kind, plan->microbatches, plan->cluster,
                &all, &s.computeOnlyMakespanS)) {
            *error = QObject::tr("schedule %1 does not fit the chain").arg(kind.name);
            return false;
        }
        textbookOf(kind, chain, plan->microbatches, &s.textbookBubble, &s.textbookDefinition);
        s.computeOnly = computeOps(all);
        s.computeOnlyMakespanS = 0.0;
        for (const LabEvent &e : s.computeOnly) {
            s.computeOnlyMakespanS = std::max(s.computeOnlyMakespanS, e.endS);
        }
        s.bubbleWithLinks = bubbleOf(s.withLinks, plan->stageCount, s.makespanS);
        s.bubbleComputeOnly = bubbleOf(s.computeOnly, plan->stageCount, s.computeOnlyMakespanS);
        s.peakStashed.assign(std::size_t(plan->stageCount), 0);
        for (const LabEvent &e : s.computeOnly) {
            if (e.op == OpKind::Forward && e.stage >= 0 && e.stage < plan->stageCount) {
                s.peakStashed[std::size_t(e.stage)] = std::max(
                    s.peakStashed[std::size_t(e.stage)], stashedAt(s.computeOnly, e.stage, e.endS));
            }
        }
    }
    plan->whatIf = whatIf;
    return true;
}

LabPlan buildLabPlan(
    const Scenario &scenario, int cluster, const std::vector<LabScheduleKind> &schedules)
{
    LabPlan plan;
    plan.cluster = cluster;
    const auto &clusters = scenario.topology.clusters;
    if (cluster < 0 || cluster >= int(clusters.size())) {
        plan.error = QObject::tr("cluster %1 does not exist (the scenario has %2 clusters)")
                         .arg(cluster)
                         .arg(clusters.size());
        return plan;
    }
    const Cluster &c = clusters[std::size_t(cluster)];
    const QString policyName = scenario.optimizer.policy;
    QString error;
    std::unique_ptr<Policy> policy = makePolicy(policyName, &error);
    if (!policy) {
        plan.error = QObject::tr("optimizer.policy: %1").arg(error);
        return plan;
    }
    // Round 0 of a run: the channel of round 0, empty queues, no previous decision.
    ChannelModel channelModel(scenario.topology, scenario.training.seed);
    const ChannelState channel = channelModel.stateForRound(0);
    PolicyState state;
    state.scenario = &scenario;
    state.channel = &channel;
    Decision decision;
    if (!policy->decide(state, &decision, &error)) {
        plan.error = QObject::tr("policy %1 found no plan: %2").arg(policyName, error);
        return plan;
    }
    const ClusterDecision &cd = decision.clusters[std::size_t(cluster)];
    if (cd.mode == ClusterDecision::Mode::FederatedFull) {
        plan.error = QObject::tr("cluster %1: policy %2 trains every device alone (no pipeline)")
                         .arg(c.id, policyName);
        return plan;
    }
    for (std::size_t d = 0; d < c.devices.size(); ++d) {
        plan.deviceNames << deviceName(c.devices[d], int(d));
    }
    plan.title = QObject::tr("%1 · cluster %2 · %3, round 0")
                     .arg(scenario.name.isEmpty() ? QObject::tr("untitled") : scenario.name, c.id,
                         policyName);
    // The chain's times do not depend on the schedule (its order is timed below).
    ClusterDecision timed = cd;
    timed.schedule = PipelineSchedule::OneFOneB;
    std::vector<ChainTimes> chains;
    const ClusterCost cost = evaluateClusterChains(
        scenario, cluster, channel.clusters[std::size_t(cluster)], timed, &chains);
    if (chains.empty()) {
        plan.error = QObject::tr("cluster %1: the plan has no pipeline chain").arg(c.id);
        return plan;
    }
    plan.stageCount = int(chains.front().stages.size());
    plan.microbatches = cost.microbatches;
    for (const StageCost &st : cost.stages) {
        plan.stageDevice.push_back(st.device);
        plan.stageNames << QObject::tr("%1 · blocks %2–%3")
                               .arg(plan.deviceNames.value(st.device))
                               .arg(st.firstBlock)
                               .arg(st.lastBlock);
    }
    plan.linkNames << QObject::tr("CU → S0");
    for (int j = 1; j < plan.stageCount; ++j) {
        plan.linkNames << QObject::tr("S%1 → S%2").arg(j - 1).arg(j);
    }
    plan.linkNames << QObject::tr("S%1 → edge").arg(plan.stageCount - 1);
    plan.scenario = scenario;
    plan.decision = cd;
    plan.chain = chains.front();
    for (const LabScheduleKind &kind : schedules) {
        LabSchedule s;
        s.kind = kind;
        plan.schedules.push_back(std::move(s));
    }
    if (!retimeLabPlan(&plan, LabWhatIf(), &plan.error)) {
        plan.error = QObject::tr("cluster %1: %2").arg(c.id, plan.error);
        return plan;
    }
    plan.ok = true;
    return plan;
}

} // namespace collapipe
