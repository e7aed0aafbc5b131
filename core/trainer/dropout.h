// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/tensor.h"

#include <cstdint>

/// Inverted dropout (issue [4/6] "dropout optional"; Scenario::training.dropout). The mask of
/// an element is a counter-based hash of (seed, step, cluster, sample index in the mini-batch,
/// layer, site, position, feature) — not a random stream — so it does not depend on how the
/// mini-batch is cut into micro-batches or in which order the pipeline runs them: pipelined ==
/// unpipelined and same seed → same result still hold. Backward recomputes the mask from the
/// hash instead of stashing it, so the measured memory (and the cost model's a_TEB, which has
/// no mask term) is unchanged. Rate 0 touches nothing: training stays bit-identical.
namespace collapipe {

/// splitmix64's finaliser: a bijective 64-bit mix, enough to decorrelate neighbouring counters.
inline std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct Dropout
{
    float rate = 0.0f;     ///< probability of dropping an element; 0 = off
    std::uint64_t key = 0; ///< from (seed, step, cluster): see keyFor
    int sampleOffset = 0;  ///< mini-batch index of this micro-batch's first sample
    int layer = -1;        ///< encoder block index; −1 = the embedding

    bool active() const { return rate > 0.0f; }

    static std::uint64_t keyFor(std::uint64_t seed, std::uint64_t step, std::uint64_t cluster)
    {
        return mix64(mix64(mix64(seed) ^ step) ^ cluster);
    }
    Dropout forLayer(int l) const
    {
        Dropout d = *this;
        d.layer = l;
        return d;
    }
    Dropout atSample(int offset) const
    {
        Dropout d = *this;
        d.sampleOffset = offset;
        return d;
    }

    /// x ⊙ mask / (1 − rate) over rows of `seq` positions per sample; the same call masks the
    /// forward values and, in backward, the incoming gradient. `site` tells apart the places of
    /// one layer (0 attention output, 1 FFN output).
    template <typename T> void apply(Mat<T> &x, int seq, int site) const
    {
        if (!active()) {
            return;
        }
        const T keepScale = T(1) / (T(1) - T(rate));
        // Drop when the top 24 bits, as a fraction of 2^24, fall below the rate.
        const std::uint64_t threshold = std::uint64_t(double(rate) * double(1 << 24));
        const std::uint64_t lk = mix64(key ^ (std::uint64_t(layer + 1) << 8 | std::uint64_t(site)));
        const Eigen::Index cols = x.cols();
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            const std::uint64_t sample = std::uint64_t(sampleOffset) + std::uint64_t(r / seq);
            const std::uint64_t rowKey = mix64(lk ^ mix64(sample << 20 | std::uint64_t(r % seq)));
            T *row = x.data() + r * cols;
            for (Eigen::Index j = 0; j < cols; ++j) {
                const bool drop = (mix64(rowKey + std::uint64_t(j)) >> 40) < threshold;
                row[j] = drop ? T(0) : row[j] * keepScale;
            }
        }
    }
};

} // namespace collapipe
