// SPDX-License-Identifier: MIT
// The three mobility models of core/MODEL.md "Mobility". No trigonometry or logarithms: a random
// direction comes from a point of the unit disc, a normal draw from a sum of four uniforms, so
// every position is built from correctly rounded operations and reproduces bit for bit anywhere.
#include "core/channel/node_mobility.h"

#include "core/channel/random_draws.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#endif

// No fused multiply-add anywhere in this file: a × b + c stays two roundings in the scalar walk
// and in the lane code compiled for AVX-512 (which GCC would contract, its default being
// -ffp-contract=fast), and in a -march=native build, so every build gives the same bits.
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
    kVelocityX = 5,
    kVelocityY = 6
};

double uniform(std::uint64_t key, Stream stream, std::int64_t index, int part = 0)
{
    const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 8)
        ^ (static_cast<std::uint64_t>(part) << 4) ^ stream;
    return unitOpen(splitMix(key ^ splitMix(counter)));
}

/// The odd constant of SplitMix64's sequence, γ.
constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;

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

/// Mirrors `value` into [lo, hi]; true when it was mirrored an odd number of times (the velocity
/// component then flips). A step longer than the area folds several times; past four folds the
/// value is clamped (a speed far above the area's size).
[[gnu::noinline]] bool reflect(double *value, double lo, double hi)
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
    reflect(&p.xM, m_minX, m_maxX);
    reflect(&p.yM, m_minY, m_maxY);
    return p;
}

Position nodePositionAt(
    const Mobility &mobility, const Position &start, const QString &nodeId, double timeS)
{
    return NodeTrack(mobility, start, nodeId).at(timeS);
}

// Several Gauss–Markov tracks walked together: lane k of each vector is track k's state, and a
// vector step is gaussMarkovAdvance()'s loop body on every lane (a lane past its own last step
// keeps its state), with the same operations in the same order (+, −, × and comparisons, each
// correctly rounded, no FMA: see the pragma at the top), so every lane has the scalar walk's bits.
// A lane that crosses a wall goes through the scalar reflect(). x86-64 intrinsics (AVX-512: 8
// lanes; AVX2: two halves of 4); elsewhere the tracks walk alone (Lanes::Scalar).
namespace mobility_lanes {

constexpr int kLanes = 8;

/// Up to kLanes tracks' walks, one array per quantity (structure of arrays).
struct Walk
{
    alignas(64) double x[kLanes], y[kLanes], vx[kLanes], vy[kLanes], meanVx[kLanes], meanVy[kLanes];
    alignas(64) double minX[kLanes], maxX[kLanes], minY[kLanes], maxY[kLanes];
    alignas(64) double dt[kLanes], a[kLanes], oneMinusA[kLanes], noise[kLanes];
    alignas(64) std::uint64_t inX[kLanes], inY[kLanes]; ///< the next step's hash inputs
    alignas(64) std::int64_t steps[kLanes];             ///< steps to walk (0: an idle lane)
};

/// The lanes of `outside` (a bit per lane, from `first`) after a move: the scalar walk's
/// mirroring at the walls, on the arrays the vectors were stored to.
void reflectLanes(const Walk &w, int first, unsigned outside, double *x, double *y, double *vx,
    double *vy, double *meanVx, double *meanVy)
{
    for (int j = 0; outside != 0; ++j, outside >>= 1) {
        if ((outside & 1u) == 0) {
            continue;
        }
        const int k = first + j;
        if ((x[j] < w.minX[k] || x[j] > w.maxX[k]) && reflect(&x[j], w.minX[k], w.maxX[k])) {
            vx[j] = -vx[j];
            meanVx[j] = -meanVx[j];
        }
        if ((y[j] < w.minY[k] || y[j] > w.maxY[k]) && reflect(&y[j], w.minY[k], w.maxY[k])) {
            vy[j] = -vy[j];
            meanVy[j] = -meanVy[j];
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define COLLAPIPE_MOBILITY_X86_LANES 1

/// 64-bit lanes as GCC's vector extension: the integer steps below use its operators, which
/// compile to the same instructions as the intrinsics (GCC 12's AVX-512 shift and reduction
/// intrinsics trip its own -Wuninitialized).
using U64x8 = std::uint64_t __attribute__((vector_size(64)));

/// normalFromBits(splitMix(in)) per lane. The integer sum q (< 2¹⁸) becomes a double without an
/// int64 → double conversion: the bits of 2⁵² + q, less 2⁵² + 131070, both exact, give
/// q − 131070 exactly, as the scalar conversion does.
__attribute__((target("avx512f,avx512dq"), always_inline)) inline __m512d normalAvx512(__m512i in)
{
    U64x8 x = reinterpret_cast<U64x8>(in) + 0x9E3779B97F4A7C15ull; // splitMix()
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x = x ^ (x >> 31);
    const U64x8 pairs = (x & 0x0000FFFF0000FFFFull) + ((x >> 16) & 0x0000FFFF0000FFFFull);
    const U64x8 quarters = (pairs & 0xFFFFFFFFull) + (pairs >> 32);
    const __m512d biased = reinterpret_cast<__m512d>(quarters | 0x4330000000000000ull); // 2⁵² + q
    return _mm512_mul_pd(_mm512_sub_pd(biased, _mm512_set1_pd(4503599627370496.0 + 131070.0)),
        _mm512_set1_pd(1.7320508075688772 / 65536.0));
}

__attribute__((target("avx512f,avx512dq"))) void walkAvx512(Walk &w)
{
    __m512d x = _mm512_load_pd(w.x), y = _mm512_load_pd(w.y);
    __m512d vx = _mm512_load_pd(w.vx), vy = _mm512_load_pd(w.vy);
    __m512d meanVx = _mm512_load_pd(w.meanVx), meanVy = _mm512_load_pd(w.meanVy);
    const __m512d minX = _mm512_load_pd(w.minX), maxX = _mm512_load_pd(w.maxX);
    const __m512d minY = _mm512_load_pd(w.minY), maxY = _mm512_load_pd(w.maxY);
    const __m512d dt = _mm512_load_pd(w.dt), a = _mm512_load_pd(w.a);
    const __m512d oneMinusA = _mm512_load_pd(w.oneMinusA), noise = _mm512_load_pd(w.noise);
    __m512i inX = _mm512_load_si512(w.inX), inY = _mm512_load_si512(w.inY);
    const __m512i steps = _mm512_load_si512(w.steps);
    const __m512i next = _mm512_set1_epi64(std::int64_t(kGamma << 3));
    std::int64_t longest = 0;
    for (const std::int64_t k : w.steps) {
        longest = std::max(longest, k);
    }
    for (std::int64_t n = 0; n < longest; ++n) {
        const __mmask8 active = _mm512_cmpgt_epi64_mask(steps, _mm512_set1_epi64(n));
        __m512d nx = _mm512_add_pd(x, _mm512_mul_pd(vx, dt));
        __m512d ny = _mm512_add_pd(y, _mm512_mul_pd(vy, dt));
        const __mmask8 outside = active
            & (_mm512_cmp_pd_mask(nx, minX, _CMP_LT_OQ) | _mm512_cmp_pd_mask(nx, maxX, _CMP_GT_OQ)
                | _mm512_cmp_pd_mask(ny, minY, _CMP_LT_OQ)
                | _mm512_cmp_pd_mask(ny, maxY, _CMP_GT_OQ));
        if (outside != 0) [[unlikely]] {
            alignas(64) double px[kLanes], py[kLanes], pvx[kLanes], pvy[kLanes], pmx[kLanes],
                pmy[kLanes];
            _mm512_store_pd(px, nx), _mm512_store_pd(py, ny);
            _mm512_store_pd(pvx, vx), _mm512_store_pd(pvy, vy);
            _mm512_store_pd(pmx, meanVx), _mm512_store_pd(pmy, meanVy);
            reflectLanes(w, 0, outside, px, py, pvx, pvy, pmx, pmy);
            nx = _mm512_load_pd(px), ny = _mm512_load_pd(py);
            vx = _mm512_load_pd(pvx), vy = _mm512_load_pd(pvy);
            meanVx = _mm512_load_pd(pmx), meanVy = _mm512_load_pd(pmy);
        }
        // v(n+1) = α·v(n) + (1−α)·v̄ + noise·w(n), added left to right as the scalar walk does.
        const __m512d nvx
            = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(a, vx), _mm512_mul_pd(oneMinusA, meanVx)),
                _mm512_mul_pd(noise, normalAvx512(inX)));
        const __m512d nvy
            = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(a, vy), _mm512_mul_pd(oneMinusA, meanVy)),
                _mm512_mul_pd(noise, normalAvx512(inY)));
        x = _mm512_mask_mov_pd(x, active, nx);
        y = _mm512_mask_mov_pd(y, active, ny);
        vx = _mm512_mask_mov_pd(vx, active, nvx);
        vy = _mm512_mask_mov_pd(vy, active, nvy);
        inX = _mm512_add_epi64(inX, next);
        inY = _mm512_add_epi64(inY, next);
    }
    _mm512_store_pd(w.x, x), _mm512_store_pd(w.y, y);
    _mm512_store_pd(w.vx, vx), _mm512_store_pd(w.vy, vy);
    _mm512_store_pd(w.meanVx, meanVx), _mm512_store_pd(w.meanVy, meanVy);
}

/// The low 64 bits of a × b per lane (AVX2 has no 64-bit multiply): a·b mod 2⁶⁴ from three
/// 32 × 32 → 64-bit products.
__attribute__((target("avx2"), always_inline)) inline __m256i mulloAvx2(__m256i a, __m256i b)
{
    const __m256i low = _mm256_mul_epu32(a, b);
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b),
        _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
    return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

/// normalAvx512() on 4 lanes.
__attribute__((target("avx2"), always_inline)) inline __m256d normalAvx2(__m256i x)
{
    x = _mm256_add_epi64(x, _mm256_set1_epi64x(std::int64_t(0x9E3779B97F4A7C15ull)));
    x = mulloAvx2(_mm256_xor_si256(x, _mm256_srli_epi64(x, 30)),
        _mm256_set1_epi64x(std::int64_t(0xBF58476D1CE4E5B9ull)));
    x = mulloAvx2(_mm256_xor_si256(x, _mm256_srli_epi64(x, 27)),
        _mm256_set1_epi64x(std::int64_t(0x94D049BB133111EBull)));
    x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 31));
    const __m256i low16 = _mm256_set1_epi64x(0x0000FFFF0000FFFFll);
    const __m256i pairs = _mm256_add_epi64(
        _mm256_and_si256(x, low16), _mm256_and_si256(_mm256_srli_epi64(x, 16), low16));
    const __m256i quarters = _mm256_add_epi64(
        _mm256_and_si256(pairs, _mm256_set1_epi64x(0xFFFFFFFFll)), _mm256_srli_epi64(pairs, 32));
    const __m256d biased
        = _mm256_castsi256_pd(_mm256_or_si256(quarters, _mm256_set1_epi64x(0x4330000000000000ll)));
    return _mm256_mul_pd(_mm256_sub_pd(biased, _mm256_set1_pd(4503599627370496.0 + 131070.0)),
        _mm256_set1_pd(1.7320508075688772 / 65536.0));
}

/// walkAvx512() on lanes first..first+3.
__attribute__((target("avx2"))) void walkAvx2Half(Walk &w, int first)
{
    std::int64_t longest = 0;
    for (int k = first; k < first + 4; ++k) {
        longest = std::max(longest, w.steps[k]);
    }
    if (longest == 0) {
        return;
    }
    __m256d x = _mm256_load_pd(w.x + first), y = _mm256_load_pd(w.y + first);
    __m256d vx = _mm256_load_pd(w.vx + first), vy = _mm256_load_pd(w.vy + first);
    __m256d meanVx = _mm256_load_pd(w.meanVx + first), meanVy = _mm256_load_pd(w.meanVy + first);
    const __m256d minX = _mm256_load_pd(w.minX + first), maxX = _mm256_load_pd(w.maxX + first);
    const __m256d minY = _mm256_load_pd(w.minY + first), maxY = _mm256_load_pd(w.maxY + first);
    const __m256d dt = _mm256_load_pd(w.dt + first), a = _mm256_load_pd(w.a + first);
    const __m256d oneMinusA = _mm256_load_pd(w.oneMinusA + first);
    const __m256d noise = _mm256_load_pd(w.noise + first);
    __m256i inX = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.inX + first));
    __m256i inY = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.inY + first));
    const __m256i steps = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.steps + first));
    const __m256i next = _mm256_set1_epi64x(std::int64_t(kGamma << 3));
    for (std::int64_t n = 0; n < longest; ++n) {
        const __m256d active
            = _mm256_castsi256_pd(_mm256_cmpgt_epi64(steps, _mm256_set1_epi64x(n)));
        __m256d nx = _mm256_add_pd(x, _mm256_mul_pd(vx, dt));
        __m256d ny = _mm256_add_pd(y, _mm256_mul_pd(vy, dt));
        const __m256d crossed = _mm256_or_pd(
            _mm256_or_pd(_mm256_cmp_pd(nx, minX, _CMP_LT_OQ), _mm256_cmp_pd(nx, maxX, _CMP_GT_OQ)),
            _mm256_or_pd(_mm256_cmp_pd(ny, minY, _CMP_LT_OQ), _mm256_cmp_pd(ny, maxY, _CMP_GT_OQ)));
        const auto outside = unsigned(_mm256_movemask_pd(_mm256_and_pd(crossed, active)));
        if (outside != 0) [[unlikely]] {
            alignas(32) double px[4], py[4], pvx[4], pvy[4], pmx[4], pmy[4];
            _mm256_store_pd(px, nx), _mm256_store_pd(py, ny);
            _mm256_store_pd(pvx, vx), _mm256_store_pd(pvy, vy);
            _mm256_store_pd(pmx, meanVx), _mm256_store_pd(pmy, meanVy);
            reflectLanes(w, first, outside, px, py, pvx, pvy, pmx, pmy);
            nx = _mm256_load_pd(px), ny = _mm256_load_pd(py);
            vx = _mm256_load_pd(pvx), vy = _mm256_load_pd(pvy);
            meanVx = _mm256_load_pd(pmx), meanVy = _mm256_load_pd(pmy);
        }
        const __m256d nvx
            = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a, vx), _mm256_mul_pd(oneMinusA, meanVx)),
                _mm256_mul_pd(noise, normalAvx2(inX)));
        const __m256d nvy
            = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a, vy), _mm256_mul_pd(oneMinusA, meanVy)),
                _mm256_mul_pd(noise, normalAvx2(inY)));
        x = _mm256_blendv_pd(x, nx, active);
        y = _mm256_blendv_pd(y, ny, active);
        vx = _mm256_blendv_pd(vx, nvx, active);
        vy = _mm256_blendv_pd(vy, nvy, active);
        inX = _mm256_add_epi64(inX, next);
        inY = _mm256_add_epi64(inY, next);
    }
    _mm256_store_pd(w.x + first, x), _mm256_store_pd(w.y + first, y);
    _mm256_store_pd(w.vx + first, vx), _mm256_store_pd(w.vy + first, vy);
    _mm256_store_pd(w.meanVx + first, meanVx), _mm256_store_pd(w.meanVy + first, meanVy);
}
#endif

bool cpuRuns(NodeTrack::Lanes lanes)
{
    switch (lanes) {
    case NodeTrack::Lanes::Scalar:
        return true;
    case NodeTrack::Lanes::Avx2:
#ifdef COLLAPIPE_MOBILITY_X86_LANES
        return __builtin_cpu_supports("avx2");
#else
        return false;
#endif
    case NodeTrack::Lanes::Avx512:
#ifdef COLLAPIPE_MOBILITY_X86_LANES
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
#else
        return false;
#endif
    }
    return false;
}

void walk(NodeTrack::Lanes lanes, Walk &w)
{
#ifdef COLLAPIPE_MOBILITY_X86_LANES
    if (lanes == NodeTrack::Lanes::Avx512) {
        walkAvx512(w);
    } else if (lanes == NodeTrack::Lanes::Avx2) {
        walkAvx2Half(w, 0);
        walkAvx2Half(w, 4);
    }
#else
    (void)lanes;
    (void)w;
#endif
}

} // namespace mobility_lanes

std::vector<NodeTrack::Lanes> NodeTrack::supportedLanes()
{
    std::vector<Lanes> out;
    for (Lanes l : {Lanes::Scalar, Lanes::Avx2, Lanes::Avx512}) {
        if (mobility_lanes::cpuRuns(l)) {
            out.push_back(l);
        }
    }
    return out;
}

const char *NodeTrack::lanesName(Lanes lanes)
{
    switch (lanes) {
    case Lanes::Scalar:
        return "scalar";
    case Lanes::Avx2:
        return "avx2";
    case Lanes::Avx512:
        return "avx512";
    }
    return "?";
}

void NodeTrack::advanceTogether(std::span<NodeTrack *const> tracks, double timeS)
{
    // COLLAPIPE_MOBILITY_LANES=scalar|avx2|avx512 picks one (benchmarks); else the fastest.
    static const Lanes chosen = [] {
        const std::vector<Lanes> supported = supportedLanes();
        const char *env = std::getenv("COLLAPIPE_MOBILITY_LANES");
        for (Lanes l : supported) {
            if (env != nullptr && std::strcmp(env, lanesName(l)) == 0) {
                return l;
            }
        }
        return supported.back();
    }();
    advanceTogether(tracks, timeS, chosen);
}

void NodeTrack::advanceTogether(std::span<NodeTrack *const> tracks, double timeS, Lanes lanes)
{
    using namespace mobility_lanes;
    if (lanes == Lanes::Scalar || !mobility_lanes::cpuRuns(lanes)) {
        return;
    }
    if (!(timeS > 0.0) || !std::isfinite(timeS)) {
        timeS = 0.0;
    }
    Walk w;
    NodeTrack *lane[kLanes];
    int used = 0;
    auto flush = [&] {
        for (int k = used; k < kLanes; ++k) {
            // An idle lane: no step, and values that stay finite.
            w.x[k] = w.y[k] = w.vx[k] = w.vy[k] = w.meanVx[k] = w.meanVy[k] = 0.0;
            w.minX[k] = w.minY[k] = -1.0;
            w.maxX[k] = w.maxY[k] = 1.0;
            w.dt[k] = w.a[k] = w.oneMinusA[k] = w.noise[k] = 0.0;
            w.inX[k] = w.inY[k] = 0;
            w.steps[k] = 0;
        }
        walk(lanes, w);
        for (int k = 0; k < used; ++k) {
            NodeTrack &t = *lane[k];
            t.m_walked += w.steps[k];
            t.m_gm = {t.m_gm.step + w.steps[k], {w.x[k], w.y[k]}, w.vx[k], w.vy[k], w.meanVx[k],
                w.meanVy[k]};
        }
        used = 0;
    };
    for (NodeTrack *t : tracks) {
        if (t->m_mobility.model != MobilityModel::GaussMarkov) {
            continue;
        }
        // As gaussMarkovAt(): resume, then walk to the step, but stop at the next checkpoint
        // (at() records it and walks on).
        const std::int64_t step = t->gaussMarkovResume(timeS);
        const std::int64_t nextCheckpoint
            = std::int64_t(t->m_gmCheckpoints.size()) * kCheckpointSteps;
        const std::int64_t to = std::min(step, std::max(nextCheckpoint, t->m_gm.step));
        if (to <= t->m_gm.step) {
            continue;
        }
        const GaussMarkovState &g = t->m_gm;
        const double a = t->m_mobility.alpha;
        const int k = used;
        w.x[k] = g.pos.xM;
        w.y[k] = g.pos.yM;
        w.vx[k] = g.vx;
        w.vy[k] = g.vy;
        w.meanVx[k] = g.meanVx;
        w.meanVy[k] = g.meanVy;
        w.minX[k] = t->m_minX;
        w.maxX[k] = t->m_maxX;
        w.minY[k] = t->m_minY;
        w.maxY[k] = t->m_maxY;
        w.dt[k] = t->m_mobility.stepS;
        w.a[k] = a;
        w.oneMinusA[k] = 1.0 - a;
        w.noise[k] = std::sqrt(std::max(0.0, 1.0 - a * a)) * t->m_mobility.speedStdMps;
        w.inX[k] = t->m_key + (static_cast<std::uint64_t>(g.step) << 3 | kVelocityX) * kGamma;
        w.inY[k] = t->m_key + (static_cast<std::uint64_t>(g.step) << 3 | kVelocityY) * kGamma;
        w.steps[k] = to - g.step;
        lane[used++] = t;
        if (used == kLanes) {
            flush();
        }
    }
    if (used > 0) {
        flush();
    }
}

} // namespace collapipe

#ifdef COLLAPIPE_MOBILITY_PUSHED_OPTIONS
#pragma GCC pop_options
#undef COLLAPIPE_MOBILITY_PUSHED_OPTIONS
#endif
