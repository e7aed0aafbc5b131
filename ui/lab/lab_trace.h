// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"
#include "core/scenario/scenario.h"
#include "core/trainer/op_observer.h"
#include "core/types/decision.h"

#include <QString>

#include <functional>
#include <vector>

/// The Pipeline Lab's look inside the trainer (issue [4/7] "The Lab"): one local iteration of
/// the shown cluster run by the real trainer (core/trainer) in a schedule's op order, and what
/// each op produced, summarised small enough to keep per op (shape, Frobenius norm, a pooled
/// |value| image). Pure: no widgets, callable from any thread (the Lab calls it from a worker).
namespace collapipe {

/// One executed op's output tensor, summarised.
struct LabOpTensor
{
    int stage = 0;
    int microbatch = 0;
    OpKind op = OpKind::Forward;
    int chunk = 0;
    QString what; ///< OpOutput::what
    QString rowAxis;
    QString columnAxis;
    int rows = 0;
    int columns = 0;
    double frobenius = 0.0; ///< ‖T‖_F = sqrt(Σ t²), summed in double
    double maxAbs = 0.0;
    /// mean |t| over square blocks of the tensor, previewRows × previewColumns, row-major: each
    /// cell pools k × k entries (fewer at the edges), k = ⌈max(rows, columns) / maxPreview⌉, so
    /// the image keeps the tensor's proportions.
    int previewRows = 0;
    int previewColumns = 0;
    std::vector<float> preview;
};

/// The trainer's run of one schedule on one cluster.
struct LabTrace
{
    /// False: `message` says why no tensor exists (a schedule the trainer does not execute
    /// yet, or the trainer's error naming the field), and `ops` is empty.
    bool executed = false;
    QString message;
    double loss = 0.0;            ///< the iteration's mean training loss
    std::vector<LabOpTensor> ops; ///< in the trainer's execution order
    /// The tensor of op (stage, micro-batch, kind, chunk); null when it was not run.
    const LabOpTensor *find(int stage, int microbatch, OpKind op, int chunk) const;
};

/// Summarises an observed op output, pooling it to at most `maxPreview` cells along its longer
/// side.
LabOpTensor summarizeOpOutput(const OpOutput &out, int maxPreview = 64);

/// Runs one local iteration of cluster `cluster` of `scenario` with decision `decision` (a
/// pipeline) in the op order of schedule `kind` (v = `chunks`) on a trainer of its own, freshly
/// initialised from the scenario's seed. A schedule the trainer has no op order for gives
/// executed = false and a "not executed by the trainer yet" message, one it refuses on this plan
/// (a chunked schedule whose v does not divide a stage's blocks) the trainer's reason; `cancel`
/// (may be null) is checked before every op.
LabTrace traceLabSchedule(const Scenario &scenario, int cluster, const ClusterDecision &decision,
    ScheduleKind kind, int chunks, const std::function<bool()> &cancel = {});

} // namespace collapipe
