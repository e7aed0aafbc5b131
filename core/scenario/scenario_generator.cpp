// SPDX-License-Identifier: MIT
#include "core/scenario/scenario_generator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace collapipe {

namespace {

/// SplitMix64: a tiny generator whose every output is fixed by the seed on every platform.
class SeededStream
{
public:
    explicit SeededStream(std::uint64_t seed)
        : m_state(seed)
    { }
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1): the top 53 bits as a double.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t m_state;
};

/// Centimetre precision keeps the written file short and readable; positions are inputs, so
/// rounding them changes nothing downstream.
double roundCm(double metres)
{
    return std::round(metres * 100.0) / 100.0;
}

Position clusterCentre(const GeneratorRecipe &r, int n, SeededStream &rng)
{
    const int columns = int(std::ceil(std::sqrt(double(r.clusters))));
    const int rows = (r.clusters + columns - 1) / columns;
    const double s = r.clusterSpacingM;
    switch (r.layout) {
    case ClusterLayout::Grid:
        return {(n % columns - 0.5 * (columns - 1)) * s, (n / columns - 0.5 * (rows - 1)) * s};
    case ClusterLayout::Ring: {
        // Neighbours `s` apart along the circle; never closer to the centre than `s`.
        const double radius = std::max(s, s * r.clusters / (2.0 * std::numbers::pi));
        const double angle = 2.0 * std::numbers::pi * n / r.clusters;
        return {radius * std::cos(angle), radius * std::sin(angle)};
    }
    case ClusterLayout::Random:
        break;
    }
    const double side = columns * s;
    const double x = (rng.uniform() - 0.5) * side;
    const double y = (rng.uniform() - 0.5) * side;
    return {x, y};
}

/// Uniform in the disc of `radius` around `centre` (√u for the radius: equal density per area).
Position scatter(const Position &centre, double radius, SeededStream &rng)
{
    const double rho = radius * std::sqrt(rng.uniform());
    const double angle = 2.0 * std::numbers::pi * rng.uniform();
    return {roundCm(centre.xM + rho * std::cos(angle)), roundCm(centre.yM + rho * std::sin(angle))};
}

/// Index into `mix` for a uniform draw u ∈ [0, 1), in proportion to the weights.
std::size_t pickPreset(const std::vector<PresetShare> &mix, double total, double u)
{
    double acc = 0.0;
    for (std::size_t i = 0; i + 1 < mix.size(); ++i) {
        acc += mix[i].weight;
        if (u * total < acc) {
            return i;
        }
    }
    return mix.size() - 1;
}

} // namespace

std::vector<Device> devicePresetsOf(const Scenario &scenario)
{
    std::vector<Device> out;
    for (const Cluster &cluster : scenario.topology.clusters) {
        for (const Device &device : cluster.devices) {
            const bool seen = std::any_of(out.cbegin(), out.cend(),
                [&device](const Device &p) { return p.preset == device.preset; });
            if (!device.preset.isEmpty() && !seen) {
                out.push_back(device);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
        [](const Device &a, const Device &b) { return a.computeFlops < b.computeFlops; });
    return out;
}

Scenario generateScenario(const Scenario &base, const GeneratorRecipe &recipe)
{
    Scenario s = base;
    s.name = QStringLiteral("Generated: %1 × %2 devices, seed %3")
                 .arg(recipe.clusters)
                 .arg(recipe.devicesPerCluster)
                 .arg(recipe.seed);
    s.description
        = QStringLiteral("Written by collapipe generate; settings from \"%1\".").arg(base.name);
    Topology &t = s.topology;
    const EdgeServer serverTemplate
        = base.topology.edgeServers.empty() ? EdgeServer{} : base.topology.edgeServers.front();
    const ControlUnit cuTemplate = base.topology.clusters.empty()
        ? ControlUnit{}
        : base.topology.clusters.front().controlUnit;
    t.edgeServers.clear();
    t.clusters.clear();
    SeededStream rng(recipe.seed);
    double total = 0.0;
    for (const PresetShare &share : recipe.mix) {
        total += share.weight;
    }
    const int servers = std::clamp(recipe.edgeServers, 1, std::max(1, recipe.clusters));
    std::vector<Position> centroid(std::size_t(servers), Position{});
    std::vector<int> served(std::size_t(servers), 0);
    t.clusters.reserve(std::size_t(recipe.clusters));
    for (int n = 0; n < recipe.clusters; ++n) {
        const QString id = QStringLiteral("c%1").arg(n + 1);
        Cluster c;
        c.id = id;
        c.name = QStringLiteral("Cluster %1").arg(n + 1);
        c.edgeServerId = QStringLiteral("bs%1").arg(n % servers + 1);
        c.controlUnit = cuTemplate;
        c.controlUnit.id = id + QStringLiteral("-cu");
        const Position centre = clusterCentre(recipe, n, rng);
        c.controlUnit.position = {roundCm(centre.xM), roundCm(centre.yM)};
        c.devices.reserve(std::size_t(recipe.devicesPerCluster));
        for (int k = 0; k < recipe.devicesPerCluster; ++k) {
            const PresetShare &share = recipe.mix[pickPreset(recipe.mix, total, rng.uniform())];
            Device d = share.preset;
            d.id = id + QStringLiteral("-d%1").arg(k + 1);
            d.name = share.preset.name.isEmpty() ? share.preset.preset : share.preset.name;
            d.position = scatter(c.controlUnit.position, recipe.deviceRadiusM, rng);
            c.devices.push_back(std::move(d));
        }
        Position &sum = centroid[std::size_t(n % servers)];
        sum.xM += c.controlUnit.position.xM;
        sum.yM += c.controlUnit.position.yM;
        ++served[std::size_t(n % servers)];
        t.clusters.push_back(std::move(c));
    }
    // Each edge server sits at the centre of the clusters it serves.
    for (int e = 0; e < servers; ++e) {
        EdgeServer server = serverTemplate;
        server.id = QStringLiteral("bs%1").arg(e + 1);
        server.name
            = servers == 1 ? serverTemplate.name : QStringLiteral("Edge server %1").arg(e + 1);
        const double count = std::max(1, served[std::size_t(e)]);
        server.position = {roundCm(centroid[std::size_t(e)].xM / count),
            roundCm(centroid[std::size_t(e)].yM / count)};
        t.edgeServers.push_back(std::move(server));
    }
    return s;
}

} // namespace collapipe
