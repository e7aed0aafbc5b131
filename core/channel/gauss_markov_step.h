// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>

/// What a Gauss–Markov step shares between NodeTrack's scalar walk (node_mobility.cpp) and its
/// vector walk of several tracks (node_mobility_lanes.cpp), which must give the same bits.
/// Internal to core/channel.
///
/// No fused multiply-add in either file nor here: a × b + c stays two roundings in the scalar walk,
/// in the lane code and in a -march=native build (GCC's default is -ffp-contract=fast), so every
/// build gives the same bits. Both files include this first and pop the options at their end.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace collapipe::gauss_markov_step {

/// The draw streams of a step's velocity noise, per component (node_mobility.cpp's Stream).
inline constexpr std::uint64_t kVelocityXStream = 5;
inline constexpr std::uint64_t kVelocityYStream = 6;

/// The odd constant of SplitMix64's sequence, γ. Step n's normals hash key + (8n + stream)·γ
/// (mod 2⁶⁴), so the next step's input is 8γ further.
inline constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;

/// Mirrors `value` into [lo, hi]; true when it was mirrored an odd number of times (the velocity
/// component then flips). A step longer than the area folds several times; past four folds the
/// value is clamped (a speed far above the area's size).
[[gnu::noinline]] inline bool reflect(double *value, double lo, double hi)
{
    bool flipped = false;
    for (int fold = 0; fold < 4 && (*value < lo || *value > hi); ++fold) {
        *value = *value < lo ? 2.0 * lo - *value : 2.0 * hi - *value;
        flipped = !flipped;
    }
    *value = std::clamp(*value, lo, hi);
    return flipped;
}

} // namespace collapipe::gauss_markov_step

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif
