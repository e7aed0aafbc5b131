// SPDX-License-Identifier: MIT
#include "core/availability/availability_model.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

/// splitmix64: a tiny generator whose stream is the same on every platform and library
/// (std::exponential_distribution is not), so a seeded Markov run is reproducible anywhere.
std::uint64_t nextRandom(std::uint64_t *state)
{
    std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// An exponential duration with mean `meanS`: −mean·ln(u), u uniform in (0, 1).
double exponentialS(std::uint64_t *state, double meanS)
{
    const double u = (double(nextRandom(state) >> 11) + 0.5) * 0x1.0p-53;
    return -meanS * std::log(u);
}

} // namespace

std::uint64_t AvailabilityModel::derivedSeed(std::uint64_t runSeed, int cluster, int device)
{
    std::uint64_t state = runSeed ^ (std::uint64_t(std::uint32_t(cluster)) << 32)
        ^ std::uint64_t(std::uint32_t(device));
    return nextRandom(&state);
}

AvailabilityModel::AvailabilityModel(const Scenario &scenario)
{
    const auto &clusters = scenario.topology.clusters;
    m_devices.resize(clusters.size());
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        m_devices[n].resize(clusters[n].devices.size());
        for (std::size_t k = 0; k < clusters[n].devices.size(); ++k) {
            const DeviceAvailability &a = clusters[n].devices[k].availability;
            Timeline &t = m_devices[n][k];
            switch (a.kind) {
            case AvailabilityKind::Always:
                break;
            case AvailabilityKind::Markov:
                m_varies = true;
                t.markov = true;
                t.meanUpS = a.meanUpS;
                t.meanDownS = a.meanDownS;
                t.rng = a.seed != 0 ? a.seed : derivedSeed(scenario.training.seed, int(n), int(k));
                break;
            case AvailabilityKind::Trace: {
                m_varies = true;
                // Rows that repeat the current state are no switch.
                bool up = true;
                for (const AvailabilityEvent &e : a.trace) {
                    if (e.up != up) {
                        t.switches.push_back(e.timeS);
                        up = e.up;
                    }
                }
                break;
            }
            }
        }
    }
}

void AvailabilityModel::extend(Timeline *t, double timeS)
{
    while (t->switches.empty() || t->switches.back() <= timeS) {
        const double last = t->switches.empty() ? 0.0 : t->switches.back();
        const bool nextIsDown = t->switches.size() % 2 == 0;
        t->switches.push_back(last + exponentialS(&t->rng, nextIsDown ? t->meanUpS : t->meanDownS));
    }
}

AvailabilityModel::Timeline &AvailabilityModel::timeline(int cluster, int device)
{
    return m_devices[std::size_t(cluster)][std::size_t(device)];
}

bool AvailabilityModel::isUp(int cluster, int device, double timeS)
{
    Timeline &t = timeline(cluster, device);
    if (t.markov) {
        extend(&t, timeS);
    }
    const auto passed = std::upper_bound(t.switches.begin(), t.switches.end(), timeS);
    return (passed - t.switches.begin()) % 2 == 0;
}

double AvailabilityModel::nextDownS(int cluster, int device, double fromS, double untilS)
{
    Timeline &t = timeline(cluster, device);
    if (t.markov) {
        extend(&t, untilS);
    }
    // Down-switches are the even-indexed ones.
    auto it = std::upper_bound(t.switches.begin(), t.switches.end(), fromS);
    if (it != t.switches.end() && (it - t.switches.begin()) % 2 == 1) {
        ++it; // an up-switch: down at fromS, the next down-switch is the one after it
    }
    return it != t.switches.end() && *it <= untilS ? *it : kNever;
}

} // namespace collapipe
