// SPDX-License-Identifier: MIT
// ExactBound (exact_bound.h), the bound the polish prunes with, against exactObjective(): never
// above it on random decisions over the whole space (both schedules, both micro-batch modes,
// edge tail or not, random shares, powers and queues), or DSSDA's decisions could change; and
// close enough below it to prune (the polish's trials mostly lose by a few percent).
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/exact_bound.h"
#include "random_instances.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace collapipe;

class TestExactBound : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void neverAboveTheExactObjective();
};

namespace {

/// A random decision of instance `s`: a random ordered subset of the devices, random block
/// counts (an edge tail when offload is on), random shares, powers and M.
ClusterDecision randomDecision(const Scenario &s, std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Cluster &c = s.topology.clusters[0];
    const int K = int(c.devices.size());
    const int L = s.model.encoderBlocks;
    std::vector<int> devices(static_cast<std::size_t>(K));
    std::iota(devices.begin(), devices.end(), 0);
    std::shuffle(devices.begin(), devices.end(), rng);
    const int onDevices = s.optimizer.edgeOffload ? 1 + int(unit(rng) * L * 0.999) : L;
    const int S = std::min(K, 1 + int(unit(rng) * std::min(K, onDevices) * 0.999));
    std::vector<int> counts(static_cast<std::size_t>(S), 1);
    for (int extra = onDevices - S; extra > 0; --extra) {
        ++counts[std::size_t(unit(rng) * S * 0.999)];
    }
    const std::vector<int> ms = candidateMicrobatches(s);
    ClusterDecision d;
    d.mode = onDevices < L ? ClusterDecision::Mode::EdgeTail : ClusterDecision::Mode::Pipeline;
    d.schedule = s.optimizer.schedule;
    d.microbatches = ms[std::size_t(unit(rng) * double(ms.size()) * 0.999)];
    d.microbatchSize = microbatchSizeFor(s.training, s.optimizer.microbatchMode, d.microbatches);
    std::vector<double> shares(static_cast<std::size_t>(S));
    for (double &x : shares) {
        x = 0.05 + unit(rng);
    }
    const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
    d.controlUnitShare = shares[0] / total;
    int first = 0;
    for (int j = 0; j < S; ++j) {
        StageDecision st;
        st.device = devices[std::size_t(j)];
        st.firstBlock = first;
        st.lastBlock = first + counts[std::size_t(j)] - 1;
        first += counts[std::size_t(j)];
        st.bandwidthShare = j + 1 < S ? shares[std::size_t(j + 1)] / total : 0.0;
        st.powerW = c.devices[std::size_t(st.device)].maxPowerW * (0.01 + 0.99 * unit(rng));
        d.stages.push_back(st);
    }
    return d;
}

} // namespace

void TestExactBound::neverAboveTheExactObjective()
{
    int finite = 0;
    double tightest = 0.0;
    std::vector<double> ratios;
    for (int index = 0; index < 160; ++index) {
        testing::RandomInstance inst = testing::randomSpaceInstance(index);
        const Scenario &s = inst.scenario;
        inst.weights.convergenceQueue = index % 3 == 0 ? 5.0 : 0.0;
        const ClusterChannel ch
            = ChannelModel(s.topology, inst.channelSeed).stateForRound(0).clusters[0];
        const ExactBound bound(s, 0, ch, inst.weights);
        std::mt19937_64 rng(77 + std::uint64_t(index));
        for (int trial = 0; trial < 40; ++trial) {
            const ClusterDecision d = randomDecision(s, rng);
            const double exact = exactObjective(s, 0, ch, inst.weights, d);
            const double lower = bound(d);
            QVERIFY2(lower <= exact,
                qPrintable(QStringLiteral("instance %1 trial %2: bound %3 above the exact %4")
                               .arg(index)
                               .arg(trial)
                               .arg(lower, 0, 'g', 17)
                               .arg(exact, 0, 'g', 17)));
            if (std::isfinite(exact)) {
                ++finite;
                ratios.push_back(lower / exact);
                tightest = std::max(tightest, lower / exact);
            }
        }
    }
    std::sort(ratios.begin(), ratios.end());
    QVERIFY2(finite > 1000, qPrintable(QStringLiteral("only %1 finite decisions").arg(finite)));
    const double median = ratios[ratios.size() / 2];
    qInfo("%d finite decisions: bound / exact min %.4f, p10 %.4f, median %.4f, max %.12f", finite,
        ratios.front(), ratios[ratios.size() / 10], median, tightest);
    // A bound far below would prune nothing: the polish's speed rests on it being tight.
    QVERIFY2(median > 0.8, qPrintable(QStringLiteral("median bound / exact %1").arg(median)));
}

QTEST_GUILESS_MAIN(TestExactBound)
#include "tst_exact_bound.moc"
