// SPDX-License-Identifier: MIT
// Churn and deadlines in the round (core/MODEL.md "Churn", "Deadline").
#include "core/sim/churn_round.h"

#include "core/channel/channel_model.h"
#include "core/cost/cost_terms.h"
#include "core/sim/present_decision.h"
#include "core/sim/step_round.h"

#include <algorithm>

namespace collapipe {

namespace {

Presence everyone(const Scenario &scenario)
{
    Presence present(scenario.topology.clusters.size());
    for (std::size_t n = 0; n < present.size(); ++n) {
        present[n].assign(scenario.topology.clusters[n].devices.size(), 1);
    }
    return present;
}

bool hasBattery(const Scenario &scenario)
{
    for (const Cluster &c : scenario.topology.clusters) {
        for (const Device &d : c.devices) {
            if (d.batteryJ > 0.0) {
                return true;
            }
        }
    }
    return false;
}

ClusterChannel subChannel(const ClusterChannel &full, const std::vector<int> &devices)
{
    const int k = int(devices.size());
    auto node = [&](int i) { return i < k ? devices[std::size_t(i)] : full.deviceCount; };
    ClusterChannel sub;
    sub.deviceCount = k;
    sub.edgeSharing = full.edgeSharing;
    sub.d2dGain.resize(std::size_t((k + 1) * (k + 1)));
    sub.d2dDistanceM.resize(sub.d2dGain.size());
    // One allocation per table (a fail-over builds a view per pass).
    sub.d2eGain.reserve(std::size_t(k + 1));
    sub.d2eDistanceM.reserve(std::size_t(k + 1));
    if (!full.positions.empty()) {
        sub.positions.reserve(std::size_t(k + 1));
    }
    if (!full.d2eMeanGain.empty()) {
        sub.d2eMeanGain.reserve(std::size_t(k + 1));
    }
    for (int i = 0; i <= k; ++i) {
        for (int j = 0; j <= k; ++j) {
            // Through the accessors: a very large cluster's links are computed, not tabulated.
            const bool self = i == j;
            sub.d2dGain[std::size_t(i * (k + 1) + j)] = self ? 0.0 : full.gain(node(i), node(j));
            sub.d2dDistanceM[std::size_t(i * (k + 1) + j)]
                = self ? 0.0 : full.distance(node(i), node(j));
        }
        sub.d2eGain.push_back(full.d2eGain[std::size_t(node(i))]);
        sub.d2eDistanceM.push_back(full.d2eDistanceM[std::size_t(node(i))]);
        if (!full.positions.empty()) {
            sub.positions.push_back(full.positions[std::size_t(node(i))]);
        }
        if (!full.d2eMeanGain.empty()) {
            sub.d2eMeanGain.push_back(full.d2eMeanGain[std::size_t(node(i))]);
        }
    }
    return sub;
}

/// The device of `decision` that now holds encoder block `block` (the re-transferred segment's
/// new home); the first stage's device when the edge runs it; −1 without stages.
int holderOf(const ClusterDecision &decision, int block)
{
    for (const StageDecision &st : decision.stages) {
        if (block >= st.firstBlock && block <= st.lastBlock) {
            return st.device;
        }
    }
    return decision.stages.empty() ? -1 : decision.stages.front().device;
}

struct Dropout
{
    int firstBlock = 0;
    int blocks = 0;
};

} // namespace

bool ChurnRound::everyoneAggregated() const
{
    return std::find(aggregated.begin(), aggregated.end(), char(0)) == aggregated.end();
}

namespace {

std::vector<char> clusterPresence(const Scenario &scenario, AvailabilityModel *availability,
    const std::vector<std::vector<double>> &spentJ, std::size_t n, double timeS)
{
    const std::vector<Device> &devices = scenario.topology.clusters[n].devices;
    std::vector<char> present(devices.size(), 1);
    for (std::size_t k = 0; k < devices.size(); ++k) {
        const double battery = devices[k].batteryJ;
        const bool charged = battery <= 0.0 || n >= spentJ.size() || k >= spentJ[n].size()
            || spentJ[n][k] < battery;
        const bool up = !availability || availability->isUp(int(n), int(k), timeS);
        present[k] = char(charged && up);
    }
    return present;
}

} // namespace

Presence presenceAt(const Scenario &scenario, AvailabilityModel *availability,
    const std::vector<std::vector<double>> &spentJ, double timeS)
{
    Presence present(scenario.topology.clusters.size());
    for (std::size_t n = 0; n < present.size(); ++n) {
        present[n] = clusterPresence(scenario, availability, spentJ, n, timeS);
    }
    return present;
}

PresentView makePresentView(const Scenario &scenario, const ChannelState &channel,
    const std::vector<std::vector<double>> &energyQueues,
    const std::vector<double> &convergenceQueues, const Decision *previous, const Presence &present,
    const std::vector<int> &clusters, const Decision *aborted)
{
    PresentView view;
    view.hasAborted = aborted != nullptr;
    view.channel.round = channel.round;
    const auto &all = scenario.topology.clusters;
    if (clusters.empty()) {
        for (std::size_t n = 0; n < all.size(); ++n) {
            view.clusterIndex.push_back(int(n));
        }
    } else {
        view.clusterIndex = clusters;
    }
    // Everything but the clusters is shared; the clusters are copied one by one below.
    view.scenario.name = scenario.name;
    view.scenario.description = scenario.description;
    view.scenario.topology.edgeServers = scenario.topology.edgeServers;
    view.scenario.topology.d2d = scenario.topology.d2d;
    view.scenario.topology.d2e = scenario.topology.d2e;
    view.scenario.model = scenario.model;
    view.scenario.training = scenario.training;
    view.scenario.optimizer = scenario.optimizer;
    const std::size_t count = view.clusterIndex.size();
    view.scenario.topology.clusters.reserve(count);
    view.channel.clusters.reserve(count);
    view.fullIndex.resize(count);
    view.satOut.assign(count, 0);
    view.energyQueues.resize(count);
    for (std::size_t v = 0; v < count; ++v) {
        const std::size_t n = std::size_t(view.clusterIndex[v]);
        const Cluster &cluster = all[n];
        std::vector<int> &keep = view.fullIndex[v];
        for (std::size_t k = 0; k < cluster.devices.size(); ++k) {
            if (present[n][k]) {
                keep.push_back(int(k));
            }
        }
        if (keep.empty()) {
            // Planned over all its devices so the policy sees a valid cluster; the decision is
            // dropped afterwards (planRoundWithChurn).
            view.satOut[v] = 1;
            for (std::size_t k = 0; k < cluster.devices.size(); ++k) {
                keep.push_back(int(k));
            }
        }
        std::vector<int> viewIndex(cluster.devices.size(), -1);
        Cluster cut;
        cut.devices.reserve(keep.size());
        view.energyQueues[v].reserve(keep.size());
        cut.id = cluster.id;
        cut.name = cluster.name;
        cut.edgeServerId = cluster.edgeServerId;
        cut.controlUnit = cluster.controlUnit;
        for (std::size_t i = 0; i < keep.size(); ++i) {
            const std::size_t k = std::size_t(keep[i]);
            viewIndex[k] = int(i);
            cut.devices.push_back(cluster.devices[k]);
            if (n < energyQueues.size() && k < energyQueues[n].size()) {
                view.energyQueues[v].push_back(energyQueues[n][k]);
            }
        }
        view.scenario.topology.clusters.push_back(std::move(cut));
        view.channel.clusters.push_back(subChannel(channel.clusters[n], keep));
        if (n < convergenceQueues.size()) {
            view.convergenceQueues.push_back(convergenceQueues[n]);
        }
        // The previous decision only warm-starts a policy, the aborted plan is what a repair
        // keeps: in both, stages on devices that left go.
        auto onPresentDevices = [&](const Decision &d) {
            ClusterDecision kept = n < d.clusters.size() ? d.clusters[n] : ClusterDecision{};
            std::vector<StageDecision> stages;
            for (StageDecision st : kept.stages) {
                if (st.device >= 0 && std::size_t(st.device) < viewIndex.size()
                    && viewIndex[std::size_t(st.device)] >= 0) {
                    st.device = viewIndex[std::size_t(st.device)];
                    stages.push_back(st);
                }
            }
            kept.stages = std::move(stages);
            return kept;
        };
        if (previous) {
            view.previous.clusters.push_back(onPresentDevices(*previous));
        }
        if (aborted) {
            view.aborted.clusters.push_back(onPresentDevices(*aborted));
        }
    }
    return view;
}

void decisionToFullIndices(const PresentView &view, Decision *decision)
{
    for (std::size_t v = 0; v < decision->clusters.size() && v < view.fullIndex.size(); ++v) {
        for (StageDecision &st : decision->clusters[v].stages) {
            st.device = view.fullIndex[v][std::size_t(st.device)];
        }
    }
}

namespace {

/// Applies the lost time, recovery and extra energy of each cluster, drops the sat-out clusters'
/// plans, and the deadline (core/MODEL.md "Deadline"); recombines the round's cost.
void finishPlan(const Scenario &scenario, const ChannelState &channel,
    const std::vector<double> &offsetS, const std::vector<double> &controlUnitExtraJ,
    RoundPlan *plan, ChurnRound *churn)
{
    const double deadline = scenario.training.deadlineS;
    bool changed = false;
    for (std::size_t n = 0; n < plan->cost.clusters.size(); ++n) {
        ClusterCost &cc = plan->cost.clusters[n];
        double extraJ = controlUnitExtraJ[n];
        for (double e : churn->extraEnergyJ[n]) {
            extraJ += e;
        }
        if (churn->satOut[n]) {
            ClusterCost idle = idleClusterCost(int(n), plan->decision.clusters[n]);
            idle.energyJ = extraJ;
            idle.controlUnitEnergyJ = controlUnitExtraJ[n];
            cc = std::move(idle);
            churn->droppedStages[n] = std::move(plan->decision.clusters[n].stages);
            plan->decision.clusters[n].stages.clear();
            plan->edgeCut[n] = -1;
            if (plan->hasTimelines()) {
                plan->timelines[n].events.clear();
            }
            churn->aggregated[n] = 0;
            changed = true;
            continue;
        }
        if (offsetS[n] > 0.0 || churn->dropouts[n] > 0) {
            cc.latencyS += offsetS[n];
            cc.split.bubbleS += churn->lostS[n];  // work that produced nothing
            cc.split.d2dS += churn->recoveryS[n]; // the dropped segments sent again
            cc.energyJ += extraJ;
            cc.controlUnitEnergyJ += controlUnitExtraJ[n];
            if (plan->hasTimelines()) {
                for (TimelineEvent &e : plan->timelines[n].events) {
                    e.startS += offsetS[n];
                    e.endS += offsetS[n];
                }
            }
            changed = true;
        }
        if (deadline > 0.0 && cc.latencyS > deadline) {
            churn->aggregated[n] = 0;
            changed = true;
        }
    }
    if (!changed) {
        return;
    }
    plan->cost = combineClusters(scenario, channel, plan->decision, std::move(plan->cost.clusters));
    if (deadline <= 0.0 || plan->cost.systemLatencyS - plan->cost.aggregationS <= deadline) {
        return;
    }
    // A cluster missed the deadline: the server aggregates at the deadline, not when the late
    // cluster would have finished. The split is the slowest on-time cluster's, waiting included.
    int slowest = -1;
    for (std::size_t n = 0; n < plan->cost.clusters.size(); ++n) {
        const ClusterCost &cc = plan->cost.clusters[n];
        if (churn->aggregated[n]
            && (slowest < 0 || cc.latencyS > plan->cost.clusters[std::size_t(slowest)].latencyS)) {
            slowest = int(n);
        }
    }
    LatencySplit split;
    double busyS = 0.0;
    if (slowest >= 0) {
        split = plan->cost.clusters[std::size_t(slowest)].split;
        busyS = plan->cost.clusters[std::size_t(slowest)].latencyS;
        plan->cost.slowestCluster = slowest;
    }
    split.bubbleS += deadline - busyS;
    split.aggregationS = plan->cost.aggregationS;
    plan->cost.split = split;
    plan->cost.systemLatencyS = deadline + plan->cost.aggregationS;
}

} // namespace

bool planRoundWithChurn(const Scenario &scenario, const ChannelState &channel,
    AvailabilityModel *availability, const RoundState &state, const DecideFn &decide,
    bool withTimelines, RoundPlan *plan, ChurnRound *churn, QString *error)
{
    const auto &clusters = scenario.topology.clusters;
    const std::size_t count = clusters.size();
    const double t0 = state.simTimeS;
    ChurnRound &c = *churn;
    const bool moving = availability && availability->varies();
    c.present = moving || hasBattery(scenario)
        ? presenceAt(scenario, availability, state.spentJ, t0)
        : everyone(scenario);
    c.aggregated.assign(count, 1);
    c.dropouts.assign(count, 0);
    c.lostS.assign(count, 0.0);
    c.recoveryS.assign(count, 0.0);
    c.extraEnergyJ.resize(count);
    for (std::size_t n = 0; n < count; ++n) {
        c.extraEnergyJ[n].assign(clusters[n].devices.size(), 0.0);
    }
    // The round's decisions so far: a fail-over that re-plans a cluster over devices it was
    // already decided for takes that decision (present_decision.h).
    RoundDecisions decided;
    Decision decision;
    if (!decideOverPresent(scenario, channel, state, decide, c.present, {}, &decision, &c.satOut,
            &c.satOutReason, error, &decided)) {
        return false;
    }
    *plan = buildRoundPlan(scenario, channel, std::move(decision), withTimelines, &c.satOut);
    std::vector<double> offsetS(count, 0.0);
    std::vector<double> controlUnitExtraJ(count, 0.0);
    std::size_t devices = 0;
    for (const Cluster &cluster : clusters) {
        devices += cluster.devices.size();
    }
    // Each pass fails over every cluster whose plan loses a device before it ends; a device
    // leaves at most once per pass, so `devices` passes bound the loop.
    for (std::size_t pass = 0; moving && pass < devices; ++pass) {
        std::vector<Dropout> dropped(count);
        std::vector<char> affected(count, 0);
        bool any = false;
        for (std::size_t n = 0; n < count; ++n) {
            if (c.satOut[n]) {
                continue;
            }
            const ClusterCost &cc = plan->cost.clusters[n];
            const double start = t0 + offsetS[n];
            double earliest = kNever;
            const StageCost *who = nullptr;
            for (const StageCost &st : cc.stages) {
                const double down = availability->isUp(int(n), st.device, start)
                    ? availability->nextDownS(int(n), st.device, start, start + cc.latencyS)
                    : start;
                if (down < earliest) {
                    earliest = down;
                    who = &st;
                }
            }
            if (!who) {
                continue;
            }
            // The attempt is abandoned at the dropout: its time and a matching share of its
            // energy are charged (compute and radio spread evenly over the round).
            const double lost = earliest - start;
            const double share = cc.latencyS > 0.0 ? lost / cc.latencyS : 0.0;
            for (const StageCost &st : cc.stages) {
                c.extraEnergyJ[n][std::size_t(st.device)] += st.energyJ * share;
            }
            controlUnitExtraJ[n] += cc.controlUnitEnergyJ * share;
            c.lostS[n] += lost;
            offsetS[n] += lost;
            ++c.dropouts[n];
            dropped[n] = {who->firstBlock, who->blocks};
            affected[n] = 1;
            any = true;
        }
        if (!any) {
            break;
        }
        // Re-plan each affected cluster (only those) over the devices up when it re-plans; the
        // policy is handed the aborted plan to repair (optimizer.failover, DSSDA.md
        // "Fail-over").
        Presence present = c.present;
        std::vector<int> replanned;
        for (std::size_t n = 0; n < count; ++n) {
            if (affected[n]) {
                present[n]
                    = clusterPresence(scenario, availability, state.spentJ, n, t0 + offsetS[n]);
                replanned.push_back(int(n));
            }
        }
        Decision redo;
        std::vector<char> satOut;
        std::vector<QString> reasons;
        if (!decideOverPresent(scenario, channel, state, decide, present, replanned, &redo, &satOut,
                &reasons, error, &decided, &plan->decision)) {
            return false;
        }
        Decision merged = plan->decision;
        for (std::size_t v = 0; v < replanned.size(); ++v) {
            const std::size_t n = std::size_t(replanned[v]);
            if (satOut[v]) {
                c.satOut[n] = 1;
                c.satOutReason[n] = reasons[v];
            } else {
                merged.clusters[n] = std::move(redo.clusters[v]);
            }
        }
        if (withTimelines) {
            *plan = buildRoundPlan(scenario, channel, std::move(merged), true, &c.satOut);
        } else {
            // Cost only: only the re-planned clusters change; finishPlan() recombines the round
            // (and idles the ones that now sit out).
            plan->decision = std::move(merged);
            for (int n : replanned) {
                const std::size_t i = std::size_t(n);
                if (c.satOut[i]) {
                    continue;
                }
                plan->cost.clusters[i]
                    = evaluateCluster(scenario, n, channel.clusters[i], plan->decision.clusters[i]);
                plan->edgeCut[i] = edgeTailCut(plan->decision.clusters[i]);
            }
        }
        // Recovery: the control unit (which broadcast the round's model) sends the dropped
        // segment's weights to the device that now holds its first block, over the whole D2D
        // band at its power: the pipeline is stopped meanwhile.
        for (std::size_t n = 0; n < count; ++n) {
            if (!affected[n] || c.satOut[n]) {
                continue;
            }
            const ClusterChannel &ch = channel.clusters[n];
            const int holder = holderOf(plan->decision.clusters[n], dropped[n].firstBlock);
            const double powerW = clusters[n].controlUnit.maxPowerW;
            const double rate = holder < 0
                ? 0.0
                : shannonRateBps(scenario.topology.d2d.bandwidthHz, powerW,
                    ch.gain(ch.controlUnitNode(), holder), scenario.topology.d2d.noisePsdDbmPerHz);
            const double bytes = uploadBytes(
                scenario.model.profiled, dropped[n].blocks, scenario.model.bytesPerElement);
            const double recovery = holder < 0 ? 0.0 : transferTimeS(bytes, rate);
            c.recoveryS[n] += recovery;
            offsetS[n] += recovery;
            controlUnitExtraJ[n] += powerW * recovery;
        }
    }
    c.droppedStages.assign(count, {});
    finishPlan(scenario, channel, offsetS, controlUnitExtraJ, plan, churn);
    c.offsetS = std::move(offsetS);
    return true;
}

void addChurnEnergy(const ChurnRound &churn, std::vector<std::vector<double>> *energyJ)
{
    for (std::size_t n = 0; n < churn.extraEnergyJ.size() && n < energyJ->size(); ++n) {
        for (std::size_t k = 0; k < churn.extraEnergyJ[n].size() && k < (*energyJ)[n].size(); ++k) {
            (*energyJ)[n][k] += churn.extraEnergyJ[n][k];
        }
    }
}

void recordChurn(const ChurnRound &churn, RoundRecord *record)
{
    for (ClusterRound &cr : record->clusters) {
        const std::size_t n = std::size_t(cr.cluster);
        if (n < churn.aggregated.size()) {
            cr.aggregated = churn.aggregated[n] != 0;
            cr.satOut = churn.satOut[n] != 0;
            cr.satOutReason = n < churn.satOutReason.size() ? churn.satOutReason[n] : QString();
            cr.dropouts = churn.dropouts[n];
            cr.lostS = churn.lostS[n];
            cr.recoveryS = churn.recoveryS[n];
        }
    }
    for (DeviceRound &dr : record->devices) {
        const std::size_t n = std::size_t(dr.cluster), k = std::size_t(dr.device);
        if (n < churn.present.size() && k < churn.present[n].size()) {
            dr.present = churn.present[n][k] != 0;
        }
        if (n < churn.extraEnergyJ.size() && k < churn.extraEnergyJ[n].size()) {
            dr.energyJ += churn.extraEnergyJ[n][k];
        }
    }
}

} // namespace collapipe
