// SPDX-License-Identifier: MIT
// Trainer throughput (issue [4/6] "Benchmark"): training tokens/s of the bundled presets'
// trainer model (encoder tokens = batch × seqLen per step, forward + backward + AdamW), with
// 1 cluster on 1 thread and 2 clusters on 2 threads; the faster single-thread sgemm 512³
// (Eigen as compiled, or the trainer's OpenBLAS backend) as the peak the matmuls are measured
// against. Compare with tests/bench/torch_reference.py (same model/batch).
//
// Each preset runs with training.kernels = reproducible (the default: fixed-order kernels, the
// same bits on every CPU) and = fastest (BLIS), one after the other, so the two share the load.
// COLLAPIPE_TRAINER_ISA=baseline|avx2|avx512 picks the reproducible kernels' vector width.
//
// Usage: bench_trainer [steps [dropout [max clusters]]]  throughput + memory (scenario files from
//        the source tree)
//        bench_trainer --accuracy the presets' accuracies after their default rounds
//        bench_trainer --split [reps] fused backward vs B + W (zero-bubble split) per micro-batch
//        bench_trainer --schedules [reps] one local iteration per schedule (GPipe, 1F1B,
//        interleaved v = 2, ZB-H1, ZB-V) and unpipelined, default preset's trainer model
#include "core/cost/cost_terms.h"
#include "core/scenario/scenario_json.h"
#include "core/trainer/encoder_block.h"
#include "core/trainer/federated_trainer.h"
#include "core/trainer/gemm.h"
#include "core/trainer/kernel_path.h"
#include "core/trainer/stage_ops.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <Eigen/Core>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace collapipe;

namespace {

/// CPU seconds of the whole process: on a shared machine, tokens per CPU-second is steadier
/// than wall-clock tokens/s (the other engineers' builds take cores away).
double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

/// Zero-bubble split (issue [4/7]): one encoder block of the preset's trainer dims on one
/// micro-batch of its microbatch_size samples (reproducible kernels, 1 thread): fused backward
/// vs B then W, alternating rep by rep so both see the same load; thread CPU time, the
/// forward (needed before either) not counted. Prints the bytes B keeps for W.
void benchBackwardSplit(const QString &file, int reps)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(file, &s, &problems)) {
        std::printf("cannot load %s\n", qPrintable(file));
        return;
    }
    const TransformerDims &t = s.model.trainer;
    const int b = std::max(1, s.training.microbatchSize), seq = t.seqLen;
    std::mt19937_64 rng(1);
    EncoderBlock<float> blk;
    blk.init({t.dModel, t.heads, t.dFf}, s.model.encoderBlocks, rng);
    Mat<float> x(b * seq, t.dModel), dy(b * seq, t.dModel), y, dx;
    fixed::fillNormal(rng, 1.0, x.data(), long(x.size()));
    fixed::fillNormal(rng, 1e-3, dy.data(), long(dy.size()));
    const std::vector<int> keyLen(size_t(b), seq);
    EncoderCache<float> c;
    EncoderWeightStash<float> stash;
    double fused = 0, inputPass = 0, weightPass = 0;
    for (int r = -2; r < reps; ++r) { // two untimed warm-up reps
        blk.forward(x, b, seq, keyLen, c, y);
        double t0 = threadCpuSeconds();
        blk.backward(dy, c, dx);
        const double f = threadCpuSeconds() - t0;
        blk.forward(x, b, seq, keyLen, c, y);
        t0 = threadCpuSeconds();
        blk.backwardInput(dy, c, dx, stash);
        const double t1 = threadCpuSeconds();
        blk.backwardWeights(stash);
        const double t2 = threadCpuSeconds();
        if (r >= 0) {
            fused += f;
            inputPass += t1 - t0;
            weightPass += t2 - t1;
        }
    }
    std::printf("\nbackward split, %s dims (d=%d, heads=%d, dFf=%d, seq=%d), micro-batch b=%d, "
                "1 block, %d reps, thread CPU time:\n"
                "  fused %.3f ms, B %.3f ms + W %.3f ms = %.3f ms, (B+W)/fused = %.3f\n"
                "  kept between B and W: %.0f B per micro-batch per block (%.0f B per sample; "
                "forward stash %.0f B per sample)\n",
        qPrintable(file.section(QLatin1Char('/'), -1)), t.dModel, t.heads, t.dFf, seq, b, reps,
        1e3 * fused / reps, 1e3 * inputPass / reps, 1e3 * weightPass / reps,
        1e3 * (inputPass + weightPass) / reps, (inputPass + weightPass) / fused, stash.bytes(),
        stash.bytes() / b, c.bytes() / b);
}

/// One local iteration per schedule (issue [4/7]): default.json's trainer model, one cluster,
/// S = 3 devices of δ = 4 blocks (2 per chunk with v = 2), B = 24 split into M = 6 micro-batches
/// of 4, reproducible kernels, 1 thread. The schedules take turns rep by rep so they share the
/// load; median wall and thread-CPU time of trainRound (ops + AdamW + FedAvg of one cluster), and
/// the largest measured device peak. The executor runs one op at a time, so a schedule changes
/// the order and the memory, not the arithmetic: the times should agree.
void benchSchedules(const QString &file, int reps)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(file, &s, &problems)) {
        std::printf("cannot load %s\n", qPrintable(file));
        return;
    }
    const int S = 3, M = 6, L = s.model.encoderBlocks;
    s.topology.clusters.resize(1);
    s.training.threads = 1;
    s.training.localIterations = 1;
    s.training.batchSize = 24;
    s.training.dropout = 0;
    s.training.kernels = TrainerKernels::Reproducible;
    s.optimizer.microbatchMode = MicrobatchMode::Split;
    struct Row
    {
        const char *name = "";
        std::vector<StageOp> ops; ///< empty: the unpipelined reference step
        FederatedTrainer trainer;
        std::vector<double> wall, cpu;
        double peak = 0;
    };
    std::vector<Row> rows(6);
    const std::pair<const char *, ScheduleKind> kinds[] = {{"gpipe", ScheduleKind::GPipe},
        {"1f1b", ScheduleKind::OneFOneB}, {"interleaved v=2", ScheduleKind::Interleaved},
        {"zb-h1", ScheduleKind::ZeroBubbleH1}, {"zb-v", ScheduleKind::ZeroBubbleV}};
    for (size_t i = 0; i < rows.size(); ++i) {
        Row &row = rows[i];
        row.name = i < 5 ? kinds[i].first : "unpipelined";
        if (i < 5) {
            row.ops = scheduleStageOps(kinds[i].second, S, M, 2);
        }
        QString err;
        if (!row.trainer.init(s, &err)) {
            std::printf("init failed: %s\n", qPrintable(err));
            return;
        }
        row.trainer.setReferenceMode(i == 5);
    }
    Decision d;
    ClusterDecision cd;
    cd.microbatches = M;
    for (int j = 0; j < S; ++j) {
        cd.stages.push_back(StageDecision{j, j * L / S, (j + 1) * L / S - 1});
    }
    d.clusters = {cd};
    for (int r = -1; r < reps; ++r) { // one untimed warm-up round
        for (Row &row : rows) {
            TrainRoundResult res;
            QString err;
            QElapsedTimer timer;
            timer.start();
            const double c0 = threadCpuSeconds();
            if (!row.trainer.trainRound(d, {row.ops}, &res, &err)) {
                std::printf("%s: train failed: %s\n", row.name, qPrintable(err));
                return;
            }
            if (r < 0) {
                continue;
            }
            row.cpu.push_back(threadCpuSeconds() - c0);
            row.wall.push_back(double(timer.nsecsElapsed()) * 1e-9);
            for (const DeviceTrainStats &dev : res.clusters[0].devices) {
                row.peak = std::max(row.peak, dev.measuredPeakBytes);
            }
        }
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    const TransformerDims &t = s.model.trainer;
    std::printf("\nschedules, %s trainer model (L=%d, d=%d, dFf=%d, seq=%d), S=%d devices x %d "
                "blocks, B=%d, M=%d, 1 thread, %d reps, median of one local iteration:\n",
        qPrintable(file.section(QLatin1Char('/'), -1)), L, t.dModel, t.dFf, t.seqLen, S, L / S,
        s.training.batchSize, M, reps);
    for (const Row &row : rows) {
        std::printf("  %-16s wall %7.1f ms, thread CPU %7.1f ms", row.name, 1e3 * median(row.wall),
            1e3 * median(row.cpu));
        if (row.ops.empty()) {
            std::printf(" (one forward/backward over the whole batch; no device memory)\n");
        } else {
            std::printf(", largest device peak %.2f MB\n", row.peak / 1e6);
        }
    }
}

/// Single-thread sgemm n³ GFLOP/s, with Eigen (as compiled) or the trainer's gemm backend.
double sgemmGflops(int n, bool trainerBackend)
{
    Mat<float> a = Mat<float>::Random(n, n), b = Mat<float>::Random(n, n), c(n, n);
    const auto once = [&] {
        if (trainerBackend) {
            ops::gemmF32(false, false, n, n, n, 1.f, a.data(), n, b.data(), n, 0.f, c.data(), n);
        } else {
            c.noalias() = a * b;
        }
    };
    once(); // warm-up
    QElapsedTimer t;
    int reps = 0;
    t.start();
    while (t.elapsed() < 2000) {
        once();
        ++reps;
    }
    const double s = t.nsecsElapsed() * 1e-9;
    std::printf("  (checksum %.3f)\n", double(c(0, 0)));
    return 2.0 * n * n * double(n) * reps / s * 1e-9;
}

/// Matmul FLOPs of one training step (forward ×3 for forward + backward), per spec §2.1 with
/// the decoder/head added: encoder 2·(4d² + 2·d·dFf)·tokens + 4·s·d·tokens per block.
double stepFlops(const Scenario &s, int tgtLen)
{
    const double d = s.model.trainer.dModel, ff = s.model.trainer.dFf, sl = s.model.trainer.seqLen;
    const double b = s.training.batchSize, v = s.model.trainer.vocabSize;
    double f = s.model.encoderBlocks * b * sl * (2 * (4 * d * d + 2 * d * ff) + 4 * sl * d);
    if (s.model.family == ModelFamily::Transformer) {
        const double t = tgtLen;
        f += s.model.decoderBlocks * b
            * (t * (2 * (6 * d * d + 2 * d * ff) + 4 * t * d + 4 * sl * d) + sl * 4 * d * d);
        f += b * t * 2 * d * v;
    }
    return 3 * f;
}

void benchPreset(const QString &file, int steps, double peak, double dropout,
    TrainerKernels kernels, int maxClusters)
{
    Scenario base;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(file, &base, &problems)) {
        std::printf("cannot load %s\n", qPrintable(file));
        return;
    }
    const TransformerDims &t = base.model.trainer;
    std::printf("\n%s: %s, L=%d enc (+%d dec), d=%d, heads=%d, dFf=%d, seq=%d, B=%d, dataset %s\n",
        qPrintable(file.section(QLatin1Char('/'), -1)),
        base.model.family == ModelFamily::Bert ? "bert" : "transformer", base.model.encoderBlocks,
        base.model.family == ModelFamily::Bert ? 0 : base.model.decoderBlocks, t.dModel, t.heads,
        t.dFf, t.seqLen, base.training.batchSize, qPrintable(base.training.dataset));
    for (int clusters = 1; clusters <= maxClusters; ++clusters) {
        Scenario s = base;
        s.training.kernels = kernels;
        s.topology.clusters.resize(1);
        s.topology.clusters.resize(size_t(clusters), s.topology.clusters[0]);
        s.training.threads = clusters;
        s.training.localIterations = 1;
        s.training.dropout = dropout;
        s.optimizer.microbatchMode = MicrobatchMode::Split;
        FederatedTrainer trainer;
        QString err;
        if (!trainer.init(s, &err)) {
            std::printf("init failed: %s\n", qPrintable(err));
            return;
        }
        // One stage holding every block, M = 1: the pure training step at batch B.
        Decision d;
        ClusterDecision cd;
        cd.microbatches = 1;
        cd.stages = {StageDecision{0, 0, s.model.encoderBlocks - 1}};
        d.clusters.assign(size_t(clusters), cd);
        const std::vector<std::vector<StageOp>> ops(
            size_t(clusters), scheduleStageOps(PipelineSchedule::GPipe, 1, 1));
        TrainRoundResult r;
        trainer.trainRound(d, ops, &r, &err); // warm-up
        QElapsedTimer timer;
        timer.start();
        const double cpu0 = processCpuSeconds();
        for (int i = 0; i < steps; ++i) {
            if (!trainer.trainRound(d, ops, &r, &err)) {
                std::printf("train failed: %s\n", qPrintable(err));
                return;
            }
        }
        const double sec = timer.nsecsElapsed() * 1e-9;
        const double cpu = processCpuSeconds() - cpu0;
        const double tokens = double(steps) * clusters * s.training.batchSize * t.seqLen;
        const int tgt = s.model.family == ModelFamily::Bert ? 0 : 11; // dates: 10 chars + EOS
        const double gflops = stepFlops(s, tgt) * steps * clusters / sec * 1e-9;
        std::printf(
            "  %s, %d cluster(s), %d thread(s): %.3f s/step, %.0f tokens/s (%.0f per CPU-s), "
            "matmul %.1f GFLOP/s = %.0f%% of %d x sgemm peak (loss %.3f)\n",
            kernels == TrainerKernels::Fastest ? "fastest" : "reproducible", clusters, clusters,
            sec / steps, tokens / sec, tokens / cpu, gflops, 100.0 * gflops / (peak * clusters),
            clusters, r.loss);
    }
}

/// Measured peak bytes per device vs the cost model's segmentMemoryBytes() at the trainer width
/// (spec §2.4), default preset, 3 stages of 4 blocks, B = 16 split into M micro-batches.
void memoryVsPrediction(const QString &file)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(file, &s, &problems)) {
        return;
    }
    s.topology.clusters.resize(1);
    s.training.threads = 1;
    s.optimizer.microbatchMode = MicrobatchMode::Split;
    std::printf("\nmemory, %s at trainer width (d=%d, seq=%d), measured vs cost model:\n",
        qPrintable(file.section(QLatin1Char('/'), -1)), s.model.trainer.dModel,
        s.model.trainer.seqLen);
    const int l = s.model.encoderBlocks;
    for (PipelineSchedule sched : {PipelineSchedule::GPipe, PipelineSchedule::OneFOneB}) {
        for (int m : {1, 4}) {
            FederatedTrainer t;
            QString err;
            if (!t.init(s, &err)) {
                std::printf("init failed: %s\n", qPrintable(err));
                return;
            }
            Decision d;
            ClusterDecision cd;
            cd.microbatches = m;
            cd.schedule = sched;
            cd.stages = {StageDecision{0, 0, l / 3 - 1}, StageDecision{1, l / 3, 2 * l / 3 - 1},
                StageDecision{2, 2 * l / 3, l - 1}};
            d.clusters = {cd};
            const auto ops = scheduleStageOps(sched, 3, m);
            TrainRoundResult r;
            if (!t.trainRound(d, {ops}, &r, &err)) {
                std::printf("train failed: %s\n", qPrintable(err));
                return;
            }
            const int b = (s.training.batchSize + m - 1) / m;
            for (size_t j = 0; j < r.clusters[0].devices.size(); ++j) {
                const DeviceTrainStats &ds = r.clusters[0].devices[j];
                const int blocks = cd.stages[j].blockCount();
                const double pred = segmentMemoryBytes(
                    s.model.trainer, blocks, b, stashedMicrobatches(sched, m, 3, int(j)), 4);
                std::printf("  %s M=%d b=%d stage %zu: measured %.0f B, predicted %.0f B, error "
                            "%+.1f%%\n",
                    sched == PipelineSchedule::GPipe ? "gpipe" : "1f1b ", m, b, j,
                    ds.measuredPeakBytes, pred,
                    100.0 * (pred - ds.measuredPeakBytes) / ds.measuredPeakBytes);
            }
        }
    }
}

/// The preset's own training run (all clusters, its rounds, batch, split and seed). In split
/// mode the math does not depend on the policy's cuts or M (pipelined == unpipelined), so one
/// stage per cluster gives the accuracy any policy reaches.
void presetAccuracy(const QString &file)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(file, &s, &problems)) {
        return;
    }
    FederatedTrainer t;
    QString err;
    if (!t.init(s, &err)) {
        std::printf("init failed: %s\n", qPrintable(err));
        return;
    }
    Decision d;
    for (size_t c = 0; c < s.topology.clusters.size(); ++c) {
        ClusterDecision cd;
        cd.microbatches = 1;
        cd.stages = {StageDecision{0, 0, s.model.encoderBlocks - 1}};
        d.clusters.push_back(cd);
    }
    const std::vector<std::vector<StageOp>> ops(
        d.clusters.size(), scheduleStageOps(PipelineSchedule::GPipe, 1, 1));
    QElapsedTimer timer;
    timer.start();
    TrainRoundResult r;
    for (int i = 0; i < s.training.rounds; ++i) {
        if (!t.trainRound(d, ops, &r, &err)) {
            std::printf("train failed: %s\n", qPrintable(err));
            return;
        }
    }
    const EvalResult v = t.evaluate(false), te = t.evaluate(true);
    std::printf("\n%s: %d rounds, %zu clusters, last train loss %.3f, %.1f s\n"
                "  val:  accuracy %.3f, loss %.3f, exact %.3f, token acc %.3f\n"
                "  test: accuracy %.3f, loss %.3f, exact %.3f, token acc %.3f\n",
        qPrintable(file.section(QLatin1Char('/'), -1)), s.training.rounds,
        s.topology.clusters.size(), r.loss, timer.elapsed() / 1000.0, v.accuracy, v.loss,
        v.exactMatch, v.tokenAccuracy, te.accuracy, te.loss, te.exactMatch, te.tokenAccuracy);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString dir = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/");
    if (argc > 1 && QByteArray(argv[1]) == "--accuracy") {
        presetAccuracy(dir + QStringLiteral("classroom.json"));
        presetAccuracy(dir + QStringLiteral("default.json"));
        return 0;
    }
    if (argc > 1 && QByteArray(argv[1]) == "--split") {
        benchBackwardSplit(
            dir + QStringLiteral("default.json"), argc > 2 ? std::atoi(argv[2]) : 200);
        return 0;
    }
    if (argc > 1 && QByteArray(argv[1]) == "--schedules") {
        benchSchedules(dir + QStringLiteral("default.json"), argc > 2 ? std::atoi(argv[2]) : 10);
        return 0;
    }
    const int steps = argc > 1 ? std::atoi(argv[1]) : 20;
    std::printf("Eigen %d.%d.%d, SIMD: %s\n", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
        EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse());
    const double eigenPeak = sgemmGflops(512, false);
    std::printf("Eigen sgemm 512^3, 1 thread: %.1f GFLOP/s\n", eigenPeak);
    double peak = eigenPeak;
    for (kernels::Mode mode : {kernels::Mode::Reproducible, kernels::Mode::Fastest}) {
        const kernels::ModeScope scope(mode);
        const double gemmPeak = sgemmGflops(512, true);
        std::printf(
            "trainer gemm (%s) 512^3, 1 thread: %.1f GFLOP/s\n", ops::gemmBackendName(), gemmPeak);
        // The machine's measured sgemm peak: the fastest single-thread GEMM.
        peak = std::max(peak, gemmPeak);
    }
    const double dropout = argc > 2 ? std::atof(argv[2]) : 0.0;
    const int maxClusters = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
    if (dropout > 0) {
        std::printf("training.dropout = %.2f\n", dropout);
    }
    for (const char *preset : {"default.json", "classroom.json"}) {
        for (TrainerKernels k : {TrainerKernels::Reproducible, TrainerKernels::Fastest}) {
            benchPreset(dir + QLatin1String(preset), steps, peak, dropout, k, maxClusters);
        }
    }
    memoryVsPrediction(dir + QStringLiteral("default.json"));
    return 0;
}
