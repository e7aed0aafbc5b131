// SPDX-License-Identifier: MIT
// The three mobility models of core/MODEL.md "Mobility". No trigonometry or logarithms: a random
// direction comes from a point of the unit disc, a normal draw from a sum of four uniforms, so
// every position is built from correctly rounded operations and reproduces bit for bit anywhere.
#include "core/channel/node_mobility.h"

#include "core/channel/gauss_markov_step.h"
#include "core/channel/random_draws.h"

#include <algorithm>
#include <cmath>

// No fused multiply-add in this file (gauss_markov_step.h): the lanes of node_mobility_lanes.cpp
// must give the scalar walk's bits, in every build.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#define COLLAPIPE_MOBILITY_PUSHED_OPTIONS 1
#endif

namespace collapipe {
namespace {

// What a draw is for, so the streams of one node never overlap.
enum Stream : std::uint64_t {
    kLegX = 1,
    kLegY = 2,
    kLegSpeed = 3,
    kMeanDirection = 4,
    kVelocityX = gauss_markov_step::kVelocityXStream,
    kVelocityY = gauss_markov_step::kVelocityYStream
};

double uniform(std::uint64_t key, Stream stream, std::int64_t index, int part = 0)
{
    const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 8)
        ^ (static_cast<std::uint64_t>(part) << 4) ^ stream;
    return unitOpen(splitMix(key ^ splitMix(counter)));
}

using gauss_markov_step::kGamma;
using gauss_markov_step::reflect;

/// N(0, 1), approximately, from a 64-bit hash (a Gauss–Markov node draws two per step, and a round
/// spans dozens of steps: one hash per normal keeps that below the cost of a cheap policy's round,
/// bench_mobility): the sum of 4 uniforms (its 16-bit quarters q;
/// Irwin–Hall: mean 2, variance 1/3) centred and scaled by √3, so tails are cut at ±2√3 ≈ ±3.5.
/// Each uniform is (q + ½)/2¹⁶, so the sum, Σ(q + ½)/2¹⁶ − 2 = (Σq − 131070)/2¹⁶, is exact in a
/// double: it is formed in integers and scaled once by √3/2¹⁶ (a power-of-two scaling of √3, so
/// the one rounding is that of (sum − 2)·√3). The same bits as adding four doubles in order.
double normalFromBits(std::uint64_t bits)
{
    const std::uint64_t pairs
        = (bits & 0x0000FFFF0000FFFFull) + ((bits >> 16) & 0x0000FFFF0000FFFFull);
    const auto quarters = static_cast<std::int64_t>((pairs & 0xFFFFFFFFu) + (pairs >> 32));
    return double(quarters - 131070) * (1.7320508075688772 / 65536.0); // √3 / 2¹⁶
}

double length(double dx, double dy)
{
    return std::sqrt(dx * dx + dy * dy);
}

Position along(const Position &from, const Position &to, double fraction)
{
    return {from.xM + (to.xM - from.xM) * fraction, from.yM + (to.yM - from.yM) * fraction};
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
    m_legs = LegState{};
    m_legs.to = m_start;
    m_legCheckpoints = {m_legs};
    m_gm = GaussMarkovState{};
    m_gm.pos = m_start;
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
    m_gm.meanVx = m_mobility.meanSpeedMps * ux;
    m_gm.meanVy = m_mobility.meanSpeedMps * uy;
    m_gm.vx = m_gm.meanVx;
    m_gm.vy = m_gm.meanVy;
    m_gmCheckpoints = {m_gm};
}

void NodeTrack::drawLeg()
{
    LegState &l = m_legs;
    // The state before leg i·kCheckpointLegs is drawn: a walk resumed from it repeats the legs.
    if ((l.leg + 1) % kCheckpointLegs == 0
        && std::size_t((l.leg + 1) / kCheckpointLegs) == m_legCheckpoints.size()) {
        m_legCheckpoints.push_back(l);
    }
    ++l.leg;
    ++m_walked;
    l.from = l.to;
    l.legStartS = l.leaveS;
    l.to = {m_minX + (m_maxX - m_minX) * uniform(m_key, kLegX, l.leg),
        m_minY + (m_maxY - m_minY) * uniform(m_key, kLegY, l.leg)};
    const double lo = m_mobility.minSpeedMps;
    const double hi = std::max(m_mobility.maxSpeedMps, lo);
    l.speed = lo + (hi - lo) * uniform(m_key, kLegSpeed, l.leg);
    l.arriveS = l.legStartS + length(l.to.xM - l.from.xM, l.to.yM - l.from.yM) / l.speed;
    l.leaveS = l.arriveS + m_mobility.pauseS;
}

Position NodeTrack::randomWaypointAt(double timeS)
{
    // The last checkpoint whose next leg starts by `timeS` (the first, before leg 0, always
    // qualifies): resumed from when going back in time, or forward when it is ahead of the
    // current leg (after a jump back).
    const bool back = m_legs.leg >= 0 && timeS < m_legs.legStartS;
    if (back || m_legCheckpoints.back().leg > m_legs.leg) {
        std::size_t i = m_legCheckpoints.size();
        while (i > 1 && !(m_legCheckpoints[i - 1].leaveS <= timeS)) {
            --i;
        }
        if (back || m_legCheckpoints[i - 1].leg > m_legs.leg) {
            m_legs = m_legCheckpoints[i - 1];
        }
    }
    while (m_legs.leg < 0 || timeS >= m_legs.leaveS) {
        drawLeg();
    }
    const LegState &l = m_legs;
    if (timeS >= l.arriveS) {
        return l.to;
    }
    return along(l.from, l.to, (timeS - l.legStartS) / (l.arriveS - l.legStartS));
}

void NodeTrack::gaussMarkovAdvance(std::int64_t step)
{
    // Each step: move at the current velocity (mirrored at the area's walls), then the velocity
    // update v(n+1) = α·v(n) + (1−α)·v̄ + √(1−α²)·σ·w(n), per component. The loop keeps the state
    // in scalar locals and the step's constants out of it; the expressions are the model's, in
    // its order, so every position has the same bits as a step-by-step walk.
    const double dt = m_mobility.stepS;
    const double a = m_mobility.alpha;
    const double oneMinusA = 1.0 - a;
    const double noise = std::sqrt(std::max(0.0, 1.0 - a * a)) * m_mobility.speedStdMps;
    const double minX = m_minX, maxX = m_maxX, minY = m_minY, maxY = m_maxY;
    std::int64_t n = m_gm.step;
    double x = m_gm.pos.xM, y = m_gm.pos.yM, vx = m_gm.vx, vy = m_gm.vy;
    double meanVx = m_gm.meanVx, meanVy = m_gm.meanVy;
    // Step n's normals hash key + (8n + stream)·γ (mod 2⁶⁴): SplitMix64's own sequence, one
    // counter per (step, stream), and 8γ further each step (an add, not a multiply, per step).
    std::uint64_t inX = m_key + (static_cast<std::uint64_t>(n) << 3 | kVelocityX) * kGamma;
    std::uint64_t inY = m_key + (static_cast<std::uint64_t>(n) << 3 | kVelocityY) * kGamma;
    std::int64_t nextCheckpoint = std::int64_t(m_gmCheckpoints.size()) * kCheckpointSteps;
    m_walked += step - n;
    while (n < step) {
        if (n == nextCheckpoint) {
            m_gmCheckpoints.push_back({n, {x, y}, vx, vy, meanVx, meanVy});
            nextCheckpoint += kCheckpointSteps;
        }
        x += vx * dt;
        y += vy * dt;
        // reflect() changes nothing inside the area: asked only outside it.
        if ((x < minX || x > maxX) && reflect(&x, minX, maxX)) {
            vx = -vx;
            meanVx = -meanVx;
        }
        if ((y < minY || y > maxY) && reflect(&y, minY, maxY)) {
            vy = -vy;
            meanVy = -meanVy;
        }
        vx = a * vx + oneMinusA * meanVx + noise * normalFromBits(splitMix(inX));
        vy = a * vy + oneMinusA * meanVy + noise * normalFromBits(splitMix(inY));
        inX += kGamma << 3;
        inY += kGamma << 3;
        ++n;
    }
    m_gm = {n, {x, y}, vx, vy, meanVx, meanVy};
}

std::int64_t NodeTrack::gaussMarkovResume(double timeS)
{
    const double dt = m_mobility.stepS;
    const auto step = static_cast<std::int64_t>(std::floor(timeS / dt));
    // The checkpoint at or before the step, when the walk has passed it and it is nearer than
    // the current state: always when going back in time, and forward after a jump back.
    const auto checkpoint = std::size_t(step / kCheckpointSteps);
    if (step < m_gm.step
        || (checkpoint < m_gmCheckpoints.size() && m_gmCheckpoints[checkpoint].step > m_gm.step)) {
        m_gm = m_gmCheckpoints[checkpoint];
    }
    return step;
}

Position NodeTrack::gaussMarkovAt(double timeS)
{
    const double dt = m_mobility.stepS;
    const std::int64_t step = gaussMarkovResume(timeS);
    if (m_gm.step < step) {
        gaussMarkovAdvance(step);
    }
    // Within a step: straight on at the step's velocity, mirrored like the step itself.
    const GaussMarkovState &g = m_gm;
    Position p{g.pos.xM + g.vx * (timeS - double(g.step) * dt),
        g.pos.yM + g.vy * (timeS - double(g.step) * dt)};
    // reflect() changes nothing inside the area: asked only outside it.
    if (p.xM < m_minX || p.xM > m_maxX) {
        reflect(&p.xM, m_minX, m_maxX);
    }
    if (p.yM < m_minY || p.yM > m_maxY) {
        reflect(&p.yM, m_minY, m_maxY);
    }
    return p;
}

Position nodePositionAt(
    const Mobility &mobility, const Position &start, const QString &nodeId, double timeS)
{
    return NodeTrack(mobility, start, nodeId).at(timeS);
}

} // namespace collapipe

#ifdef COLLAPIPE_MOBILITY_PUSHED_OPTIONS
#pragma GCC pop_options
#undef COLLAPIPE_MOBILITY_PUSHED_OPTIONS
#endif
