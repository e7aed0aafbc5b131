// SPDX-License-Identifier: MIT
// evaluateCluster / evaluateRound: consistency with the pure terms and the laws of issue [2/6].
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "make_scenario.h"

#include <QTest>

#include <cmath>

using namespace collapipe;
using namespace collapipe::test;

class TstClusterCost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stageTermsMatchPureFunctions()
    {
        const Scenario s = lineScenario(3);
        ChannelModel model(s.topology, 1);
        const ChannelState ch = model.stateForRound(0);
        const ClusterDecision d = chainDecision(s, {5, 4, 3}, 6, PipelineSchedule::OneFOneB);
        const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], d);
        QCOMPARE(int(c.stages.size()), 3);
        const TransformerDims &dims = s.model.profiled;
        for (int j = 0; j < 3; ++j) {
            const StageCost &st = c.stages[j];
            const double blocks = d.stages[j].blockCount();
            QVERIFY(std::abs(st.tFwdS - 4 * blocks * blockForwardFlops(dims) / 1e12) < 1e-12);
            QVERIFY(std::abs(st.tBwdS - 2 * st.tFwdS) < 1e-12);
            QCOMPARE(st.inflight, 3 - j);
            QCOMPARE(st.memoryBytes, segmentMemoryBytes(dims, int(blocks), 4, 3 - j, 4));
            QVERIFY(std::abs(st.busyS - 6 * (st.tFwdS + st.tBwdS)) < 1e-12);
            const double e = deviceEnergyJ(4.0, st.busyS, 0.2, st.txS);
            QVERIFY(std::abs(st.energyJ - e) < 1e-12);
        }
        // Stage 0 → stage 1: 0.2 W over β·W = W/3 at 10 m.
        const double g = ch.clusters[0].gain(0, 1);
        const double r = shannonRateBps(10e6 / 3, 0.2, g, -174.0);
        QVERIFY(std::abs(c.stages[0].rateBps - r) < 1e-6);
        QVERIFY(std::abs(c.stages[0].tSendS - transferTimeS(boundaryPayloadBytes(dims, 4, 4), r))
            < 1e-12);
        // The slowest stage bounds the makespan from below: M·(t_f + t_b) of stage 0.
        QVERIFY(c.makespanS >= 6 * (c.stages[0].tFwdS + c.stages[0].tBwdS));
        QVERIFY(c.bubbleFraction > 0 && c.bubbleFraction < 1);
        QVERIFY(c.computationEfficiency > 0 && c.computationEfficiency <= 1);
        QVERIFY(std::abs(c.latencyS - (c.makespanS + c.uploadS)) < 1e-9);
        const LatencySplit &sp = c.split;
        const double sum = sp.computeS + sp.d2dS + sp.d2eS + sp.decoderS + sp.uploadS + sp.bubbleS;
        QVERIFY2(std::abs(sum - c.latencyS) < 1e-9 * c.latencyS,
            qPrintable(QStringLiteral("%1 vs %2").arg(sum).arg(c.latencyS)));
    }

    void doublingFlopsHalvesCompute_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::newRow("gpipe") << int(PipelineSchedule::GPipe);
        QTest::newRow("1f1b") << int(PipelineSchedule::OneFOneB);
    }
    void doublingFlopsHalvesCompute()
    {
        QFETCH(int, schedule);
        const Scenario slow = lineScenario(4, 1e12, true);
        const Scenario fast = lineScenario(4, 2e12, true);
        ChannelModel model(slow.topology, 1);
        const ChannelState ch = model.stateForRound(0);
        const ClusterDecision d = chainDecision(slow, {2, 3, 4, 3}, 8, PipelineSchedule(schedule));
        const ClusterCost a = evaluateCluster(slow, 0, ch.clusters[0], d);
        const ClusterCost b = evaluateCluster(fast, 0, ch.clusters[0], d);
        // Transfers and the edge are ~1e-6 of the makespan here, so the ratio is 2 to ~1e-6;
        // the stage-compute part of the critical path halves exactly.
        const double ratio = a.makespanS / b.makespanS;
        QVERIFY2(std::abs(ratio - 2.0) < 1e-5, qPrintable(QString::number(ratio, 'g', 10)));
        const double computeA = a.split.computeS + a.split.bubbleS;
        const double computeB = b.split.computeS + b.split.bubbleS;
        QVERIFY2(std::abs(computeA / computeB - 2.0) < 1e-9,
            qPrintable(QString::number(computeA / computeB, 'g', 12)));
    }

    void moreMicrobatchesLowerBubble()
    {
        const Scenario s = lineScenario(4);
        ChannelModel model(s.topology, 1);
        const ChannelState ch = model.stateForRound(0);
        for (PipelineSchedule sched : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
            double previous = 1.0;
            for (int m : {1, 2, 4, 8, 16, 32}) {
                const ClusterCost c = evaluateCluster(
                    s, 0, ch.clusters[0], chainDecision(s, {3, 3, 3, 3}, m, sched));
                QVERIFY2(c.bubbleFraction < previous,
                    qPrintable(QStringLiteral("M=%1 bubble %2 >= %3")
                                   .arg(m)
                                   .arg(c.bubbleFraction)
                                   .arg(previous)));
                previous = c.bubbleFraction;
            }
        }
    }

    void gpipeNeedsMoreMemoryThan1f1b()
    {
        const Scenario s = lineScenario(4);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const ClusterCost g = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, {3, 3, 3, 3}, 8, PipelineSchedule::GPipe));
        const ClusterCost o = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, {3, 3, 3, 3}, 8, PipelineSchedule::OneFOneB));
        for (int j = 0; j < 4; ++j) {
            QVERIFY(g.stages[j].memoryBytes > o.stages[j].memoryBytes);
        }
        // Memory above capacity is flagged, not hidden.
        Scenario tight = s;
        tight.topology.clusters[0].devices[0].memoryBytes = 1e6;
        QVERIFY(!evaluateCluster(
            tight, 0, ch.clusters[0], chainDecision(s, {3, 3, 3, 3}, 8, PipelineSchedule::GPipe))
                     .memoryFits);
    }

    void baselineModes()
    {
        const Scenario s = lineScenario(4);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const ClusterDecision pipe = chainDecision(s, {3, 3, 3, 3}, 4, PipelineSchedule::GPipe);
        const ClusterCost p = evaluateCluster(s, 0, ch.clusters[0], pipe);

        ClusterDecision fl = pipe;
        fl.mode = ClusterDecision::Mode::FederatedFull;
        for (auto &st : fl.stages) {
            st.firstBlock = 0;
            st.lastBlock = 11;
        }
        const ClusterCost f = evaluateCluster(s, 0, ch.clusters[0], fl);
        QCOMPARE(int(f.stages.size()), 4);
        QCOMPARE(f.samples, 16);       // M·b in count mode
        QCOMPARE(f.microbatchSize, 4); // 16 samples over 4 devices
        for (const StageCost &st : f.stages) {
            QCOMPARE(st.blocks, 12);
            QCOMPARE(st.memoryBytes, segmentMemoryBytes(s.model.profiled, 12, 4, 1, 4));
            QVERIFY(st.memoryBytes > p.stages[0].memoryBytes);
        }
        QVERIFY(std::isfinite(f.latencyS) && f.latencyS > f.makespanS);

        ClusterDecision sl;
        sl.mode = ClusterDecision::Mode::EdgeTail;
        sl.microbatches = 1;
        sl.microbatchSize = 16;
        sl.controlUnitShare = 1.0;
        sl.stages.push_back({1, 0, 1, 0.0, 0.2});
        const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], sl);
        QCOMPARE(int(c.stages.size()), 1);
        QCOMPARE(c.stages[0].blocks, 2);
        // The edge runs the other 10 blocks: the decoder part of the path includes them.
        QVERIFY(c.split.decoderS > 10 * 16 * 3 * blockForwardFlops(s.model.profiled) / 50e12);
        QVERIFY(c.makespanS > c.stages[0].tFwdS + c.stages[0].tBwdS);
    }

    void uploadsRunAtTheErgodicRate_data()
    {
        QTest::addColumn<int>("fading");
        QTest::newRow("none") << int(FadingModel::None);
        QTest::newRow("rayleigh") << int(FadingModel::Rayleigh);
        QTest::newRow("gauss-markov") << int(FadingModel::GaussMarkov);
    }
    void uploadsRunAtTheErgodicRate()
    {
        // core/MODEL.md "Long transfers": the parameter upload (embedding + device-held blocks)
        // and the broadcast span many coherence times, so they are charged at the ergodic rate
        // at the path-loss gain, whatever this round's block draw is; the per-micro-batch D2E
        // hop keeps the draw.
        Scenario s = lineScenario(3);
        QFETCH(int, fading);
        s.topology.d2e.fading = FadingModel(fading);
        s.topology.d2d.fading = FadingModel(fading);
        ChannelModel model(s.topology, 11);
        const ClusterDecision d = chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::GPipe);
        const TransformerDims &dims = s.model.profiled;
        const double bytes
            = ((dims.vocabSize + dims.seqLen) * dims.dModel + 12.0 * blockParameters(dims)) * 4.0;
        QCOMPARE(modelUploadBytes(dims, 12, 4), bytes);
        const ClusterChannel mean = model.meanState().clusters[0];
        const int cu = mean.controlUnitNode();
        const double ergodic = ergodicRateBps(
            FadingModel(fading), s.topology.d2e.bandwidthHz, 0.2, mean.d2eGain[cu], -174.0);
        double lastHop = -1.0;
        for (int round : {0, 1, 5}) {
            const ChannelState ch = model.stateForRound(round);
            const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], d);
            QVERIFY2(std::abs(c.uploadS - 8.0 * bytes / ergodic) < 1e-9 * c.uploadS,
                qPrintable(QStringLiteral("round %1: %2 s vs %3 s")
                               .arg(round)
                               .arg(c.uploadS)
                               .arg(8.0 * bytes / ergodic)));
            const double hop = c.stages.back().tSendS;
            if (FadingModel(fading) != FadingModel::None && lastHop >= 0.0) {
                QVERIFY(hop != lastHop); // the per-micro-batch hop sees each round's draw
            }
            lastHop = hop;
            // Broadcast at 20 W (MODEL.md), full D2E band, ergodic: aggregation is independent
            // of the draw too.
            const double bcast = 8.0 * bytes
                / ergodicRateBps(FadingModel(fading), s.topology.d2e.bandwidthHz,
                    s.topology.edgeServers[0].txPowerW, mean.d2eGain[cu], -174.0);
            const double flops = 2.0 * 12 * blockParameters(dims);
            const double agg = clusterAggregationTimeS(s, 0, ch.clusters[0]);
            QVERIFY2(
                std::abs(agg - bcast - flops / s.topology.edgeServers[0].computeFlops) < 1e-9 * agg,
                qPrintable(QStringLiteral("%1 vs %2").arg(agg).arg(bcast)));
        }
        // Ergodic < plain rate at the same mean SNR (Jensen), equal without fading.
        const double plain
            = shannonRateBps(s.topology.d2e.bandwidthHz, 0.2, mean.d2eGain[cu], -174.0);
        if (FadingModel(fading) == FadingModel::None) {
            QVERIFY(std::abs(ergodic - plain) < 1e-6 * plain);
        } else {
            QVERIFY(ergodic < plain);
        }
    }

    void baselinesUploadWhatTheyHold()
    {
        // sl uploads the embedding + its c device-side blocks and gets only those back; fl's
        // every device uploads the embedding + the whole encoder over its 1/D of the D2E share.
        const Scenario s = lineScenario(4);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const ClusterChannel &cc = ch.clusters[0];
        const TransformerDims &dims = s.model.profiled;
        const double w = s.topology.d2e.bandwidthHz;
        ClusterDecision sl;
        sl.mode = ClusterDecision::Mode::EdgeTail;
        sl.microbatches = 1;
        sl.microbatchSize = 16;
        sl.controlUnitShare = 1.0;
        sl.stages.push_back({1, 0, 1, 0.0, 0.2});
        const ClusterCost c = evaluateCluster(s, 0, cc, sl);
        const double slRate = ergodicRateBps(FadingModel::None, w, 0.2, cc.d2eGain[4], -174.0);
        QVERIFY(std::abs(c.uploadS - 8.0 * modelUploadBytes(dims, 2, 4) / slRate) < 1e-9);
        QVERIFY(clusterAggregationTimeS(s, 0, cc, &sl) < clusterAggregationTimeS(s, 0, cc));

        ClusterDecision fl = chainDecision(s, {3, 3, 3, 3}, 4, PipelineSchedule::GPipe);
        fl.mode = ClusterDecision::Mode::FederatedFull;
        const ClusterCost f = evaluateCluster(s, 0, cc, fl);
        double slowest = 0.0;
        for (int k = 0; k < 4; ++k) {
            const double r = ergodicRateBps(FadingModel::None, w / 4, 0.2, cc.d2eGain[k], -174.0);
            const double up = 8.0 * modelUploadBytes(dims, 12, 4) / r;
            slowest = std::max(slowest, up);
            // The device's radio energy includes its upload.
            QVERIFY(f.stages[std::size_t(k)].txS >= up);
        }
        QVERIFY(std::abs(f.uploadS - slowest) < 1e-9 * slowest);
    }

    void roundIsSlowestClusterPlusAggregation()
    {
        Scenario s = lineScenario(3);
        s.topology.clusters.push_back(s.topology.clusters[0]);
        s.topology.clusters[1].id = QStringLiteral("c1");
        for (Device &d : s.topology.clusters[1].devices) {
            d.id += QStringLiteral("b");
            d.computeFlops = 0.5e12;
        }
        const ChannelState ch = ChannelModel(s.topology, 3).stateForRound(2);
        Decision d;
        d.clusters.push_back(chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::OneFOneB));
        d.clusters.push_back(chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::OneFOneB));
        const RoundCost r = evaluateRound(s, ch, d);
        QCOMPARE(int(r.clusters.size()), 2);
        QCOMPARE(r.slowestCluster, 1);
        QVERIFY(r.aggregationS > 0);
        QVERIFY(std::abs(r.systemLatencyS - (r.clusters[1].latencyS + r.aggregationS)) < 1e-12);
        // Two clusters on one server halve each one's D2E band.
        QCOMPARE(d2eShareOfCluster(s, 0), 0.5);
        QVERIFY(std::abs(r.energyJ - r.clusters[0].energyJ - r.clusters[1].energyJ) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TstClusterCost)
#include "tst_cluster_cost.moc"
