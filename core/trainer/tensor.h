// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/fixed_order.h"

#include <Eigen/Core>

#include <cstddef>
#include <random>

/// Tensor types of the trainer. Activations are row-major [tokens × features] so one sample's
/// rows are contiguous; templated on the scalar so gradient checks run the same code in double.
namespace collapipe {

template <typename T> using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Bytes a matrix really holds (its allocation), for the measured-memory accounting.
template <typename T> inline double matBytes(const Mat<T> &m)
{
    return double(m.size()) * double(sizeof(T));
}

/// One tensor with its gradient and AdamW moments (spec §2.4: weights + grads + o = 2), or, once
/// frozen (training.mode), its value alone.
template <typename T> struct Param
{
    Mat<T> w;              ///< value
    Mat<T> g;              ///< accumulated gradient (zeroed explicitly after each step)
    Mat<T> m;              ///< AdamW first moment
    Mat<T> v;              ///< AdamW second moment
    int step = 0;          ///< AdamW steps taken (bias correction); moves with the tensor
    bool decay = true;     ///< weight decay applies (matrices yes; biases, LayerNorm no)
    bool trainable = true; ///< false: frozen (training.mode), no gradient, no moments held

    void resize(int rows, int cols, bool withDecay)
    {
        w = Mat<T>::Zero(rows, cols);
        g = Mat<T>::Zero(rows, cols);
        m = Mat<T>::Zero(rows, cols);
        v = Mat<T>::Zero(rows, cols);
        decay = withDecay;
    }
    /// N(0, std²) init from a seeded engine: the same values on every CPU and standard library
    /// (fixed::fillNormal, no libm).
    void randomize(std::mt19937_64 &rng, double stddev)
    {
        fixed::fillNormal(rng, stddev, w.data(), long(w.size()));
    }
    /// Frozen from now on (LoRA's base weights, a frozen embedding): releases the gradient and
    /// the moments, so the measured memory holds the value only; backward passes skip it.
    void freeze()
    {
        trainable = false;
        g = Mat<T>();
        m = Mat<T>();
        v = Mat<T>();
    }
    /// Bytes held: value + gradient + both moments, or the value alone when frozen.
    double bytes() const { return (trainable ? 4.0 : 1.0) * double(w.size()) * double(sizeof(T)); }
    /// Bytes a device receives when the tensor moves: value + both moments (the gradient is
    /// zero between rounds), or the value alone when frozen.
    double movedBytes() const
    {
        return (trainable ? 3.0 : 1.0) * double(w.size()) * double(sizeof(T));
    }
};

} // namespace collapipe
