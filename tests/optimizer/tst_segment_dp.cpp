// SPDX-License-Identifier: MIT
// The segment DP against brute force on random surrogate problems (spec §6 step 2.1).
#include "core/optimizer/segment_dp.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace collapipe;

namespace {

SegmentProblem randomProblem(std::mt19937_64 &rng, int positions, int blocks, bool tightMemory)
{
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    SegmentProblem p;
    p.positions = positions;
    p.blocks = blocks;
    p.bottleneckWeight = double(std::uniform_int_distribution<int>(0, 15)(rng));
    p.fixedTime = 0.05 * unit(rng);
    p.fixedSum = p.fixedTime + 0.01 * unit(rng);
    // Half the problems carry the 1F1B window bound, the engine's min(M, S − j + 1).
    if (unit(rng) < 0.5) {
        const int microbatches = int(p.bottleneckWeight) + 1;
        for (int s = 1; s <= positions; ++s) {
            p.inFlight.push_back(std::min(microbatches, s + 1));
        }
    }
    p.loopBase = 0.05 * unit(rng);
    for (int k = 0; k < positions; ++k) {
        p.computePerBlock.push_back(0.02 + 0.2 * unit(rng));
        p.extraPerBlock.push_back(0.05 * unit(rng));
        std::vector<int> limits;
        const int base = tightMemory ? 1 + int(unit(rng) * 4) : blocks;
        for (int s = 1; s <= positions; ++s) {
            // 1F1B-like: more stages after → more stash → fewer blocks fit.
            limits.push_back(std::max(0, base - (tightMemory ? (s - 1) / 2 : 0)));
        }
        p.maxBlocks.push_back(limits);
        p.headTime.push_back(0.1 * unit(rng));
        p.headExtra.push_back(0.01 * unit(rng));
        p.headOccupancy.push_back(p.headTime.back() * (0.5 + 0.5 * unit(rng)));
    }
    p.linkTime.assign(std::size_t(positions * (positions + 1)), 0.0);
    p.linkExtra.assign(p.linkTime.size(), 0.0);
    p.linkOccupancy.assign(p.linkTime.size(), 0.0);
    for (int a = 0; a < positions; ++a) {
        for (int b = a + 1; b <= positions; ++b) {
            p.linkTime[std::size_t(a * (positions + 1) + b)] = 0.15 * unit(rng);
            p.linkExtra[std::size_t(a * (positions + 1) + b)] = 0.02 * unit(rng);
            p.linkOccupancy[std::size_t(a * (positions + 1) + b)]
                = p.linkTime[std::size_t(a * (positions + 1) + b)] * (0.5 + 0.5 * unit(rng));
        }
    }
    return p;
}

bool planRespectsProblem(const SegmentProblem &p, const SegmentPlan &plan, QString *why)
{
    int next = 0;
    int lastPos = -1;
    const int S = int(plan.stages.size());
    for (int j = 0; j < S; ++j) {
        const auto &st = plan.stages[std::size_t(j)];
        if (st.firstBlock != next || st.blockCount < 1 || st.position <= lastPos) {
            *why = QStringLiteral("stage %1 not contiguous/ordered").arg(j);
            return false;
        }
        if (st.blockCount > p.maxBlocks[std::size_t(st.position)][std::size_t(S - j - 1)]) {
            *why = QStringLiteral("stage %1 violates memory").arg(j);
            return false;
        }
        next += st.blockCount;
        lastPos = st.position;
    }
    if (plan.edgeBlocks < 0 || plan.edgeBlocks > std::min(p.edgeMaxBlocks, p.blocks - 1)) {
        *why = QStringLiteral("edge tail of %1 blocks, at most %2 allowed")
                   .arg(plan.edgeBlocks)
                   .arg(p.edgeMaxBlocks);
        return false;
    }
    if (next + plan.edgeBlocks != p.blocks) {
        *why = QStringLiteral("covers %1 + %2 (edge) of %3 blocks")
                   .arg(next)
                   .arg(plan.edgeBlocks)
                   .arg(p.blocks);
        return false;
    }
    return true;
}

} // namespace

class TestSegmentDp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesBruteForce_data()
    {
        QTest::addColumn<int>("positions");
        QTest::addColumn<int>("blocks");
        QTest::addColumn<bool>("tight");
        QTest::addColumn<bool>("edgeTail");
        QTest::newRow("K2 L4") << 2 << 4 << false << false;
        QTest::newRow("K3 L6") << 3 << 6 << false << false;
        QTest::newRow("K4 L8") << 4 << 8 << false << false;
        QTest::newRow("K5 L7 tight memory") << 5 << 7 << true << false;
        QTest::newRow("K4 L8 tight memory") << 4 << 8 << true << false;
        QTest::newRow("K3 L6 edge tail") << 3 << 6 << false << true;
        QTest::newRow("K4 L8 edge tail") << 4 << 8 << false << true;
        QTest::newRow("K5 L7 tight memory, edge tail") << 5 << 7 << true << true;
    }

    void matchesBruteForce()
    {
        QFETCH(int, positions);
        QFETCH(int, blocks);
        QFETCH(bool, tight);
        QFETCH(bool, edgeTail);
        std::mt19937_64 rng(positions * 100 + blocks + (tight ? 7 : 0) + (edgeTail ? 13 : 0));
        int usedTail = 0;
        for (int trial = 0; trial < 40; ++trial) {
            SegmentProblem p = randomProblem(rng, positions, blocks, tight);
            if (edgeTail) {
                // An edge as fast as the devices or faster, holding up to all but one block.
                std::uniform_real_distribution<double> unit(0.0, 1.0);
                p.edgeMaxBlocks = 1 + int(unit(rng) * (blocks - 1));
                p.edgeBase = p.fixedTime * unit(rng);
                p.edgePerBlock = 0.2 * unit(rng) * unit(rng);
            }
            const SegmentPlan dp = solveSegments(p);
            const SegmentPlan brute = solveSegmentsBruteForce(p);
            QCOMPARE(dp.feasible, brute.feasible);
            if (!brute.feasible) {
                continue;
            }
            QVERIFY2(std::abs(dp.objective - brute.objective) <= 1e-9 * brute.objective,
                qPrintable(QStringLiteral("trial %1: dp %2 vs brute %3")
                               .arg(trial)
                               .arg(dp.objective, 0, 'g', 12)
                               .arg(brute.objective, 0, 'g', 12)));
            QString why;
            QVERIFY2(planRespectsProblem(p, dp, &why), qPrintable(why));
            QCOMPARE(dp.edgeBlocks, brute.edgeBlocks);
            usedTail += dp.edgeBlocks > 0 ? 1 : 0;
        }
        // The edge rows must exercise the tail (and the others can never use it).
        QVERIFY(edgeTail ? usedTail > 0 : usedTail == 0);
    }

    void boundAboveTheResultKeepsThePlan()
    {
        // The repair bounds its first DP by a plan of its space (issue [6/7], dssda_repair.cpp):
        // with a bound above the unbounded DP's result, at any label cap, the bounded DP must
        // return that very plan (same stages, same bits), and none with a bound at or below it.
        std::mt19937_64 rng(61);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int compared = 0;
        for (int trial = 0; trial < 300; ++trial) {
            const int positions = 2 + trial % 5;
            const int blocks = positions + 2 + trial % 7;
            SegmentProblem p = randomProblem(rng, positions, blocks, trial % 3 == 0);
            if (trial % 2 == 1) {
                p.edgeMaxBlocks = 1 + int(unit(rng) * (blocks - 1));
                p.edgeBase = p.fixedTime * unit(rng);
                p.edgePerBlock = 0.2 * unit(rng) * unit(rng);
            }
            const int labels = 1 + trial % 4;
            const SegmentPlan free = solveSegments(p, labels);
            if (!free.feasible) {
                continue;
            }
            for (double above : {1e-9, 1e-3, 0.5, 10.0}) {
                const SegmentPlan bounded
                    = solveSegments(p, labels, free.objective * (1.0 + above));
                QVERIFY2(bounded.feasible, qPrintable(QStringLiteral("trial %1").arg(trial)));
                QVERIFY(
                    std::memcmp(&bounded.objective, &free.objective, sizeof free.objective) == 0);
                QCOMPARE(bounded.edgeBlocks, free.edgeBlocks);
                QCOMPARE(int(bounded.stages.size()), int(free.stages.size()));
                for (std::size_t j = 0; j < free.stages.size(); ++j) {
                    QCOMPARE(bounded.stages[j].position, free.stages[j].position);
                    QCOMPARE(bounded.stages[j].firstBlock, free.stages[j].firstBlock);
                    QCOMPARE(bounded.stages[j].blockCount, free.stages[j].blockCount);
                }
            }
            QVERIFY(!solveSegments(p, labels, free.objective).feasible);
            ++compared;
        }
        QVERIFY2(compared > 150, qPrintable(QStringLiteral("only %1 feasible").arg(compared)));
    }

    void edgeTailTakesTheBlocksOfSlowDevices()
    {
        std::mt19937_64 rng(11);
        SegmentProblem p = randomProblem(rng, 3, 8, false);
        for (double &t : p.computePerBlock) {
            t = 10.0; // every device far slower than the edge
        }
        p.edgeBase = p.fixedTime;
        p.edgePerBlock = 0.001;
        const SegmentPlan devicesOnly = solveSegments(p);
        QVERIFY(devicesOnly.feasible);
        QCOMPARE(devicesOnly.edgeBlocks, 0);
        p.edgeMaxBlocks = 5;
        const SegmentPlan plan = solveSegments(p);
        QVERIFY(plan.feasible);
        QCOMPARE(plan.edgeBlocks, 5); // as many as allowed …
        int onDevices = 0;
        for (const auto &st : plan.stages) {
            onDevices += st.blockCount;
        }
        QCOMPARE(onDevices, 3); // … and the devices keep the rest
        QVERIFY(plan.objective < devicesOnly.objective);
    }

    void skipsUselessDevices()
    {
        // Position 1 is hopelessly slow: the plan must give it nothing.
        std::mt19937_64 rng(3);
        SegmentProblem p = randomProblem(rng, 3, 6, false);
        p.computePerBlock[1] = 1e3;
        const SegmentPlan plan = solveSegments(p);
        QVERIFY(plan.feasible);
        for (const auto &st : plan.stages) {
            QVERIFY(st.position != 1);
        }
    }

    void infeasibleWhenNothingFits()
    {
        std::mt19937_64 rng(5);
        SegmentProblem p = randomProblem(rng, 3, 9, false);
        for (auto &limits : p.maxBlocks) {
            std::fill(limits.begin(), limits.end(), 2); // 3 devices × 2 blocks < 9
        }
        QVERIFY(!solveSegments(p).feasible);
        QVERIFY(!solveSegmentsBruteForce(p).feasible);
    }
};

QTEST_GUILESS_MAIN(TestSegmentDp)
#include "tst_segment_dp.moc"
