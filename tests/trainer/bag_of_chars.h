// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/text_dataset.h"

#include <Eigen/Core>

#include <algorithm>
#include <map>

/// Baselines for the learning test: a multinomial logistic regression on bag-of-characters
/// counts (z-scored; full-batch gradient descent, 400 steps, step 0.5, L2 1e-4).
namespace collapipe::test {

using MatD = Eigen::MatrixXd;

inline MatD bagOfChars(const std::vector<QByteArray> &texts, int maxChars)
{
    MatD x = MatD::Zero(Eigen::Index(texts.size()), tokenizer::kVocabNeeded);
    for (size_t i = 0; i < texts.size(); ++i) {
        const int n = std::min(int(texts[i].size()), maxChars);
        for (int t = 0; t < n; ++t) {
            x(Eigen::Index(i), tokenizer::encodeChar(texts[i][t])) += 1.0;
        }
    }
    return x;
}

/// Fits on (xTrain, yTrain) with classes 0..k−1, returns predictions for xTest.
inline std::vector<int> logisticRegression(
    MatD xTrain, const std::vector<int> &yTrain, int k, MatD xTest)
{
    const Eigen::RowVectorXd mean = xTrain.colwise().mean();
    Eigen::RowVectorXd sd
        = ((xTrain.rowwise() - mean).array().square().colwise().mean()).sqrt().matrix();
    sd = sd.unaryExpr([](double v) { return v > 1e-9 ? v : 1.0; });
    const auto prep = [&](MatD &x) {
        x = ((x.rowwise() - mean).array().rowwise() / sd.array()).matrix();
        x.conservativeResize(x.rows(), x.cols() + 1);
        x.col(x.cols() - 1).setOnes();
    };
    prep(xTrain);
    prep(xTest);
    MatD w = MatD::Zero(xTrain.cols(), k);
    const double n = double(xTrain.rows());
    for (int it = 0; it < 400; ++it) {
        MatD p = xTrain * w;
        for (Eigen::Index i = 0; i < p.rows(); ++i) {
            p.row(i) = (p.row(i).array() - p.row(i).maxCoeff()).exp();
            p.row(i) /= p.row(i).sum();
            p(i, yTrain[size_t(i)]) -= 1.0;
        }
        w -= 0.5 * (xTrain.transpose() * p / n + 1e-4 * w);
    }
    const MatD scores = xTest * w;
    std::vector<int> pred(static_cast<size_t>(scores.rows()));
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        Eigen::Index best = 0;
        scores.row(i).maxCoeff(&best);
        pred[size_t(i)] = int(best);
    }
    return pred;
}

} // namespace collapipe::test
