// SPDX-License-Identifier: MIT
// evaluateCluster / evaluateRound: consistency with the pure terms and the laws of issue [2/6].
#include "../pipeline/schedule_checks.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "make_scenario.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

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
            QCOMPARE(st.inflight, 4 - j); // 1F1B: S − j + 1, the edge counted as a stage
            QCOMPARE(st.memoryBytes, segmentMemoryBytes(dims, int(blocks), 4, 4 - j, 4));
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

    /// Every schedule on identical devices with ~free links (core/MODEL.md "Schedules", closed
    /// forms): idle time per device = makespan − M(F+B): GPipe and 1F1B (S−1)(F+B), interleaved
    /// (S−1)(F+B)/v (S divides M), ZB-H1 (S−1)(F+B−2W) (W = B/2 = F here), ZB-V never above
    /// 1F1B; the stash each is charged (chunk activations) and the bytes it costs.
    void everyScheduleHomogeneousClosedForms()
    {
        Scenario s = lineScenario(4, 1e12, true);
        s.model.encoderBlocks = 16;
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const int S = 4;
        const int M = 8;
        const std::vector<int> blocks{4, 4, 4, 4};
        const ClusterCost ref = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, blocks, M, ScheduleKind::OneFOneB));
        const double F = ref.stages[0].tFwdS;
        const double B = ref.stages[0].tBwdS;
        const double W = 0.5 * B;
        QVERIFY(W <= F * (1 + 1e-12) && W <= B - W + 1e-15); // the regime ZB-H1's form holds in
        struct Case
        {
            ScheduleKind kind;
            int v;
            double bubble; ///< < 0: at most 1F1B's
        };
        const Case cases[] = {{ScheduleKind::GPipe, 1, (S - 1) * (F + B)},
            {ScheduleKind::OneFOneB, 1, (S - 1) * (F + B)},
            {ScheduleKind::Interleaved, 2, (S - 1) * (F + B) / 2},
            {ScheduleKind::Interleaved, 4, (S - 1) * (F + B) / 4},
            {ScheduleKind::ZeroBubbleH1, 1, (S - 1) * (F + B - 2 * W)},
            {ScheduleKind::ZeroBubbleV, 1, -1.0}};
        const double weightsOnly = segmentMemoryBytes(s.model.profiled, 4, 4, 0.0, 4);
        const double perMicrobatch
            = segmentMemoryBytes(s.model.profiled, 4, 4, 1.0, 4) - weightsOnly;
        for (const Case &c : cases) {
            const ClusterCost cost
                = evaluateCluster(s, 0, ch.clusters[0], chainDecision(s, blocks, M, c.kind, c.v));
            const QString at
                = QStringLiteral("%1 v=%2").arg(QLatin1String(scheduleName(c.kind))).arg(c.v);
            QVERIFY2(cost.scheduleFits && std::isfinite(cost.latencyS), qPrintable(at));
            const double idle = cost.makespanS - M * (F + B);
            const double expected = c.bubble >= 0.0 ? c.bubble : (S - 1) * (F + B);
            // The links, embedding and head are ~free, not free: interleaving crosses them v
            // times, which leaves ~4e-5 of the makespan (the forms differ by factors of 2).
            const double tol = 1e-4 * cost.makespanS;
            QVERIFY2(c.bubble >= 0.0 ? std::abs(idle - expected) <= tol : idle <= expected + tol,
                qPrintable(QStringLiteral("%1: idle %2 s, closed form %3 s")
                               .arg(at)
                               .arg(idle, 0, 'g', 10)
                               .arg(expected, 0, 'g', 10)));
            const int chunks = chunksOf(c.kind, c.v);
            for (int j = 0; j < S; ++j) {
                const int stash = cost.stages[std::size_t(j)].inflight;
                const int closed = c.kind == ScheduleKind::GPipe ? M
                    : c.kind == ScheduleKind::OneFOneB           ? std::min(M, S - j + 1)
                    : c.kind == ScheduleKind::ZeroBubbleH1       ? std::min(M, S + 1)
                    : c.kind == ScheduleKind::Interleaved
                    ? std::min(M * c.v, 2 * (S - 1 - j) + (c.v - 1) * S + 2)
                    : -1;
                if (closed >= 0) {
                    QVERIFY2(stash == closed,
                        qPrintable(QStringLiteral("%1 stage %2: stash %3, closed form %4")
                                       .arg(at)
                                       .arg(j)
                                       .arg(stash)
                                       .arg(closed)));
                } else {
                    QVERIFY2(stash <= 2 * (S + 1), qPrintable(at)); // ZB-V: 1F1B's stage-0 peak
                }
                const double bytes = cost.stages[std::size_t(j)].memoryBytes - weightsOnly;
                QVERIFY2(std::abs(bytes - perMicrobatch * stash / chunks) <= 1e-9 * bytes,
                    qPrintable(at + QStringLiteral(": stash bytes")));
            }
        }
    }

    /// With real links every schedule's cost is the recursion of core/pipeline on the chain the
    /// cost model built (wrap and V-edge hops filled, none free), and that timing respects every
    /// precedence and resource (tests/pipeline checkTiming()).
    void everyScheduleWithLinksIsThePipelineRecursion()
    {
        std::mt19937 rng(404);
        int checked = 0;
        for (int trial = 0; trial < 60; ++trial) {
            Scenario s = lineScenario(4);
            s.topology.d2d.bandwidthHz = trial % 2 ? 1e6 : 20e6;
            const int S = 2 + int(rng() % 3);
            const int v = 2 + int(rng() % 2);
            s.model.encoderBlocks = S * 2 * v;
            const std::vector<int> blocks(std::size_t(S), 2 * v);
            const int M = 1 + int(rng() % 12);
            const ChannelState ch = ChannelModel(s.topology, trial).stateForRound(0);
            for (ScheduleKind kind :
                {ScheduleKind::GPipe, ScheduleKind::OneFOneB, ScheduleKind::Interleaved,
                    ScheduleKind::ZeroBubbleH1, ScheduleKind::ZeroBubbleV}) {
                const ClusterDecision d = chainDecision(s, blocks, M, kind, v);
                std::vector<ChainTimes> chains;
                const ClusterCost cost = evaluateClusterChains(s, 0, ch.clusters[0], d, &chains);
                QCOMPARE(chains.size(), size_t(1));
                const ChainTimes &chain = chains[0];
                if (kind == ScheduleKind::Interleaved) {
                    QVERIFY(chain.wrapSendS > 0.0 && chain.wrapGradS > 0.0);
                    QCOMPARE(cost.wrapSendS, chain.wrapSendS);
                }
                if (kind == ScheduleKind::ZeroBubbleV) {
                    QVERIFY(chain.firstStageEdgeSendS > 0.0 && chain.edgeFirstStageGradS > 0.0);
                }
                const Schedule schedule = makeSchedule(kind, S, M, v);
                const ScheduleTiming t = timeSchedule(chain, schedule);
                const QString problem = checkTiming(schedule, t);
                QVERIFY2(problem.isEmpty(),
                    qPrintable(caseText(schedule) + QStringLiteral(": ") + problem));
                QCOMPARE(t.run.makespanS, cost.makespanS);
                const std::vector<int> peak = peakStashed(schedule);
                for (int j = 0; j < S; ++j) {
                    QCOMPARE(cost.stages[std::size_t(j)].inflight, peak[std::size_t(j)]);
                }
                ++checked;
            }
        }
        QCOMPARE(checked, 300);
    }

    /// The chunk rule: a stage whose blocks do not split into the schedule's chunks is refused
    /// (latency +inf, scheduleFits false), never timed with fractional chunks.
    void chunkRuleRefusesUnevenChunks()
    {
        const Scenario s = lineScenario(3);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const ClusterCost bad = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, {5, 4, 3}, 4, ScheduleKind::Interleaved, 2));
        QVERIFY(!bad.scheduleFits);
        QVERIFY(std::isinf(bad.latencyS));
        const ClusterCost zbv = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, {4, 4, 4}, 4, ScheduleKind::ZeroBubbleV));
        QVERIFY(zbv.scheduleFits && std::isfinite(zbv.latencyS));
        const ClusterCost odd = evaluateCluster(
            s, 0, ch.clusters[0], chainDecision(s, {5, 4, 3}, 4, ScheduleKind::ZeroBubbleV));
        QVERIFY(!odd.scheduleFits);
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
            // The embedding it trains and uploads is in its memory too (issue 13 finding 3).
            QCOMPARE(st.memoryBytes, federatedDeviceMemoryBytes(s.model.profiled, 12, 4, 4));
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

    void broadcastTableIsBroadcastTimeS()
    {
        // broadcastTimesS() (ExactBound's table, issue [6/7]) gives broadcastTimeS()' bits for
        // every block count, under each fading model and with LoRA's smaller upload.
        for (int fading : {0, 1, 2}) {
            for (bool lora : {false, true}) {
                Scenario s = lineScenario(3);
                s.topology.d2e.fading = FadingModel(fading);
                if (lora) {
                    s.training.mode = TrainingMode::Lora;
                }
                const ClusterChannel ch = ChannelModel(s.topology, 5).stateForRound(2).clusters[0];
                const std::vector<double> table = broadcastTimesS(s, 0, ch);
                QCOMPARE(int(table.size()), s.model.encoderBlocks + 1);
                for (int blocks = 0; blocks <= s.model.encoderBlocks; ++blocks) {
                    const double one = broadcastTimeS(s, 0, ch, blocks);
                    QVERIFY2(std::memcmp(&one, &table[std::size_t(blocks)], sizeof one) == 0,
                        qPrintable(QStringLiteral("fading %1 lora %2 blocks %3: %4 vs %5")
                                       .arg(fading)
                                       .arg(lora)
                                       .arg(blocks)
                                       .arg(one, 0, 'g', 17)
                                       .arg(table[std::size_t(blocks)], 0, 'g', 17)));
                }
            }
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

    void controlUnitRadioIsCounted_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("iterations");
        QTest::newRow("pipeline-I1") << int(ClusterDecision::Mode::Pipeline) << 1;
        QTest::newRow("pipeline-I3") << int(ClusterDecision::Mode::Pipeline) << 3;
        QTest::newRow("edge-tail-I2") << int(ClusterDecision::Mode::EdgeTail) << 2;
        QTest::newRow("fl-I2") << int(ClusterDecision::Mode::FederatedFull) << 2;
    }
    void controlUnitRadioIsCounted()
    {
        // Issue 13 finding 2: the CU transmits every micro-batch's embedded activations to stage
        // 0 and uploads the embedding + the device-held blocks (spec §2.5 "for the CU:
        // p^E·t^up"); that energy is the cluster's and the round's, next to the devices'.
        QFETCH(int, mode);
        QFETCH(int, iterations);
        Scenario s = lineScenario(3);
        s.training.localIterations = iterations;
        s.topology.clusters[0].controlUnit.maxPowerW = 0.15;
        const ChannelState ch = ChannelModel(s.topology, 5).stateForRound(1);
        const ClusterChannel &cc = ch.clusters[0];
        ClusterDecision d = chainDecision(s, {4, 4, 4}, 6, PipelineSchedule::GPipe);
        d.mode = ClusterDecision::Mode(mode);
        if (d.mode == ClusterDecision::Mode::EdgeTail) {
            d.stages.resize(2); // blocks 0–7 on two devices, 8–11 on the edge
        } else if (d.mode == ClusterDecision::Mode::FederatedFull) {
            for (StageDecision &st : d.stages) {
                st.firstBlock = 0;
                st.lastBlock = 11;
            }
        }
        const ClusterCost c = evaluateCluster(s, 0, cc, d);
        double devices = 0.0;
        for (const StageCost &st : c.stages) {
            devices += st.energyJ;
        }
        QCOMPARE(c.controlUnitPowerW, 0.15);
        if (d.mode == ClusterDecision::Mode::FederatedFull) {
            // Every device uploads its own model; the CU only hands out token ids.
            QCOMPARE(c.controlUnitTxS, 0.0);
            QCOMPARE(c.controlUnitEnergyJ, 0.0);
        } else {
            const double payload = boundaryPayloadBytes(s.model.profiled, 4, 4);
            const int cu = cc.controlUnitNode();
            const double rate = shannonRateBps(
                d.controlUnitShare * s.topology.d2d.bandwidthHz, 0.15, cc.gain(cu, 0), -174.0);
            QVERIFY(
                std::abs(c.controlUnitSendS - 8.0 * payload / rate) < 1e-9 * c.controlUnitSendS);
            const double tx = double(iterations) * 6 * c.controlUnitSendS + c.uploadS;
            QVERIFY(c.uploadS > 0.0);
            QVERIFY(std::abs(c.controlUnitTxS - tx) < 1e-12 * tx);
            QVERIFY(std::abs(c.controlUnitEnergyJ - 0.15 * tx) < 1e-12 * tx);
            QVERIFY(c.controlUnitEnergyJ > 0.0);
        }
        QVERIFY2(std::abs(c.energyJ - (devices + c.controlUnitEnergyJ)) < 1e-12 * c.energyJ,
            qPrintable(QStringLiteral("%1 J vs devices %2 J + CU %3 J")
                           .arg(c.energyJ)
                           .arg(devices)
                           .arg(c.controlUnitEnergyJ)));
        Decision round;
        round.clusters.push_back(d);
        QCOMPARE(evaluateRound(s, ch, round).energyJ, c.energyJ);
    }

    void edgeTailStashesOneMicrobatch()
    {
        // Issue 13 finding 5: the edge runs each micro-batch's forward and backward back to
        // back (one Decoder op per micro-batch), so its tail holds one micro-batch of
        // activations, whatever M and the schedule.
        const Scenario s = lineScenario(2); // count mode: b = 4 for every M
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const double expected = edgeTailMemoryBytes(s.model.profiled, 9, 4, 4);
        QCOMPARE(expected, segmentMemoryBytes(s.model.profiled, 9, 4, 1, 4));
        for (PipelineSchedule sched : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
            for (int m : {1, 4, 16}) {
                ClusterDecision d = chainDecision(s, {2, 1}, m, sched);
                d.mode = ClusterDecision::Mode::EdgeTail;
                const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], d);
                QCOMPARE(c.edgeMemoryBytes, expected);
            }
        }
        // Memory is checked against the cluster's share of the server: a server that holds the
        // tail with one micro-batch but not with 16 now fits.
        Scenario tight = s;
        tight.topology.edgeServers[0].memoryBytes = 1.01 * expected;
        ClusterDecision d = chainDecision(tight, {2, 1}, 16, PipelineSchedule::GPipe);
        d.mode = ClusterDecision::Mode::EdgeTail;
        QVERIFY(evaluateCluster(tight, 0, ch.clusters[0], d).memoryFits);
    }

    void gradientHopsAtTheSendersPower()
    {
        // Issue 13 finding 6, the documented choice (core/MODEL.md "Links"): a gradient is sent
        // by the stage that holds it, at its own power, over the boundary's band share (paired,
        // full duplex); spec §2.5 charges that energy to the sender. So the two directions of a
        // boundary differ exactly by the two ends' powers (the D2D gain is reciprocal).
        const Scenario s = lineScenario(3);
        const ChannelState ch = ChannelModel(s.topology, 2).stateForRound(3);
        const ClusterChannel &cc = ch.clusters[0];
        ClusterDecision d = chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::GPipe);
        d.stages[0].powerW = 0.2;
        d.stages[1].powerW = 0.02;
        d.stages[2].powerW = 0.1;
        const ClusterCost c = evaluateCluster(s, 0, cc, d);
        const double w = s.topology.d2d.bandwidthHz;
        QCOMPARE(cc.gain(0, 1), cc.gain(1, 0));
        const double forward = shannonRateBps(w / 3, 0.2, cc.gain(0, 1), -174.0);
        const double backward = shannonRateBps(w / 3, 0.02, cc.gain(1, 0), -174.0);
        QVERIFY(std::abs(c.stages[0].rateBps - forward) < 1e-6 * forward);
        QVERIFY(std::abs(c.stages[1].gradRateBps - backward) < 1e-6 * backward);
        QVERIFY(c.stages[1].gradRateBps < c.stages[0].rateBps);
        // Stage 0's gradient to the CU: its own power over the CU's share.
        const int cu = cc.controlUnitNode();
        QVERIFY(
            std::abs(c.stages[0].gradRateBps - shannonRateBps(w / 3, 0.2, cc.gain(0, cu), -174.0))
            < 1e-6 * c.stages[0].gradRateBps);
        // The edge's gradient to the last stage: the edge's power over the D2E share.
        const double payload = boundaryPayloadBytes(s.model.profiled, 4, 4);
        const double edgeRate = shannonRateBps(
            s.topology.d2e.bandwidthHz, s.topology.edgeServers[0].txPowerW, cc.d2eGain[2], -174.0);
        QVERIFY(std::abs(c.stages[2].tEdgeGradS - 8.0 * payload / edgeRate) < 1e-9);
        QCOMPARE(c.edgeSendGradS, c.stages[2].tEdgeGradS);
        // Each device pays for what it radiates: its activations and its gradients.
        for (const StageCost &st : c.stages) {
            const double tx = 4.0 * (st.tSendS + st.tSendGradS);
            QVERIFY(std::abs(st.txS - tx) < 1e-12 * tx);
            QVERIFY(std::abs(st.energyJ - (4.0 * st.busyS + st.powerW * tx)) < 1e-9 * st.energyJ);
        }
        // Equal powers: both directions of a boundary run at the same rate.
        ClusterDecision equal = d;
        for (StageDecision &st : equal.stages) {
            st.powerW = 0.2;
        }
        const ClusterCost e = evaluateCluster(s, 0, cc, equal);
        QVERIFY(
            std::abs(e.stages[1].gradRateBps - e.stages[0].rateBps) < 1e-6 * e.stages[0].rateBps);
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
