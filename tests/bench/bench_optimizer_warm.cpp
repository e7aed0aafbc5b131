// SPDX-License-Identifier: MIT
// bench_optimizer's warm mode (issue 17, core/optimizer/DSSDA.md "Warm start"): see
// bench_optimizer_warm.h.
#include "bench_optimizer_warm.h"

#include "../optimizer/round_loop.h"
#include "../optimizer/warm_compare.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/dssda_solver.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <limits>
#include <vector>

namespace collapipe::bench_warm {

namespace {

/// CPU time of this process in ms (CLOCK_PROCESS_CPUTIME_ID).
double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// The 1, 5 and 15 minute load averages (/proc/loadavg): every figure names its load.
QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly)) {
        return QStringLiteral("?");
    }
    return QString::fromLatin1(f.readLine()).section(QLatin1Char(' '), 0, 2);
}

/// One variant of the warm bench: a full solve every `every` rounds, between them DssdaOptions'
/// warm settings (warmPasses 0 = track only).
struct WarmVariant
{
    QString name;
    int every = 1;
    /// Not Off: the option itself (optimizer.warm_start), DssdaPolicy's own options (`options`
    /// unused), so the bench measures exactly what a scenario gets.
    WarmStart option = WarmStart::Off;
    DssdaOptions options;
};

/// Wraps a variant's DSSDA: times decide() (CPU) and, untimed, re-solves every cluster's state
/// with the full solver and compares the exact objectives (testing::WarmComparison).
class WarmPolicy : public Policy
{
public:
    WarmPolicy(DssdaPolicy *inner, const DssdaOptions &full)
        : m_inner(inner)
        , m_full(full)
    { }
    QString name() const override { return m_inner->name(); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override
    {
        const double c0 = cpuMs();
        const bool ok = m_inner->decide(state, out, error);
        decideMs += cpuMs() - c0;
        if (!ok) {
            return false;
        }
        const double c1 = cpuMs();
        const Scenario &s = *state.scenario;
        const std::vector<double> &mine = m_inner->lastObjectives();
        double sum = 0.0;
        for (int c = 0; c < int(s.topology.clusters.size()); ++c) {
            sum += mine[std::size_t(c)];
            ++clusterRounds;
            if (m_inner->lastKeptPlan()[std::size_t(c)]) {
                ++kept;
            }
        }
        if (compare) {
            comparison.add(state, *m_inner, m_full);
        }
        objectiveSum += sum;
        ++decisions;
        compareMs += cpuMs() - c1;
        return true;
    }
    bool compare = true;
    double decideMs = 0.0;
    double compareMs = 0.0;
    int decisions = 0;
    long clusterRounds = 0;
    long kept = 0;
    testing::WarmComparison comparison;
    double objectiveSum = 0.0;

private:
    DssdaPolicy *m_inner;
    DssdaOptions m_full;
};

} // namespace

int benchWarm(const QString &file, int rounds, const QStringList &only)
{
    Scenario base;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(QDir(bundledScenarioDir()).filePath(file), &base, &problems)) {
        std::fprintf(stderr, "usage: bench_optimizer warm FILE [rounds] [variant...]\n");
        return 2;
    }
    base.training.train = false;
    base.training.rounds = rounds;
    const DssdaOptions full = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, base);
    std::vector<WarmVariant> variants;
    auto add = [&](const char *name, int every, auto change) {
        DssdaOptions o = full;
        change(o);
        variants.push_back(WarmVariant{QString::fromLatin1(name), every, WarmStart::Off, o});
    };
    // (a) track only (today's F > 1); (b) track + the full solve's polish (2 passes, every move);
    // (c) cheaper polishes; each with a full solve every F rounds (F = 1000000: round 0 only,
    // and the 5 % trigger). `warm-struct` is optimizer.warm_start (2 passes of the structural and
    // block moves, no power or bandwidth moves).
    const auto track = [](DssdaOptions &) {};
    const auto polish = [](DssdaOptions &o) { o.warmPasses = 2; };
    const auto structOnly = [](DssdaOptions &o) {
        o.warmPasses = 2;
        o.warmScope.power = false;
        o.warmScope.bandwidthSteps = 0;
    };
    add("full", 1, track);
    for (int f : {10, 50}) {
        add(qPrintable(QStringLiteral("track-F%1").arg(f)), f, track);
    }
    for (int f : {10, 50, 1000000}) {
        add(qPrintable(QStringLiteral("warm-F%1").arg(f)), f, polish);
    }
    add("warm1pass-F1000000", 1000000, [](DssdaOptions &o) { o.warmPasses = 1; });
    add("warm-nostruct-F50", 50, [](DssdaOptions &o) {
        o.warmPasses = 2;
        o.warmScope.structure = false;
    });
    add("warm-bw1-F1000000", 1000000, [](DssdaOptions &o) {
        o.warmPasses = 2;
        o.warmScope.bandwidthSteps = 1;
    });
    for (int f : {10, 20, 50, 1000000}) {
        add(qPrintable(QStringLiteral("warm-struct-F%1").arg(f)), f, structOnly);
    }
    add("warm-struct-F50-notrigger", 50, [&](DssdaOptions &o) {
        structOnly(o);
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    add("warm-struct-F1000000-notrigger", 1000000, [&](DssdaOptions &o) {
        structOnly(o);
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    add("warm-struct-F20-notrigger", 20, [&](DssdaOptions &o) {
        structOnly(o);
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    for (int f : {20, 50, 100, 1000000}) {
        for (WarmStart mode : {WarmStart::Track, WarmStart::Keep}) {
            variants.push_back(
                WarmVariant{QStringLiteral("option-%1-F%2")
                                .arg(mode == WarmStart::Track ? QStringLiteral("track")
                                                              : QStringLiteral("keep"))
                                .arg(f),
                    f, mode, full});
        }
    }
    add("warm-struct-notrack-F50", 50, [&](DssdaOptions &o) {
        structOnly(o);
        o.warmTrack = false;
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    add("warm-struct-notrack-F1000000", 1000000, [&](DssdaOptions &o) {
        structOnly(o);
        o.warmTrack = false;
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    add("warm-notrack-F1000000", 1000000, [&](DssdaOptions &o) {
        o.warmPasses = 2;
        o.warmTrack = false;
        o.replanGrowth = std::numeric_limits<double>::infinity();
    });
    add("warm-struct-prev-F1000000", 1000000, [&](DssdaOptions &o) {
        structOnly(o);
        o.warmFromPrevious = true;
    });
    add("warm-struct1pass-F1000000", 1000000, [&](DssdaOptions &o) {
        structOnly(o);
        o.warmPasses = 1;
    });
    add("warm-struct3pass-F1000000", 1000000, [&](DssdaOptions &o) {
        structOnly(o);
        o.warmPasses = 3;
    });
    // The cheaper warm solve (issue 17, second pass): `fast-*` is optimizer.warm_start = track
    // before it (warm-struct, no trigger) plus one change each; `option-track-*` is what the
    // option does now.
    const auto trackBefore = [&](DssdaOptions &o) {
        structOnly(o);
        o.replanGrowth = std::numeric_limits<double>::infinity();
    };
    for (int f : {50, 1000000}) {
        add(qPrintable(QStringLiteral("fast-order-F%1").arg(f)), f, [&](DssdaOptions &o) {
            trackBefore(o);
            o.warmScope.boundOrder = true;
        });
        for (int n : {1, 2}) {
            add(qPrintable(QStringLiteral("fast-split%1-F%2").arg(n).arg(f)), f,
                [&](DssdaOptions &o) {
                    trackBefore(o);
                    o.warmScope.boundOrder = true;
                    o.warmScope.splitDevices = n;
                });
        }
        for (int n : {0, 1, 2}) { // 0: a split tried with every unused device
            add(qPrintable(QStringLiteral("fast-all%1-F%2").arg(n).arg(f)), f,
                [&](DssdaOptions &o) {
                    trackBefore(o);
                    o.warmScope.boundOrder = true;
                    o.warmScope.splitDevices = n;
                    o.warmKeepShares = true;
                    o.warmPowerSteps = 10;
                });
        }
        add(qPrintable(QStringLiteral("fast-keepbw-F%1").arg(f)), f, [&](DssdaOptions &o) {
            trackBefore(o);
            o.warmKeepShares = true;
        });
        for (int steps : {10}) {
            add(qPrintable(QStringLiteral("fast-power%1-F%2").arg(steps).arg(f)), f,
                [&](DssdaOptions &o) {
                    trackBefore(o);
                    o.warmPowerSteps = steps;
                });
        }
    }
    const bool compare = !qEnvironmentVariableIsSet("WARM_NO_COMPARE");
    std::printf("%s, %d cost-only rounds per variant, load %s\n", qPrintable(file), rounds,
        qPrintable(loadAverage()));
    std::printf("%-27s %10s %9s %10s %11s %11s %12s %7s %7s %7s %9s\n", "variant", "dec us/rd",
        "dec rd/s", "loop us/rd", "latency s", "mean Q J", "objective", "kept", "worse", "better",
        "worst");
    for (const WarmVariant &v : variants) {
        if (!only.isEmpty() && !only.contains(v.name)) {
            continue;
        }
        Scenario s = base;
        s.optimizer.replanEvery = v.every;
        s.optimizer.warmStart = v.option;
        DssdaPolicy dssda;
        if (v.option == WarmStart::Off) {
            dssda.setOptions(v.options);
        }
        WarmPolicy policy(&dssda, full);
        policy.compare = compare;
        testing::CostOnlyRounds loop(s, policy, std::uint64_t(s.training.seed));
        RoundRecord record;
        double latency = 0.0;
        double queue = 0.0;
        long queueRows = 0;
        const double t0 = cpuMs();
        for (int r = 0; r < rounds; ++r) {
            QString error;
            if (!loop.step(&record, &error)) {
                std::fprintf(stderr, "%s round %d: %s\n", qPrintable(v.name), r, qPrintable(error));
                return 1;
            }
            latency += record.latencyS;
            for (const DeviceRound &d : record.devices) {
                if (d.present) {
                    queue += d.energyQueueJ;
                    ++queueRows;
                }
            }
        }
        const double loopMs = cpuMs() - t0 - policy.compareMs;
        const double decUs = 1e3 * policy.decideMs / rounds;
        std::printf("%-27s %10.1f %9.0f %10.1f %11.4f %11.3f %12.4f %6.1f%% %6.1f%% %6.1f%% "
                    "%9.5f (round %d)\n",
            qPrintable(v.name), decUs, 1e6 / std::max(1e-9, decUs), 1e3 * loopMs / rounds,
            latency / rounds, queueRows ? queue / double(queueRows) : 0.0,
            policy.objectiveSum / std::max(1, policy.decisions),
            100.0 * double(policy.kept) / double(std::max(1L, policy.clusterRounds)),
            100.0 * double(policy.comparison.worse)
                / double(std::max(1L, policy.comparison.compared)),
            100.0 * double(policy.comparison.better)
                / double(std::max(1L, policy.comparison.compared)),
            policy.comparison.worst, policy.comparison.worstRound);
        std::fflush(stdout);
    }
    std::printf("load after %s\n", qPrintable(loadAverage()));
    return 0;
}

} // namespace collapipe::bench_warm
