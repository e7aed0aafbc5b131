// SPDX-License-Identifier: MIT
#include "ui/lab/lab_schedule_source.h"

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"
#include "core/pipeline/pipeline_recursion.h"

#include <QObject>

#include <algorithm>
#include <memory>

namespace collapipe {

namespace {

/// The one place a schedule is timed for the Lab. New schedules of core/pipeline whose timing
/// call differs from runPipeline() (e.g. interleaved chunks) branch here.
void timeSchedule(const ChainTimes &chain, PipelineSchedule schedule, int microbatches, int cluster,
    std::vector<TimelineEvent> *events, double *makespanS)
{
    *makespanS = runPipeline(chain, schedule, microbatches, events, cluster).makespanS;
    // Stable: equal starts keep the recursion's topological order (as core/cost/timeline.h).
    std::stable_sort(events->begin(), events->end(),
        [](const TimelineEvent &a, const TimelineEvent &b) { return a.startS < b.startS; });
}

/// The chain with links, the CU and the edge taking no time: only the devices' F and B remain.
ChainTimes computeOnlyChain(ChainTimes chain)
{
    chain.embedS = 0.0;
    chain.controlUnitSendS = 0.0;
    chain.decoderFwdS = 0.0;
    chain.decoderBwdS = 0.0;
    chain.edgeSendGradS = 0.0;
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
double bubbleOf(const std::vector<TimelineEvent> &events, int stages, double makespanS)
{
    if (stages <= 0 || makespanS <= 0.0) {
        return 0.0;
    }
    double busy = 0.0;
    for (const TimelineEvent &e : events) {
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
    return {{PipelineSchedule::GPipe, QStringLiteral("GPipe")},
        {PipelineSchedule::OneFOneB, QStringLiteral("1F1B")}};
}

std::vector<TimelineEvent> computeOps(const std::vector<TimelineEvent> &events)
{
    std::vector<TimelineEvent> ops;
    for (const TimelineEvent &e : events) {
        if (isCompute(e)) {
            ops.push_back(e);
        }
    }
    std::stable_sort(ops.begin(), ops.end(), [](const TimelineEvent &a, const TimelineEvent &b) {
        return a.startS < b.startS || (a.startS == b.startS && a.stage < b.stage);
    });
    return ops;
}

int stashedAt(const std::vector<TimelineEvent> &events, int stage, double t)
{
    int n = 0;
    for (const TimelineEvent &e : events) {
        if (e.stage != stage || !isCompute(e) || e.endS > t) {
            continue;
        }
        n += e.kind == EventKind::Forward ? 1 : -1;
    }
    return n;
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
    for (const LabScheduleKind &kind : schedules) {
        ClusterDecision timed = cd;
        timed.schedule = kind.schedule;
        std::vector<ChainTimes> chains;
        const ClusterCost cost = evaluateClusterChains(
            scenario, cluster, channel.clusters[std::size_t(cluster)], timed, &chains);
        if (chains.empty()) {
            plan.error = QObject::tr("cluster %1: the plan has no pipeline chain").arg(c.id);
            return plan;
        }
        plan.stageCount = int(chains.front().stages.size());
        plan.microbatches = cost.microbatches;
        if (plan.stageDevice.empty()) {
            for (const StageCost &st : cost.stages) {
                plan.stageDevice.push_back(st.device);
                plan.stageNames << QObject::tr("%1 · blocks %2–%3")
                                       .arg(plan.deviceNames.value(st.device))
                                       .arg(st.firstBlock)
                                       .arg(st.lastBlock);
            }
        }
        LabSchedule s;
        s.kind = kind;
        timeSchedule(
            chains.front(), kind.schedule, cost.microbatches, cluster, &s.withLinks, &s.makespanS);
        std::vector<TimelineEvent> all;
        timeSchedule(computeOnlyChain(chains.front()), kind.schedule, cost.microbatches, cluster,
            &all, &s.computeOnlyMakespanS);
        s.computeOnly = computeOps(all);
        s.computeOnlyMakespanS = 0.0;
        for (const TimelineEvent &e : s.computeOnly) {
            s.computeOnlyMakespanS = std::max(s.computeOnlyMakespanS, e.endS);
        }
        s.bubbleWithLinks = bubbleOf(s.withLinks, plan.stageCount, s.makespanS);
        s.bubbleComputeOnly = bubbleOf(s.computeOnly, plan.stageCount, s.computeOnlyMakespanS);
        s.peakStashed.assign(std::size_t(plan.stageCount), 0);
        for (const TimelineEvent &e : s.computeOnly) {
            if (e.kind == EventKind::Forward && e.stage >= 0 && e.stage < plan.stageCount) {
                s.peakStashed[std::size_t(e.stage)] = std::max(
                    s.peakStashed[std::size_t(e.stage)], stashedAt(s.computeOnly, e.stage, e.endS));
            }
        }
        plan.schedules.push_back(std::move(s));
    }
    plan.ok = true;
    return plan;
}

} // namespace collapipe
