// SPDX-License-Identifier: MIT
#include "core/trainer/chunk_layout.h"

#include <algorithm>

namespace collapipe {

bool namesChunks(const std::vector<StageOp> &ops)
{
    return std::any_of(ops.begin(), ops.end(),
        [](const StageOp &op) { return op.chunk != 0 || op.chainStage() != op.stage; });
}

bool chainLayoutOf(const std::vector<StageOp> &ops, int stages, ChainLayout *layout, QString *error)
{
    int chunks = 1, chain = std::max(0, stages);
    for (const StageOp &op : ops) {
        chunks = std::max(chunks, op.chunk + 1);
        chain = std::max(chain, op.chainStage() + 1);
    }
    ChainLayout out;
    out.chunks = chunks;
    out.stageOf.assign(size_t(chain), -1);
    out.chunkOf.assign(size_t(chain), -1);
    // position[j * v + c]: the virtual stage of chunk c of device stage j.
    std::vector<int> position(size_t(std::max(0, stages) * chunks), -1);
    for (size_t i = 0; i < ops.size(); ++i) {
        const StageOp &op = ops[i];
        const int k = op.chainStage();
        const auto what = [&] { // only on an error: this runs once per op and round
            return QStringLiteral("op %1 (stage %2, chunk %3, virtual stage %4)")
                .arg(i)
                .arg(op.stage)
                .arg(op.chunk)
                .arg(k);
        };
        if (op.stage < 0 || op.stage >= stages || op.chunk < 0 || k < 0) {
            *error = what() + QStringLiteral(": out of range (%1 device stages)").arg(stages);
            return false;
        }
        int &at = position[size_t(op.stage * chunks + op.chunk)];
        int &stageAt = out.stageOf[size_t(k)];
        int &chunkAt = out.chunkOf[size_t(k)];
        if (stageAt >= 0 && (stageAt != op.stage || chunkAt != op.chunk)) {
            *error = what()
                + QStringLiteral(": another op puts virtual stage %1 at stage %2, chunk %3")
                      .arg(k)
                      .arg(stageAt)
                      .arg(chunkAt);
            return false;
        }
        if (at >= 0 && at != k) {
            *error = what()
                + QStringLiteral(": another op puts this chunk at virtual stage %1").arg(at);
            return false;
        }
        at = k;
        stageAt = op.stage;
        chunkAt = op.chunk;
    }
    if (chain != stages * chunks) {
        *error = QStringLiteral("the ops' chain has %1 virtual stages, %2 device stages × %3 "
                                "chunks need %4")
                     .arg(chain)
                     .arg(stages)
                     .arg(chunks)
                     .arg(stages * chunks);
        return false;
    }
    for (int k = 0; k < chain; ++k) {
        if (out.stageOf[size_t(k)] < 0) {
            *error = QStringLiteral("no op runs virtual stage %1 (%2 device stages × %3 chunks)")
                         .arg(k)
                         .arg(stages)
                         .arg(chunks);
            return false;
        }
    }
    *layout = std::move(out);
    return true;
}

bool virtualStageSegments(const std::vector<StageDecision> &deviceStages, const ChainLayout &layout,
    std::vector<StageDecision> *segments, QString *error)
{
    if (!layout.chunked()) {
        *segments = deviceStages;
        return true;
    }
    const int v = layout.chunks;
    for (size_t j = 0; j < deviceStages.size(); ++j) {
        const StageDecision &s = deviceStages[j];
        const int delta = s.blockCount();
        if (delta < v || delta % v != 0) {
            *error = QStringLiteral("stage %1 (device %2): δ = %3 blocks [%4, %5] cannot be cut "
                                    "into v = %6 chunks of equal size (a chunked schedule needs "
                                    "every stage's δ to be a positive multiple of v)")
                         .arg(j)
                         .arg(s.device)
                         .arg(delta)
                         .arg(s.firstBlock)
                         .arg(s.lastBlock)
                         .arg(v);
            return false;
        }
    }
    std::vector<StageDecision> out;
    int first = deviceStages.empty() ? 0 : deviceStages.front().firstBlock;
    for (const int j : layout.stageOf) {
        if (j < 0 || j >= int(deviceStages.size())) {
            *error = QStringLiteral("the ops name device stage %1, the decision has %2 stages")
                         .arg(j)
                         .arg(deviceStages.size());
            return false;
        }
        StageDecision seg = deviceStages[size_t(j)];
        const int count = seg.blockCount() / v;
        seg.firstBlock = first;
        seg.lastBlock = first + count - 1;
        first += count;
        out.push_back(seg);
    }
    *segments = std::move(out);
    return true;
}

} // namespace collapipe
