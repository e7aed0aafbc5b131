// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

/// Counter-based random draws: each value is a pure function of a key (a hash of the seed and of
/// what is drawn), so a draw does not depend on the order or the thread it is asked in. Shared by
/// the fading (channel_model.cpp) and the mobility (node_mobility.cpp) of core/channel.
namespace collapipe {

/// SplitMix64's finaliser: a bijective 64-bit mix.
inline std::uint64_t splitMix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/// Uniform in (0, 1) from 53 bits: never 0 or 1, so a log() of it is finite.
inline double unitOpen(std::uint64_t bits)
{
    return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

} // namespace collapipe
