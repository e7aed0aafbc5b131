// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/encoder_block.h"

#include <algorithm>
#include <map>
#include <memory>

/// One mobile device's share of a cluster's encoder (spec §1.1, §2.4): it owns its blocks'
/// parameters, gradients and AdamW state, and measures the bytes it really holds.
namespace collapipe {

struct DeviceSegment
{
    std::map<int, std::unique_ptr<EncoderBlock<float>>> blocks; ///< block index → block
    double dynamicBytes = 0;     ///< stashed caches + buffers held right now
    double peakDynamicBytes = 0; ///< max of dynamicBytes this round
    double bytesMovedIn = 0;     ///< this round's received params + AdamW moments

    /// Params + grads + AdamW moments of the held blocks (spec §2.4 first term, o = 2).
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
