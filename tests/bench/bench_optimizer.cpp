// SPDX-License-Identifier: MIT
// Decision time of DSSDA (issue [3/6]): one cluster with K = 4, 8, 16, 32 devices and
// L = 12, 24, 48 blocks, and 10 / 100 clusters of 10 devices. Targets: < 1 ms for K = 8,
// L = 12; < 100 ms for 100 × 10. Run: cmake --build <dir> --target bench_optimizer &&
// <dir>/tests/bench/bench_optimizer [rounds]. The rounds are the engine's own (stepRound).
// Scale mode (issue [7/7]): bench_optimizer scale CxK [rounds] times DSSDA on a scenario of
// `collapipe generate` (C clusters of K devices, seed 1, default.json's settings, 2 threads)
// and prints the process's peak RSS; one case per process so the peak is that case's. A fourth
// argument `nopool` solves every cluster over all its devices (DssdaOptions::poolFrom = 0), for a
// before/after of the device pool; the last round's summed exact objective is printed for both.
// Knobs mode (issue [5/7] "Speed"): bench_optimizer knobs FILE [rounds] runs DSSDA on a bundled
// scenario and, on every cluster and round's state (channel, queues, previous decision), also
// solves it with cheaper settings of DssdaOptions; per setting it prints the CPU time per
// cluster solve (speed against the default solved again) and the exact objective against the
// default's (mean ratio, worst ratio, share of solves worse or better): what a faster search
// would cost in quality. `knobs random [N]` does the same on N random instances.
// Warm mode (issue 17): bench_optimizer warm FILE [rounds] [variant…], bench_optimizer_warm.h.
#include "../optimizer/optimizer_fixtures.h"
#include "../optimizer/random_instances.h"
#include "../optimizer/round_loop.h"
#include "bench_optimizer_warm.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/dssda_solver.h"
#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <vector>

using namespace collapipe;

namespace {

/// CPU time of this process in ms: on a shared, loaded machine it is a steadier measure of the
/// work than wall time (both are printed).
double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Times every decide() of the policy it wraps (wall and CPU, ms), so the bench can run the
/// engine's own round (stepRound) and still measure the decision alone.
class TimedPolicy : public Policy
{
public:
    explicit TimedPolicy(Policy *inner)
        : m_inner(inner)
    { }
    QString name() const override { return m_inner->name(); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override
    {
        QElapsedTimer t;
        t.start();
        const double c0 = cpuMs();
        const bool ok = m_inner->decide(state, out, error);
        cpu.push_back(cpuMs() - c0);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        return ok;
    }
    std::vector<double> ms;
    std::vector<double> cpu;

private:
    Policy *m_inner;
};

/// Peak resident set of this process so far, MB (getrusage: kilobytes on Linux).
double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

/// `collapipe generate --clusters C --devices-per-cluster K --seed 1` in process, on 2 threads.
int benchScale(const QString &shape, int rounds, bool pool)
{
    const QStringList parts = shape.split(QLatin1Char('x'));
    const int clusters = parts.value(0).toInt();
    const int devices = parts.value(1).toInt();
    Scenario base;
    std::vector<ScenarioProblem> problems;
    if (clusters < 1 || devices < 1
        || !loadScenarioFile(QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json")),
            &base, &problems)) {
        std::fprintf(stderr, "usage: bench_optimizer scale CxK [rounds] (bundled scenarios)\n");
        return 2;
    }
    GeneratorRecipe recipe;
    recipe.clusters = clusters;
    recipe.devicesPerCluster = devices;
    for (const Device &preset : devicePresetsOf(base)) {
        recipe.mix.push_back(PresetShare{preset, 1.0});
    }
    Scenario s = generateScenario(base, recipe);
    s.training.threads = 2;
    s.training.train = false;
    DssdaPolicy dssda;
    if (!pool) {
        DssdaOptions options = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, s);
        options.poolFrom = 0;
        dssda.setOptions(options);
    }
    TimedPolicy policy(&dssda);
    testing::CostOnlyRounds loop(s, policy, 5);
    RoundRecord record;
    for (int r = 0; r < rounds; ++r) {
        QString error;
        if (!loop.step(&record, &error)) {
            std::fprintf(stderr, "round %d: %s\n", r, qPrintable(error));
            ++loop.state.round;
        }
    }
    double objective = 0.0;
    for (double v : dssda.lastObjectives()) {
        objective += v;
    }
    std::vector<double> ms = std::move(policy.ms);
    std::vector<double> cpu = std::move(policy.cpu);
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("scale %5d x %4d%s  rounds %2d  decide wall median %9.1f max %9.1f ms  cpu median "
                "%9.1f max %9.1f ms  peak RSS %7.1f MB  objective %.6g\n",
        clusters, devices, pool ? "" : " (no pool)", rounds, ms[ms.size() / 2], ms.back(),
        cpu[cpu.size() / 2], cpu.back(), peakRssMb(), objective);
    return 0;
}

/// One cheaper setting of the knobs bench and what it measured.
struct Knob
{
    const char *name;
    DssdaOptions options;
    double cpuMs = 0.0;
    int solves = 0;
    int worse = 0;  ///< objective above the default's by more than 1e-9 relative
    int better = 0; ///< below it by more than 1e-9 relative
    double ratioSum = 0.0;
    double worstRatio = 1.0;
};

/// Wraps DSSDA: after each decision, solves every cluster's state again with each knob.
class KnobPolicy : public Policy
{
public:
    KnobPolicy(DssdaPolicy *inner, std::vector<Knob> *knobs)
        : m_inner(inner)
        , m_knobs(knobs)
    { }
    QString name() const override { return m_inner->name(); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override
    {
        const double c0 = cpuMs();
        const bool ok = m_inner->decide(state, out, error);
        referenceMs += cpuMs() - c0;
        if (!ok) {
            return false;
        }
        const Scenario &s = *state.scenario;
        const std::vector<double> &reference = m_inner->lastObjectives();
        for (int c = 0; c < int(s.topology.clusters.size()); ++c) {
            const ClusterWeights w
                = clusterWeights(s, c, s.optimizer.energyBudgets ? state.energyQueues : nullptr,
                    state.convergenceQueues, true);
            const ClusterDecision *previous
                = state.previous && std::size_t(c) < state.previous->clusters.size()
                ? &state.previous->clusters[std::size_t(c)]
                : nullptr;
            const ClusterChannel &ch = state.channel->clusters[std::size_t(c)];
            for (Knob &k : *m_knobs) {
                const double t0 = cpuMs();
                const ClusterSolution solution = solveCluster(s, c, ch, w, k.options, previous);
                k.cpuMs += cpuMs() - t0;
                ++k.solves;
                const double ref = reference[std::size_t(c)];
                const double ratio = solution.feasible ? solution.objective / ref : 1e9;
                k.ratioSum += ratio;
                k.worstRatio = std::max(k.worstRatio, ratio);
                k.worse += ratio > 1.0 + 1e-9 ? 1 : 0;
                k.better += ratio < 1.0 - 1e-9 ? 1 : 0;
            }
        }
        ++decisions;
        return true;
    }
    double referenceMs = 0.0;
    int decisions = 0;

private:
    DssdaPolicy *m_inner;
    std::vector<Knob> *m_knobs;
};

int benchKnobs(const QString &file, int rounds)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(QDir(bundledScenarioDir()).filePath(file), &s, &problems)) {
        std::fprintf(stderr, "usage: bench_optimizer knobs FILE [rounds] (a bundled scenario)\n");
        return 2;
    }
    s.training.train = false;
    const DssdaOptions base = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, s);
    std::vector<Knob> knobs;
    auto add = [&](const char *name, auto change) {
        DssdaOptions o = base;
        change(o);
        knobs.push_back(Knob{name, o});
    };
    add("memoise off", [](DssdaOptions &o) { o.memoise = false; });
    add("default (again)", [](DssdaOptions &) {});
    add("keepCandidates 1", [](DssdaOptions &o) { o.keepCandidates = 1; });
    add("maxIterations 1", [](DssdaOptions &o) { o.maxIterations = 1; });
    add("polishStarts 1", [](DssdaOptions &o) { o.polishStarts = 1; });
    add("screenLabels 1", [](DssdaOptions &o) { o.screenLabels = 1; });
    add("keep 1, iter 2, polish 1", [](DssdaOptions &o) {
        o.keepCandidates = 1;
        o.maxIterations = 2;
        o.polishStarts = 1;
    });
    add("no exact polish", [](DssdaOptions &o) { o.exactRefine = false; });
    DssdaPolicy dssda;
    KnobPolicy policy(&dssda, &knobs);
    testing::CostOnlyRounds loop(s, policy, std::uint64_t(s.training.seed));
    RoundRecord record;
    for (int r = 0; r < rounds; ++r) {
        QString error;
        if (!loop.step(&record, &error)) {
            std::fprintf(stderr, "round %d: %s\n", r, qPrintable(error));
            return 1;
        }
    }
    const int solves = std::max(1, knobs.front().solves);
    std::printf("%s, %d rounds, %d cluster solves per setting; default DSSDA %.1f us CPU per "
                "cluster solve\n",
        qPrintable(file), policy.decisions, solves, 1e3 * policy.referenceMs / solves);
    // Speed against the default solved again: every setting runs after the policy's own solve
    // of the same state, so all of them find the bandwidth memo warm (the first solve does not).
    double again = policy.referenceMs;
    for (const Knob &k : knobs) {
        again = QLatin1String(k.name) == QLatin1String("default (again)") ? k.cpuMs : again;
    }
    std::printf("%-26s %12s %9s %12s %12s %8s %8s\n", "setting", "us/solve", "speed", "mean ratio",
        "worst ratio", "worse", "better");
    for (const Knob &k : knobs) {
        std::printf("%-26s %12.1f %8.2fx %12.6f %12.6f %7.1f%% %7.1f%%\n", k.name,
            1e3 * k.cpuMs / solves, again / std::max(1e-9, k.cpuMs), k.ratioSum / solves,
            k.worstRatio, 100.0 * k.worse / solves, 100.0 * k.better / solves);
    }
    return 0;
}

/// The knobs on the random instances of tst_oracle_random (K ≤ 4, every permutation) and on
/// random clusters of K = 5…8 devices with queues (the order heuristics): objective per setting
/// against the default's.
int benchKnobsRandom(int count)
{
    struct Setting
    {
        const char *name;
        DssdaOptions options;
        int worse = 0;
        int better = 0;
        double worst = 1.0;
    };
    std::vector<Setting> settings;
    DssdaOptions o;
    o.screenLabels = 1;
    settings.push_back({"screenLabels 1", o});
    o = DssdaOptions();
    o.keepCandidates = 1;
    settings.push_back({"keepCandidates 1", o});
    o = DssdaOptions();
    o.maxIterations = 1;
    settings.push_back({"maxIterations 1", o});
    o = DssdaOptions();
    o.polishStarts = 1;
    settings.push_back({"polishStarts 1", o});
    int solves = 0;
    for (int index = 0; index < count; ++index) {
        testing::RandomInstance inst = testing::randomSpaceInstance(index);
        if (index % 2 == 1) {
            // A bigger cluster: the order heuristics instead of every permutation.
            Scenario big
                = testing::randomScenario(70000 + std::uint64_t(index), 1, 5 + index % 4, 12);
            big.optimizer = inst.scenario.optimizer;
            big.training = inst.scenario.training;
            inst.scenario = big;
            inst.weights.energyQueues.resize(big.topology.clusters[0].devices.size(), 0.0);
            for (std::size_t k = 0; k < inst.weights.energyQueues.size(); ++k) {
                inst.weights.energyQueues[k] = double((index * 7 + int(k) * 13) % 50);
            }
        }
        const Scenario &s = inst.scenario;
        const ClusterChannel ch
            = ChannelModel(s.topology, inst.channelSeed).stateForRound(0).clusters[0];
        const ClusterSolution ref = solveCluster(s, 0, ch, inst.weights, DssdaOptions());
        if (!ref.feasible) {
            continue;
        }
        ++solves;
        for (Setting &st : settings) {
            const ClusterSolution x = solveCluster(s, 0, ch, inst.weights, st.options);
            const double ratio = x.feasible ? x.objective / ref.objective : 1e9;
            st.worst = std::max(st.worst, ratio);
            st.worse += ratio > 1.0 + 1e-9 ? 1 : 0;
            st.better += ratio < 1.0 - 1e-9 ? 1 : 0;
        }
    }
    std::printf("random instances: %d feasible of %d\n", solves, count);
    for (const Setting &st : settings) {
        std::printf("%-20s worse %4d  better %4d  worst ratio %.6f\n", st.name, st.worse, st.better,
            st.worst);
    }
    return 0;
}

/// Median and max wall time of `rounds` decisions (ms); queues fed by the engine's cost-only
/// round (stepRound, no trainer, no timeline) so the energy terms are active as in a run.
void bench(int clusters, int devices, int blocks, int rounds, bool polish = true)
{
    Scenario s = testing::randomScenario(99, clusters, devices, blocks);
    s.topology.d2d.fading = FadingModel::Rayleigh;
    s.topology.d2e.fading = FadingModel::Rayleigh;
    DssdaPolicy dssda;
    if (!polish) {
        DssdaOptions options = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, s);
        options.exactRefine = false;
        dssda.setOptions(options);
    }
    TimedPolicy policy(&dssda);
    testing::CostOnlyRounds loop(s, policy, 5);
    RoundRecord record;
    int failed = 0;
    for (int r = 0; r < rounds; ++r) {
        QString error;
        if (!loop.step(&record, &error)) {
            ++failed;
            ++loop.state.round; // an infeasible round is skipped; the queues stay
        }
    }
    std::vector<double> ms = std::move(policy.ms);
    std::vector<double> cpu = std::move(policy.cpu);
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("clusters %3d  K %2d  L %2d  rounds %3d  wall median %9.3f max %9.3f ms  "
                "cpu median %9.3f max %9.3f ms%s\n",
        clusters, devices, blocks, rounds, ms[ms.size() / 2], ms.back(), cpu[cpu.size() / 2],
        cpu.back(),
        failed       ? "  (some rounds infeasible)"
            : polish ? ""
                     : "  (no exact polish)");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 2 && QLatin1String(argv[1]) == QLatin1String("scale")) {
        return benchScale(QString::fromLatin1(argv[2]), argc > 3 ? std::max(1, atoi(argv[3])) : 3,
            !(argc > 4 && QLatin1String(argv[4]) == QLatin1String("nopool")));
    }
    if (argc > 2 && QLatin1String(argv[1]) == QLatin1String("warm")) {
        QStringList only;
        for (int i = 4; i < argc; ++i) {
            only << QString::fromLatin1(argv[i]);
        }
        return bench_warm::benchWarm(
            QString::fromLatin1(argv[2]), argc > 3 ? std::max(1, atoi(argv[3])) : 2000, only);
    }
    if (argc > 2 && QLatin1String(argv[1]) == QLatin1String("knobs")
        && QLatin1String(argv[2]) == QLatin1String("random")) {
        return benchKnobsRandom(argc > 3 ? std::max(1, atoi(argv[3])) : 400);
    }
    if (argc > 2 && QLatin1String(argv[1]) == QLatin1String("knobs")) {
        return benchKnobs(
            QString::fromLatin1(argv[2]), argc > 3 ? std::max(1, atoi(argv[3])) : 200);
    }
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 20;
    const bool clustersOnly = argc > 2 && QLatin1String(argv[2]) == QLatin1String("clusters");
    if (argc > 2 && QLatin1String(argv[2]) == QLatin1String("k8")) {
        bench(1, 8, 12, rounds); // the < 1 ms target case alone (for profiling)
        return 0;
    }
    std::printf("DSSDA decision time (default options, Rayleigh fading, queues active)\n");
    for (int K : {4, 8, 16, 32}) {
        if (clustersOnly) {
            break;
        }
        for (int L : {12, 24, 48}) {
            bench(1, K, L, K >= 32 && L >= 48 ? std::max(1, rounds / 4) : rounds);
        }
    }
    if (!clustersOnly) {
        bench(1, 8, 12, rounds, false);
    }
    bench(10, 10, 12, std::max(1, rounds / 2));
    bench(100, 10, 12, std::max(1, rounds / 10));
    return 0;
}
