// SPDX-License-Identifier: MIT
#include "core/pipeline/zero_bubble_v.h"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <limits>

namespace collapipe {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

struct DeviceState
{
    double busyUntil = 0.0;
    int nextF[2] = {0, 0};           ///< next micro-batch to forward, per chunk
    int nextB[2] = {0, 0};           ///< next micro-batch to back-propagate (B), per chunk
    int stashed = 0;                 ///< chunk activations held: forwarded, W not yet run
    std::deque<ScheduleOp> pendingW; ///< W ops whose B ran, oldest first
};

} // namespace

std::vector<std::vector<ScheduleOp>> zeroBubbleVOrders(
    int stages, int microbatches, const ChunkOpTimes &times)
{
    const int S = std::max(1, stages);
    const int M = std::max(1, microbatches);
    const int V = 2 * S;
    const int cap = 2 * (S + 1);
    const double durF = std::max(0.0, times.forward);
    const double durB = std::max(0.0, times.backwardInput);
    const double durW = std::max(0.0, times.backwardWeight);
    // fEnd[k·M + m] / bEnd[k·M + m]: when F / B of virtual stage k, micro-batch m ends.
    std::vector<double> fEnd(std::size_t(V * M), kNever);
    std::vector<double> bEnd(std::size_t(V * M), kNever);
    std::vector<DeviceState> dev(static_cast<std::size_t>(S));
    std::vector<std::vector<ScheduleOp>> orders(static_cast<std::size_t>(S));
    for (auto &o : orders) {
        o.reserve(std::size_t(6 * M));
    }
    const auto vs = [S](int j, int chunk) { return chunk == 0 ? j : 2 * S - 1 - j; };
    const int total = 6 * M * S;
    int done = 0;
    double t = 0.0;
    while (done < total) {
        // Every idle device starts what it can at time t; repeat while something started (a
        // zero-length op ends at t and may make another ready at t).
        bool started = true;
        while (started) {
            started = false;
            for (int j = 0; j < S; ++j) {
                DeviceState &d = dev[std::size_t(j)];
                if (d.busyUntil > t) {
                    continue;
                }
                const auto bReady = [&](int chunk) {
                    const int m = d.nextB[chunk];
                    if (m >= M) {
                        return false;
                    }
                    const int k = vs(j, chunk);
                    return fEnd[std::size_t(k * M + m)] <= t
                        && (k == V - 1 || bEnd[std::size_t((k + 1) * M + m)] <= t);
                };
                const auto fReady = [&](int chunk) {
                    const int m = d.nextF[chunk];
                    if (m >= M) {
                        return false;
                    }
                    const int k = vs(j, chunk);
                    const int room = chunk == 0 ? 2 : 1;
                    return d.stashed + room <= cap
                        && (k == 0 || fEnd[std::size_t((k - 1) * M + m)] <= t);
                };
                const bool b0 = bReady(0);
                const bool b1 = bReady(1);
                ScheduleOp op;
                if (b0 || b1) {
                    const int chunk = b1 && (!b0 || d.nextB[1] <= d.nextB[0]) ? 1 : 0;
                    const int m = d.nextB[chunk]++;
                    d.busyUntil = t + durB;
                    bEnd[std::size_t(vs(j, chunk) * M + m)] = d.busyUntil;
                    op = {OpKind::BackwardInput, j, m, chunk};
                    d.pendingW.push_back({OpKind::BackwardWeight, j, m, chunk});
                } else if (fReady(1) || fReady(0)) {
                    const int chunk = fReady(1) ? 1 : 0;
                    const int m = d.nextF[chunk]++;
                    d.busyUntil = t + durF;
                    fEnd[std::size_t(vs(j, chunk) * M + m)] = d.busyUntil;
                    ++d.stashed;
                    op = {OpKind::Forward, j, m, chunk};
                } else if (!d.pendingW.empty()) {
                    op = d.pendingW.front();
                    d.pendingW.pop_front();
                    d.busyUntil = t + durW;
                    --d.stashed;
                } else {
                    continue;
                }
                orders[std::size_t(j)].push_back(op);
                ++done;
                started = true;
            }
        }
        // Next event: the earliest end of a running op.
        double next = kNever;
        for (const DeviceState &d : dev) {
            if (d.busyUntil > t) {
                next = std::min(next, d.busyUntil);
            }
        }
        if (next == kNever) {
            // Nothing runs and nothing could start: a deadlock. The room rule above prevents
            // it; if it ever failed, the orders stay incomplete and validation names the op.
            break;
        }
        t = next;
    }
    return orders;
}

} // namespace collapipe
