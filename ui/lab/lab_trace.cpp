// SPDX-License-Identifier: MIT
#include "ui/lab/lab_trace.h"

#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace collapipe {

const LabOpTensor *LabTrace::find(int stage, int microbatch, OpKind op, int chunk) const
{
    for (const LabOpTensor &t : ops) {
        if (t.stage == stage && t.microbatch == microbatch && t.op == op && t.chunk == chunk) {
            return &t;
        }
    }
    return nullptr;
}

LabOpTensor summarizeOpOutput(const OpOutput &out, int maxPreview)
{
    LabOpTensor t;
    t.stage = out.stage;
    t.microbatch = out.microbatch;
    t.op = out.kind;
    t.chunk = out.chunk;
    t.what = out.what;
    t.rowAxis = out.rowAxis;
    t.columnAxis = out.columnAxis;
    if (!out.tensor) {
        return t;
    }
    const Mat<float> &m = *out.tensor;
    t.rows = int(m.rows());
    t.columns = int(m.cols());
    // One block size for both axes, so the image keeps the tensor's proportions (a 128 × 32
    // activation stays four times as tall as wide).
    const int longest = std::max({1, t.rows, t.columns});
    const int rowStep = (longest + std::max(1, maxPreview) - 1) / std::max(1, maxPreview);
    const int colStep = rowStep;
    t.previewRows = t.rows == 0 ? 0 : (t.rows + rowStep - 1) / rowStep;
    t.previewColumns = t.columns == 0 ? 0 : (t.columns + colStep - 1) / colStep;
    std::vector<double> sum(std::size_t(t.previewRows) * std::size_t(t.previewColumns), 0.0);
    std::vector<int> count(sum.size(), 0);
    double squares = 0.0;
    for (int r = 0; r < t.rows; ++r) {
        for (int c = 0; c < t.columns; ++c) {
            const double v = double(m(r, c));
            squares += v * v;
            t.maxAbs = std::max(t.maxAbs, std::abs(v));
            const std::size_t cell = std::size_t(r / rowStep) * std::size_t(t.previewColumns)
                + std::size_t(c / colStep);
            sum[cell] += std::abs(v);
            ++count[cell];
        }
    }
    t.frobenius = std::sqrt(squares);
    t.preview.resize(sum.size());
    for (std::size_t i = 0; i < sum.size(); ++i) {
        t.preview[i] = count[i] > 0 ? float(sum[i] / count[i]) : 0.0f;
    }
    return t;
}

LabTrace traceLabSchedule(const Scenario &scenario, int cluster, const ClusterDecision &decision,
    ScheduleKind kind, int chunks, const std::function<bool()> &cancel)
{
    LabTrace trace;
    const int stages = int(decision.stages.size());
    const Schedule schedule = makeSchedule(kind, stages, decision.microbatches, chunks);
    std::vector<StageOp> ops;
    QString error;
    if (!stageOpsFromSchedule(schedule, &ops, &error)) {
        trace.message = QObject::tr("Not executed by the trainer yet: %1").arg(error);
        return trace;
    }
    FederatedTrainer trainer;
    if (!trainer.init(scenario, &error)) {
        trace.message = QObject::tr("The trainer could not start: %1").arg(error);
        return trace;
    }
    trainer.setCancelCheck(cancel);
    const bool ok = trainer.runObservedIteration(
        cluster, decision, ops,
        [&trace](const OpOutput &out) { trace.ops.push_back(summarizeOpOutput(out)); }, &trace.loss,
        &error);
    if (!ok) {
        trace.ops.clear();
        trace.message = QObject::tr("The trainer did not run this schedule: %1").arg(error);
        return trace;
    }
    trace.executed = true;
    return trace;
}

} // namespace collapipe
