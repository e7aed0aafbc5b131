// SPDX-License-Identifier: MIT
// The three mobility models of core/MODEL.md "Mobility". No trigonometry or logarithms: a random
// direction comes from a point of the unit disc, a normal draw from a sum of four uniforms, so
// every position is built from correctly rounded operations and reproduces bit for bit anywhere.
#include "core/channel/node_mobility.h"

#include "core/channel/random_draws.h"

#include <algorithm>
#include <cmath>

namespace collapipe {
namespace {

// What a draw is for, so the streams of one node never overlap.
enum Stream : std::uint64_t {
    kLegX = 1,
    kLegY = 2,
    kLegSpeed = 3,
    kMeanDirection = 4,
    kVelocityX = 5,
    kVelocityY = 6
};

double uniform(std::uint64_t key, Stream stream, std::int64_t index, int part = 0)
{
    const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 8)
        ^ (static_cast<std::uint64_t>(part) << 4) ^ stream;
    return unitOpen(splitMix(key ^ splitMix(counter)));
}

/// N(0, 1), approximately: the sum of 4 uniforms (the 16-bit quarters of one hash; Irwin–Hall:
/// mean 2, variance 1/3) centred and scaled by √3, so tails are cut at ±2√3 ≈ ±3.5. A
/// Gauss–Markov node draws two per step and a round spans dozens of steps: one hash per normal
/// keeps that below the cost of a cheap policy's round (bench_mobility). The counter walks
/// SplitMix64's own sequence (key + i·γ).
double standardNormal(std::uint64_t key, Stream stream, std::int64_t index)
{
    const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 3) | stream;
    const std::uint64_t bits = splitMix(key + counter * 0x9E3779B97F4A7C15ull);
    double sum = 0.0;
    for (int quarter = 0; quarter < 4; ++quarter) {
        sum += (double((bits >> (16 * quarter)) & 0xFFFFu) + 0.5) * (1.0 / 65536.0);
    }
    return (sum - 2.0) * 1.7320508075688772; // √3
}

double length(double dx, double dy)
{
    return std::sqrt(dx * dx + dy * dy);
}

Position along(const Position &from, const Position &to, double fraction)
{
    return {from.xM + (to.xM - from.xM) * fraction, from.yM + (to.yM - from.yM) * fraction};
}

/// Mirrors `value` into [lo, hi]; true when it was mirrored an odd number of times (the velocity
/// component then flips). A step longer than the area folds several times; past four folds the
/// value is clamped (a speed far above the area's size).
bool reflect(double *value, double lo, double hi)
{
    bool flipped = false;
    for (int fold = 0; fold < 4 && (*value < lo || *value > hi); ++fold) {
        *value = *value < lo ? 2.0 * lo - *value : 2.0 * hi - *value;
        flipped = !flipped;
    }
    *value = std::clamp(*value, lo, hi);
    return flipped;
}

} // namespace

std::uint64_t mobilityKey(std::uint64_t seed, const QString &nodeId)
{
    std::uint64_t hash = 0xcbf29ce484222325ull; // FNV-1a 64
    for (const QChar c : nodeId) {
        hash = (hash ^ c.unicode()) * 0x100000001b3ull;
    }
    return splitMix(seed ^ splitMix(hash));
}

NodeTrack::NodeTrack(const Mobility &mobility, const Position &start, const QString &nodeId)
    : m_mobility(mobility)
    , m_start(start)
    , m_key(mobilityKey(mobility.seed, nodeId))
{
    m_minX = start.xM - mobility.areaWidthM / 2.0;
    m_maxX = start.xM + mobility.areaWidthM / 2.0;
    m_minY = start.yM - mobility.areaHeightM / 2.0;
    m_maxY = start.yM + mobility.areaHeightM / 2.0;
    if (mobility.model == MobilityModel::Waypoints) {
        Position previous = start;
        double total = 0.0;
        m_cumulativeM.push_back(0.0);
        for (const Position &p : mobility.waypoints) {
            total += length(p.xM - previous.xM, p.yM - previous.yM);
            m_cumulativeM.push_back(total);
            previous = p;
        }
        if (mobility.loop) {
            total += length(start.xM - previous.xM, start.yM - previous.yM);
            m_cumulativeM.push_back(total); // the closing segment, back to the start
        }
    }
    restart();
}

Position NodeTrack::at(double timeS)
{
    if (!(timeS > 0.0) || !std::isfinite(timeS)) {
        timeS = 0.0;
    }
    switch (m_mobility.model) {
    case MobilityModel::None:
        return m_start;
    case MobilityModel::Waypoints:
        return waypointAt(timeS);
    case MobilityModel::RandomWaypoint:
        return randomWaypointAt(timeS);
    case MobilityModel::GaussMarkov:
        return gaussMarkovAt(timeS);
    }
    return m_start;
}

Position NodeTrack::waypointAt(double timeS) const
{
    const std::vector<Position> &points = m_mobility.waypoints;
    const double total = m_cumulativeM.back();
    if (points.empty() || !(total > 0.0)) {
        return m_start;
    }
    double s = m_mobility.speedMps * timeS; // path length covered
    if (m_mobility.loop) {
        s = std::fmod(s, total); // exact in IEEE 754
    } else if (s >= total) {
        return points.back();
    }
    // Segment i runs from point i to point i+1 (point 0 the start; with loop, the last segment
    // returns to the start).
    const auto next = std::upper_bound(m_cumulativeM.begin(), m_cumulativeM.end(), s);
    const std::size_t i
        = std::size_t(std::max<std::ptrdiff_t>(next - m_cumulativeM.begin(), 1)) - 1;
    auto point
        = [&](std::size_t k) { return k == 0 || k > points.size() ? m_start : points[k - 1]; };
    const double segment = m_cumulativeM[i + 1] - m_cumulativeM[i];
    return segment > 0.0 ? along(point(i), point(i + 1), (s - m_cumulativeM[i]) / segment)
                         : point(i + 1);
}

void NodeTrack::restart()
{
    m_leg = -1;
    m_to = m_start;
    m_leaveS = 0.0;
    m_step = 0;
    m_pos = m_start;
    // A uniform direction without trigonometry: a uniform point of the unit disc, normalised.
    double ux = 1.0;
    double uy = 0.0;
    for (std::int64_t j = 0; j < 64; ++j) {
        const double x = 2.0 * uniform(m_key, kMeanDirection, j, 0) - 1.0;
        const double y = 2.0 * uniform(m_key, kMeanDirection, j, 1) - 1.0;
        const double r = length(x, y);
        if (r > 1e-6 && r <= 1.0) {
            ux = x / r;
            uy = y / r;
            break;
        }
    }
    m_meanVx = m_mobility.meanSpeedMps * ux;
    m_meanVy = m_mobility.meanSpeedMps * uy;
    m_vx = m_meanVx;
    m_vy = m_meanVy;
}

void NodeTrack::drawLeg()
{
    ++m_leg;
    m_from = m_to;
    m_legStartS = m_leaveS;
    m_to = {m_minX + (m_maxX - m_minX) * uniform(m_key, kLegX, m_leg),
        m_minY + (m_maxY - m_minY) * uniform(m_key, kLegY, m_leg)};
    const double lo = m_mobility.minSpeedMps;
    const double hi = std::max(m_mobility.maxSpeedMps, lo);
    m_speed = lo + (hi - lo) * uniform(m_key, kLegSpeed, m_leg);
    m_arriveS = m_legStartS + length(m_to.xM - m_from.xM, m_to.yM - m_from.yM) / m_speed;
    m_leaveS = m_arriveS + m_mobility.pauseS;
}

Position NodeTrack::randomWaypointAt(double timeS)
{
    if (m_leg >= 0 && timeS < m_legStartS) {
        restart();
    }
    while (m_leg < 0 || timeS >= m_leaveS) {
        drawLeg();
    }
    if (timeS >= m_arriveS) {
        return m_to;
    }
    return along(m_from, m_to, (timeS - m_legStartS) / (m_arriveS - m_legStartS));
}

void NodeTrack::gaussMarkovStep()
{
    // Move for one step at the current velocity (mirrored at the area's walls), then the
    // velocity update v(n+1) = α·v(n) + (1−α)·v̄ + √(1−α²)·σ·w(n), per component.
    const double dt = m_mobility.stepS;
    m_pos.xM += m_vx * dt;
    m_pos.yM += m_vy * dt;
    if (reflect(&m_pos.xM, m_minX, m_maxX)) {
        m_vx = -m_vx;
        m_meanVx = -m_meanVx;
    }
    if (reflect(&m_pos.yM, m_minY, m_maxY)) {
        m_vy = -m_vy;
        m_meanVy = -m_meanVy;
    }
    const double a = m_mobility.alpha;
    const double noise = std::sqrt(std::max(0.0, 1.0 - a * a)) * m_mobility.speedStdMps;
    m_vx = a * m_vx + (1.0 - a) * m_meanVx + noise * standardNormal(m_key, kVelocityX, m_step);
    m_vy = a * m_vy + (1.0 - a) * m_meanVy + noise * standardNormal(m_key, kVelocityY, m_step);
    ++m_step;
}

Position NodeTrack::gaussMarkovAt(double timeS)
{
    const double dt = m_mobility.stepS;
    const auto step = static_cast<std::int64_t>(std::floor(timeS / dt));
    if (step < m_step) {
        restart();
    }
    while (m_step < step) {
        gaussMarkovStep();
    }
    // Within a step: straight on at the step's velocity, mirrored like the step itself.
    Position p{m_pos.xM + m_vx * (timeS - double(m_step) * dt),
        m_pos.yM + m_vy * (timeS - double(m_step) * dt)};
    reflect(&p.xM, m_minX, m_maxX);
    reflect(&p.yM, m_minY, m_maxY);
    return p;
}

Position nodePositionAt(
    const Mobility &mobility, const Position &start, const QString &nodeId, double timeS)
{
    return NodeTrack(mobility, start, nodeId).at(timeS);
}

} // namespace collapipe
