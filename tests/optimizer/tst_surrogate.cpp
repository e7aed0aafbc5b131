// SPDX-License-Identifier: MIT
// DSSDA's surrogate (cluster_surrogate.h) against the engine it approximates: its 1F1B window
// (the micro-batches a stage keeps in flight) is the engine's stash count, and where that
// window sets the pace, the surrogate's pace is the engine's (issue [3/7] finding 4: the edge
// is a stage of the 1F1B warm-up, so a device stage keeps min(M, S − j + 1) micro-batches in
// flight; the surrogate used min(M, S − j) and priced a single device stage at twice its pace).
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/cluster_surrogate.h"
#include "optimizer_fixtures.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace collapipe;

class Surrogate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowIsTheEnginesStashCount();
    void oneStagePaceMatchesTheEngine();
};

void Surrogate::windowIsTheEnginesStashCount()
{
    for (const PipelineSchedule schedule : {PipelineSchedule::OneFOneB, PipelineSchedule::GPipe}) {
        Scenario s = testing::randomScenario(3, 1, 6, 12);
        s.optimizer.schedule = schedule;
        s.optimizer.microbatchMode = MicrobatchMode::Count;
        const ClusterChannel ch = ChannelModel(s.topology, 1).stateForRound(0).clusters[0];
        ClusterSurrogate model(s, 0, ch, ClusterWeights{});
        std::vector<int> order(6);
        std::iota(order.begin(), order.end(), 0);
        const std::vector<double> share(6, 1.0 / 6.0);
        const std::vector<double> power(6, 0.2);
        for (int m = 1; m <= 16; ++m) {
            model.setMicrobatches(m);
            const SegmentProblem p = model.segmentProblem(order, share, 1.0 / 6.0, power);
            if (schedule == PipelineSchedule::GPipe) {
                QVERIFY2(!p.windowed(), "GPipe has no in-flight window (its phases pace it)");
                continue;
            }
            for (int stages = 1; stages <= 6; ++stages) {
                QVERIFY2(p.inFlightAt(stages)
                        == stashedMicrobatches(PipelineSchedule::OneFOneB, m, stages, 0),
                    qPrintable(
                        QStringLiteral("M %1, %2 stage(s) from here: window %3, engine %4")
                            .arg(m)
                            .arg(stages)
                            .arg(p.inFlightAt(stages))
                            .arg(stashedMicrobatches(PipelineSchedule::OneFOneB, m, stages, 0))));
            }
        }
    }
}

namespace {

/// One device running every block, M micro-batches of one sample, 1F1B.
ClusterDecision oneStage(const Scenario &s, int microbatches)
{
    ClusterDecision d;
    d.mode = ClusterDecision::Mode::Pipeline;
    d.schedule = PipelineSchedule::OneFOneB;
    d.microbatches = microbatches;
    d.microbatchSize = 1;
    d.controlUnitShare = 1.0;
    StageDecision st;
    st.device = 0;
    st.firstBlock = 0;
    st.lastBlock = s.model.encoderBlocks - 1;
    st.powerW = s.topology.clusters[0].devices[0].maxPowerW;
    d.stages.push_back(st);
    return d;
}

} // namespace

// A single fast device feeding a slow edge: the D2E send, the edge's head and the gradient back
// take about as long as each other, far longer than the device's compute. The device keeps two
// micro-batches in flight (its own and the edge's), so a micro-batch leaves every round trip / 2
// — slower than any one resource, faster than one micro-batch at a time.
void Surrogate::oneStagePaceMatchesTheEngine()
{
    Scenario s = testing::randomScenario(5, 1, 1, 2);
    s.optimizer.microbatchMode = MicrobatchMode::Count;
    s.optimizer.edgeOffload = false;
    s.training.microbatchSize = 1;
    s.topology.clusters[0].devices[0].computeFlops = 1e16;
    s.topology.clusters[0].controlUnit.computeFlops = 1e16;
    const ClusterChannel ch = ChannelModel(s.topology, 1).stateForRound(0).clusters[0];
    // Slow the edge down until its head takes as long as the D2E send.
    const ClusterCost probe = evaluateCluster(s, 0, ch, oneStage(s, 1));
    s.topology.edgeServers[0].computeFlops
        *= (probe.edgeFwdS + probe.edgeBwdS) / probe.stages[0].tSendS;
    const ClusterCost c = evaluateCluster(s, 0, ch, oneStage(s, 1));
    const StageCost &st = c.stages[0];
    const double roundTrip
        = st.tFwdS + st.tSendS + c.edgeFwdS + c.edgeBwdS + c.edgeSendGradS + st.tBwdS;
    const double slowestResource = std::max({c.embedS, c.controlUnitSendS, st.tFwdS + st.tBwdS,
        st.tSendS, c.edgeFwdS + c.edgeBwdS, c.edgeSendGradS, st.tSendGradS});
    QVERIFY2(roundTrip / 2.0 > 1.1 * slowestResource,
        qPrintable(QStringLiteral("premise: round trip %1 s, slowest resource %2 s")
                       .arg(roundTrip)
                       .arg(slowestResource)));

    // Pace = growth per extra micro-batch: the engine's makespan and the surrogate's
    // objective (queues empty: Σ t + (M − 1)·pace, nothing else depends on M here).
    ClusterSurrogate model(s, 0, ch, ClusterWeights{});
    auto surrogate = [&](int m) {
        model.setMicrobatches(m);
        return model.objective(oneStage(s, m));
    };
    auto engine = [&](int m) { return evaluateCluster(s, 0, ch, oneStage(s, m)).makespanS; };
    const double enginePace = (engine(16) - engine(8)) / 8.0;
    const double surrogatePace = (surrogate(16) - surrogate(8)) / 8.0;
    QVERIFY2(std::abs(enginePace - roundTrip / 2.0) <= 0.01 * enginePace,
        qPrintable(QStringLiteral("engine pace %1 s, round trip / 2 = %2 s")
                       .arg(enginePace)
                       .arg(roundTrip / 2.0)));
    QVERIFY2(std::abs(surrogatePace - enginePace) <= 0.02 * enginePace,
        qPrintable(QStringLiteral("surrogate pace %1 s per micro-batch, engine %2 s (round "
                                  "trip %3 s)")
                       .arg(surrogatePace)
                       .arg(enginePace)
                       .arg(roundTrip)));
}

QTEST_GUILESS_MAIN(Surrogate)
#include "tst_surrogate.moc"
