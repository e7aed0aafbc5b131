// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QString>

#include <cstdint>
#include <vector>

/// Synthetic topologies from a recipe (`collapipe generate`, issue [7/7]): C clusters of K
/// devices drawn from device presets, around edge servers, placed on a grid, a ring or at
/// random. Deterministic: the same recipe and seed give the same scenario on every machine (the
/// random numbers are mapped to doubles by this file, not by <random>'s distributions, whose
/// output the C++ standard leaves to the library).
namespace collapipe {

/// The distinct device presets of a scenario (the first device of each non-empty `preset` id),
/// sorted by compute FLOP/s ascending. On the bundled default.json these are the built-in
/// presets the Studio offers (phone-low, phone-mid, phone-high, jetson-orin).
std::vector<Device> devicePresetsOf(const Scenario &scenario);

/// Where the clusters' control units go; devices are scattered around their control unit.
enum class ClusterLayout {
    Grid,  ///< rows and columns, `clusterSpacingM` apart, centred on the origin
    Ring,  ///< evenly on a circle around the origin, neighbours `clusterSpacingM` apart
    Random ///< uniformly in the square the grid would cover
};

/// One preset and its share of the devices (shares need not sum to 1; they are normalised).
struct PresetShare
{
    Device preset; ///< capabilities and preset id; id, name and position are set per device
    double weight = 1.0;
};

struct GeneratorRecipe
{
    int clusters = 1;
    int devicesPerCluster = 4;
    int edgeServers = 1; ///< cluster n is served by edge server n mod edgeServers
    std::vector<PresetShare> mix;
    ClusterLayout layout = ClusterLayout::Grid;
    std::uint64_t seed = 1;
    double clusterSpacingM = 300.0; ///< distance between neighbouring clusters' control units
    double deviceRadiusM = 60.0;    ///< devices lie within this distance of their control unit
};

/// The base scenario (settings, radio, model, training, optimizer, the edge server and control
/// unit templates: its first edge server and first cluster's control unit) with its topology
/// replaced by the recipe's, and a name and description saying so. Devices get preset capabilities by a seeded draw from `mix`
/// (each device independently, in proportion to the weights), positions by a seeded draw in a
/// disc around their control unit. Ids: edge servers "bs<i>", clusters "c<n>", control units
/// "c<n>-cu", devices "c<n>-d<k>" (1-based). The recipe must be valid (checked by the caller:
/// counts ≥ 1, edgeServers ≤ clusters, a non-empty mix with positive weights).
Scenario generateScenario(const Scenario &base, const GeneratorRecipe &recipe);

} // namespace collapipe
