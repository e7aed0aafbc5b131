// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/encoder_block.h"

#include <algorithm>
#include <map>
#include <memory>

/// One mobile device's share of a cluster's encoder (spec §1.1, §2.4): it owns its blocks'
/// parameters, gradients and AdamW state, and measures the bytes it really holds.
namespace collapipe {

/// One micro-batch's state between a segment's B and its W: one stash per block, first..last.
struct SegmentWeightStash
{
    int first = 0;
    std::vector<EncoderWeightStash<float>> blocks; ///< [b − first]

    double bytes() const
    {
        double b = 0;
        for (const EncoderWeightStash<float> &s : blocks) {
            b += s.bytes();
        }
        return b;
    }
};

struct DeviceSegment
{
    std::map<int, std::unique_ptr<EncoderBlock<float>>> blocks; ///< block index → block
    double dynamicBytes = 0;     ///< stashed caches + buffers held right now
    double peakDynamicBytes = 0; ///< max of dynamicBytes this round
    double bytesMovedIn = 0;     ///< this round's received params + AdamW moments

    /// Params + grads + AdamW moments of the held blocks (spec §2.4 first term, o = 2); a frozen
    /// tensor (training.mode) counts its value only.
    double staticBytes() const
    {
        double b = 0;
        for (const auto &kv : blocks) {
            for (const Param<float> *p : kv.second->params()) {
                b += p->bytes();
            }
        }
        return b;
    }
    /// Blocks [first, last] (all held here) on one micro-batch: x → y, caches[b − first] filled.
    /// drop: the micro-batch's dropout (atSample applied); each block gets forLayer(b).
    void forward(int first, int last, const Mat<float> &x, int batch, int seq,
        const std::vector<int> &keyLen, std::vector<EncoderCache<float>> &caches, Mat<float> &y,
        const Dropout &drop = Dropout()) const
    {
        caches.resize(size_t(last - first + 1));
        thread_local Mat<float> ping, pong;
        const Mat<float> *in = &x;
        for (int b = first; b <= last; ++b) {
            Mat<float> &out = b == last ? y : (in == &ping ? pong : ping);
            const Dropout layerDrop = drop.forLayer(b);
            blocks.at(b)->forward(*in, batch, seq, keyLen, caches[size_t(b - first)], out,
                drop.active() ? &layerDrop : nullptr);
            in = &out;
        }
    }

    /// Fused backward of blocks [last … first]: dy → dx, parameter gradients accumulated.
    void backward(int first, int last, const Mat<float> &dy,
        const std::vector<EncoderCache<float>> &caches, Mat<float> &dx,
        const Dropout &drop = Dropout())
    {
        thread_local Mat<float> ping, pong;
        const Mat<float> *in = &dy;
        for (int b = last; b >= first; --b) {
            Mat<float> &out = b == first ? dx : (in == &ping ? pong : ping);
            const Dropout layerDrop = drop.forLayer(b);
            blocks.at(b)->backward(
                *in, caches[size_t(b - first)], out, drop.active() ? &layerDrop : nullptr);
            in = &out;
        }
    }

    /// Zero-bubble B of blocks [last … first]: dy → dx, LayerNorm γ/β gradients accumulated (no
    /// weight-matrix or bias gradient); the caches are spent (W's inputs moved into `stash`, which backwardWeights consumes later —
    /// other micro-batches' forwards and B's may run in between, several stashes pending).
    void backwardInput(int first, int last, const Mat<float> &dy,
        std::vector<EncoderCache<float>> &caches, Mat<float> &dx, SegmentWeightStash &stash,
        const Dropout &drop = Dropout())
    {
        stash.first = first;
        stash.blocks.resize(size_t(last - first + 1));
        thread_local Mat<float> ping, pong;
        const Mat<float> *in = &dy;
        for (int b = last; b >= first; --b) {
            Mat<float> &out = b == first ? dx : (in == &ping ? pong : ping);
            const Dropout layerDrop = drop.forLayer(b);
            blocks.at(b)->backwardInput(*in, caches[size_t(b - first)], out,
                stash.blocks[size_t(b - first)], drop.active() ? &layerDrop : nullptr);
            in = &out;
        }
    }

    /// Zero-bubble W: accumulates the micro-batch's parameter gradients of the stash's blocks.
    void backwardWeights(const SegmentWeightStash &stash)
    {
        for (size_t i = 0; i < stash.blocks.size(); ++i) {
            blocks.at(stash.first + int(i))->backwardWeights(stash.blocks[i]);
        }
    }

    void add(double bytes)
    {
        dynamicBytes += bytes;
        peakDynamicBytes = std::max(peakDynamicBytes, dynamicBytes);
    }
    void release(double bytes) { dynamicBytes -= bytes; }
    void resetRound()
    {
        dynamicBytes = 0;
        peakDynamicBytes = 0;
        bytesMovedIn = 0;
    }
};

} // namespace collapipe
