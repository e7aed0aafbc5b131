// SPDX-License-Identifier: MIT
// Several Gauss–Markov tracks walked together (NodeTrack::advanceTogether(), node_mobility.h):
// each lane of a vector holds one walk's state, and a vector step is the loop body of
// NodeTrack::gaussMarkovAdvance() on every lane, with the same operations in the same order
// (+, −, × and comparisons, each correctly rounded, no FMA: see gauss_markov_step.h), so every
// lane has the scalar walk's bits. A lane is one axis of one track (x and y walk
// independently). A lane that crosses a wall goes through the scalar reflect(). x86-64
// intrinsics, 4 lanes per 256-bit vector (AVX2, or AVX-512VL for its 64-bit multiply);
// elsewhere the tracks walk alone (Lanes::Scalar).
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

/// A track's x and y walk independently (move, mirror at that axis's walls, velocity update with
/// that axis's normal): a lane is one axis of one track, 2j and 2j + 1 the x and y of track j.
/// So a vector of 4 lanes hashes 4 normals and no lane idles for want of a second track. Up to 3
/// vectors walk together (walkQuads()): more would not fit the 32 vector registers.
constexpr int kLanes = 12;
constexpr int kTracks = kLanes / 2;

/// Up to kTracks tracks' walks, one array per quantity (structure of arrays), by lane.
struct Walk
{
    alignas(64) double p[kLanes], v[kLanes], meanV[kLanes]; ///< position, velocity, mean velocity
    alignas(64) double lo[kLanes], hi[kLanes];              ///< the axis's walls
    alignas(64) double dt[kLanes], a[kLanes], oneMinusA[kLanes], noise[kLanes];
    alignas(64) std::uint64_t in[kLanes];   ///< the next step's hash input
    alignas(64) std::int64_t steps[kLanes]; ///< steps to walk (0: an idle lane)
};

/// The lanes of `outside` (a bit per lane, from `first`) after a move: the scalar walk's
/// mirroring at the walls, on the arrays the vectors were stored to.
void reflectLanes(const Walk &w, int first, unsigned outside, double *p, double *v, double *meanV)
{
    for (int j = 0; outside != 0; ++j, outside >>= 1) {
        const int k = first + j;
        if ((outside & 1u) != 0 && reflect(&p[j], w.lo[k], w.hi[k])) {
            v[j] = -v[j];
            meanV[j] = -meanV[j];
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define COLLAPIPE_MOBILITY_X86_LANES 1

/// 64-bit lanes as GCC's vector extension: the hash's integer steps use its operators, so the
/// one body below compiles to AVX-512's 64-bit multiply (vpmullq) where the caller's ISA has it
/// and to AVX2's 32-bit products where not.
using U64x4 = std::uint64_t __attribute__((vector_size(32)));

/// normalFromBits(splitMix(in)) per lane, given in + γ (splitMix()'s first step). The sum q of
/// the four 16-bit quarters (< 2¹⁸) is formed with byte and dword shuffles (port 5) rather than
/// shifts, which compete with the multiplies and the walk's floating point for ports 0 and 1
/// (the walk's bottleneck on Intel cores); integer steps, so the same q. It becomes a double
/// without an int64 → double conversion (none in AVX2): the bits of 2⁵² + q, less
/// 2⁵² + 131070, both exact, give q − 131070 exactly, as the scalar conversion does.
__attribute__((target("avx2"), always_inline)) inline __m256d normalLanesMixed(__m256i mixed)
{
    U64x4 x = reinterpret_cast<U64x4>(mixed); // splitMix()'s input after its first add (γ)
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x = x ^ (x >> 31);
    const __m256i bits = reinterpret_cast<__m256i>(x);
    // Quarters 1 and 3 of each lane moved down onto 0 and 2 (bytes 2–3 → 0–1, 6–7 → 4–5, the
    // rest zero), added to quarters 0 and 2: two 17-bit pair sums, one per 32-bit half.
    const __m256i oddQuarters = _mm256_shuffle_epi8(bits,
        _mm256_setr_epi8(2, 3, -1, -1, 6, 7, -1, -1, 10, 11, -1, -1, 14, 15, -1, -1, 2, 3, -1, -1,
            6, 7, -1, -1, 10, 11, -1, -1, 14, 15, -1, -1));
    const __m256i pairs = _mm256_add_epi64(
        _mm256_and_si256(bits, _mm256_set1_epi64x(0x0000FFFF0000FFFFll)), oddQuarters);
    // Each half added to the other: q in the low half (no carry out of it), then 2⁵²'s exponent
    // bits blended over the high half.
    const __m256i sum = _mm256_add_epi64(pairs, _mm256_shuffle_epi32(pairs, 0xB1));
    const __m256d biased = _mm256_castsi256_pd(
        _mm256_blend_epi32(sum, _mm256_set1_epi64x(0x4330000000000000ll), 0xAA)); // 2⁵² + q
    return _mm256_mul_pd(_mm256_sub_pd(biased, _mm256_set1_pd(4503599627370496.0 + 131070.0)),
        _mm256_set1_pd(1.7320508075688772 / 65536.0));
}

/// A wall crossed by some lane of vector `q` after its move to `*moved`: reflect()'s first fold,
/// 2·lo − x below or 2·hi − x above, on every lane that crossed one, and the velocity and mean
/// velocity negated there (the mean in w.meanV); a lane still outside after it (a step longer
/// than the area) takes the scalar reflect() from the start.
__attribute__((target("avx2"), always_inline)) inline void wallQuad(
    Walk &w, int q, __m256d *moved, __m256d *v, __m256d *pull, __m256d crossed)
{
    const int first = 4 * q;
    const __m256d lo = _mm256_load_pd(w.lo + first), hi = _mm256_load_pd(w.hi + first);
    const __m256d below = _mm256_cmp_pd(*moved, lo, _CMP_LT_OQ);
    const __m256d above = _mm256_cmp_pd(*moved, hi, _CMP_GT_OQ);
    const __m256d two = _mm256_set1_pd(2.0);
    __m256d folded = _mm256_blendv_pd(*moved, _mm256_sub_pd(_mm256_mul_pd(two, lo), *moved), below);
    folded = _mm256_blendv_pd(folded, _mm256_sub_pd(_mm256_mul_pd(two, hi), *moved), above);
    const __m256d still = _mm256_or_pd(
        _mm256_cmp_pd(folded, lo, _CMP_LT_OQ), _mm256_cmp_pd(folded, hi, _CMP_GT_OQ));
    __m256d meanV = _mm256_load_pd(w.meanV + first);
    if (_mm256_movemask_pd(_mm256_and_pd(still, crossed)) == 0) [[likely]] {
        const __m256d sign = _mm256_and_pd(crossed, _mm256_set1_pd(-0.0));
        *moved = folded;
        *v = _mm256_xor_pd(*v, sign);
        meanV = _mm256_xor_pd(meanV, sign);
    } else {
        alignas(32) double pp[4], pv[4], pm[4];
        _mm256_store_pd(pp, *moved), _mm256_store_pd(pv, *v), _mm256_store_pd(pm, meanV);
        reflectLanes(w, first, unsigned(_mm256_movemask_pd(crossed)), pp, pv, pm);
        *moved = _mm256_load_pd(pp), *v = _mm256_load_pd(pv), meanV = _mm256_load_pd(pm);
    }
    _mm256_store_pd(w.meanV + first, meanV);
    *pull = _mm256_mul_pd(_mm256_load_pd(w.oneMinusA + first), meanV);
}

/// Lanes 0..4Q−1 of `w`, 4 per 256-bit vector, the Q vectors interleaved in one loop: a step's
/// velocity update is a chain of a multiply and two adds on the previous step's velocity, so one
/// vector alone waits on its latency while the hash of its next normal has long been ready; Q
/// independent chains fill those cycles (mobile.json's 6 tracks in 3 vectors: 2.59 → 2.21 µs a
/// round with AVX-512VL, 3.07 → 2.51 with AVX2, against one vector after the other; the q loops
/// are unrolled so that each vector stays in registers). Inlined into one function per ISA (AVX2, and AVX-512VL, whose
/// 64-bit multiply the hash uses): 256-bit vectors, not 512: on this project's Intel machines a
/// 512-bit walk of 8 tracks (x and y in two vectors) was faster than the 256-bit one of then
/// (2.5 µs a round on mobile.json against 3.5) but slowed the rest of the round (DSSDA's 6 %,
/// bench_mobility), as 512-bit code does by the core's clock.
template <int Q> __attribute__((target("avx2"), always_inline)) inline void walkQuads(Walk &w)
{
    constexpr int kUsed = 4 * Q;
    std::int64_t longest = 0;
    for (int k = 0; k < kUsed; ++k) {
        longest = std::max(longest, w.steps[k]);
    }
    if (longest == 0) {
        return;
    }
    // In registers only what every step reads (3 vectors of it fit the 32 of AVX-512VL, so no
    // constant is rebuilt per step): the walls, 1 − α and the mean velocity, which only a
    // wall changes, stay in `w` (w.meanV is the walk's own copy: a lane's last value is its
    // result), and the steps are read when a lane's count is reached.
    __m256d p[Q], v[Q], dt[Q], a[Q], noise[Q], pull[Q];
    __m256i mixed[Q];
#pragma GCC unroll 4
    for (int q = 0; q < Q; ++q) {
        const int first = 4 * q;
        p[q] = _mm256_load_pd(w.p + first), v[q] = _mm256_load_pd(w.v + first);
        dt[q] = _mm256_load_pd(w.dt + first), a[q] = _mm256_load_pd(w.a + first);
        noise[q] = _mm256_load_pd(w.noise + first);
        // (1−α)·v̄: changes only at a wall.
        pull[q]
            = _mm256_mul_pd(_mm256_load_pd(w.oneMinusA + first), _mm256_load_pd(w.meanV + first));
        // splitMix()'s first add, γ, done ahead: the next step's input is 8γ further either way.
        mixed[q]
            = _mm256_add_epi64(_mm256_load_si256(reinterpret_cast<const __m256i *>(w.in + first)),
                _mm256_set1_epi64x(std::int64_t(kGamma)));
    }
    const __m256i next = _mm256_set1_epi64x(std::int64_t(kGamma << 3));
    // Every lane steps every time (no blend per step): a lane's state is stored when the count
    // reaches its own steps (`stop`), and it stands still from then on (x + v·0 = x, inside its
    // area: no wall, so its w.meanV stays), its further draws dropped.
    std::int64_t stop = 0;
    for (std::int64_t n = 0;; ++n) {
        if (n == stop) {
            const __m256i count = _mm256_set1_epi64x(n);
#pragma GCC unroll 4
            for (int q = 0; q < Q; ++q) {
                const __m256i done = _mm256_cmpeq_epi64(
                    _mm256_load_si256(reinterpret_cast<const __m256i *>(w.steps + 4 * q)), count);
                _mm256_maskstore_pd(w.p + 4 * q, done, p[q]);
                _mm256_maskstore_pd(w.v + 4 * q, done, v[q]);
                dt[q] = _mm256_blendv_pd(dt[q], _mm256_setzero_pd(), _mm256_castsi256_pd(done));
            }
            if (n == longest) {
                break;
            }
            stop = longest;
            for (int k = 0; k < kUsed; ++k) {
                stop = w.steps[k] > n ? std::min(stop, w.steps[k]) : stop;
            }
        }
        // Move every vector, then one test for a wall crossed by any lane of any of them.
        __m256d moved[Q], crossed[Q];
        __m256d anyCrossed = _mm256_setzero_pd();
#pragma GCC unroll 4
        for (int q = 0; q < Q; ++q) {
            moved[q] = _mm256_add_pd(p[q], _mm256_mul_pd(v[q], dt[q]));
            crossed[q]
                = _mm256_or_pd(_mm256_cmp_pd(moved[q], _mm256_load_pd(w.lo + 4 * q), _CMP_LT_OQ),
                    _mm256_cmp_pd(moved[q], _mm256_load_pd(w.hi + 4 * q), _CMP_GT_OQ));
            anyCrossed = _mm256_or_pd(anyCrossed, crossed[q]);
        }
        if (_mm256_movemask_pd(anyCrossed) != 0) [[unlikely]] {
            for (int q = 0; q < Q; ++q) {
                if (_mm256_movemask_pd(crossed[q]) != 0) {
                    wallQuad(w, q, &moved[q], &v[q], &pull[q], crossed[q]);
                }
            }
        }
#pragma GCC unroll 4
        for (int q = 0; q < Q; ++q) {
            // v(n+1) = α·v(n) + (1−α)·v̄ + noise·w(n), added left to right as the scalar walk
            // does.
            v[q] = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a[q], v[q]), pull[q]),
                _mm256_mul_pd(noise[q], normalLanesMixed(mixed[q])));
            p[q] = moved[q];
            mixed[q] = _mm256_add_epi64(mixed[q], next);
        }
    }
}

/// The vectors of `w` that hold a track (its first lanes), interleaved: one instance per count.
template <int Q>
__attribute__((target("avx2"), always_inline)) inline void walkUpTo(Walk &w, int quads)
{
    if constexpr (Q > 1) {
        if (quads < Q) {
            walkUpTo<Q - 1>(w, quads);
            return;
        }
    }
    walkQuads<Q>(w);
}

__attribute__((target("avx2"))) void walkAvx2(Walk &w, int quads)
{
    walkUpTo<kLanes / 4>(w, quads);
}

__attribute__((target("avx2,avx512f,avx512dq,avx512vl"))) void walkAvx512Vl(Walk &w, int quads)
{
    walkUpTo<kLanes / 4>(w, quads);
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

/// Walks the first `quads` vectors of lanes of `w`.
void walk(NodeTrack::Lanes lanes, Walk &w, int quads)
{
#ifdef COLLAPIPE_MOBILITY_X86_LANES
    if (lanes == NodeTrack::Lanes::Avx512Vl) {
        walkAvx512Vl(w, quads);
    } else if (lanes == NodeTrack::Lanes::Avx2) {
        walkAvx2(w, quads);
    }
#else
    (void)lanes;
    (void)w;
    (void)quads;
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
    // COLLAPIPE_MOBILITY_LANES=scalar|avx2|avx512vl picks one (benchmarks); else the fastest.
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
    using mobility_lanes::kGamma;
    using mobility_lanes::kLanes;
    using mobility_lanes::kTracks;
    using mobility_lanes::kVelocityXStream;
    using mobility_lanes::kVelocityYStream;
    using mobility_lanes::Walk;
    if (lanes == Lanes::Scalar || !mobility_lanes::cpuRuns(lanes)) {
        return;
    }
    if (!(timeS > 0.0) || !std::isfinite(timeS)) {
        timeS = 0.0;
    }
    Walk w;
    NodeTrack *track[kTracks];
    int used = 0;
    auto flush = [&] {
        for (int k = 2 * used; k < kLanes; ++k) {
            // An idle lane: no step, and values that stay finite.
            w.p[k] = w.v[k] = w.meanV[k] = w.dt[k] = w.a[k] = w.oneMinusA[k] = w.noise[k] = 0.0;
            w.lo[k] = -1.0;
            w.hi[k] = 1.0;
            w.in[k] = 0;
            w.steps[k] = 0;
        }
        mobility_lanes::walk(lanes, w, (2 * used + 3) / 4);
        for (int j = 0; j < used; ++j) {
            NodeTrack &t = *track[j];
            const std::int64_t steps = w.steps[2 * j];
            t.m_walked += steps;
            t.m_gm = {t.m_gm.step + steps, {w.p[2 * j], w.p[2 * j + 1]}, w.v[2 * j], w.v[2 * j + 1],
                w.meanV[2 * j], w.meanV[2 * j + 1]};
        }
        used = 0;
    };
    // A pass walks each track to its step or to its next checkpoint, whichever comes first; a
    // track stopped at a checkpoint records it there (as gaussMarkovAdvance() does on its way)
    // and walks on in the next pass. A round rarely spans a checkpoint: one pass.
    for (bool again = true; again;) {
        again = false;
        for (NodeTrack *t : tracks) {
            if (t->m_mobility.model != MobilityModel::GaussMarkov) {
                continue;
            }
            // As gaussMarkovAt(): resume, then walk to the step.
            const std::int64_t step = t->gaussMarkovResume(timeS);
            std::int64_t nextCheckpoint
                = std::int64_t(t->m_gmCheckpoints.size()) * kCheckpointSteps;
            if (t->m_gm.step == nextCheckpoint && t->m_gm.step < step) {
                t->m_gmCheckpoints.push_back(t->m_gm);
                nextCheckpoint += kCheckpointSteps;
            }
            const std::int64_t to = std::min(step, std::max(nextCheckpoint, t->m_gm.step));
            if (to <= t->m_gm.step) {
                continue;
            }
            again = again || to < step;
            const GaussMarkovState &g = t->m_gm;
            const double a = t->m_mobility.alpha;
            const double noise = std::sqrt(std::max(0.0, 1.0 - a * a)) * t->m_mobility.speedStdMps;
            const auto stepIndex = static_cast<std::uint64_t>(g.step) << 3;
            const int x = 2 * used;
            const int y = x + 1;
            w.p[x] = g.pos.xM;
            w.p[y] = g.pos.yM;
            w.v[x] = g.vx;
            w.v[y] = g.vy;
            w.meanV[x] = g.meanVx;
            w.meanV[y] = g.meanVy;
            w.lo[x] = t->m_minX;
            w.hi[x] = t->m_maxX;
            w.lo[y] = t->m_minY;
            w.hi[y] = t->m_maxY;
            w.in[x] = t->m_key + (stepIndex | kVelocityXStream) * kGamma;
            w.in[y] = t->m_key + (stepIndex | kVelocityYStream) * kGamma;
            for (int k : {x, y}) {
                w.dt[k] = t->m_mobility.stepS;
                w.a[k] = a;
                w.oneMinusA[k] = 1.0 - a;
                w.noise[k] = noise;
                w.steps[k] = to - g.step;
            }
            track[used++] = t;
            if (used == kTracks) {
                flush();
            }
        }
        if (used > 0) {
            flush();
        }
    }
}

} // namespace collapipe

#ifdef COLLAPIPE_MOBILITY_X86_LANES
#undef COLLAPIPE_MOBILITY_X86_LANES
#endif
#ifdef COLLAPIPE_MOBILITY_LANES_PUSHED_OPTIONS
#pragma GCC pop_options
#undef COLLAPIPE_MOBILITY_LANES_PUSHED_OPTIONS
#endif
