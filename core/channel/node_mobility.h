// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QString>

#include <cstdint>
#include <span>
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
/// so asking in increasing time costs O(1) per call in the number of calls: a round's call walks
/// only the steps (Gauss–Markov) or legs (random waypoint) since the last call. The walk keeps a
/// checkpoint of its state every kCheckpointSteps steps (kCheckpointLegs legs), so an earlier
/// time resumes from the nearest checkpoint at or before it instead of from t = 0, and gives the
/// same numbers as a fresh track (the walk from a checkpoint repeats the same operations). Not
/// thread-safe (the cursor).
class NodeTrack
{
public:
    /// Gauss–Markov steps (random-waypoint legs) between two checkpoints of the walk.
    static constexpr std::int64_t kCheckpointSteps = 4096;
    static constexpr std::int64_t kCheckpointLegs = 256;

    NodeTrack() = default;
    /// `start`: the node's scenario position (the path's first point, the random area's centre).
    NodeTrack(const Mobility &mobility, const Position &start, const QString &nodeId);

    /// The position at `timeS` seconds from the run's start (negative or non-finite: 0).
    Position at(double timeS);
    bool isMobile() const { return m_mobility.isMobile(); }

    /// How advanceTogether() walks: Scalar leaves every track to at() (the reference walk);
    /// Avx2 and Avx512Vl walk 2 tracks (x and y) per 256-bit vector instruction (x86-64 GCC builds;
    /// Avx512Vl uses AVX-512VL's 64-bit multiply), chosen at run time by the CPU, or by the
    /// environment variable COLLAPIPE_MOBILITY_LANES=scalar|avx2|avx512vl. All give the same
    /// bits (+, −, × and comparisons only, no FMA).
    enum class Lanes {
        Scalar,
        Avx2,
        Avx512Vl
    };
    /// The kinds this CPU runs, Scalar first; the last is the fastest (advanceTogether()'s
    /// default).
    static std::vector<Lanes> supportedLanes();
    static const char *lanesName(Lanes lanes);

    /// Walks the Gauss–Markov tracks among `tracks` forward to the step of `timeS` together,
    /// the x and y of two tracks per vector step (SIMD): each lane does the scalar walk's
    /// operations in its order, so at(timeS) afterwards gives the same bits as without this call
    /// and only finishes the step. Checkpoints are resumed from and recorded as at() does;
    /// tracks of other models are left to at(). Does nothing with Lanes::Scalar. What a channel
    /// model with several Gauss–Markov nodes calls once per round before asking each node.
    static void advanceTogether(std::span<NodeTrack *const> tracks, double timeS);
    static void advanceTogether(std::span<NodeTrack *const> tracks, double timeS, Lanes lanes);

    /// Gauss–Markov steps (random-waypoint legs) walked so far by this track, restarts and
    /// resumes included: what the tests count to check that a call costs the steps since the
    /// previous one, and a jump back only the steps since a checkpoint.
    std::int64_t stepsWalked() const { return m_walked; }

private:
    /// Random waypoint: leg `leg` runs from `from` (left at legStartS) to `to` at `speed`,
    /// arrives at arriveS and leaves again at leaveS (after the pause).
    struct LegState
    {
        std::int64_t leg = -1;
        Position from, to;
        double legStartS = 0.0, arriveS = 0.0, leaveS = 0.0, speed = 0.0;
    };
    /// Gauss–Markov: after step `step` (time step·stepS) the node is at `pos` with velocity
    /// (vx, vy) m/s; (meanVx, meanVy) is the mean velocity, mirrored with it at a wall.
    struct GaussMarkovState
    {
        std::int64_t step = 0;
        Position pos;
        double vx = 0.0, vy = 0.0, meanVx = 0.0, meanVy = 0.0;
    };

    Position waypointAt(double timeS) const;
    Position randomWaypointAt(double timeS);
    Position gaussMarkovAt(double timeS);
    /// The Gauss–Markov step of `timeS` (≥ 0); resumes from a checkpoint when that is the way
    /// there (a step before the current one, or a checkpoint past it after a jump back).
    std::int64_t gaussMarkovResume(double timeS);
    void restart();
    void drawLeg();
    /// Walks the Gauss–Markov state forward to step `step` (> the current one), checkpointing.
    void gaussMarkovAdvance(std::int64_t step);

    Mobility m_mobility;
    Position m_start;
    std::uint64_t m_key = 0;
    double m_minX = 0.0, m_maxX = 0.0, m_minY = 0.0, m_maxY = 0.0; ///< the random models' area
    std::vector<double> m_cumulativeM; ///< waypoints: path length up to each point (0 at start)
    std::int64_t m_walked = 0;

    LegState m_legs;
    std::vector<LegState> m_legCheckpoints; ///< [i]: the state at leg i·kCheckpointLegs

    GaussMarkovState m_gm;
    std::vector<GaussMarkovState> m_gmCheckpoints; ///< [i]: the state at step i·kCheckpointSteps
};

/// NodeTrack(mobility, start, nodeId).at(timeS): one position, no cursor kept.
Position nodePositionAt(
    const Mobility &mobility, const Position &start, const QString &nodeId, double timeS);

} // namespace collapipe
