// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

/// The paper's headline claims (spec §0 item 9, §9) checked against stored experiment results
/// (issue [5/7] "collapipe reproduce"): pure functions over StoredPoints, no store, no widgets.
/// Each claim compares DSSDA with other policies at the same setting; the claims table says what
/// the paper reports, what our model gives on paper.json (with a 95 % interval over seeds), where
/// along each axis of the reproduction set the claim holds, and why it fails where it fails.
namespace collapipe {

/// The policy whose claims are checked.
QString reproducePolicy();
/// The baselines the claims are made against: spec §8 items 1–4 (uniform, proportional, fl, sl).
/// The DSSDA ablations (§8 items 5–6) are reported beside them but are not "baselines" of the
/// claim: they are DSSDA with one decision fixed.
QStringList reproduceBaselines();

/// How a claim's number is formed from two policies' results at one setting.
enum class ClaimKind {
    /// Latency reduction 1 − T(dssda)/T(b), "at least X vs every baseline": the claim's value is
    /// the smallest reduction over the baselines; it holds when that is ≥ X.
    LatencyReduction,
    /// Computation-efficiency gain η(dssda)/η(b) − 1, "up to +X": the claim's value is the
    /// largest gain over the baselines; it holds when that reaches X.
    EfficiencyGain,
    /// Per-device memory ratio M(dssda)/M(fl), "cut by more than half": holds when < X (0.5).
    MemoryRatio,
};

/// One headline claim of the paper.
struct PaperClaim
{
    QString key;       ///< "latency", "efficiency", "memory"
    QString statement; ///< the paper's words, paraphrased (spec §9)
    ClaimKind kind;
    double paperValue;   ///< 0.4898, 0.1509, 0.5
    QString metric;      ///< the experiment metric it reads (experiment_metrics.h)
    QStringList against; ///< the policies it compares with
};

/// The three claims, in the order the table lists them.
const std::vector<PaperClaim> &paperClaims();

/// One experiment of the reproduction set, with its completed points.
struct ClaimPart
{
    QString name;                    ///< the experiment's name
    std::vector<StoredPoint> points; ///< every point of it (any policies, seeds, axes)
};

/// One row of the claims table.
struct ClaimRow
{
    PaperClaim claim;
    /// Ours on the base setting (the part without axes), the binding comparison (the smallest
    /// reduction, the largest gain, the ratio to fl), paired over seeds: mean and 95 % interval.
    MeanInterval ours;
    QString oursAgainst; ///< the policy that binding comparison is against
    /// Every compared policy on the base setting: "uniform −24.1 %" (the table's detail line).
    QStringList oursPerPolicy;
    bool holdsOnBase = false;
    /// Per part with axes: where the claim holds, e.g. "d2d.bandwidth_hz: holds for ≥ 2e+07
    /// (3 of 5 values)" or "holds nowhere in 1–20".
    QStringList holdsWhere;
    /// Per part where it fails somewhere, and on the base setting: one generated line naming the
    /// setting and the cause read from the stored latency split (or efficiency, memory).
    QStringList failsBecause;
    int settings = 0;     ///< settings checked over every part
    int settingsHeld = 0; ///< of which the claim holds at
};

/// The claims table: one row per paperClaims() entry, in that order. The base setting is the
/// first part with no axes (empty coordinates); without one, `ours` has n = 0. Settings where
/// DSSDA or every compared policy has no value are skipped.
std::vector<ClaimRow> claimsTable(const std::vector<ClaimPart> &parts);

/// The value of `claim` at one setting from per-policy means (policy → mean of claim.metric):
/// the smallest reduction / largest gain / the ratio, and the policy it comes from. NaN when
/// DSSDA or every compared policy is missing.
double claimValue(const PaperClaim &claim, const QHash<QString, double> &means, QString *against);

/// Whether a claim value meets the paper's number.
bool claimHolds(const PaperClaim &claim, double value);

/// The claim value as the table prints it: "−48.98 %", "+15.09 %", "0.50×".
QString claimValueText(const PaperClaim &claim, double value);

} // namespace collapipe
