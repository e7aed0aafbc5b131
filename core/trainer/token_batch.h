// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

/// A tokenized (micro-)batch as the control unit holds it (spec §1.3 step 3).
namespace collapipe {

struct TokenBatch
{
    int size = 0;               ///< samples
    int srcLen = 0;             ///< encoder positions per sample (padded)
    std::vector<int> src;       ///< [size·srcLen] encoder token ids
    std::vector<int> srcValid;  ///< [size] valid (non-pad) encoder positions, ≥ 1
    std::vector<int> labels;    ///< [size] class ids (classification)
    int tgtLen = 0;             ///< decoder positions per sample (seq2seq)
    std::vector<int> decIn;     ///< [size·tgtLen] BOS + target, padded
    std::vector<int> decTarget; ///< [size·tgtLen] target + EOS, −1 on padding (ignored)

    /// Samples [first, first+count) as their own batch.
    TokenBatch slice(int first, int count) const
    {
        TokenBatch b;
        b.size = count;
        b.srcLen = srcLen;
        b.tgtLen = tgtLen;
        b.src.assign(src.begin() + first * srcLen, src.begin() + (first + count) * srcLen);
        b.srcValid.assign(srcValid.begin() + first, srcValid.begin() + first + count);
        if (!labels.empty()) {
            b.labels.assign(labels.begin() + first, labels.begin() + first + count);
        }
        if (tgtLen > 0) {
            b.decIn.assign(
                decIn.begin() + first * tgtLen, decIn.begin() + (first + count) * tgtLen);
            b.decTarget.assign(
                decTarget.begin() + first * tgtLen, decTarget.begin() + (first + count) * tgtLen);
        }
        return b;
    }

    /// Terms of the loss: samples (classification) or non-pad target tokens (seq2seq).
    int lossTerms() const
    {
        if (tgtLen == 0) {
            return size;
        }
        int n = 0;
        for (int t : decTarget) {
            n += t >= 0 ? 1 : 0;
        }
        return n;
    }
};

} // namespace collapipe
