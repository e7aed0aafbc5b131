// SPDX-License-Identifier: MIT
#include "core/sim/session.h"

#include "core/availability/availability_model.h"
#include "core/channel/channel_model.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/run_control.h"
#include "core/sim/session_trainer.h"

namespace collapipe {

Session::Session() = default;
Session::~Session() = default;

bool Session::init(const Scenario &scenario, QString *error, const SessionOptions &options)
{
    m_initialised = false;
    const std::vector<ScenarioProblem> problems = validateScenario(scenario);
    if (!problems.empty()) {
        QStringList lines;
        for (const ScenarioProblem &p : problems) {
            lines << p.toString();
        }
        *error = QStringLiteral("invalid scenario: %1").arg(lines.join(QStringLiteral("; ")));
        return false;
    }
    // A trace device's rows come from its file, read by loadScenarioFile() (the only place that
    // knows the file's folder); a scenario built another way must have them filled in.
    for (std::size_t n = 0; n < scenario.topology.clusters.size(); ++n) {
        const auto &devices = scenario.topology.clusters[n].devices;
        for (std::size_t k = 0; k < devices.size(); ++k) {
            const DeviceAvailability &a = devices[k].availability;
            if (a.kind == AvailabilityKind::Trace && a.trace.empty()) {
                *error = QStringLiteral("clusters[%1].devices[%2].availability.file: no rows of "
                                        "trace %3 were loaded (load the scenario from its file)")
                             .arg(n)
                             .arg(k)
                             .arg(a.file);
                return false;
            }
        }
    }
    m_scenario = scenario;
    m_options = options;
    m_timelineInputs.reset();
    m_sharedScenario = options.deferEvents && !options.recordEvents && !scenario.training.train
        ? std::make_shared<const Scenario>(scenario)
        : nullptr;
    m_availability = std::make_unique<AvailabilityModel>(scenario);
    QString policyError;
    m_policy = makePolicy(scenario.optimizer.policy, &policyError);
    if (!m_policy) {
        *error = QStringLiteral("optimizer.policy: %1").arg(policyError);
        return false;
    }
    m_channel = std::make_unique<ChannelModel>(scenario.topology, scenario.training.seed);
    m_state.reset(scenario);
    m_trainer.reset();
    if (scenario.training.train) {
        m_trainer = std::make_unique<SessionTrainer>();
        if (!m_trainer->init(scenario, error)) {
            m_trainer.reset();
            return false;
        }
        m_trainer->setCancelCheck([this] { return cancelled(); });
    }
    m_finished = false;
    m_warnedMemory = false;
    m_satOutReason.assign(scenario.topology.clusters.size(), QString());
    m_initialised = true;
    return true;
}

bool Session::cancelled() const
{
    return (m_control && m_control->stopRequested())
        || (m_observer && m_observer->cancelRequested());
}

bool Session::runRound(RoundRecord *record, QString *error)
{
    if (!m_initialised || m_finished) {
        *error = m_initialised ? QStringLiteral("the run is already over")
                               : QStringLiteral("the session was not initialised");
        return false;
    }
    const int t = m_state.round;
    if (cancelled()) {
        *error = QStringLiteral("stopped before round %1").arg(t);
        return false;
    }
    RoundContext context;
    context.scenario = &m_scenario;
    context.channel = m_channel.get();
    context.policy = m_policy.get();
    context.trainer = m_trainer.get();
    context.availability = m_availability->varies() ? m_availability.get() : nullptr;
    context.recordEvents = m_options.recordEvents;
    context.cancelled = [this] { return cancelled(); };
    m_timelineInputs.reset();
    std::shared_ptr<RoundTimelineInputs> deferred;
    if (m_sharedScenario) {
        deferred = std::make_shared<RoundTimelineInputs>();
        deferred->scenario = m_sharedScenario;
        context.deferredTimeline = deferred.get();
    }
    RoundOutcome outcome;
    if (!stepRound(context, &m_state, record, error, &outcome)) {
        if (cancelled()) {
            // The trainer (at a micro-batch) or the policy (between its DPs) gave up because of
            // the stop, not a fault.
            *error = QStringLiteral("stopped during round %1").arg(t);
        }
        return false;
    }
    m_timelineInputs = std::move(deferred);
    if (m_observer && !m_warnedMemory && outcome.memoryExceededCluster >= 0) {
        // A policy that claims feasibility should never get here; say it once per run.
        m_warnedMemory = true;
        m_observer->log(QStringLiteral("warning: round %1: policy %2 exceeds a device's "
                                       "memory in cluster %3 (reported once per run)")
                            .arg(t)
                            .arg(m_policy->name(),
                                m_scenario.topology.clusters[outcome.memoryExceededCluster].id));
    }
    if (m_observer) {
        logSatOuts(*record);
        m_observer->roundFinished(*record);
    }
    return true;
}

void Session::logSatOuts(const RoundRecord &record)
{
    for (const ClusterRound &c : record.clusters) {
        const std::size_t n = std::size_t(c.cluster);
        if (n >= m_satOutReason.size()) {
            continue;
        }
        const QString reason = c.satOut
            ? (c.satOutReason.isEmpty() ? QStringLiteral("sat out") : c.satOutReason)
            : QString();
        if (reason != m_satOutReason[n] && !reason.isEmpty()) {
            m_observer->log(QStringLiteral("round %1: cluster %2 sits out (left out of FedAvg, "
                                           "weights renormalised): %3")
                                .arg(record.round)
                                .arg(m_scenario.topology.clusters[n].id, reason));
        } else if (reason != m_satOutReason[n]) {
            m_observer->log(QStringLiteral("round %1: cluster %2 takes part again")
                                .arg(record.round)
                                .arg(m_scenario.topology.clusters[n].id));
        }
        m_satOutReason[n] = reason;
    }
}

} // namespace collapipe
