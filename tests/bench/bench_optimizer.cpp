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
#include "../optimizer/optimizer_fixtures.h"
#include "../optimizer/round_loop.h"
#include "core/optimizer/dssda_policy.h"
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
