// SPDX-License-Identifier: MIT
#pragma once

// The contract of `collapipe plan --json` (issue 13 finding 7), checked from the JSON alone, with
// our own code: no script outside the repository. Structure; contiguous block coverage (the
// devices' segments, then the edge tail); memory within capacity; D2D shares with
// controlUnitShare + Σβ ≤ 1 (C3); bubble and efficiency bounds; and the numbers rebuild: every
// cluster's makespan is recomputed from the per-micro-batch times in the JSON by an independent
// list-scheduling of the chain in core/MODEL.md "Pipeline recursion" (fixed-point relaxation, not
// the engine's Kahn pass), latency = I·makespan + upload, the system latency = slowest cluster +
// aggregation, and the energy = devices + control units (spec §2.5).

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <vector>

namespace collapipe::testing {

inline bool nearlyEqual(double a, double b, double rel = 1e-9)
{
    return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

/// Per-micro-batch times of one chain as the JSON gives them (seconds).
struct PlanChain
{
    double embedS = 0.0;
    double controlUnitSendS = 0.0;
    std::vector<double> fwd, bwd, send, grad; ///< per device stage, pipeline order
    double edgeS = 0.0;                       ///< decoder (+ tail) forward + backward
    double edgeSendGradS = 0.0;
};

/// The order stage j of S device stages runs its 2·M ops (false = forward): GPipe all F then all
/// B; 1F1B w = min(S − j, M) warm-up forwards (the edge is the chain's last stage, so a device
/// stage has S − j stages after it), then F and B in turn, then the remaining B.
inline std::vector<std::pair<bool, int>> planStageOrder(bool gpipe, int m, int s, int j)
{
    std::vector<std::pair<bool, int>> order;
    if (gpipe) {
        for (int i = 0; i < m; ++i) {
            order.push_back({false, i});
        }
        for (int i = 0; i < m; ++i) {
            order.push_back({true, i});
        }
        return order;
    }
    const int warmup = std::min(s - j, m);
    int f = 0;
    for (; f < warmup; ++f) {
        order.push_back({false, f});
    }
    for (int b = 0; b < m; ++b) {
        if (f < m) {
            order.push_back({false, f++});
        }
        order.push_back({true, b});
    }
    return order;
}

/// Makespan of one iteration: each micro-batch is the chain Embed → CU send → (F_j → send_j)… →
/// edge → edge send → (B_j → grad_j)… ; every op other than F/B is its own resource serving
/// micro-batches in order; device j runs its F and B in planStageOrder(). Each op starts at
/// the later end of its chain and resource predecessors; relaxed until nothing moves.
inline double rebuildMakespan(const PlanChain &c, bool gpipe, int m)
{
    const int s = int(c.fwd.size());
    const int p = 4 * s + 4;
    std::vector<double> dur(std::size_t(p), 0.0);
    std::vector<int> deviceOf(std::size_t(p), -1); // stage index for F/B positions
    std::vector<bool> isBackward(std::size_t(p), false);
    int at = 0;
    dur[std::size_t(at++)] = c.embedS;
    dur[std::size_t(at++)] = c.controlUnitSendS;
    for (int j = 0; j < s; ++j) {
        deviceOf[std::size_t(at)] = j;
        dur[std::size_t(at++)] = c.fwd[std::size_t(j)];
        dur[std::size_t(at++)] = c.send[std::size_t(j)];
    }
    dur[std::size_t(at++)] = c.edgeS;
    dur[std::size_t(at++)] = c.edgeSendGradS;
    for (int j = s - 1; j >= 0; --j) {
        deviceOf[std::size_t(at)] = j;
        isBackward[std::size_t(at)] = true;
        dur[std::size_t(at++)] = c.bwd[std::size_t(j)];
        dur[std::size_t(at++)] = c.grad[std::size_t(j)];
    }
    // Resource predecessor of (micro-batch, position).
    std::vector<int> resPred(std::size_t(p * m), -1);
    for (int mb = 1; mb < m; ++mb) {
        for (int pos = 0; pos < p; ++pos) {
            if (deviceOf[std::size_t(pos)] < 0) {
                resPred[std::size_t(mb * p + pos)] = (mb - 1) * p + pos;
            }
        }
    }
    for (int j = 0; j < s; ++j) {
        const int fPos = 2 + 2 * j;
        const int bPos = 2 * s + 4 + 2 * (s - 1 - j);
        int prev = -1;
        for (const auto &[backward, mb] : planStageOrder(gpipe, m, s, j)) {
            const int id = mb * p + (backward ? bPos : fPos);
            resPred[std::size_t(id)] = prev;
            prev = id;
        }
    }
    std::vector<double> end(std::size_t(p * m), 0.0);
    for (bool moved = true; moved;) {
        moved = false;
        for (int id = 0; id < p * m; ++id) {
            const int pos = id % p;
            double start = pos > 0 ? end[std::size_t(id - 1)] : 0.0;
            if (resPred[std::size_t(id)] >= 0) {
                start = std::max(start, end[std::size_t(resPred[std::size_t(id)])]);
            }
            const double e = start + dur[std::size_t(pos)];
            if (e > end[std::size_t(id)]) {
                end[std::size_t(id)] = e;
                moved = true;
            }
        }
    }
    return *std::max_element(end.begin(), end.end());
}

/// Empty when `plan` (one `collapipe plan --json` document of `policy`) keeps the contract, else
/// the first problem found.
inline QString checkPlanContract(const QJsonObject &plan, const QString &policy)
{
    const auto missing = [](const QJsonObject &o, const QStringList &keys) {
        for (const QString &k : keys) {
            if (!o.contains(k)) {
                return k;
            }
        }
        return QString();
    };
    if (const QString k = missing(plan,
            {QStringLiteral("policy"), QStringLiteral("round"), QStringLiteral("system_latency_s"),
                QStringLiteral("aggregation_s"), QStringLiteral("energy_j"),
                QStringLiteral("local_iterations"), QStringLiteral("encoder_blocks"),
                QStringLiteral("clusters")});
        !k.isEmpty()) {
        return QStringLiteral("key %1 missing").arg(k);
    }
    if (plan.value(QStringLiteral("policy")).toString() != policy) {
        return QStringLiteral("policy %1").arg(plan.value(QStringLiteral("policy")).toString());
    }
    const int iterations = plan.value(QStringLiteral("local_iterations")).toInt();
    const int blocks = plan.value(QStringLiteral("encoder_blocks")).toInt();
    double slowest = 0.0;
    double energy = 0.0;
    for (const QJsonValue &cv : plan.value(QStringLiteral("clusters")).toArray()) {
        const QJsonObject c = cv.toObject();
        if (const QString k = missing(c,
                {QStringLiteral("id"), QStringLiteral("mode"), QStringLiteral("schedule"),
                    QStringLiteral("microbatches"), QStringLiteral("microbatch_size"),
                    QStringLiteral("makespan_s"), QStringLiteral("bubble_fraction"),
                    QStringLiteral("computation_efficiency"), QStringLiteral("upload_s"),
                    QStringLiteral("latency_s"), QStringLiteral("energy_j"),
                    QStringLiteral("control_unit_share"), QStringLiteral("control_unit_power_w"),
                    QStringLiteral("embed_s"), QStringLiteral("control_unit_send_s"),
                    QStringLiteral("edge_fwd_s"), QStringLiteral("edge_bwd_s"),
                    QStringLiteral("edge_send_grad_s"), QStringLiteral("control_unit_tx_s"),
                    QStringLiteral("control_unit_energy_j"), QStringLiteral("edge_first_block"),
                    QStringLiteral("edge_last_block"), QStringLiteral("edge_memory_bytes"),
                    QStringLiteral("stages")});
            !k.isEmpty()) {
            return QStringLiteral("cluster key %1 missing").arg(k);
        }
        const QString id = c.value(QStringLiteral("id")).toString();
        const QString where = QStringLiteral("cluster %1: ").arg(id);
        const QString mode = c.value(QStringLiteral("mode")).toString();
        const bool federated = mode == QStringLiteral("federated_full");
        const bool gpipe
            = c.value(QStringLiteral("schedule")).toString() == QStringLiteral("gpipe");
        const int m = c.value(QStringLiteral("microbatches")).toInt();
        const double makespan = c.value(QStringLiteral("makespan_s")).toDouble();
        const double upload = c.value(QStringLiteral("upload_s")).toDouble();
        const double latency = c.value(QStringLiteral("latency_s")).toDouble();
        const double bubble = c.value(QStringLiteral("bubble_fraction")).toDouble();
        const double eff = c.value(QStringLiteral("computation_efficiency")).toDouble();
        if (!(bubble >= 0.0 && bubble < 1.0)) {
            return where + QStringLiteral("bubble fraction %1").arg(bubble);
        }
        if (!(eff > 0.0 && eff <= 1.0 + 1e-12)) {
            return where + QStringLiteral("efficiency %1").arg(eff);
        }
        if (!(makespan > 0.0) || m < 1) {
            return where + QStringLiteral("makespan %1 s, M %2").arg(makespan).arg(m);
        }
        if (!nearlyEqual(latency, iterations * makespan + upload)) {
            return where
                + QStringLiteral("latency %1 s != I·makespan + upload = %2 s")
                      .arg(latency)
                      .arg(iterations * makespan + upload);
        }
        slowest = std::max(slowest, latency);

        std::vector<QJsonObject> stages;
        for (const QJsonValue &v : c.value(QStringLiteral("stages")).toArray()) {
            const QJsonObject st = v.toObject();
            if (const QString k = missing(st,
                    {QStringLiteral("device"), QStringLiteral("stage"),
                        QStringLiteral("first_block"), QStringLiteral("last_block"),
                        QStringLiteral("bandwidth_share"), QStringLiteral("power_w"),
                        QStringLiteral("rate_bps"), QStringLiteral("grad_rate_bps"),
                        QStringLiteral("t_fwd_s"), QStringLiteral("t_bwd_s"),
                        QStringLiteral("t_send_s"), QStringLiteral("t_send_grad_s"),
                        QStringLiteral("t_edge_send_grad_s"), QStringLiteral("tx_s"),
                        QStringLiteral("busy_s"), QStringLiteral("inflight_microbatches"),
                        QStringLiteral("memory_bytes"), QStringLiteral("memory_capacity_bytes"),
                        QStringLiteral("energy_j")});
                !k.isEmpty()) {
                return where + QStringLiteral("stage key %1 missing").arg(k);
            }
            stages.push_back(st);
        }
        if (stages.empty()) {
            return where + QStringLiteral("no stages");
        }
        std::sort(stages.begin(), stages.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return a.value(QStringLiteral("stage")).toInt()
                < b.value(QStringLiteral("stage")).toInt();
        });
        double clusterEnergy = c.value(QStringLiteral("control_unit_energy_j")).toDouble();
        double shares = c.value(QStringLiteral("control_unit_share")).toDouble();
        int next = 0;
        const int stageCount = int(stages.size());
        for (int j = 0; j < stageCount; ++j) {
            const QJsonObject &st = stages[std::size_t(j)];
            const QString dev
                = where + st.value(QStringLiteral("device")).toString() + QStringLiteral(": ");
            const double mem = st.value(QStringLiteral("memory_bytes")).toDouble();
            const double cap = st.value(QStringLiteral("memory_capacity_bytes")).toDouble();
            if (mem > cap * (1.0 + 1e-9)) {
                return dev + QStringLiteral("needs %1 B > %2 B").arg(mem).arg(cap);
            }
            const double share = st.value(QStringLiteral("bandwidth_share")).toDouble();
            if (!(share >= 0.0 && share <= 1.0 + 1e-9)) {
                return dev + QStringLiteral("bandwidth share %1").arg(share);
            }
            shares += share;
            clusterEnergy += st.value(QStringLiteral("energy_j")).toDouble();
            if (federated) {
                if (st.value(QStringLiteral("first_block")).toInt() != 0
                    || st.value(QStringLiteral("last_block")).toInt() != blocks - 1) {
                    return dev + QStringLiteral("fl device does not hold the whole encoder");
                }
                continue;
            }
            if (st.value(QStringLiteral("first_block")).toInt() != next) {
                return where + QStringLiteral("blocks not contiguous at %1").arg(next);
            }
            next = st.value(QStringLiteral("last_block")).toInt() + 1;
            const int stash = gpipe ? m : std::min(m, stageCount - j + 1);
            if (st.value(QStringLiteral("inflight_microbatches")).toInt() != stash) {
                return dev
                    + QStringLiteral("stashes %1 micro-batches, the schedule holds %2")
                          .arg(st.value(QStringLiteral("inflight_microbatches")).toInt())
                          .arg(stash);
            }
            const double tx = double(iterations) * m
                * (st.value(QStringLiteral("t_send_s")).toDouble()
                    + st.value(QStringLiteral("t_send_grad_s")).toDouble());
            if (!nearlyEqual(st.value(QStringLiteral("tx_s")).toDouble(), tx)) {
                return dev
                    + QStringLiteral("tx %1 s != I·M·(send + grad) %2 s")
                          .arg(st.value(QStringLiteral("tx_s")).toDouble())
                          .arg(tx);
            }
        }
        if (shares > 1.0 + 1e-6) {
            return where + QStringLiteral("CU share + Σβ = %1 > 1").arg(shares);
        }
        const int edgeFirst = c.value(QStringLiteral("edge_first_block")).toInt();
        const int edgeLast = c.value(QStringLiteral("edge_last_block")).toInt();
        if (!federated) {
            if (edgeFirst >= 0 ? (next != edgeFirst || edgeLast != blocks - 1)
                               : (next != blocks || edgeLast != -1)) {
                return where
                    + QStringLiteral("devices cover 0..%1, edge %2..%3 of %4 blocks")
                          .arg(next - 1)
                          .arg(edgeFirst)
                          .arg(edgeLast)
                          .arg(blocks);
            }
            if (edgeFirst >= 0 && !(c.value(QStringLiteral("edge_memory_bytes")).toDouble() > 0)) {
                return where + QStringLiteral("edge tail without edge memory");
            }
        }
        // The control unit's radio (spec §2.5): its sends to stage 0 and its upload.
        const double cuTx = federated
            ? 0.0
            : double(iterations) * m * c.value(QStringLiteral("control_unit_send_s")).toDouble()
                + upload;
        if (!nearlyEqual(c.value(QStringLiteral("control_unit_tx_s")).toDouble(), cuTx)
            || !nearlyEqual(c.value(QStringLiteral("control_unit_energy_j")).toDouble(),
                cuTx * c.value(QStringLiteral("control_unit_power_w")).toDouble())) {
            return where
                + QStringLiteral("CU radio %1 s / %2 J, expected %3 s at %4 W")
                      .arg(c.value(QStringLiteral("control_unit_tx_s")).toDouble())
                      .arg(c.value(QStringLiteral("control_unit_energy_j")).toDouble())
                      .arg(cuTx)
                      .arg(c.value(QStringLiteral("control_unit_power_w")).toDouble());
        }
        if (!nearlyEqual(c.value(QStringLiteral("energy_j")).toDouble(), clusterEnergy)) {
            return where
                + QStringLiteral("energy %1 J != devices + CU %2 J")
                      .arg(c.value(QStringLiteral("energy_j")).toDouble())
                      .arg(clusterEnergy);
        }
        energy += clusterEnergy;

        // Rebuild the makespan from the JSON's per-micro-batch times.
        const double edgeS = c.value(QStringLiteral("edge_fwd_s")).toDouble()
            + c.value(QStringLiteral("edge_bwd_s")).toDouble();
        double rebuilt = 0.0;
        if (federated) {
            // Each device alone: F → D2E → edge → D2E back → B, one micro-batch of its samples.
            for (const QJsonObject &st : stages) {
                rebuilt = std::max(rebuilt,
                    st.value(QStringLiteral("t_fwd_s")).toDouble()
                        + st.value(QStringLiteral("t_send_s")).toDouble() + edgeS
                        + st.value(QStringLiteral("t_edge_send_grad_s")).toDouble()
                        + st.value(QStringLiteral("t_bwd_s")).toDouble());
            }
        } else {
            PlanChain chain;
            chain.embedS = c.value(QStringLiteral("embed_s")).toDouble();
            chain.controlUnitSendS = c.value(QStringLiteral("control_unit_send_s")).toDouble();
            chain.edgeS = edgeS;
            chain.edgeSendGradS = c.value(QStringLiteral("edge_send_grad_s")).toDouble();
            for (const QJsonObject &st : stages) {
                chain.fwd.push_back(st.value(QStringLiteral("t_fwd_s")).toDouble());
                chain.bwd.push_back(st.value(QStringLiteral("t_bwd_s")).toDouble());
                chain.send.push_back(st.value(QStringLiteral("t_send_s")).toDouble());
                chain.grad.push_back(st.value(QStringLiteral("t_send_grad_s")).toDouble());
            }
            if (!nearlyEqual(stages.back().value(QStringLiteral("t_edge_send_grad_s")).toDouble(),
                    chain.edgeSendGradS)) {
                return where + QStringLiteral("edge → last stage time differs per stage/cluster");
            }
            rebuilt = rebuildMakespan(chain, gpipe, m);
        }
        if (!nearlyEqual(rebuilt, makespan)) {
            return where
                + QStringLiteral("makespan %1 s, rebuilt from the JSON %2 s")
                      .arg(makespan, 0, 'g', 12)
                      .arg(rebuilt, 0, 'g', 12);
        }
    }
    const double system = plan.value(QStringLiteral("system_latency_s")).toDouble();
    const double aggregation = plan.value(QStringLiteral("aggregation_s")).toDouble();
    if (!nearlyEqual(system, slowest + aggregation)) {
        return QStringLiteral("system latency %1 s != slowest %2 s + aggregation %3 s")
            .arg(system)
            .arg(slowest)
            .arg(aggregation);
    }
    if (!nearlyEqual(plan.value(QStringLiteral("energy_j")).toDouble(), energy)) {
        return QStringLiteral("energy %1 J != Σ clusters %2 J")
            .arg(plan.value(QStringLiteral("energy_j")).toDouble())
            .arg(energy);
    }
    return {};
}

} // namespace collapipe::testing
