// SPDX-License-Identifier: MIT
#include "core/trainer/round_plan.h"

#include "core/trainer/chunk_layout.h"
#include "core/trainer/stage_ops.h"

#include <algorithm>

namespace collapipe {

bool microbatchSizes(
    const Scenario &s, const ClusterDecision &cd, std::vector<int> *sizes, QString *error)
{
    const int m = cd.microbatches;
    sizes->clear();
    if (s.optimizer.microbatchMode == MicrobatchMode::Count) {
        if (m < 1 || cd.microbatchSize < 1) {
            *error
                = QStringLiteral("M = %1, b = %2 (both must be ≥ 1)").arg(m).arg(cd.microbatchSize);
            return false;
        }
        sizes->assign(size_t(m), cd.microbatchSize);
        return true;
    }
    const int batch = s.training.batchSize;
    if (m < 1 || m > batch) {
        *error = QStringLiteral("M = %1 micro-batches cannot split a mini-batch of B = %2")
                     .arg(m)
                     .arg(batch);
        return false;
    }
    const int b = (batch + m - 1) / m;
    for (int i = 0; i < m; ++i) {
        sizes->push_back(
            b * (m - 1) < batch ? std::min(b, batch - i * b) : batch / m + (i < batch % m ? 1 : 0));
    }
    return true;
}

namespace {

/// With a chunked schedule's ops: the decision's device stages become the chain's virtual
/// stages (chunk_layout.h). Without chunks: nothing changes.
bool layChunks(const std::vector<StageOp> &ops, ClusterDecision *decision, QString *error)
{
    if (!namesChunks(ops)) {
        return true;
    }
    ChainLayout layout;
    return chainLayoutOf(ops, int(decision->stages.size()), &layout, error)
        && virtualStageSegments(decision->stages, layout, &decision->stages, error);
}

} // namespace

bool planCluster(const Scenario &s, int cluster, const ClusterDecision &cd,
    const std::vector<StageOp> *givenOps, ClusterPlan *out, QString *error)
{
    const int k = int(s.topology.clusters[size_t(cluster)].devices.size());
    const int blocks = s.model.encoderBlocks;
    ClusterPlan plan;
    if (cd.stages.empty()) {
        *error = QStringLiteral("the decision has no stages");
        return false;
    }
    for (const StageDecision &st : cd.stages) {
        if (st.device < 0 || st.device >= k) {
            *error = QStringLiteral("device index %1 is not in 0..%2").arg(st.device).arg(k - 1);
            return false;
        }
    }
    if (!microbatchSizes(s, cd, &plan.sizes, error)) {
        return false;
    }
    plan.decision = cd;
    switch (cd.mode) {
    case ClusterDecision::Mode::Pipeline:
        if (givenOps) {
            plan.ops = *givenOps;
        }
        if (!layChunks(plan.ops, &plan.decision, error)) {
            return false;
        }
        break;
    case ClusterDecision::Mode::FederatedFull: {
        int total = 0;
        for (int v : plan.sizes) {
            total += v;
        }
        const int members = std::min(int(cd.stages.size()), total);
        plan.sizes.clear();
        for (int i = 0; i < members; ++i) {
            plan.sizes.push_back(total / members + (i < total % members ? 1 : 0));
            if (i > 0) {
                plan.mirrors.push_back(cd.stages[size_t(i)].device);
            }
        }
        plan.decision.stages = {cd.stages[0]};
        plan.decision.stages[0].firstBlock = 0;
        plan.decision.stages[0].lastBlock = blocks - 1;
        plan.decision.microbatches = members;
        for (int i = 0; i < members; ++i) {
            plan.ops.push_back({0, i, OpKind::Forward});
            plan.ops.push_back({0, i, OpKind::Backward});
        }
        break;
    }
    case ClusterDecision::Mode::EdgeTail: {
        // The device stages run blocks [0, cut) in their pipeline order; the edge server (segment
        // slot K) runs [cut, L) as the immediate responder of the last device stage, exactly
        // where the cost model charges it (with the head, core/MODEL.md "Edge tail"): its
        // forward and backward of micro-batch m follow the last stage's forward of m.
        const int cut = std::clamp(edgeTailCut(cd), 1, blocks);
        const int devicesStages = int(cd.stages.size());
        const int m = int(plan.sizes.size());
        std::vector<StageOp> deviceOps = givenOps && !givenOps->empty()
            ? *givenOps
            : scheduleStageOps(cd.schedule, devicesStages, m);
        plan.decision.microbatches = m;
        if (!layChunks(deviceOps, &plan.decision, error)) {
            return false;
        }
        const int chain = int(plan.decision.stages.size()); // the edge's position: V, or S
        if (cut < blocks) {
            StageDecision edge;
            edge.device = k; // the edge server's slot (ClusterRuntime has K + 1 segments)
            edge.firstBlock = cut;
            edge.lastBlock = blocks - 1;
            plan.decision.stages.push_back(edge);
        }
        for (const StageOp &op : deviceOps) {
            plan.ops.push_back(op);
            if (cut < blocks && op.kind == OpKind::Forward && op.chainStage() == chain - 1) {
                plan.ops.push_back({devicesStages, op.microbatch, OpKind::Forward, 0, chain});
                plan.ops.push_back({devicesStages, op.microbatch, OpKind::Backward, 0, chain});
            }
        }
        break;
    }
    }
    *out = std::move(plan);
    return true;
}

} // namespace collapipe
