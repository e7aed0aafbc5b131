// SPDX-License-Identifier: MIT
#include "ui/lab/lab_canvas_mark.h"

#include <QObject>

namespace collapipe {

int labOpTarget(const LabScheduleKind &kind, int stages, const LabEvent &op)
{
    const int v = kind.schedule == ScheduleKind::ZeroBubbleV ? 2
        : kind.schedule == ScheduleKind::Interleaved         ? std::max(1, kind.chunks)
                                                             : 1;
    const bool forward = op.op == OpKind::Forward;
    if (op.op == OpKind::BackwardWeight) {
        return kNowhere; // W's result stays on the device (the weight gradient)
    }
    if (kind.schedule == ScheduleKind::ZeroBubbleV) {
        // Chunk 0 goes up the stages, chunk 1 comes back down (the V); backward the reverse.
        const bool up = (op.chunk == 0) == forward;
        const int next = op.stage + (up ? 1 : -1);
        if (next >= stages) {
            return kNowhere; // the V's turn: chunk 0 → chunk 1 on the same device
        }
        if (next < 0) {
            return forward ? kToEdge : kToControlUnit;
        }
        return next;
    }
    if (forward) {
        if (op.stage + 1 < stages) {
            return op.stage + 1;
        }
        return op.chunk + 1 < v ? 0 : kToEdge; // interleaved wraps to the next chunk on stage 0
    }
    if (op.stage > 0) {
        return op.stage - 1;
    }
    return op.chunk > 0 ? stages - 1 : kToControlUnit;
}

std::optional<LabStepMark> labStepMark(
    const LabPlan &plan, const LabScheduleKind &kind, const LabEvent &op)
{
    const auto &clusters = plan.scenario.topology.clusters;
    if (plan.cluster < 0 || plan.cluster >= int(clusters.size()) || op.stage < 0
        || op.stage >= int(plan.stageDevice.size())) {
        return std::nullopt;
    }
    const Cluster &c = clusters[std::size_t(plan.cluster)];
    const auto deviceRef = [&](int stage) {
        const int d = plan.stageDevice[std::size_t(stage)];
        return d >= 0 && d < int(c.devices.size())
            ? ItemRef{ItemKind::Device, c.devices[std::size_t(d)].id}
            : ItemRef{};
    };
    LabStepMark mark;
    mark.device = deviceRef(op.stage);
    if (mark.device.isNull()) {
        return std::nullopt;
    }
    static const char *const letters[] = {"F", "B", "B", "W"};
    const char *letter = letters[std::clamp(int(op.op), 0, 3)];
    mark.opText = QObject::tr("S%1 %2 · micro-batch %3")
                      .arg(op.stage)
                      .arg(QLatin1String(letter))
                      .arg(op.microbatch);
    const int target = labOpTarget(kind, int(plan.stageDevice.size()), op);
    if (target >= 0) {
        mark.to = deviceRef(target);
    } else if (target == kToEdge) {
        mark.to = {ItemKind::EdgeServer, c.edgeServerId};
    } else if (target == kToControlUnit) {
        mark.to = {ItemKind::ControlUnit, c.controlUnit.id};
    }
    if (!mark.to.isNull()) {
        mark.linkText = op.op == OpKind::Forward
            ? QObject::tr("activations of micro-batch %1").arg(op.microbatch)
            : QObject::tr("gradient of micro-batch %1").arg(op.microbatch);
    }
    return mark;
}

} // namespace collapipe
