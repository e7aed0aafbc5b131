// SPDX-License-Identifier: MIT
// FederatedTrainer::runObservedIteration: one cluster's local iteration with an op observer
// (issue [4/7] "The Lab"), kept apart from the round loop so trainRound reads as before.
#include "core/trainer/federated_trainer.h"
#include "core/trainer/federated_trainer_p.h"
#include "core/trainer/round_plan.h"

namespace collapipe {

bool FederatedTrainer::runObservedIteration(int cluster, const ClusterDecision &cd,
    const std::vector<StageOp> &ops, const OpObserver &observer, double *loss, QString *error)
{
    if (cluster < 0 || cluster >= int(d->clusters.size())) {
        *error = QStringLiteral("cluster %1 does not exist (the trainer has %2 clusters)")
                     .arg(cluster)
                     .arg(d->clusters.size());
        return false;
    }
    const kernels::ModeScope kernelMode(d->kernelMode());
    ClusterPlan plan;
    ClusterRuntime &cl = d->clusters[size_t(cluster)];
    QString why;
    if (!planCluster(d->scenario, cluster, cd, &ops, &plan, &why)
        || !cl.assignSegments(plan.decision, &why)) {
        *error = QStringLiteral("cluster %1: %2").arg(cluster).arg(why);
        return false;
    }
    int total = 0;
    for (int v : plan.sizes) {
        total += v;
    }
    const TokenBatch batch
        = makeBatch(d->data, d->data.train, cl.nextSamples(total), d->srcLen, d->tgtLen);
    // The masks of round 0's first local iteration (trainRound's key, dropout.h).
    Dropout drop;
    drop.rate = float(d->scenario.training.dropout);
    drop.key = Dropout::keyFor(std::uint64_t(d->scenario.training.seed),
        std::uint64_t(d->rounds) * std::uint64_t(d->scenario.training.localIterations),
        std::uint64_t(cluster));
    cl.setDropout(drop);
    cl.setOpObserver(observer);
    const bool ok
        = cl.runIteration(plan.decision, plan.ops, batch, plan.sizes, false, d->cancel, loss, &why);
    cl.setOpObserver(nullptr);
    if (!ok) {
        *error = QStringLiteral("cluster %1: %2").arg(cluster).arg(why);
    }
    return ok;
}

} // namespace collapipe
