// SPDX-License-Identifier: MIT
// Timeline construction and the cost evaluator (issue [2/6] benchmark): K = 4…64 devices,
// M = 1…64 micro-batches, both schedules. Prints µs of thread CPU time per call (median of 5 runs
// of ≥ 20 ms each; CPU time, not wall time, so a loaded shared machine distorts it less).
// Then every core/pipeline schedule at S = 8, M = 32 (issue [4/7], goal ≤ 1 ms each): building
// its op orders (makeSchedule) and timing them on a heterogeneous chain (timeSchedule: events
// and memory curves included).
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/timeline.h"
#include "core/pipeline/pipeline_recursion.h"
#include "core/pipeline/schedule.h"

#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <vector>

using namespace collapipe;

namespace {

Scenario lineScenario(int devices, int blocks)
{
    Scenario s;
    EdgeServer es;
    es.id = QStringLiteral("es");
    es.position = {0.0, 200.0};
    s.topology.edgeServers.push_back(es);
    Cluster c;
    c.id = QStringLiteral("c");
    c.edgeServerId = es.id;
    for (int k = 0; k < devices; ++k) {
        Device d;
        d.id = QStringLiteral("d%1").arg(k);
        d.position = {5.0 * k, 3.0 * (k % 3)};
        d.computeFlops = (0.5 + (k % 5)) * 1e12;
        c.devices.push_back(d);
    }
    s.topology.clusters.push_back(c);
    s.model.encoderBlocks = blocks;
    return s;
}

ClusterDecision decision(int devices, int blocks, int m, PipelineSchedule schedule)
{
    ClusterDecision d;
    d.microbatches = m;
    d.microbatchSize = 4;
    d.schedule = schedule;
    d.controlUnitShare = 1.0 / devices;
    int next = 0;
    for (int k = 0; k < devices; ++k) {
        const int n = blocks / devices + (k < blocks % devices ? 1 : 0);
        d.stages.push_back({k, next, next + n - 1, k + 1 < devices ? 1.0 / devices : 0.0, 0.2});
        next += n;
    }
    return d;
}

double cpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

template <typename F> double microsPerCall(F &&f)
{
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) {
        const double start = cpuNs();
        long calls = 0;
        while (cpuNs() - start < 20e6) {
            f();
            ++calls;
        }
        runs.push_back((cpuNs() - start) / 1e3 / calls);
    }
    std::sort(runs.begin(), runs.end());
    return runs[2];
}

// S heterogeneous stages with every transfer non-zero (the Lab's case: links as resources).
ChainTimes benchChain(int stages)
{
    ChainTimes c;
    for (int j = 0; j < stages; ++j) {
        const double speed = 0.5 + (j % 5);
        c.stages.push_back({j, 1e-3 / speed, 2e-3 / speed, 4e-4, 4e-4, 0.5});
    }
    c.embedS = 1e-4;
    c.controlUnitSendS = 4e-4;
    c.decoderFwdS = 2e-4;
    c.decoderBwdS = 4e-4;
    c.edgeSendGradS = 3e-4;
    c.wrapSendS = 6e-4;
    c.wrapGradS = 6e-4;
    c.firstStageEdgeSendS = 3e-4;
    c.edgeFirstStageGradS = 3e-4;
    return c;
}

void benchSchedules(QTextStream &out)
{
    const int S = 8;
    const int M = 32;
    const ChainTimes chain = benchChain(S);
    out << "\nschedule\tS\tM\tv\tevents\tbuild_us\ttime_us\ttotal_us\n";
    const std::pair<ScheduleKind, int> cases[] = {{ScheduleKind::GPipe, 1},
        {ScheduleKind::OneFOneB, 1}, {ScheduleKind::Interleaved, 2}, {ScheduleKind::Interleaved, 4},
        {ScheduleKind::ZeroBubbleH1, 1}, {ScheduleKind::ZeroBubbleV, 2}};
    for (const auto &[kind, v] : cases) {
        std::size_t events = 0;
        const double build
            = microsPerCall([&] { events += makeSchedule(kind, S, M, v).perStage.size(); });
        const Schedule schedule = makeSchedule(kind, S, M, v);
        const double timed
            = microsPerCall([&] { events = timeSchedule(chain, schedule).events.size(); });
        const double total = microsPerCall(
            [&] { events = timeSchedule(chain, makeSchedule(kind, S, M, v)).events.size(); });
        out << scheduleName(kind) << '\t' << S << '\t' << M << '\t' << schedule.chunks << '\t'
            << events << '\t' << QString::number(build, 'f', 1) << '\t'
            << QString::number(timed, 'f', 1) << '\t' << QString::number(total, 'f', 1) << '\n';
        out.flush();
    }
}

} // namespace

int main(int argc, char **argv)
{
    QTextStream out(stdout);
    if (argc > 1 && QString::fromLocal8Bit(argv[1]) == QStringLiteral("--schedules")) {
        benchSchedules(out); // only the schedules (issue [4/7]); no argument: everything
        return 0;
    }
    out << "K\tM\tschedule\tevents\tbuildTimeline_us\tevaluateCluster_us\n";
    for (int k : {4, 8, 16, 32, 64}) {
        const int blocks = std::max(12, k);
        const Scenario s = lineScenario(k, blocks);
        const ChannelState ch = ChannelModel(s.topology, 1).stateForRound(0);
        for (int m : {1, 4, 16, 64}) {
            for (auto sched : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
                const ClusterDecision d = decision(k, blocks, m, sched);
                std::size_t events = 0;
                const double tl = microsPerCall(
                    [&] { events = buildTimeline(s, 0, ch.clusters[0], d).events.size(); });
                double sink = 0;
                const double ev = microsPerCall(
                    [&] { sink += evaluateCluster(s, 0, ch.clusters[0], d).makespanS; });
                out << k << '\t' << m << '\t'
                    << (sched == PipelineSchedule::GPipe ? "gpipe" : "1f1b") << '\t' << events
                    << '\t' << QString::number(tl, 'f', 1) << '\t' << QString::number(ev, 'f', 2)
                    << (sink < 0 ? "!" : "") << '\n';
                out.flush();
            }
        }
    }
    benchSchedules(out);
    return 0;
}
