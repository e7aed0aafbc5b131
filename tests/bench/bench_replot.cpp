// SPDX-License-Identifier: MIT
// Replot time of the live panels holding 10⁶ points (issue [6/6] "Plots keep up with 10⁶ points").
// usage: bench_replot [rounds=1000000]   (runs offscreen unless QT_QPA_PLATFORM says otherwise)
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/queue_plot.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace collapipe;

namespace {

RoundRecord makeRound(int t, int devices)
{
    RoundRecord r;
    r.round = t;
    r.simTimeS = 1.3 * t;
    r.latencyS = 1.0 + 0.3 * std::sin(t * 0.01) + 0.05 * ((t * 7919) % 13);
    r.split = {0.4, 0.1, 0.1, 0.05, 0.2, 0.05, r.latencyS - 0.9};
    r.loss = 3.0 / std::sqrt(1.0 + t) + 0.05 * std::sin(t * 0.37);
    r.accuracy = t % 5 == 4 ? 1.0 - r.loss / 3.0 : kNotMeasured;
    r.devices.resize(static_cast<std::size_t>(devices));
    for (int d = 0; d < devices; ++d) {
        DeviceRound &dev = r.devices[static_cast<std::size_t>(d)];
        dev.device = d;
        dev.deviceId = QStringLiteral("dev%1").arg(d);
        dev.energyQueueJ = std::max(0.0, std::sin(t * 0.001 * (d + 1)) * 10.0 + d);
    }
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Fills `plot` with `rounds` rounds in batches (as the hub does), then times full replots and an
/// incremental append+flush+replot of 100 rounds.
void bench(RoundPlot *plot, const char *name, int rounds, int devices)
{
    plot->resize(1000, 450);
    plot->show();
    QElapsedTimer timer;
    timer.start();
    std::vector<RoundRecord> batch;
    for (int t = 0; t < rounds; ++t) {
        batch.push_back(makeRound(t, devices));
        if (batch.size() == 10'000 || t == rounds - 1) {
            plot->appendRounds(batch);
            plot->flush();
            batch.clear();
        }
    }
    const double ingestMs = timer.nsecsElapsed() / 1e6;
    std::size_t points = 0;
    for (int s = 0; s < plot->seriesCount(); ++s) {
        points += plot->seriesBuffer(s).size();
    }
    std::vector<double> full;
    for (int i = 0; i < 15; ++i) {
        timer.restart();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        full.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::vector<double> incremental;
    for (int i = 0; i < 15; ++i) {
        std::vector<RoundRecord> more;
        for (int k = 0; k < 100; ++k) {
            more.push_back(makeRound(rounds + i * 100 + k, devices));
        }
        timer.restart();
        plot->appendRounds(more);
        plot->flush();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        incremental.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::printf("%-8s rounds %8d  series %2d  points %9zu  ingest %8.1f ms  replot median %6.1f ms "
                "(max %6.1f)  +100 rounds & replot median %6.1f ms\n",
        name, rounds, plot->seriesCount(), points, ingestMs, median(full),
        *std::max_element(full.begin(), full.end()), median(incremental));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    std::printf("bench_replot: widget 1000x450, adaptive sampling on, 1 px pens, opaque fills\n");
    {
        LossPlot plot; // loss every round + accuracy every 5th: 1.2 points per round
        bench(&plot, "loss", rounds, 0);
    }
    {
        QueuePlot plot; // 4 devices: 10⁶ points at 2.5·10⁵ rounds
        bench(&plot, "queues", rounds / 4, 4);
    }
    {
        LatencyPlot plot; // 7 stacked step series (lines only beyond kMaxFilledRounds)
        bench(&plot, "latency", rounds, 0);
    }
    {
        LatencyPlot plot; // the largest stack still drawn filled
        bench(&plot, "lat-fill", int(LatencyPlot::kMaxFilledRounds), 0);
    }
    return 0;
}
