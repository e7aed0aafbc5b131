// SPDX-License-Identifier: MIT
#pragma once

#include "core/cost/round_plan.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"
#include "core/types/timeline_event.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

/// The Session's view of the embedded trainer (core/trainer): trains one round in the order of
/// the round's timeline and reports what the RoundRecord needs. Kept in its own translation unit
/// so the engine does not have to see the trainer's and the cost model's internals together.
namespace collapipe {

class FederatedTrainer;

/// What one trained round measured.
struct TrainedRound
{
    double loss = 0.0;               ///< sample-weighted mean over clusters
    double bytesMoved = 0.0;         ///< re-segmentation traffic, all clusters
    std::vector<double> clusterLoss; ///< per cluster
    /// Measured peak bytes per [cluster][device]; NaN for devices that held no blocks.
    std::vector<std::vector<double>> measuredBytes;
};

class SessionTrainer
{
public:
    SessionTrainer();
    ~SessionTrainer();

    /// Loads the dataset and builds the model (FederatedTrainer::init). False + message.
    bool init(const Scenario &scenario, QString *error);
    /// Checked before every micro-batch; true aborts the round.
    void setCancelCheck(std::function<bool()> check);
    /// Trains the round's plan (built with timelines): each cluster's Forward/Backward events of
    /// its first local iteration, read from that cluster's own timeline, give the op order (the
    /// trainer repeats it for every iteration). False + message on NaN loss, an invalid decision
    /// or cancellation.
    /// `participants` (per cluster, empty = all): the clusters whose update goes into the
    /// round's FedAvg; the others do not train (FederatedTrainer::trainRound), loss NaN.
    bool trainRound(const Scenario &scenario, const RoundPlan &plan,
        const std::vector<char> &participants, TrainedRound *out, QString *error);
    /// Validation accuracy of the global model.
    double validationAccuracy() const;
    /// The global model's parameters, flattened (FederatedTrainer::globalParameters()): tests
    /// compare the model state two runs reached.
    std::vector<float> globalParameters() const;
    /// FederatedTrainer::averagedParameterCount() and ::shardSizes() (FedAvg's D_n), for tests
    /// that check the aggregation by hand.
    std::size_t averagedParameterCount() const;
    std::vector<int> shardSizes() const;

    /// The divergence rule of core/MODEL.md "Divergence", fed each round's mean training loss in
    /// order: true (and *error naming the rule, the losses and the --set keys to change) once the
    /// loss has been above kDivergenceFactor × max(first round's loss, ln(outputs)) for
    /// kDivergenceRounds rounds in a row. Deterministic: it reads losses only.
    bool checkDivergence(const Scenario &scenario, double loss, QString *error);

    static constexpr double kDivergenceFactor = 10.0;
    static constexpr int kDivergenceRounds = 3;

private:
    std::unique_ptr<FederatedTrainer> m_trainer;
    double m_referenceLoss = 0.0; ///< 0 until the first round's loss is known
    int m_roundsAbove = 0;
};

} // namespace collapipe
