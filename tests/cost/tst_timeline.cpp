// SPDX-License-Identifier: MIT
// Timeline invariants (issue [2/6] "Must show"): a seeded property test over random decisions of
// both schedules, the homogeneous bubble formula, 1F1B/GPipe stash bounds, event order.
#include "core/cost/cluster_cost.h"
#include "core/cost/timeline.h"
#include "make_scenario.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

using namespace collapipe;
using namespace collapipe::test;

namespace {

using Key = std::tuple<int, int, int>; // kind, stage, micro-batch

// Checks every invariant; returns an empty string or the first violation.
QString checkTimeline(const Timeline &t, int stages, int microbatches, int iterations)
{
    const double eps = 1e-9 * std::max(1.0, t.makespanS);
    // 1. Sorted by start, and makespan = last end.
    double lastEnd = 0.0;
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        if (i > 0 && t.events[i].startS < t.events[i - 1].startS) {
            return QStringLiteral("events not sorted at %1").arg(i);
        }
        if (t.events[i].endS < t.events[i].startS) {
            return QStringLiteral("negative duration at %1").arg(i);
        }
        lastEnd = std::max(lastEnd, t.events[i].endS);
    }
    if (std::abs(lastEnd - t.makespanS) > eps) {
        return QStringLiteral("makespan %1 != last end %2").arg(t.makespanS).arg(lastEnd);
    }
    // 2. No overlap on one resource (device, CU, edge, one link direction).
    std::map<std::tuple<int, int, int>, std::vector<std::pair<double, double>>> byResource;
    for (const TimelineEvent &e : t.events) {
        byResource[{int(e.resource.kind), e.resource.from, e.resource.to}].push_back(
            {e.startS, e.endS});
    }
    for (auto &[res, spans] : byResource) {
        std::sort(spans.begin(), spans.end());
        for (std::size_t i = 1; i < spans.size(); ++i) {
            if (spans[i].first < spans[i - 1].second - eps) {
                return QStringLiteral("overlap on resource (%1,%2,%3) at %4")
                    .arg(std::get<0>(res))
                    .arg(std::get<1>(res))
                    .arg(std::get<2>(res))
                    .arg(spans[i].first);
            }
        }
    }
    // 3. Dependencies, and the list order respects them (execution-order contract).
    std::map<Key, std::pair<const TimelineEvent *, std::size_t>> at;
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const TimelineEvent &e = t.events[i];
        int stage = e.stage;
        if (e.kind == EventKind::SendActivation && e.resource.to == kEdgeServerNode) {
            stage = stages; // the hop into the edge
        }
        if (e.kind == EventKind::SendGradient && e.resource.from == kEdgeServerNode) {
            stage = stages;
        }
        at[{int(e.kind), stage, e.microbatch}] = {&e, i};
    }
    auto need = [&](Key before, Key after) -> QString {
        const auto a = at.find(before);
        const auto b = at.find(after);
        if (a == at.end() || b == at.end()) {
            return QStringLiteral("missing event kind %1 stage %2 mb %3")
                .arg(std::get<0>(a == at.end() ? before : after))
                .arg(std::get<1>(a == at.end() ? before : after))
                .arg(std::get<2>(a == at.end() ? before : after));
        }
        if (b->second.first->startS < a->second.first->endS - eps
            || b->second.second < a->second.second) {
            return QStringLiteral("dependency broken: kind %1 st %2 mb %3 -> kind %4 st %5 mb %6")
                .arg(std::get<0>(before))
                .arg(std::get<1>(before))
                .arg(std::get<2>(before))
                .arg(std::get<0>(after))
                .arg(std::get<1>(after))
                .arg(std::get<2>(after));
        }
        return {};
    };
    const int F = int(EventKind::Forward);
    const int B = int(EventKind::Backward);
    const int SA = int(EventKind::SendActivation);
    const int SG = int(EventKind::SendGradient);
    for (int m = 0; m < microbatches * iterations; ++m) {
        std::vector<QString> problems;
        problems.push_back(need({int(EventKind::Embed), -1, m}, {SA, 0, m}));
        for (int j = 0; j < stages; ++j) {
            problems.push_back(need({SA, j, m}, {F, j, m}));
            problems.push_back(need({F, j, m}, {SA, j + 1, m}));
            problems.push_back(need({F, j, m}, {B, j, m}));
            problems.push_back(need({SG, j + 1, m}, {B, j, m}));
            problems.push_back(need({B, j, m}, {SG, j, m}));
            if (j + 1 < stages) {
                problems.push_back(need({B, j + 1, m}, {SG, j + 1, m}));
            }
        }
        problems.push_back(need({SA, stages, m}, {int(EventKind::DecoderForward), -1, m}));
        problems.push_back(need(
            {int(EventKind::DecoderForward), -1, m}, {int(EventKind::DecoderBackward), -1, m}));
        problems.push_back(need({int(EventKind::DecoderBackward), -1, m}, {SG, stages, m}));
        if (m >= microbatches) { // next iteration starts after the previous one ended
            problems.push_back(need({SG, 0, m - microbatches}, {int(EventKind::Embed), -1, m}));
        }
        for (const QString &p : problems) {
            if (!p.isEmpty()) {
                return p;
            }
        }
    }
    // 4. Upload after the pipeline, aggregation after the upload.
    for (const TimelineEvent &e : t.events) {
        if (e.kind == EventKind::Upload && e.startS < t.pipelineS - eps) {
            return QStringLiteral("upload before the pipeline ended");
        }
        if (e.kind == EventKind::Aggregate && e.startS < t.uploadEndS - eps) {
            return QStringLiteral("aggregation before the upload ended");
        }
    }
    return {};
}

} // namespace

class TstTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomDecisionsKeepInvariants()
    {
        std::mt19937_64 rng(20260923);
        int checked = 0;
        for (int trial = 0; trial < 240; ++trial) {
            const int k = 1 + int(rng() % 8);
            Scenario s = lineScenario(k);
            std::uniform_real_distribution<double> flops(0.3e12, 5e12);
            for (Device &d : s.topology.clusters[0].devices) {
                d.computeFlops = flops(rng);
                d.position = {double(rng() % 200), double(rng() % 200)};
            }
            s.training.localIterations = 1 + int(rng() % 2);
            s.training.microbatchSize = 1 + int(rng() % 8);
            s.topology.d2d.bandwidthHz = (trial % 3 == 0) ? 1e6 : 20e6; // transfer-bound too
            s.model.encoderBlocks = k + int(rng() % 13);
            // Random device order, random contiguous cut with every used device ≥ 1 block.
            std::vector<int> order(k);
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            const int stages = 1 + int(rng() % k);
            std::vector<int> blocks(stages, 1);
            for (int extra = s.model.encoderBlocks - stages; extra > 0; --extra) {
                ++blocks[rng() % stages];
            }
            ClusterDecision d;
            d.microbatches = 1 + int(rng() % 12);
            d.microbatchSize = s.training.microbatchSize;
            d.schedule = trial % 2 ? PipelineSchedule::OneFOneB : PipelineSchedule::GPipe;
            std::uniform_real_distribution<double> share(0.05, 1.0);
            d.controlUnitShare = share(rng) / stages;
            int next = 0;
            for (int j = 0; j < stages; ++j) {
                StageDecision st;
                st.device = order[j];
                st.firstBlock = next;
                st.lastBlock = next + blocks[j] - 1;
                next += blocks[j];
                st.bandwidthShare = share(rng) / stages;
                st.powerW = 0.01 + 0.19 * share(rng);
                d.stages.push_back(st);
            }
            const ChannelState ch = ChannelModel(s.topology, trial).stateForRound(trial);
            const Timeline t = buildTimeline(s, 0, ch.clusters[0], d);
            const QString problem
                = checkTimeline(t, stages, d.microbatches, s.training.localIterations);
            QVERIFY2(problem.isEmpty(),
                qPrintable(QStringLiteral("trial %1 (S=%2 M=%3 %4): %5")
                               .arg(trial)
                               .arg(stages)
                               .arg(d.microbatches)
                               .arg(trial % 2 ? QStringLiteral("1f1b") : QStringLiteral("gpipe"),
                                   problem)));
            // The Gantt and the evaluator agree to rounding.
            const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], d);
            QCOMPARE(t.iterationS, c.makespanS);
            QVERIFY(std::abs(t.uploadEndS - c.latencyS) <= 1e-9 * c.latencyS);
            // Stash: GPipe holds M; 1F1B min(M, S − j + 1) (0-based j; the edge is the chain's
            // last stage, so device stage j has S − j stages after it).
            for (int j = 0; j < stages; ++j) {
                const int bound = d.schedule == PipelineSchedule::GPipe
                    ? d.microbatches
                    : std::min(d.microbatches, stages - j + 1);
                QCOMPARE(t.peakStashed[j], bound);
            }
            ++checked;
        }
        QCOMPARE(checked, 240);
    }

    void homogeneousBubble_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::addColumn<int>("stages");
        QTest::addColumn<int>("m");
        for (int sched : {int(PipelineSchedule::GPipe), int(PipelineSchedule::OneFOneB)}) {
            for (auto [st, m] : {std::pair{2, 1}, {4, 4}, {4, 8}, {3, 16}, {6, 5}, {1, 7}}) {
                QTest::addRow("%s-S%d-M%d", sched ? "1f1b" : "gpipe", st, m) << sched << st << m;
            }
        }
    }
    void homogeneousBubble()
    {
        QFETCH(int, schedule);
        QFETCH(int, stages);
        QFETCH(int, m);
        Scenario s = lineScenario(stages, 1e12, true);
        s.model.encoderBlocks = 2 * stages;
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        const ClusterDecision d
            = chainDecision(s, std::vector<int>(stages, 2), m, PipelineSchedule(schedule));
        const Timeline t = buildTimeline(s, 0, ch.clusters[0], d);
        const double expected = double(stages - 1) / double(m + stages - 1);
        QVERIFY2(std::abs(t.bubbleFraction - expected) < 1e-4, // µs transfers remain
            qPrintable(
                QStringLiteral("bubble %1 expected %2").arg(t.bubbleFraction).arg(expected)));
        // Homogeneous: efficiency = 1 − bubble.
        QVERIFY(std::abs(t.computationEfficiency - (1 - expected)) < 1e-4);
        for (int j = 0; j < stages; ++j) {
            const int bound
                = schedule == int(PipelineSchedule::GPipe) ? m : std::min(m, stages - j + 1);
            QCOMPARE(t.peakStashed[j], bound);
        }
    }

    void oneFOneBCountsTheEdgeStage_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("edge-tail") << int(ClusterDecision::Mode::EdgeTail);
        QTest::newRow("pipeline") << int(ClusterDecision::Mode::Pipeline);
    }
    void oneFOneBCountsTheEdgeStage()
    {
        // Issue 13 finding 4: the edge runs the head/decoder (and the tail) of every
        // micro-batch, so it is the chain's last pipeline stage. With one device stage, 1F1B
        // therefore runs one warm-up forward: micro-batch m + 1 crosses D2E while m's round trip
        // is under way, instead of one micro-batch at a time.
        QFETCH(int, mode);
        Scenario s = lineScenario(1);
        s.topology.edgeServers[0].position = {0.0, 300.0}; // D2E hops dominate the round trip
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        ClusterDecision d = chainDecision(s,
            {mode == int(ClusterDecision::Mode::EdgeTail) ? 1 : 12}, 8, PipelineSchedule::OneFOneB);
        d.mode = ClusterDecision::Mode(mode);
        d.controlUnitShare = 1.0;
        const Timeline t = buildTimeline(s, 0, ch.clusters[0], d);
        QCOMPARE(t.peakStashed[0], 2);
        std::vector<std::pair<bool, int>> order; // device 0's ops, first iteration
        double firstGradArrives = -1.0;
        double secondActLeaves = -1.0;
        for (const TimelineEvent &e : t.events) {
            if (e.microbatch >= 8) {
                continue;
            }
            if (e.resource.kind == ResourceKind::Device) {
                order.push_back({e.kind == EventKind::Backward, e.microbatch});
            }
            if (e.kind == EventKind::SendGradient && e.resource.from == kEdgeServerNode
                && e.microbatch == 0) {
                firstGradArrives = e.endS;
            }
            if (e.kind == EventKind::SendActivation && e.resource.to == kEdgeServerNode
                && e.microbatch == 1) {
                secondActLeaves = e.startS;
            }
        }
        QCOMPARE(order.size(), std::size_t(16));
        QCOMPARE(order[0], (std::pair<bool, int>{false, 0}));
        QCOMPARE(order[1], (std::pair<bool, int>{false, 1})); // the warm-up forward
        QCOMPARE(order[2], (std::pair<bool, int>{true, 0}));
        QVERIFY2(secondActLeaves < firstGradArrives,
            qPrintable(QStringLiteral("micro-batch 1 leaves at %1 s, 0's gradient arrives at %2 s")
                           .arg(secondActLeaves)
                           .arg(firstGradArrives)));
        // One at a time, each micro-batch would pay the whole round trip: the makespan is now
        // well below that.
        const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], d);
        const StageCost &st = c.stages[0];
        const double roundTrip
            = st.tFwdS + st.tSendS + c.edgeFwdS + c.edgeBwdS + c.edgeSendGradS + st.tBwdS;
        QVERIFY2(c.makespanS < 0.8 * 8 * roundTrip,
            qPrintable(QStringLiteral("makespan %1 s, 8 round trips %2 s")
                           .arg(c.makespanS)
                           .arg(8 * roundTrip)));
    }

    void moreMicrobatchesLowerBubble()
    {
        Scenario s = lineScenario(4);
        const ChannelState ch = ChannelModel(s.topology, 9).stateForRound(0);
        for (auto sched : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
            double previous = 1.0;
            for (int m : {1, 2, 3, 6, 12, 24}) {
                const Timeline t
                    = buildTimeline(s, 0, ch.clusters[0], chainDecision(s, {2, 4, 3, 3}, m, sched));
                QVERIFY2(t.bubbleFraction < previous, qPrintable(QString::number(m)));
                previous = t.bubbleFraction;
            }
        }
    }

    void roundTimelinesAlignAggregation()
    {
        Scenario s = lineScenario(3);
        s.topology.clusters.push_back(s.topology.clusters[0]);
        s.topology.clusters[1].devices[0].computeFlops = 0.2e12;
        const ChannelState ch = ChannelModel(s.topology, 4).stateForRound(1);
        Decision d;
        d.clusters.push_back(chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::GPipe));
        d.clusters.push_back(chainDecision(s, {4, 4, 4}, 4, PipelineSchedule::GPipe));
        const std::vector<Timeline> ts = buildRoundTimelines(s, ch, d);
        const RoundCost r = evaluateRound(s, ch, d);
        QCOMPARE(int(ts.size()), 2);
        for (const Timeline &t : ts) {
            QVERIFY(std::abs(t.makespanS - r.systemLatencyS) < 1e-9 * r.systemLatencyS);
        }
    }

    void baselineTimelines()
    {
        const Scenario s = lineScenario(3);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        ClusterDecision fl = chainDecision(s, {12, 12, 12}, 2, PipelineSchedule::GPipe);
        fl.mode = ClusterDecision::Mode::FederatedFull;
        for (auto &st : fl.stages) {
            st.firstBlock = 0;
            st.lastBlock = 11;
        }
        const Timeline t = buildTimeline(s, 0, ch.clusters[0], fl);
        int forwards = 0;
        for (const TimelineEvent &e : t.events) {
            QVERIFY(e.resource.kind != ResourceKind::ControlUnit);
            forwards += e.kind == EventKind::Forward ? 1 : 0;
        }
        QCOMPARE(forwards, 3);
        const ClusterCost c = evaluateCluster(s, 0, ch.clusters[0], fl);
        QVERIFY(std::abs(t.iterationS - c.makespanS) < 1e-12);
        QVERIFY(std::abs(t.uploadEndS - c.latencyS) < 1e-9 * c.latencyS);
    }
};

QTEST_GUILESS_MAIN(TstTimeline)
#include "tst_timeline.moc"
