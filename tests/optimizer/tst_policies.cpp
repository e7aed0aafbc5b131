// SPDX-License-Identifier: MIT
// Every optimizer policy behind the same interface (issue [3/6]): memory is never violated by a
// policy that claims feasibility, infeasibility is reported with names and bytes, DSSDA is never
// slower than the baselines on the bundled default scenario, the oracle refuses large inputs.
#include "bundled_scenario.h"
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/baseline_policies.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/oracle_policy.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"
#include "core/scenario/scenario_json.h"
#include "optimizer_fixtures.h"

#include <QTest>

#include <memory>
#include <random>

using namespace collapipe;

namespace {

std::vector<std::unique_ptr<Policy>> allPolicies(bool withOracle)
{
    std::vector<std::unique_ptr<Policy>> p;
    p.push_back(std::make_unique<DssdaPolicy>());
    p.push_back(std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::Myopic));
    p.push_back(std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::FixedM));
    p.push_back(std::make_unique<DssdaPolicy>(DssdaPolicy::Variant::EqualBandwidth));
    p.push_back(std::make_unique<FederatedFullPolicy>());
    p.push_back(std::make_unique<SplitFixedCutPolicy>());
    p.push_back(std::make_unique<UniformPolicy>());
    p.push_back(std::make_unique<ProportionalPolicy>());
    if (withOracle) {
        OracleOptions coarse;
        coarse.bandwidthSteps = 8;
        coarse.powerLevels = 3;
        p.push_back(std::make_unique<OraclePolicy>(coarse));
    }
    return p;
}

} // namespace

class TestPolicies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryNeverViolated()
    {
        int feasibleClaims = 0;
        int infeasible = 0;
        for (int i = 0; i < 24; ++i) {
            testing::DeviceRanges ranges;
            ranges.memoryLo = 0.15e9 + 0.05e9 * (i % 4); // from 1 block per device upwards
            ranges.memoryHi = ranges.memoryLo + 0.6e9;
            const int K = 2 + i % 3;
            const int L = 4 + i % 5;
            Scenario s = testing::randomScenario(300 + i, 2, K, L, ranges);
            s.optimizer.schedule = i % 2 ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB;
            s.optimizer.microbatchMode = i % 3 ? MicrobatchMode::Split : MicrobatchMode::Count;
            s.optimizer.maxMicrobatches = 4;
            s.training.batchSize = 8;
            ChannelModel channels(s.topology, i);
            const ChannelState ch = channels.stateForRound(0);
            std::vector<std::vector<double>> queues(2, std::vector<double>(std::size_t(K), 3.0));
            PolicyState state;
            state.scenario = &s;
            state.channel = &ch;
            state.energyQueues = &queues;
            for (auto &policy : allPolicies(true)) {
                Decision d;
                QString error;
                if (!policy->decide(state, &d, &error)) {
                    ++infeasible;
                    QVERIFY2(error.contains(QStringLiteral("infeasible")),
                        qPrintable(policy->name() + QStringLiteral(": ") + error));
                    continue;
                }
                ++feasibleClaims;
                const RoundCost cost = evaluateRound(s, ch, d);
                QCOMPARE(cost.clusters.size(), s.topology.clusters.size());
                for (const ClusterCost &c : cost.clusters) {
                    for (const StageCost &st : c.stages) {
                        QVERIFY2(st.memoryBytes <= st.memoryCapacityBytes,
                            qPrintable(
                                QStringLiteral("%1, instance %2: device %3 uses %4 B of %5 B")
                                    .arg(policy->name())
                                    .arg(i)
                                    .arg(st.device)
                                    .arg(st.memoryBytes)
                                    .arg(st.memoryCapacityBytes)));
                    }
                    QVERIFY(c.memoryFits);
                    if (c.mode == ClusterDecision::Mode::Pipeline) {
                        // Contiguous cover of all L blocks, shares on the simplex.
                        int next = 0;
                        double shares = 0.0;
                        for (const StageCost &st : c.stages) {
                            QCOMPARE(st.firstBlock, next);
                            next = st.lastBlock + 1;
                            shares += st.bandwidthShare;
                        }
                        QCOMPARE(next, L);
                        QVERIFY(shares <= 1.0 + 1e-9);
                    }
                }
            }
        }
        qInfo("%d feasible decisions checked, %d honest infeasible reports", feasibleClaims,
            infeasible);
        QVERIFY(feasibleClaims > 100);
    }

    void infeasibleNamesDevicesAndBytes()
    {
        testing::DeviceRanges ranges;
        ranges.memoryLo = 0.05e9; // below one BERT-base block (≈ 0.11 GB of weights + state)
        ranges.memoryHi = 0.08e9;
        Scenario s = testing::randomScenario(5, 1, 3, 6, ranges);
        ChannelModel channels(s.topology, 1);
        const ChannelState ch = channels.stateForRound(0);
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        for (auto &policy : allPolicies(true)) {
            Decision d;
            QString error;
            QVERIFY2(!policy->decide(state, &d, &error), qPrintable(policy->name()));
            QVERIFY2(error.contains(QStringLiteral("infeasible")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("c1")), qPrintable(error));
            if (policy->name().startsWith(QStringLiteral("dssda"))) {
                for (const Device &dev : s.topology.clusters[0].devices) {
                    QVERIFY2(error.contains(dev.id), qPrintable(error));
                }
                QVERIFY2(error.contains(QStringLiteral(" B")), qPrintable(error));
            }
        }
    }

    /// The chunk rule (issue [4/7]): with interleaved v = 2 and 3 devices over 7 blocks, uniform
    /// gives 3 + 2 + 2 and refuses naming the device, its blocks, the field and v; with 6 blocks
    /// it runs interleaved with v = 2 and a share for the wrap hop.
    void staticPoliciesKeepTheChunkRule()
    {
        Scenario s = testing::randomScenario(5, 1, 3, 7);
        for (Device &d : s.topology.clusters[0].devices) {
            d.memoryBytes = 16e9;
        }
        s.optimizer.schedule = ScheduleKind::Interleaved;
        s.optimizer.interleave = 2;
        ChannelModel channels(s.topology, 1);
        const ChannelState ch = channels.stateForRound(0);
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        UniformPolicy uniform;
        Decision d;
        QString error;
        QVERIFY(!uniform.decide(state, &d, &error));
        const QString device = s.topology.clusters[0].devices[0].id;
        QVERIFY2(error.contains(QStringLiteral("device %1 has 3 blocks, not a multiple of the 2 "
                                               "chunks of optimizer.schedule interleaved "
                                               "(optimizer.interleave = 2)")
                                    .arg(device)),
            qPrintable(error));
        s.model.encoderBlocks = 6;
        QVERIFY2(uniform.decide(state, &d, &error), qPrintable(error));
        const ClusterDecision &cd = d.clusters[0];
        QCOMPARE(cd.schedule, ScheduleKind::Interleaved);
        QCOMPARE(cd.interleave, 2);
        QCOMPARE(cd.stages.back().bandwidthShare, 0.25); // CU, 2 links, the wrap
        QVERIFY(std::isfinite(evaluateCluster(s, 0, ch.clusters[0], cd).latencyS));
    }

    void dssdaNotSlowerThanBaselinesOnDefault_data()
    {
        QTest::addColumn<int>("round"); // −1 = the fading-free mean channel
        QTest::newRow("mean channel") << -1;
        QTest::newRow("round 0") << 0;
        QTest::newRow("round 7") << 7;
    }

    void dssdaNotSlowerThanBaselinesOnDefault()
    {
        // The bundled default scenario with empty queues: DSSDA minimises V·latency, and every
        // pipeline baseline (uniform, proportional and the DSSDA ablations) is a feasible point
        // of its problem, so none may be faster; with edge offload on so is sl's decision (one
        // device + an edge tail, M = 1). default.json runs the paper's device-only pipeline
        // (offload off), where sl is outside DSSDA's space and, uploading 2 blocks instead of
        // 12, has the shorter rounds: it is not compared then. fl is another structure, but since every
        // fl device uploads the embedding + whole encoder over its 1/D of the D2E share
        // (ergodic rate, core/MODEL.md), it is physically slower here and asserted too.
        QFETCH(int, round);
        const Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        ChannelModel channels(s.topology, s.training.seed);
        const ChannelState ch = round < 0 ? channels.meanState() : channels.stateForRound(round);
        PolicyState state;
        state.round = std::max(round, 0);
        state.scenario = &s;
        state.channel = &ch;
        DssdaPolicy dssda;
        Decision best;
        QString error;
        QVERIFY2(dssda.decide(state, &best, &error), qPrintable(error));
        const RoundCost ours = evaluateRound(s, ch, best);
        for (auto &policy : allPolicies(false)) {
            if (!s.optimizer.edgeOffload && policy->name() == QStringLiteral("sl")) {
                continue;
            }
            Decision d;
            if (!policy->decide(state, &d, &error)) {
                QVERIFY2(error.contains(QStringLiteral("infeasible")), qPrintable(error));
                qInfo("%-15s infeasible", qPrintable(policy->name()));
                continue;
            }
            const RoundCost theirs = evaluateRound(s, ch, d);
            double makespan = 0.0;
            double ourMakespan = 0.0;
            for (std::size_t n = 0; n < ours.clusters.size(); ++n) {
                makespan = std::max(makespan, theirs.clusters[n].makespanS);
                ourMakespan = std::max(ourMakespan, ours.clusters[n].makespanS);
            }
            qInfo("%-15s system latency %9.4f s (dssda %9.4f s), slowest makespan %.4f s "
                  "(dssda %.4f s)",
                qPrintable(policy->name()), theirs.systemLatencyS, ours.systemLatencyS, makespan,
                ourMakespan);
            QVERIFY2(ours.systemLatencyS <= theirs.systemLatencyS * (1.0 + 1e-9),
                qPrintable(policy->name()));
            if (policy->name() == QStringLiteral("fl")) {
                continue; // fl's rounds are compared whole: its clusters' parts differ in kind
            }
            for (std::size_t n = 0; n < ours.clusters.size(); ++n) {
                QVERIFY2(ours.clusters[n].latencyS <= theirs.clusters[n].latencyS * (1.0 + 1e-9),
                    qPrintable(QStringLiteral("%1, cluster %2").arg(policy->name()).arg(n)));
            }
        }
    }

    void edgeOffloadSwitch()
    {
        // default.json: uploading the whole encoder dominates a round (DSSDA.md), so with edge
        // offload DSSDA hands the edge a tail; switched off, every block stays on a device.
        Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        ChannelModel channels(s.topology, s.training.seed);
        const ChannelState ch = channels.stateForRound(0);
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        for (bool offload : {true, false}) {
            s.optimizer.edgeOffload = offload;
            DssdaPolicy dssda;
            Decision d;
            QString error;
            QVERIFY2(dssda.decide(state, &d, &error), qPrintable(error));
            for (const ClusterDecision &cd : d.clusters) {
                int onDevices = 0;
                for (const StageDecision &st : cd.stages) {
                    onDevices += st.blockCount();
                }
                const bool tail = cd.mode == ClusterDecision::Mode::EdgeTail;
                QCOMPARE(tail, onDevices < s.model.encoderBlocks);
                QCOMPARE(tail, offload);
                QVERIFY(onDevices >= 1);
            }
            QVERIFY(evaluateRound(s, ch, d).systemLatencyS > 0.0);
        }
    }

    void convergenceQueueBuysSamples()
    {
        // Count mode (spec §10-A1): more micro-batches = more samples per round = smaller Φ.
        // A large convergence queue Z must push DSSDA to at least as many micro-batches.
        Scenario s = testing::randomScenario(21, 1, 3, 6);
        s.optimizer.microbatchMode = MicrobatchMode::Count;
        s.optimizer.maxMicrobatches = 8;
        s.optimizer.convergenceWeight = 100.0;
        ChannelModel channels(s.topology, 2);
        const ChannelState ch = channels.stateForRound(0);
        ClusterWeights calm;
        calm.v = 1.0;
        ClusterWeights pressed = calm;
        pressed.convergenceQueue = 1e6;
        const ClusterSolution a = solveCluster(s, 0, ch.clusters[0], calm, DssdaOptions());
        const ClusterSolution b = solveCluster(s, 0, ch.clusters[0], pressed, DssdaOptions());
        QVERIFY(a.feasible && b.feasible);
        qInfo(
            "M with Z = 0: %d, with Z = 1e6: %d", a.decision.microbatches, b.decision.microbatches);
        QVERIFY(b.decision.microbatches >= a.decision.microbatches);
        QCOMPARE(b.decision.microbatches, s.optimizer.maxMicrobatches);
    }

    void oracleRefusesLargeScenarios()
    {
        const Scenario s = testing::loadBundled(QStringLiteral("default.json"));
        ChannelModel channels(s.topology, 1);
        const ChannelState ch = channels.stateForRound(0);
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        OraclePolicy oracle;
        Decision d;
        QString error;
        QVERIFY(!oracle.decide(state, &d, &error));
        QVERIFY2(error.contains(QStringLiteral("K ≤ 4")) && error.contains(QStringLiteral("c1")),
            qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPolicies)
#include "tst_policies.moc"
