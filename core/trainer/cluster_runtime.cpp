// SPDX-License-Identifier: MIT
#include "core/trainer/cluster_runtime.h"

#include "core/trainer/stage_ops.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

void ClusterRuntime::init(int devices, const Embedding<float> &emb,
    const std::vector<EncoderBlock<float>> &blocks, const Head<float> &head, std::vector<int> shard,
    std::uint64_t seed)
{
    m_embedding = emb;
    m_devices.clear();
    m_devices.resize(size_t(devices));
    m_controlUnit = DeviceSegment();
    m_blockCount = int(blocks.size());
    for (int i = 0; i < m_blockCount; ++i) {
        m_controlUnit.blocks[i] = std::make_unique<EncoderBlock<float>>(blocks[size_t(i)]);
    }
    m_head = head;
    m_shard = std::move(shard);
    m_cursor = m_shard.size(); // forces a shuffle before the first draw
    m_rng.seed(seed);
}

EncoderBlock<float> *ClusterRuntime::block(int index)
{
    for (DeviceSegment *d = &m_controlUnit;;) {
        const auto it = d->blocks.find(index);
        if (it != d->blocks.end()) {
            return it->second.get();
        }
        if (d == &m_controlUnit) {
            d = m_devices.data();
        } else if (++d == m_devices.data() + m_devices.size()) {
            return nullptr;
        }
    }
}

bool ClusterRuntime::assignSegments(const ClusterDecision &cd, QString *error)
{
    for (DeviceSegment &d : m_devices) {
        d.resetRound();
    }
    int expect = 0;
    for (size_t j = 0; j < cd.stages.size(); ++j) {
        const StageDecision &s = cd.stages[j];
        if (s.device < 0 || s.device >= int(m_devices.size())) {
            *error = QStringLiteral("stage %1: device index %2 is not in 0..%3")
                         .arg(j)
                         .arg(s.device)
                         .arg(int(m_devices.size()) - 1);
            return false;
        }
        if (s.firstBlock != expect || s.lastBlock < s.firstBlock) {
            *error = QStringLiteral("stage %1: blocks [%2, %3] do not continue the encoder at "
                                    "block %4")
                         .arg(j)
                         .arg(s.firstBlock)
                         .arg(s.lastBlock)
                         .arg(expect);
            return false;
        }
        expect = s.lastBlock + 1;
    }
    if (expect != m_blockCount) {
        *error = QStringLiteral("the stages cover blocks 0..%1, the encoder has %2 blocks")
                     .arg(expect - 1)
                     .arg(m_blockCount);
        return false;
    }
    // Move every block to its new owner; a block that stays does not count as moved.
    std::vector<int> owner(static_cast<size_t>(m_blockCount), -1);
    for (const StageDecision &s : cd.stages) {
        for (int b = s.firstBlock; b <= s.lastBlock; ++b) {
            owner[size_t(b)] = s.device;
        }
    }
    for (int b = 0; b < m_blockCount; ++b) {
        DeviceSegment &dst = m_devices[size_t(owner[size_t(b)])];
        if (dst.blocks.count(b)) {
            continue;
        }
        DeviceSegment *src = &m_controlUnit;
        for (DeviceSegment &d : m_devices) {
            if (d.blocks.count(b)) {
                src = &d;
            }
        }
        auto node = src->blocks.extract(b);
        for (const Param<float> *p : node.mapped()->params()) {
            dst.bytesMovedIn += p->movedBytes();
        }
        dst.blocks.insert(std::move(node));
    }
    m_stageDevice.clear();
    m_stageFirst.clear();
    m_stageLast.clear();
    for (const StageDecision &s : cd.stages) {
        m_stageDevice.push_back(s.device);
        m_stageFirst.push_back(s.firstBlock);
        m_stageLast.push_back(s.lastBlock);
    }
    return true;
}

std::vector<int> ClusterRuntime::nextSamples(int n)
{
    std::vector<int> out;
    out.reserve(size_t(n));
    while (int(out.size()) < n) {
        if (m_cursor >= m_shard.size()) {
            std::shuffle(m_shard.begin(), m_shard.end(), m_rng);
            m_cursor = 0;
        }
        out.push_back(m_shard[m_cursor++]);
    }
    return out;
}

std::vector<Param<float> *> ClusterRuntime::encoderParams()
{
    std::vector<Param<float> *> p = m_embedding.params();
    for (int b = 0; b < m_blockCount; ++b) {
        for (Param<float> *q : block(b)->params()) {
            p.push_back(q);
        }
    }
    return p;
}

void ClusterRuntime::step(const AdamWSettings &s)
{
    adamwStep(encoderParams(), s);
}

void ClusterRuntime::forwardOp(int j, int m)
{
    Slot &slot = m_slots[size_t(j)][size_t(m)];
    DeviceSegment &dev = m_devices[size_t(m_stageDevice[size_t(j)])];
    const TokenBatch &mb = m_micro[size_t(m)];
    Mat<float> x, y;
    const Dropout drop = m_dropout.atSample(m_microOffset[size_t(m)]);
    if (j == 0) {
        ops::embeddingForward(mb.src, mb.srcLen, m_embedding.tok, m_embedding.pos, x);
        drop.forLayer(-1).apply(x, mb.srcLen, 0);
        dev.add(matBytes(x)); // received from the control unit
    } else {
        x.swap(slot.act);
    }
    const double inBytes = matBytes(x);
    const int first = m_stageFirst[size_t(j)], last = m_stageLast[size_t(j)];
    while (int(slot.caches.size()) < last - first + 1) {
        if (m_cachePool.empty()) {
            slot.caches.emplace_back();
        } else {
            slot.caches.push_back(std::move(m_cachePool.back()));
            m_cachePool.pop_back();
        }
    }
    for (int b = first; b <= last; ++b) {
        EncoderCache<float> &c = slot.caches[size_t(b - first)];
        const Dropout layerDrop = drop.forLayer(b);
        block(b)->forward(
            x, mb.size, mb.srcLen, mb.srcValid, c, y, drop.active() ? &layerDrop : nullptr);
        dev.add(c.bytes());
        x.swap(y);
    }
    dev.add(matBytes(x)); // output buffer before it is sent
    dev.release(inBytes + matBytes(x));
    observe(j, m, OpKind::Forward, x);
    if (j + 1 < int(m_slots.size())) {
        m_devices[size_t(m_stageDevice[size_t(j + 1)])].add(matBytes(x));
        m_slots[size_t(j + 1)][size_t(m)].act.swap(x);
        return;
    }
    // Last stage → edge server: decoder/head forward, loss, backward (spec §1.3 step 5).
    m_lossSum += m_head.run(x, mb, m_gradScale, &slot.grad);
    dev.add(matBytes(slot.grad));
}

void ClusterRuntime::backwardOp(int j, int m)
{
    Slot &slot = m_slots[size_t(j)][size_t(m)];
    DeviceSegment &dev = m_devices[size_t(m_stageDevice[size_t(j)])];
    Mat<float> dy, dx;
    dy.swap(slot.grad);
    const double inBytes = matBytes(dy);
    const int first = m_stageFirst[size_t(j)], last = m_stageLast[size_t(j)];
    const Dropout drop = m_dropout.atSample(m_microOffset[size_t(m)]);
    for (int b = last; b >= first; --b) {
        EncoderCache<float> &c = slot.caches[size_t(b - first)];
        const Dropout layerDrop = drop.forLayer(b);
        block(b)->backward(dy, c, dx, drop.active() ? &layerDrop : nullptr);
        dy.swap(dx);
        dev.release(c.bytes());
        m_cachePool.push_back(std::move(c)); // the stash is gone; its buffers are reused
    }
    dev.add(matBytes(dy));
    dev.release(inBytes + matBytes(dy));
    observe(j, m, OpKind::Backward, dy);
    sendGradient(j, m, dy, drop);
}

void ClusterRuntime::observe(int stage, int mb, OpKind kind, const Mat<float> &tensor)
{
    if (!m_observer) {
        return;
    }
    const int first = m_stageFirst[size_t(stage)], last = m_stageLast[size_t(stage)];
    const QString blocks = first == last ? QStringLiteral("block %1").arg(first)
                                         : QStringLiteral("blocks %1–%2").arg(first).arg(last);
    OpOutput out{m_op ? m_op->stage : stage, mb, kind, m_op ? m_op->chunk : 0, &tensor, {},
        QStringLiteral("token"), QStringLiteral("feature")};
    switch (kind) {
    case OpKind::Forward:
        out.what = QStringLiteral("activations out of %1").arg(blocks);
        break;
    case OpKind::Backward:
    case OpKind::BackwardInput:
        out.what = QStringLiteral("gradient w.r.t. the input of %1").arg(blocks);
        break;
    case OpKind::BackwardWeight:
        if (block(last)->w2.trainable) {
            out.what = QStringLiteral("this micro-batch's gradient of block %1's FFN W2").arg(last);
            out.rowAxis = QStringLiteral("FFN unit");
        } else {
            out.what = QStringLiteral("this micro-batch's gradient of block %1's %2 LoRA B")
                           .arg(last)
                           .arg(block(last)->ffn2Lora.active() ? QStringLiteral("FFN W2")
                                                               : QStringLiteral("attention Wo"));
            out.rowAxis = QStringLiteral("output feature");
            out.columnAxis = QStringLiteral("rank");
        }
        break;
    }
    m_observer(out);
}

void ClusterRuntime::sendGradient(int j, int m, Mat<float> &dx, const Dropout &drop)
{
    if (j > 0) {
        m_devices[size_t(m_stageDevice[size_t(j - 1)])].add(matBytes(dx));
        m_slots[size_t(j - 1)][size_t(m)].grad.swap(dx);
        return;
    }
    // The embedding's gradient needs stage 0's input gradient: it is taken in B, not deferred.
    const TokenBatch &mb = m_micro[size_t(m)];
    drop.forLayer(-1).apply(dx, mb.srcLen, 0);
    ops::embeddingBackward(mb.src, mb.srcLen, dx, m_embedding.tok, m_embedding.pos);
}

void ClusterRuntime::backwardInputOp(int j, int m)
{
    Slot &slot = m_slots[size_t(j)][size_t(m)];
    DeviceSegment &dev = m_devices[size_t(m_stageDevice[size_t(j)])];
    Mat<float> dy, dx;
    dy.swap(slot.grad);
    const double inBytes = matBytes(dy);
    const int first = m_stageFirst[size_t(j)], last = m_stageLast[size_t(j)];
    const Dropout drop = m_dropout.atSample(m_microOffset[size_t(m)]);
    std::vector<EncoderWeightStash<float>> &stash = slot.stash.blocks;
    slot.stash.first = first;
    while (int(stash.size()) < last - first + 1) {
        if (m_stashPool.empty()) {
            stash.emplace_back();
        } else {
            stash.push_back(std::move(m_stashPool.back()));
            m_stashPool.pop_back();
        }
    }
    for (int b = last; b >= first; --b) {
        EncoderCache<float> &c = slot.caches[size_t(b - first)];
        EncoderWeightStash<float> &w = stash[size_t(b - first)];
        const double cacheBytes = c.bytes(); // before B swaps the weight inputs into the stash
        const Dropout layerDrop = drop.forLayer(b);
        block(b)->backwardInput(dy, c, dx, w, drop.active() ? &layerDrop : nullptr);
        dy.swap(dx);
        dev.add(w.bytes());
        dev.release(cacheBytes);
        m_cachePool.push_back(std::move(c)); // spent: its (swapped) buffers are reused
    }
    slot.caches.clear();
    dev.add(matBytes(dy));
    dev.release(inBytes + matBytes(dy));
    observe(j, m, OpKind::BackwardInput, dy);
    sendGradient(j, m, dy, drop);
}

void ClusterRuntime::backwardWeightOp(int j, int m)
{
    Slot &slot = m_slots[size_t(j)][size_t(m)];
    DeviceSegment &dev = m_devices[size_t(m_stageDevice[size_t(j)])];
    // W accumulates into the gradients: the observer sees this micro-batch's share (after −
    // before) of one named matrix, which does not depend on the order the W's run in: FFN W2,
    // or with W2 frozen (training.mode) the B matrix of the block's last adapter.
    const auto observed = [this, j]() -> const Mat<float> & {
        EncoderBlock<float> *b = block(m_stageLast[size_t(j)]);
        if (b->w2.trainable) {
            return b->w2.g;
        }
        return b->ffn2Lora.active() ? b->ffn2Lora.b.g : b->oLora.b.g;
    };
    Mat<float> before;
    if (m_observer) {
        before = observed();
    }
    dev.backwardWeights(slot.stash);
    if (m_observer) {
        before = observed() - before;
        observe(j, m, OpKind::BackwardWeight, before);
    }
    for (EncoderWeightStash<float> &w : slot.stash.blocks) {
        dev.release(w.bytes());
        m_stashPool.push_back(std::move(w));
    }
    slot.stash.blocks.clear();
}

bool ClusterRuntime::runIteration(const ClusterDecision &cd, const std::vector<StageOp> &ops,
    const TokenBatch &batch, const std::vector<int> &sizes, bool reference,
    const std::function<bool()> &cancel, double *loss, QString *error)
{
    const int terms = batch.lossTerms();
    // Loss = mean over the whole mini-batch, so the summed micro-batch gradients equal the
    // unpipelined gradient (spec §1.3 step 6: accumulate, then one step).
    m_gradScale = 1.0f / float(std::max(1, terms));
    m_lossSum = 0.0;
    if (reference) {
        ModelView<float> view{&m_embedding, {}, &m_head};
        for (int b = 0; b < m_blockCount; ++b) {
            view.blocks.push_back(block(b));
        }
        m_lossSum = forwardBackward(
            view, batch, m_gradScale, true, m_dropout.active() ? &m_dropout : nullptr);
        *loss = m_lossSum / std::max(1, terms);
        return true;
    }
    const int stages = int(cd.stages.size()), micro = int(sizes.size());
    if (!validateStageOps(ops, stages, micro, error)) {
        return false;
    }
    m_micro.clear();
    m_microOffset.clear();
    for (int m = 0, start = 0; m < micro; start += sizes[size_t(m)], ++m) {
        m_micro.push_back(batch.slice(start, sizes[size_t(m)]));
        m_microOffset.push_back(start);
    }
    m_slots.assign(size_t(stages), std::vector<Slot>(size_t(micro)));
    for (const StageOp &op : ops) {
        if (cancel && cancel()) {
            *error = QStringLiteral("training cancelled");
            return false;
        }
        // Slots and segments are per chain position: with chunks, per (device, chunk), so a
        // device's chunks stash their activations apart (chunk_layout.h).
        const int k = op.chainStage();
        m_op = &op; // the observer names the device stage and chunk, not the chain position
        switch (op.kind) {
        case OpKind::Forward:
            forwardOp(k, op.microbatch);
            break;
        case OpKind::Backward:
            backwardOp(k, op.microbatch);
            break;
        case OpKind::BackwardInput:
            backwardInputOp(k, op.microbatch);
            break;
        case OpKind::BackwardWeight:
            backwardWeightOp(k, op.microbatch);
            break;
        }
    }
    m_slots.clear();
    m_op = nullptr;
    *loss = m_lossSum / std::max(1, terms);
    return true;
}

} // namespace collapipe
