// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QString>

#include <cstdint>
#include <vector>

/// Where a moving device or control unit is at a simulated time (issue [6/7]; core/MODEL.md
/// "Mobility"). Pure geometry, no Qt beyond the id: the channel model asks it once per node per
/// round for the position that feeds distance → path loss → rate.
namespace collapipe {

/// The key of a node's random draws: its seed mixed with a stable hash (FNV-1a over UTF-16) of
/// its id, so two nodes with one seed move differently and a run reproduces on every machine.
std::uint64_t mobilityKey(std::uint64_t seed, const QString &nodeId);

/// One node's path under its Mobility. Deterministic: the position is a function of (mobility,
/// start, id, t) alone, computed with +, −, ×, ÷ and √ only (each correctly rounded by IEEE 754),
/// so the same on every CPU and for every thread count. Holds a cursor (the current leg or step),
/// so asking in increasing time costs O(1) amortised; an earlier time restarts from t = 0 and
/// gives the same numbers. Not thread-safe (the cursor).
class NodeTrack
{
public:
    NodeTrack() = default;
    /// `start`: the node's scenario position (the path's first point, the random area's centre).
    NodeTrack(const Mobility &mobility, const Position &start, const QString &nodeId);

    /// The position at `timeS` seconds from the run's start (negative or non-finite: 0).
    Position at(double timeS);
    bool isMobile() const { return m_mobility.isMobile(); }

private:
    Position waypointAt(double timeS) const;
    Position randomWaypointAt(double timeS);
    Position gaussMarkovAt(double timeS);
    void restart();
    void drawLeg();
    void gaussMarkovStep();

    Mobility m_mobility;
    Position m_start;
    std::uint64_t m_key = 0;
    double m_minX = 0.0, m_maxX = 0.0, m_minY = 0.0, m_maxY = 0.0; ///< the random models' area
    std::vector<double> m_cumulativeM; ///< waypoints: path length up to each point (0 at start)

    // Random waypoint: leg `m_leg` runs from m_from (left at m_legStartS) to m_to at m_speed,
    // arrives at m_arriveS and leaves again at m_leaveS (after the pause).
    std::int64_t m_leg = -1;
    Position m_from, m_to;
    double m_legStartS = 0.0, m_arriveS = 0.0, m_leaveS = 0.0, m_speed = 0.0;

    // Gauss–Markov: after step m_step (time m_step·stepS) the node is at m_pos with velocity
    // (m_vx, m_vy) m/s; (m_meanVx, m_meanVy) is the mean velocity, mirrored with it at a wall.
    std::int64_t m_step = -1;
    Position m_pos;
    double m_vx = 0.0, m_vy = 0.0, m_meanVx = 0.0, m_meanVy = 0.0;
};

/// NodeTrack(mobility, start, nodeId).at(timeS): one position, no cursor kept.
Position nodePositionAt(
    const Mobility &mobility, const Position &start, const QString &nodeId, double timeS);

} // namespace collapipe
