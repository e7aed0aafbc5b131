// SPDX-License-Identifier: MIT
// Several Gauss–Markov tracks walked together (NodeTrack::advanceTogether(), node_mobility.h):
// lane k of each vector is track k's state, and a vector step is NodeTrack::gaussMarkovAdvance()'s
// loop body on every lane, with the same operations in the same order (+, −, × and comparisons,
// each correctly rounded, no FMA: see gauss_markov_step.h), so every lane has the scalar walk's
// bits. A lane that crosses a wall goes through the scalar reflect(). x86-64 intrinsics, 4 lanes
// per 256-bit vector (AVX2, or AVX-512VL for its 64-bit multiply); elsewhere the tracks walk
// alone (Lanes::Scalar).
#include "core/channel/gauss_markov_step.h"
#include "core/channel/node_mobility.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#define COLLAPIPE_MOBILITY_LANES_PUSHED_OPTIONS 1
#endif

namespace collapipe {

namespace mobility_lanes {

using gauss_markov_step::kGamma;
using gauss_markov_step::kVelocityXStream;
using gauss_markov_step::kVelocityYStream;
using gauss_markov_step::reflect;

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

/// 64-bit lanes as GCC's vector extension: the hash's integer steps use its operators, so the
/// one body below compiles to AVX-512's 64-bit multiply (vpmullq) where the caller's ISA has it
/// and to AVX2's 32-bit products where not.
using U64x4 = std::uint64_t __attribute__((vector_size(32)));

/// normalFromBits(splitMix(in)) per lane. The integer sum q (< 2¹⁸) becomes a double without an
/// int64 → double conversion (none in AVX2): the bits of 2⁵² + q, less 2⁵² + 131070, both exact,
/// give q − 131070 exactly, as the scalar conversion does.
__attribute__((target("avx2"), always_inline)) inline __m256d normalLanes(__m256i in)
{
    U64x4 x = reinterpret_cast<U64x4>(in) + 0x9E3779B97F4A7C15ull; // splitMix()
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x = x ^ (x >> 31);
    const U64x4 pairs = (x & 0x0000FFFF0000FFFFull) + ((x >> 16) & 0x0000FFFF0000FFFFull);
    const U64x4 quarters = (pairs & 0xFFFFFFFFull) + (pairs >> 32);
    const __m256d biased = reinterpret_cast<__m256d>(quarters | 0x4330000000000000ull); // 2⁵² + q
    return _mm256_mul_pd(_mm256_sub_pd(biased, _mm256_set1_pd(4503599627370496.0 + 131070.0)),
        _mm256_set1_pd(1.7320508075688772 / 65536.0));
}

/// Lanes first..first+3 of `w`, 4 per 256-bit vector. Inlined into one function per ISA (AVX2,
/// and AVX-512VL, whose 64-bit multiply the hash uses): 256-bit vectors, not 512: on this
/// project's Intel machines a 512-bit walk was faster (2.5 µs a round on mobile.json against
/// 3.9) but slowed the rest of the round (DSSDA's round 6 % slower, bench_mobility), as
/// 512-bit code does by the core's frequency while it runs and for some time after.
__attribute__((target("avx2"), always_inline)) inline void walkQuad(Walk &w, int first)
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
    __m256d dt = _mm256_load_pd(w.dt + first);
    const __m256d a = _mm256_load_pd(w.a + first);
    const __m256d oneMinusA = _mm256_load_pd(w.oneMinusA + first);
    const __m256d noise = _mm256_load_pd(w.noise + first);
    __m256i inX = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.inX + first));
    __m256i inY = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.inY + first));
    const __m256i steps = _mm256_load_si256(reinterpret_cast<const __m256i *>(w.steps + first));
    const __m256i next = _mm256_set1_epi64x(std::int64_t(kGamma << 3));
    // Every lane steps every time (no blend per step): a lane's state is stored when the count
    // reaches its own steps (`stop`), and what it computes after is dropped.
    std::int64_t stop = 0;
    for (std::int64_t n = 0;; ++n) {
        if (n == stop) {
            const __m256i done = _mm256_cmpeq_epi64(steps, _mm256_set1_epi64x(n));
            _mm256_maskstore_pd(w.x + first, done, x), _mm256_maskstore_pd(w.y + first, done, y);
            _mm256_maskstore_pd(w.vx + first, done, vx);
            _mm256_maskstore_pd(w.vy + first, done, vy);
            _mm256_maskstore_pd(w.meanVx + first, done, meanVx);
            _mm256_maskstore_pd(w.meanVy + first, done, meanVy);
            if (n == longest) {
                break;
            }
            // A lane done stands still from now on (x + v·0 = x, inside the area): no wall.
            dt = _mm256_blendv_pd(dt, _mm256_setzero_pd(), _mm256_castsi256_pd(done));
            stop = longest;
            for (int k = first; k < first + 4; ++k) {
                stop = w.steps[k] > n ? std::min(stop, w.steps[k]) : stop;
            }
        }
        __m256d nx = _mm256_add_pd(x, _mm256_mul_pd(vx, dt));
        __m256d ny = _mm256_add_pd(y, _mm256_mul_pd(vy, dt));
        const __m256d crossed = _mm256_or_pd(
            _mm256_or_pd(_mm256_cmp_pd(nx, minX, _CMP_LT_OQ), _mm256_cmp_pd(nx, maxX, _CMP_GT_OQ)),
            _mm256_or_pd(_mm256_cmp_pd(ny, minY, _CMP_LT_OQ), _mm256_cmp_pd(ny, maxY, _CMP_GT_OQ)));
        const auto outside = unsigned(_mm256_movemask_pd(crossed));
        if (outside != 0) [[unlikely]] {
            // A wall: the scalar walk's reflect() on the lanes that crossed one.
            alignas(32) double px[4], py[4], pvx[4], pvy[4], pmx[4], pmy[4];
            _mm256_store_pd(px, nx), _mm256_store_pd(py, ny);
            _mm256_store_pd(pvx, vx), _mm256_store_pd(pvy, vy);
            _mm256_store_pd(pmx, meanVx), _mm256_store_pd(pmy, meanVy);
            reflectLanes(w, first, outside, px, py, pvx, pvy, pmx, pmy);
            nx = _mm256_load_pd(px), ny = _mm256_load_pd(py);
            vx = _mm256_load_pd(pvx), vy = _mm256_load_pd(pvy);
            meanVx = _mm256_load_pd(pmx), meanVy = _mm256_load_pd(pmy);
        }
        // v(n+1) = α·v(n) + (1−α)·v̄ + noise·w(n), added left to right as the scalar walk does.
        vx = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a, vx), _mm256_mul_pd(oneMinusA, meanVx)),
            _mm256_mul_pd(noise, normalLanes(inX)));
        vy = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a, vy), _mm256_mul_pd(oneMinusA, meanVy)),
            _mm256_mul_pd(noise, normalLanes(inY)));
        x = nx;
        y = ny;
        inX = _mm256_add_epi64(inX, next);
        inY = _mm256_add_epi64(inY, next);
    }
}

__attribute__((target("avx2"))) void walkAvx2(Walk &w)
{
    walkQuad(w, 0);
    walkQuad(w, 4);
}

__attribute__((target("avx2,avx512f,avx512dq,avx512vl"))) void walkAvx512Vl(Walk &w)
{
    walkQuad(w, 0);
    walkQuad(w, 4);
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
    case NodeTrack::Lanes::Avx512Vl:
#ifdef COLLAPIPE_MOBILITY_X86_LANES
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
        return false;
#endif
    }
    return false;
}

void walk(NodeTrack::Lanes lanes, Walk &w)
{
#ifdef COLLAPIPE_MOBILITY_X86_LANES
    if (lanes == NodeTrack::Lanes::Avx512Vl) {
        walkAvx512Vl(w);
    } else if (lanes == NodeTrack::Lanes::Avx2) {
        walkAvx2(w);
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
    for (Lanes l : {Lanes::Scalar, Lanes::Avx2, Lanes::Avx512Vl}) {
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
    case Lanes::Avx512Vl:
        return "avx512vl";
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
        // A quad of one or two tracks costs a vector step per step of its longer track, as
        // much as two scalar steps or more (bench_mobility): those tracks walk alone, in at().
        for (int q = 0; q < kLanes; q += 4) {
            int busy = 0;
            for (int k = q; k < q + 4; ++k) {
                busy += w.steps[k] > 0 ? 1 : 0;
            }
            if (busy < 3) {
                for (int k = q; k < q + 4; ++k) {
                    w.steps[k] = 0;
                }
            }
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
        w.inX[k] = t->m_key
            + (static_cast<std::uint64_t>(g.step) << 3 | mobility_lanes::kVelocityXStream)
                * mobility_lanes::kGamma;
        w.inY[k] = t->m_key
            + (static_cast<std::uint64_t>(g.step) << 3 | mobility_lanes::kVelocityYStream)
                * mobility_lanes::kGamma;
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

#ifdef COLLAPIPE_MOBILITY_LANES_PUSHED_OPTIONS
#pragma GCC pop_options
#undef COLLAPIPE_MOBILITY_LANES_PUSHED_OPTIONS
#endif
