// SPDX-License-Identifier: MIT
// FederatedTrainer::evaluate — held-out metrics of the global model (kept apart from the
// training loop in federated_trainer.cpp).
#include "core/trainer/federated_trainer.h"
#include "core/trainer/federated_trainer_p.h"

#include <numeric>

namespace collapipe {

namespace {

constexpr int kEvalBatch = 64;

/// The first column holding the row's maximum (a plain scan: the tie rule is the same on every
/// CPU, whatever Eigen's visitor would do with wider vectors).
int argmaxRow(const Mat<float> &m, Eigen::Index row)
{
    const float *r = m.data() + row * m.cols();
    Eigen::Index best = 0;
    for (Eigen::Index j = 1; j < m.cols(); ++j) {
        if (r[j] > r[best]) {
            best = j;
        }
    }
    return int(best);
}

/// Greedy decoding (spec §1.2 Transformer preset): position t's argmax becomes input t+1.
/// Adds per-batch exact matches and matching target positions (EOS included).
void greedyScore(Head<float> &head, const Mat<float> &enc, const TokenBatch &mb, int *exact,
    int *tokensRight, int *tokensTotal)
{
    TokenBatch run = mb;
    std::fill(run.decIn.begin(), run.decIn.end(), tokenizer::kPad);
    std::vector<int> pred(size_t(mb.size) * size_t(mb.tgtLen), -1);
    Mat<float> logits;
    for (int t = 0; t < mb.tgtLen; ++t) {
        for (int b = 0; b < mb.size; ++b) {
            run.decIn[size_t(b * mb.tgtLen)] = tokenizer::kBos;
        }
        head.run(enc, run, 1.0f, nullptr, &logits);
        for (int b = 0; b < mb.size; ++b) {
            const int tok = argmaxRow(logits, Eigen::Index(b) * mb.tgtLen + t);
            pred[size_t(b * mb.tgtLen + t)] = tok;
            if (t + 1 < mb.tgtLen) {
                run.decIn[size_t(b * mb.tgtLen + t + 1)] = tok;
            }
        }
    }
    for (int b = 0; b < mb.size; ++b) {
        bool all = true;
        for (int t = 0; t < mb.tgtLen; ++t) {
            const int want = mb.decTarget[size_t(b * mb.tgtLen + t)];
            if (want < 0) {
                break;
            }
            const bool ok = pred[size_t(b * mb.tgtLen + t)] == want;
            *tokensRight += ok ? 1 : 0;
            ++*tokensTotal;
            all = all && ok;
        }
        *exact += all ? 1 : 0;
    }
}

} // namespace

EvalResult FederatedTrainer::evaluate(bool test) const
{
    EvalResult r;
    const kernels::ModeScope kernelMode(d->kernelMode());
    const TextSplit &split = test ? d->data.test : d->data.val;
    if (d->clusters.empty() || split.size() == 0) {
        return r;
    }
    const ModelView<float> view = d->globalView();
    double lossSum = 0;
    int terms = 0, correct = 0, exact = 0, tokRight = 0, tokTotal = 0;
    for (int start = 0; start < split.size(); start += kEvalBatch) {
        std::vector<int> idx(size_t(std::min(kEvalBatch, split.size() - start)));
        std::iota(idx.begin(), idx.end(), start);
        const TokenBatch mb = makeBatch(d->data, split, idx, d->srcLen, d->tgtLen);
        const Mat<float> enc = encodeOnly(view, mb);
        Mat<float> logits;
        lossSum += view.head->run(enc, mb, 1.0f, nullptr, &logits);
        terms += mb.lossTerms();
        if (d->data.seq2seq) {
            greedyScore(*view.head, enc, mb, &exact, &tokRight, &tokTotal);
        } else {
            for (int b = 0; b < mb.size; ++b) {
                correct += argmaxRow(logits, b) == mb.labels[size_t(b)] ? 1 : 0;
            }
        }
    }
    r.samples = split.size();
    r.loss = lossSum / std::max(1, terms);
    if (d->data.seq2seq) {
        r.exactMatch = double(exact) / r.samples;
        r.tokenAccuracy = double(tokRight) / std::max(1, tokTotal);
        r.accuracy = r.exactMatch;
    } else {
        r.accuracy = double(correct) / r.samples;
    }
    return r;
}

} // namespace collapipe
