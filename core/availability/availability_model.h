// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <cstdint>
#include <limits>
#include <vector>

/// Which devices are present when (issue [6/7] "A living edge"; core/MODEL.md "Churn"): every
/// device's on/off timeline on the simulated clock, from its availability settings (always, a
/// two-state Markov chain, or a replayed trace). Pure and deterministic: a Markov device's up and
/// down times are drawn in order from its own seed, so an answer never depends on which times
/// were asked before. Battery drain is not here: it depends on the energy spent (core/sim).
namespace collapipe {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

class AvailabilityModel
{
public:
    AvailabilityModel() = default;
    explicit AvailabilityModel(const Scenario &scenario);

    /// False when every device is always present (the round loop then skips all churn work).
    bool varies() const { return m_varies; }
    /// Whether device `device` of cluster `cluster` is up at time `timeS` (a switch at exactly
    /// `timeS` has happened). Every device starts up at time 0 (a trace: until its first row).
    bool isUp(int cluster, int device, double timeS);
    /// The first time in (fromS, untilS] at which the device goes down; kNever if it stays up
    /// (or is already down at fromS and does not come back and go again in the window).
    double nextDownS(int cluster, int device, double fromS, double untilS);

    /// The seed a Markov device with `seed` 0 uses: a mix of the run's seed and its place.
    static std::uint64_t derivedSeed(std::uint64_t runSeed, int cluster, int device);

private:
    struct Timeline
    {
        /// Switch times, increasing: up → down at switches[0], down → up at switches[1], …
        std::vector<double> switches;
        bool markov = false;
        double meanUpS = 0.0;
        double meanDownS = 0.0;
        std::uint64_t rng = 0; ///< splitmix64 state of the next Markov draw
    };

    Timeline &timeline(int cluster, int device);
    /// Markov: draws switches until one lies beyond `timeS`.
    static void extend(Timeline *t, double timeS);

    std::vector<std::vector<Timeline>> m_devices; ///< [cluster][device]
    bool m_varies = false;
};

} // namespace collapipe
