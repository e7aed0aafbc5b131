// SPDX-License-Identifier: MIT
// `collapipe plan FILE --policy NAME [--schedule S] [--round R] [--seed S] [--set k=v] [--json]`:
// one decision of a policy and its predicted costs (issue [2/6]); JSON keys are a stable contract
// (README, tests/plan/plan_contract.h rebuilds the makespan, latency and energy from them).
#include "cli_args.h"
#include "cli_scenario.h"
#include "command_registry.h"
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/policy.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <limits>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_plan {
namespace {

QString scheduleText(const ClusterCost &c)
{
    return QString::fromUtf8(scheduleName(c.schedule));
}

QString modeName(ClusterDecision::Mode m)
{
    switch (m) {
    case ClusterDecision::Mode::Pipeline:
        return QStringLiteral("pipeline");
    case ClusterDecision::Mode::FederatedFull:
        return QStringLiteral("federated_full");
    case ClusterDecision::Mode::EdgeTail:
        return QStringLiteral("edge_tail");
    }
    return {};
}

/// First encoder block the edge server runs for this cluster (edge tail), or −1 for none.
int edgeFirstBlock(const Scenario &s, const ClusterCost &c)
{
    if (c.mode != ClusterDecision::Mode::EdgeTail) {
        return -1;
    }
    int next = 0;
    for (const StageCost &st : c.stages) {
        next = std::max(next, st.lastBlock + 1);
    }
    return next < s.model.encoderBlocks ? next : -1;
}

QJsonObject planJson(const Scenario &s, const QString &policy, int round, const RoundCost &cost)
{
    QJsonArray clusters;
    for (const ClusterCost &c : cost.clusters) {
        const Cluster &cl = s.topology.clusters[c.cluster];
        QJsonArray stages;
        for (const StageCost &st : c.stages) {
            stages.append(QJsonObject{
                {QStringLiteral("device"), cl.devices[st.device].id},
                {QStringLiteral("device_index"), st.device},
                {QStringLiteral("stage"), st.stage},
                {QStringLiteral("first_block"), st.firstBlock},
                {QStringLiteral("last_block"), st.lastBlock},
                {QStringLiteral("bandwidth_share"), st.bandwidthShare},
                {QStringLiteral("power_w"), st.powerW},
                {QStringLiteral("rate_bps"), st.rateBps},
                {QStringLiteral("grad_rate_bps"), st.gradRateBps},
                {QStringLiteral("snr_db"), st.snrDb},
                {QStringLiteral("distance_m"), st.distanceM},
                {QStringLiteral("t_fwd_s"), st.tFwdS},
                {QStringLiteral("t_bwd_s"), st.tBwdS},
                {QStringLiteral("t_send_s"), st.tSendS},
                {QStringLiteral("t_send_grad_s"), st.tSendGradS},
                {QStringLiteral("t_edge_send_grad_s"), st.tEdgeGradS},
                {QStringLiteral("busy_s"), st.busyS},
                {QStringLiteral("tx_s"), st.txS},
                {QStringLiteral("inflight_microbatches"), st.inflight},
                {QStringLiteral("memory_bytes"), st.memoryBytes},
                {QStringLiteral("memory_capacity_bytes"), st.memoryCapacityBytes},
                {QStringLiteral("energy_j"), st.energyJ},
            });
        }
        clusters.append(QJsonObject{
            {QStringLiteral("id"), cl.id},
            {QStringLiteral("mode"), modeName(c.mode)},
            {QStringLiteral("schedule"), scheduleText(c)},
            {QStringLiteral("interleave"), c.interleave},
            {QStringLiteral("microbatches"), c.microbatches},
            {QStringLiteral("microbatch_size"), c.microbatchSize},
            {QStringLiteral("samples"), c.samples},
            {QStringLiteral("makespan_s"), c.makespanS},
            {QStringLiteral("bubble_fraction"), c.bubbleFraction},
            {QStringLiteral("computation_efficiency"), c.computationEfficiency},
            {QStringLiteral("upload_s"), c.uploadS},
            {QStringLiteral("latency_s"), c.latencyS},
            {QStringLiteral("energy_j"), c.energyJ},
            // What the stages do not carry, so the makespan can be rebuilt (core/MODEL.md
            // "Pipeline recursion"): per micro-batch, seconds.
            {QStringLiteral("control_unit_share"), c.controlUnitShare},
            {QStringLiteral("control_unit_power_w"), c.controlUnitPowerW},
            {QStringLiteral("embed_s"), c.embedS},
            {QStringLiteral("control_unit_send_s"), c.controlUnitSendS},
            {QStringLiteral("edge_fwd_s"), c.edgeFwdS},
            {QStringLiteral("edge_bwd_s"), c.edgeBwdS},
            {QStringLiteral("edge_send_grad_s"), c.edgeSendGradS},
            // Chunked schedules' extra hops (0 otherwise): interleaved last → first stage and
            // back, ZB-V stage 0 → edge and back.
            {QStringLiteral("wrap_send_s"), c.wrapSendS},
            {QStringLiteral("wrap_send_grad_s"), c.wrapGradS},
            {QStringLiteral("first_stage_edge_send_s"), c.firstStageEdgeSendS},
            {QStringLiteral("edge_first_stage_send_grad_s"), c.edgeFirstStageGradS},
            {QStringLiteral("control_unit_tx_s"), c.controlUnitTxS},
            {QStringLiteral("control_unit_energy_j"), c.controlUnitEnergyJ},
            {QStringLiteral("edge_first_block"), edgeFirstBlock(s, c)},
            {QStringLiteral("edge_last_block"),
                edgeFirstBlock(s, c) < 0 ? -1 : s.model.encoderBlocks - 1},
            {QStringLiteral("edge_memory_bytes"), c.edgeMemoryBytes},
            {QStringLiteral("stages"), stages},
        });
    }
    return QJsonObject{
        {QStringLiteral("policy"), policy},
        {QStringLiteral("round"), round},
        {QStringLiteral("local_iterations"), std::max(1, s.training.localIterations)},
        {QStringLiteral("encoder_blocks"), s.model.encoderBlocks},
        {QStringLiteral("system_latency_s"), cost.systemLatencyS},
        {QStringLiteral("aggregation_s"), cost.aggregationS},
        {QStringLiteral("energy_j"), cost.energyJ},
        {QStringLiteral("clusters"), clusters},
    };
}

void printTable(
    QTextStream &out, const Scenario &s, const QString &policy, int round, const RoundCost &cost)
{
    out << "plan: policy " << escapeControlCharacters(policy) << ", round " << round
        << ", system latency " << QString::number(cost.systemLatencyS, 'g', 5) << " s (aggregation "
        << QString::number(cost.aggregationS, 'g', 4) << " s), energy "
        << QString::number(cost.energyJ, 'g', 5) << " J\n";
    for (const ClusterCost &c : cost.clusters) {
        const Cluster &cl = s.topology.clusters[c.cluster];
        out << "\ncluster " << escapeControlCharacters(cl.id) << ": " << modeName(c.mode) << ' '
            << scheduleText(c)
            << (c.schedule == ScheduleKind::Interleaved ? QStringLiteral(" v=%1").arg(c.interleave)
                                                        : QString())
            << ", M=" << c.microbatches << " b=" << c.microbatchSize << ", makespan "
            << QString::number(c.makespanS, 'g', 5) << " s, bubble "
            << QString::number(c.bubbleFraction, 'f', 3) << ", efficiency "
            << QString::number(c.computationEfficiency, 'f', 3) << ", upload "
            << QString::number(c.uploadS, 'g', 4) << " s, latency "
            << QString::number(c.latencyS, 'g', 5) << " s\n";
        out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                   .arg(QStringLiteral("device"), -14)
                   .arg(QStringLiteral("blocks"), -7)
                   .arg(QStringLiteral("beta"), 6)
                   .arg(QStringLiteral("p[W]"), 6)
                   .arg(QStringLiteral("rate[Mb/s]"), 11)
                   .arg(QStringLiteral("fwd[ms]"), 9)
                   .arg(QStringLiteral("bwd[ms]"), 9)
                   .arg(QStringLiteral("mem[GB]"), 13)
                   .arg(QStringLiteral("E[J]"), 9);
        for (const StageCost &st : c.stages) {
            const QString mem = QStringLiteral("%1/%2")
                                    .arg(st.memoryBytes / 1e9, 0, 'f', 2)
                                    .arg(st.memoryCapacityBytes / 1e9, 0, 'f', 1);
            out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                       .arg(escapeControlCharacters(cl.devices[st.device].id), -14)
                       .arg(QStringLiteral("%1-%2").arg(st.firstBlock).arg(st.lastBlock), -7)
                       .arg(st.bandwidthShare, 6, 'f', 3)
                       .arg(st.powerW, 6, 'f', 3)
                       .arg(st.rateBps / 1e6, 11, 'f', 2)
                       .arg(st.tFwdS * 1e3, 9, 'f', 2)
                       .arg(st.tBwdS * 1e3, 9, 'f', 2)
                       .arg(mem, 13)
                       .arg(st.energyJ, 9, 'f', 3);
        }
        if (c.controlUnitTxS > 0.0) {
            out << QStringLiteral("  %1 share %2, sends %3 s + upload %4 s at %5 W: %6 J\n")
                       .arg(cl.controlUnit.id, -14)
                       .arg(c.controlUnitShare, 0, 'f', 3)
                       .arg(c.controlUnitTxS - c.uploadS, 0, 'g', 4)
                       .arg(c.uploadS, 0, 'g', 4)
                       .arg(c.controlUnitPowerW, 0, 'f', 3)
                       .arg(c.controlUnitEnergyJ, 0, 'f', 3);
        }
        if (const int edge = edgeFirstBlock(s, c); edge >= 0) {
            out << QStringLiteral("  %1 %2 %3 of the cluster's share of the server\n")
                       .arg(QStringLiteral("edge server"), -14)
                       .arg(QStringLiteral("%1-%2").arg(edge).arg(s.model.encoderBlocks - 1), -7)
                       .arg(QStringLiteral("mem %1 GB").arg(c.edgeMemoryBytes / 1e9, 0, 'f', 2));
        }
    }
}

const char kUsage[] = R"(usage: collapipe plan FILE --policy NAME [options]

Asks a policy for one round's decision on the scenario's channel of round R and prints the
predicted per-stage latency, memory and energy and the round's latency; --json prints JSON.
options:
  --policy NAME       decision policy (required; sets optimizer.policy)
  --schedule S        pipeline schedule gpipe, 1f1b, interleaved, zb-h1, zb-v or auto (DSSDA chooses)
                      (optimizer.schedule; default: the scenario's)
  --round R           round whose channel is drawn (default 0)
  --seed S            seed of the channel (training.seed; default: the scenario's)
  --set key=value     change any scenario field first, by its JSON path, exactly as run --set;
                      repeatable (every key with its unit and range: collapipe validate --fields)
  --json              print JSON (stable keys, see README)
exit codes: 0 ok, 1 the policy found no feasible decision, 2 bad input
)";

int runPlan(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption(QCommandLineOption(
        {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("show this help")));
    for (const char *name : {"policy", "schedule", "round", "seed", "set"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    parser.addOption(QCommandLineOption(QStringLiteral("json")));
    if (!parseArgs(&parser, QStringLiteral("plan"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage << "policies: " << policyNames().join(QStringLiteral(", ")) << '\n';
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    const QString policyName = parser.value(QStringLiteral("policy"));
    if (files.size() != 1 || policyName.isEmpty()) {
        err << "collapipe plan: expected one FILE and --policy NAME (see collapipe plan --help)\n";
        return ExitBadInput;
    }
    const QString file = files.first();
    QString error;
    int round = 0;
    if (parser.isSet(QStringLiteral("round"))
        && !parseInt(QStringLiteral("--round"), parser.value(QStringLiteral("round")), 0,
            std::numeric_limits<int>::max(), &round, &error)) {
        err << "collapipe plan: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    std::unique_ptr<Policy> policy = makePolicy(policyName, &error);
    if (!policy) {
        err << "collapipe plan: --policy: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    std::vector<SetAssignment> sets;
    const QStringList shortcuts{
        QStringLiteral("policy"), QStringLiteral("schedule"), QStringLiteral("seed")};
    if (!collectScenarioSets(parser, shortcuts, &sets, &error)) {
        err << "collapipe plan: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    Scenario scenario;
    QStringList problems;
    if (!loadScenarioWithSets(file, sets, &scenario, &problems)) {
        err << "collapipe plan: " << escapeControlCharacters(file) << ": " << problems.size()
            << (problems.size() == 1 ? " problem\n" : " problems\n");
        for (const QString &p : problems) {
            err << "  " << p << '\n';
        }
        return ExitBadInput;
    }
    ChannelModel channelModel(scenario.topology, scenario.training.seed);
    const ChannelState channel = channelModel.stateForRound(round);
    PolicyState state;
    state.round = round;
    state.scenario = &scenario;
    state.channel = &channel;
    Decision decision;
    if (!policy->decide(state, &decision, &error)) {
        err << "collapipe plan: policy " << escapeControlCharacters(policyName) << ": "
            << escapeControlCharacters(error) << '\n';
        return ExitRunFailed;
    }
    const RoundCost cost = evaluateRound(scenario, channel, decision);
    // A decision that is not checked for links (uniform, proportional) can cost an infinite
    // time; say why instead of printing "inf" (or JSON null) as a plan.
    for (const ClusterCost &c : cost.clusters) {
        if (!std::isfinite(c.latencyS)) {
            err << "collapipe plan: policy " << escapeControlCharacters(policyName)
                << ": the decision's latency is not finite; "
                << escapeControlCharacters(infeasibleClusterMessage(
                       scenario, c.cluster, channel.clusters[std::size_t(c.cluster)]))
                << '\n';
            return ExitRunFailed;
        }
    }
    if (parser.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(planJson(scenario, policyName, round, cost))
                   .toJson(QJsonDocument::Indented);
    } else {
        printTable(out, scenario, policyName, round, cost);
    }
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("plan"),
    QStringLiteral("one decision of a policy and its predicted latency, memory, energy"), runPlan);

} // namespace
} // namespace collapipe::cli::verb_plan
