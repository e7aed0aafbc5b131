// SPDX-License-Identifier: MIT
// One thread pool (issue [3/7] "the plumbing"): parallelFor never uses more threads than asked,
// and DSSDA sizes its cluster solves by training.threads (it used hardware_concurrency(), so a
// run with threads = 1 still started a thread per core) with the same decision for 1 and 2.
#include "bundled_scenario.h"
#include "core/channel/channel_model.h"
#include "core/optimizer/dssda_policy.h"
#include "core/scenario/parallel_for.h"
#include "core/scenario/scenario_generator.h"
#include "optimizer_fixtures.h"
#include "tests/sanitizer_build.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>

using namespace collapipe;

namespace {

/// CPU time of this process, ms (all threads).
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// Threads of this process now ("Threads:" of /proc/self/status); −1 when unreadable.
int processThreads()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("Threads:")) {
            return line.mid(8).trimmed().toInt();
        }
    }
    return -1;
}

/// The most threads this process had while `work` ran, sampled by one extra thread (counted).
int peakThreadsDuring(const std::function<void()> &work)
{
    std::atomic<bool> done{false};
    std::atomic<int> peak{0};
    std::thread sampler([&] {
        while (!done.load()) {
            peak.store(std::max(peak.load(), processThreads()));
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    work();
    done.store(true);
    sampler.join();
    return peak.load();
}

Scenario eightClusters(int threads)
{
    Scenario s = testing::randomScenario(17, 8, 6, 12);
    s.topology.d2d.fading = FadingModel::Rayleigh;
    s.topology.d2e.fading = FadingModel::Rayleigh;
    s.training.threads = threads;
    return s;
}

/// The decisions of `rounds` rounds of DSSDA on `s` (queues at zero, or `queues` if given).
std::vector<Decision> decide(const Scenario &s, int rounds, QString *error,
    const std::vector<std::vector<double>> *queues = nullptr)
{
    ChannelModel channels(s.topology, 3);
    DssdaPolicy policy;
    std::vector<Decision> out;
    for (int t = 0; t < rounds; ++t) {
        const ChannelState ch = channels.stateForRound(t);
        PolicyState state;
        state.round = t;
        state.scenario = &s;
        state.channel = &ch;
        state.energyQueues = queues;
        state.previous = out.empty() ? nullptr : &out.back();
        Decision d;
        if (!policy.decide(state, &d, error)) {
            return {};
        }
        out.push_back(std::move(d));
    }
    return out;
}

/// FNV-1a over every field of every decision (doubles by their bits): equal digests mean
/// bit-identical decisions.
quint64 digestOf(const std::vector<Decision> &decisions)
{
    quint64 h = 1469598103934665603ull;
    auto mix = [&h](const void *data, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) {
            h = (h ^ static_cast<const unsigned char *>(data)[i]) * 1099511628211ull;
        }
    };
    for (const Decision &d : decisions) {
        for (const ClusterDecision &c : d.clusters) {
            const int head[] = {c.microbatches, c.microbatchSize, int(c.schedule), int(c.mode),
                int(c.stages.size())};
            mix(head, sizeof head);
            mix(&c.controlUnitShare, sizeof c.controlUnitShare);
            for (const StageDecision &st : c.stages) {
                const int blocks[] = {st.device, st.firstBlock, st.lastBlock};
                mix(blocks, sizeof blocks);
                mix(&st.bandwidthShare, sizeof st.bandwidthShare);
                mix(&st.powerW, sizeof st.powerW);
            }
        }
    }
    return h;
}

QString firstDifference(const std::vector<Decision> &a, const std::vector<Decision> &b)
{
    if (a.size() != b.size()) {
        return QStringLiteral("%1 vs %2 rounds").arg(a.size()).arg(b.size());
    }
    for (std::size_t t = 0; t < a.size(); ++t) {
        for (std::size_t n = 0; n < a[t].clusters.size(); ++n) {
            const ClusterDecision &x = a[t].clusters[n];
            const ClusterDecision &y = b[t].clusters[n];
            bool same = x.microbatches == y.microbatches && x.microbatchSize == y.microbatchSize
                && x.mode == y.mode && x.controlUnitShare == y.controlUnitShare
                && x.stages.size() == y.stages.size();
            for (std::size_t k = 0; same && k < x.stages.size(); ++k) {
                same = x.stages[k].device == y.stages[k].device
                    && x.stages[k].firstBlock == y.stages[k].firstBlock
                    && x.stages[k].lastBlock == y.stages[k].lastBlock
                    && x.stages[k].bandwidthShare == y.stages[k].bandwidthShare
                    && x.stages[k].powerW == y.stages[k].powerW;
            }
            if (!same) {
                return QStringLiteral("round %1 cluster %2 differs").arg(t).arg(n);
            }
        }
    }
    return {};
}

} // namespace

class TestDssdaThreads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parallelForUsesAtMostThreads_data()
    {
        QTest::addColumn<int>("threads");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("3") << 3;
    }

    void parallelForUsesAtMostThreads()
    {
        QFETCH(int, threads);
        const int n = 40;
        std::mutex mutex;
        std::set<std::thread::id> ids;
        std::vector<int> runs(n, 0);
        parallelFor(n, threads, [&](int i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            std::lock_guard<std::mutex> lock(mutex);
            ids.insert(std::this_thread::get_id());
            ++runs[std::size_t(i)];
        });
        QVERIFY2(int(ids.size()) <= threads, qPrintable(QString::number(ids.size())));
        QCOMPARE(std::count(runs.begin(), runs.end(), 1), n); // each index exactly once
        if (threads == 1) {
            QVERIFY(ids.count(std::this_thread::get_id()) == 1); // inline on the caller
        }
    }

    void dssdaHonoursTrainingThreads()
    {
        // Measured: with threads = 1 no thread is started beside the caller (and the sampler).
        const int before = processThreads();
        QVERIFY(before > 0);
        QString error;
        const Scenario one = eightClusters(1);
        const int peakOne = peakThreadsDuring([&] { decide(one, 6, &error); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(peakOne <= before + 1,
            qPrintable(QStringLiteral("%1 threads at peak, %2 before").arg(peakOne).arg(before)));
        const Scenario two = eightClusters(2);
        const int peakTwo = peakThreadsDuring([&] { decide(two, 6, &error); });
        QVERIFY2(peakTwo <= before + 2,
            qPrintable(QStringLiteral("%1 threads at peak, %2 before").arg(peakTwo).arg(before)));
        QCOMPARE(DssdaPolicy::solverThreads(eightClusters(1)), 1);
        QCOMPARE(DssdaPolicy::solverThreads(eightClusters(2)), 2);
        QCOMPARE(DssdaPolicy::solverThreads(eightClusters(64)), 8); // never above the clusters
        QCOMPARE(DssdaPolicy::solverThreads(eightClusters(0)), std::min(8, physicalCoreCount()));
    }

    void sameDecisionForOneAndTwoThreads()
    {
        QString error;
        const std::vector<Decision> one = decide(eightClusters(1), 5, &error);
        QVERIFY2(one.size() == 5, qPrintable(error));
        const std::vector<Decision> two = decide(eightClusters(2), 5, &error);
        QVERIFY2(two.size() == 5, qPrintable(error));
        const QString diff = firstDifference(one, two);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void memoKeepsDecisions_data()
    {
        QTest::addColumn<bool>("autoSchedule");
        QTest::newRow("1f1b") << false;
        QTest::newRow("auto") << true;
    }

    void memoKeepsDecisions()
    {
        // Issue [5/7]: the policy keeps each cluster's per-M memory tables across rounds
        // (SurrogateMemo). Its decisions must equal solves from scratch bit for bit, and a memo
        // filled for other inputs (here other memory capacities) must be refilled, not read.
        // With `auto` the policy also shares one 1F1B copy of the scenario among the clusters
        // (oneFOneBScenario()) where a lone solveCluster() makes its own.
        QFETCH(bool, autoSchedule);
        Scenario s = eightClusters(1);
        s.optimizer.autoSchedule = autoSchedule;
        QVERIFY(oneFOneBScenario(s).has_value() == autoSchedule);
        QString error;
        const std::vector<Decision> kept = decide(s, 4, &error);
        QVERIFY2(kept.size() == 4, qPrintable(error));
        ChannelModel channels(s.topology, 3);
        Scenario other = s;
        for (Device &device : other.topology.clusters[0].devices) {
            device.memoryBytes *= 0.4;
        }
        SurrogateMemo stale;
        const ChannelState first = channels.stateForRound(0);
        solveCluster(other, 0, first.clusters[0], clusterWeights(other, 0, nullptr, nullptr, true),
            DssdaOptions(), nullptr, &stale);
        QVERIFY(!stale.limitsByCapacity.empty());
        const std::size_t staleCapacities = stale.limitsByCapacity.size();
        std::vector<Decision> fresh;
        for (int t = 0; t < 4; ++t) {
            const ChannelState ch = channels.stateForRound(t);
            Decision d;
            for (int c = 0; c < int(s.topology.clusters.size()); ++c) {
                const ClusterDecision *previous
                    = fresh.empty() ? nullptr : &fresh.back().clusters[std::size_t(c)];
                ClusterSolution solution = solveCluster(s, c, ch.clusters[std::size_t(c)],
                    clusterWeights(s, c, nullptr, nullptr, true), DssdaOptions(), previous,
                    c == 0 ? &stale : nullptr);
                QVERIFY2(solution.feasible, qPrintable(solution.error));
                d.clusters.push_back(std::move(solution.decision));
            }
            fresh.push_back(std::move(d));
        }
        // Limits are kept per device memory: the other capacities' rows were not read, the
        // scenario's own were added.
        QVERIFY2(stale.limitsByCapacity.size() > staleCapacities,
            "the stale memo was read, not refilled");
        const QString diff = firstDifference(kept, fresh);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void memoOutlivesDeviceSetChanges()
    {
        // Issue [6/7]: under churn a cluster is solved over changing sets of devices (each
        // fail-over, the next round with a device back). The memo keeps its device-independent
        // per-M memory table across them (SurrogateMemo::needByM) and its limits per device
        // memory (limitsByCapacity): every solve must equal the same solve without a memo, bit
        // for bit.
        const Scenario s = eightClusters(1);
        const int K = int(s.topology.clusters[0].devices.size());
        QVERIFY(K >= 3);
        auto without = [&s](int gone) {
            Scenario cut = s;
            auto &devices = cut.topology.clusters[0].devices;
            devices.erase(devices.begin() + gone);
            return cut;
        };
        // All devices, the last one away, the first one away (the others' indices shift), all.
        const std::vector<Scenario> sets{s, without(K - 1), without(0), s};
        SurrogateMemo memo;
        std::vector<Decision> kept;
        std::vector<Decision> fresh;
        std::vector<std::vector<double>> tables;
        for (std::size_t t = 0; t < sets.size(); ++t) {
            const Scenario &x = sets[t];
            const ChannelState ch = ChannelModel(x.topology, 3).stateForRound(int(t));
            const ClusterWeights w = clusterWeights(x, 0, nullptr, nullptr, true);
            Decision a;
            Decision b;
            const ClusterSolution withMemo
                = solveCluster(x, 0, ch.clusters[0], w, DssdaOptions(), nullptr, &memo);
            const ClusterSolution alone
                = solveCluster(x, 0, ch.clusters[0], w, DssdaOptions(), nullptr, nullptr);
            QVERIFY2(withMemo.feasible && alone.feasible, qPrintable(alone.error));
            a.clusters.push_back(withMemo.decision);
            b.clusters.push_back(alone.decision);
            kept.push_back(std::move(a));
            fresh.push_back(std::move(b));
            // The table of each M is only ever extended: what an earlier set filled is still
            // there (not rebuilt by the change of devices).
            for (std::size_t m = 0; m < tables.size() && m < memo.needByM.size(); ++m) {
                const std::vector<double> &now = memo.needByM[m];
                QVERIFY(now.size() >= tables[m].size());
                QVERIFY(std::equal(tables[m].begin(), tables[m].end(), now.begin()));
            }
            tables = memo.needByM;
        }
        QVERIFY(!tables.empty());
        const QString diff = firstDifference(kept, fresh);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void stopIsHonouredQuickly()
    {
        // Issue [7/7]: Ctrl+C was ignored for 40 s while one cluster of many devices was
        // planned; the solver now polls PolicyState::cancelled between its DPs.
        GeneratorRecipe recipe;
        recipe.clusters = 1;
        recipe.devicesPerCluster = 1000;
        const Scenario base = testing::loadBundled(QStringLiteral("default.json"));
        for (const Device &preset : devicePresetsOf(base)) {
            recipe.mix.push_back(PresetShare{preset, 1.0});
        }
        const Scenario s = generateScenario(base, recipe);
        ChannelModel channels(s.topology, 3);
        const ChannelState ch = channels.stateForRound(0);
        std::atomic<bool> stop{false};
        std::atomic<qint64> stoppedAtMs{0};
        std::atomic<double> stoppedAtCpuMs{0.0};
        QElapsedTimer clock;
        clock.start();
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        state.cancelled = [&stop] { return stop.load(); };
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            stoppedAtMs.store(clock.elapsed());
            stoppedAtCpuMs.store(processCpuMs());
            stop.store(true);
        });
        // Over all 1,000 devices (no device pool): the long solve the stop has to interrupt
        // (the pooled solve of tst_big_cluster finishes before 300 ms).
        DssdaPolicy policy;
        DssdaOptions options = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, s);
        options.poolFrom = 0;
        policy.setOptions(options);
        Decision decision;
        QString error;
        const bool decided = policy.decide(state, &decision, &error);
        const qint64 returnedAtMs = clock.elapsed();
        const double returnedAtCpuMs = processCpuMs();
        stopper.join();
        QVERIFY2(!decided, "the decision finished before the stop (the test needs it running)");
        QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
        // The solver's CPU time after the stop (the stopper only sleeps): on the shared, loaded
        // test machine the wall time can be many times that, which says nothing of the solver.
        const double lagCpuMs = returnedAtCpuMs - stoppedAtCpuMs.load();
        qInfo("stop honoured after %.1f ms of CPU, %lld ms wall", lagCpuMs,
            returnedAtMs - stoppedAtMs.load());
        QVERIFY2(lagCpuMs < 100.0 * test::kSlowdown,
            qPrintable(QStringLiteral("returned after %1 ms of CPU (%2 ms wall) past the stop")
                           .arg(lagCpuMs)
                           .arg(returnedAtMs - stoppedAtMs.load())));
    }

    void scaleWorkKeepsDecisions_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("devices");
        QTest::addColumn<int>("rounds");
        QTest::addColumn<quint64>("digest");
        // Digests of the solver before the scale work of issue [7/7] (commit 2b4b4a0), on
        // scenarios of `collapipe generate` (seed 11, default.json's settings, 2 threads).
        QTest::newRow("1x30") << 1 << 30 << 3 << quint64(0xe3e4a5498d22ddd6ull);
        QTest::newRow("1x120") << 1 << 120 << 2 << quint64(0xa9cd158e22fdb2d3ull);
        QTest::newRow("10x8") << 10 << 8 << 3 << quint64(0x577f003eee0101ddull);
    }

    void scaleWorkKeepsDecisions()
    {
        // Issue [7/7]: the optimizer's speed-ups (shared link tables, bounds that skip hopeless
        // DP transitions) must not change a single decision bit.
        QFETCH(int, clusters);
        QFETCH(int, devices);
        QFETCH(int, rounds);
        QFETCH(quint64, digest);
        GeneratorRecipe recipe;
        recipe.clusters = clusters;
        recipe.devicesPerCluster = devices;
        recipe.seed = 11;
        Scenario base = testing::loadBundled(QStringLiteral("default.json"));
        // The digests were taken with default.json's earlier radio and edge settings (edge tail
        // on, 10 MHz D2D): restored, so they still pin the same decisions.
        base.optimizer.edgeOffload = true;
        base.topology.d2d.bandwidthHz = 10e6;
        for (const Device &preset : devicePresetsOf(base)) {
            recipe.mix.push_back(PresetShare{preset, 1.0});
        }
        Scenario s = generateScenario(base, recipe);
        s.training.threads = 2;
        // Energy queues on, different per device, so the energy weights enter every term.
        std::vector<std::vector<double>> queues{std::size_t(clusters)};
        for (int n = 0; n < clusters; ++n) {
            for (int k = 0; k < devices; ++k) {
                queues[std::size_t(n)].push_back(0.4 * ((n + 3 * k) % 7));
            }
        }
        QString error;
        const std::vector<Decision> decisions = decide(s, rounds, &error, &queues);
        QVERIFY2(int(decisions.size()) == rounds, qPrintable(error));
        const quint64 got = digestOf(decisions);
        QVERIFY2(got == digest,
            qPrintable(QStringLiteral("digest 0x%1, expected 0x%2")
                           .arg(got, 16, 16, QLatin1Char('0'))
                           .arg(digest, 16, 16, QLatin1Char('0'))));
    }
};

QTEST_GUILESS_MAIN(TestDssdaThreads)
#include "tst_dssda_threads.moc"
