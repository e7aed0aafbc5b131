// SPDX-License-Identifier: MIT
// Issue [4/7] "The Lab": the teaching preset resources/scenarios/pipeline_lab.json must really
// pipeline. Its scenario's own policy (DSSDA), in round 0 as a run (and the Lab) plans it, puts a
// stage on every device of the cluster, in Pipeline mode, with several micro-batches, and the
// compute of a stage is not a hairline beside its transfers.
#include "bundled_scenario.h"
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"

#include <QtTest>

#include <set>

using namespace collapipe;

class TstPipelineLabPreset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundZeroUsesEveryDevice()
    {
        const Scenario s = testing::loadBundled(QStringLiteral("pipeline_lab.json"));
        QCOMPARE(s.topology.clusters.size(), std::size_t(1));
        const Cluster &cluster = s.topology.clusters.front();
        QVERIFY2(cluster.devices.size() >= 3 && cluster.devices.size() <= 4,
            qPrintable(QStringLiteral("%1 devices").arg(cluster.devices.size())));
        QCOMPARE(s.optimizer.policy, QStringLiteral("dssda"));
        QString error;
        std::unique_ptr<Policy> policy = makePolicy(s.optimizer.policy, &error);
        QVERIFY2(policy, qPrintable(error));
        ChannelModel channelModel(s.topology, s.training.seed);
        const ChannelState channel = channelModel.stateForRound(0);
        PolicyState state;
        state.scenario = &s;
        state.channel = &channel;
        Decision decision;
        QVERIFY2(policy->decide(state, &decision, &error), qPrintable(error));
        const ClusterDecision &cd = decision.clusters.front();
        QCOMPARE(int(cd.mode), int(ClusterDecision::Mode::Pipeline));
        std::set<int> devices;
        for (const StageDecision &st : cd.stages) {
            devices.insert(st.device);
            QVERIFY2(st.blockCount() >= 2,
                qPrintable(QStringLiteral("device %1 runs %2 block(s)")
                               .arg(st.device)
                               .arg(st.blockCount())));
        }
        QCOMPARE(cd.stages.size(), cluster.devices.size());
        QCOMPARE(devices.size(), cluster.devices.size());
        QVERIFY2(cd.microbatches >= 4, qPrintable(QStringLiteral("M = %1").arg(cd.microbatches)));

        // Compute bars visible next to transfers: each stage's forward is at least a fifth of
        // its activation send (and its backward of its gradient send).
        const ClusterCost cost = evaluateCluster(s, 0, channel.clusters.front(), cd);
        for (const StageCost &st : cost.stages) {
            QVERIFY2(st.tFwdS >= 0.2 * st.tSendS && st.tBwdS >= 0.2 * st.tSendGradS,
                qPrintable(QStringLiteral("stage %1: fwd %2 s vs send %3 s, bwd %4 s vs grad %5 s")
                               .arg(st.stage)
                               .arg(st.tFwdS)
                               .arg(st.tSendS)
                               .arg(st.tBwdS)
                               .arg(st.tSendGradS)));
        }
    }
};

QTEST_GUILESS_MAIN(TstPipelineLabPreset)
#include "tst_pipeline_lab_preset.moc"
