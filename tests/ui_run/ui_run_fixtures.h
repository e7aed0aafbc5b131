// SPDX-License-Identifier: MIT
#pragma once

#include "../sanitizer_build.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"
#include "core/types/round_record.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/round_view_throttle.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QString>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <memory>

/// Shared inputs of the ui_run tests: the bundled default scenario made small, and synthetic
/// RoundRecords for the plot tests (which must not depend on the engine).
namespace collapipe::testing {

inline Scenario defaultScenario(int rounds, bool train)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
    if (!loadScenarioFile(path, &s, &problems)) {
        qWarning("cannot load %s", qPrintable(path));
    }
    s.training.rounds = rounds;
    s.training.train = train;
    // The scenario asks for dssda; fall back to a registered baseline while it is not built.
    if (!policyNames().contains(s.optimizer.policy)) {
        s.optimizer.policy = policyNames().value(0);
    }
    return s;
}

/// Clusters of the scale tests: 100 × 10 devices, as `collapipe generate --clusters 100
/// --devices-per-cluster 10` makes them from default.json; 50 under the sanitizers (still far over
/// ClusterRowFilter::kExpandedRowLimit), where a 100 × 10 run costs ten times the CPU.
constexpr int kScaleClusters = collapipe::test::kSanitizerBuild ? 50 : 100;

/// `clusters` × 10 devices generated from `base` (every device preset of `base` in equal shares,
/// grid layout, the generator's default seed).
inline Scenario scaleScenario(const Scenario &base, int clusters = kScaleClusters)
{
    GeneratorRecipe recipe;
    recipe.clusters = clusters;
    recipe.devicesPerCluster = 10;
    for (const Device &preset : devicePresetsOf(base)) {
        recipe.mix.push_back(PresetShare{preset, 1.0});
    }
    return generateScenario(base, recipe);
}

/// The scale scenario from the bundled default.json (empty when it cannot be read).
inline Scenario scaleScenarioFromDefault()
{
    Scenario base;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"),
            &base, &problems)) {
        qWarning("cannot load default.json");
        return {};
    }
    return scaleScenario(base);
}

/// A plausible round: two devices in one cluster, a 2-stage pipeline with M micro-batches.
inline RoundRecord syntheticRound(int t, int microbatches = 3)
{
    RoundRecord r;
    r.round = t;
    r.latencyS = 1.0 + 0.1 * (t % 7);
    r.simTimeS = 1.05 * (t + 1);
    r.split = {0.4, 0.1, 0.1, 0.05, 0.2, 0.05, r.latencyS - 0.9};
    r.energyJ = 2.0 + std::sin(t);
    r.loss = 2.0 / (1.0 + t);
    r.accuracy = t % 5 == 4 ? 0.3 + 0.01 * t : kNotMeasured;
    r.bubbleFraction = 0.25;
    ClusterRound c;
    c.cluster = 0;
    c.microbatches = microbatches;
    c.makespanS = r.latencyS;
    c.bubbleFraction = 0.25;
    r.clusters.push_back(c);
    for (int d = 0; d < 2; ++d) {
        DeviceRound dev;
        dev.cluster = 0;
        dev.device = d;
        dev.deviceId = QStringLiteral("phone-%1").arg(d);
        dev.stage = d;
        dev.firstBlock = 6 * d;
        dev.lastBlock = 6 * d + 5;
        dev.microbatches = microbatches;
        dev.bandwidthShare = 0.5;
        dev.powerW = 0.1;
        dev.memoryPredictedBytes = 1e9 * (1 + d);
        dev.memoryCapacityBytes = 4e9;
        dev.energyJ = 0.5 + 0.1 * d;
        dev.energyQueueJ = 0.01 * t * (d + 1);
        dev.linkSnrDb = 20.0;
        dev.linkRateBps = 5e7;
        r.devices.push_back(dev);
    }
    // Forward on stage 0 then the transfer then stage 1, per micro-batch (a tiny GPipe).
    double t0 = 0.0;
    for (int m = 0; m < microbatches; ++m) {
        TimelineEvent f{0, {ResourceKind::Device, 0, 0}, EventKind::Forward, m, 0, t0, t0 + 0.1};
        TimelineEvent s{
            0, {ResourceKind::Link, 0, 1}, EventKind::SendActivation, m, 0, t0 + 0.1, t0 + 0.15};
        TimelineEvent g{
            0, {ResourceKind::Device, 1, 0}, EventKind::Forward, m, 1, t0 + 0.15, t0 + 0.25};
        r.events.push_back(f);
        r.events.push_back(s);
        r.events.push_back(g);
        t0 += 0.1;
    }
    return r;
}

/// C clusters "c0".."c{C-1}" of K devices "c{n}-d{k}" (budget 1 J each).
inline Scenario gridScenario(int clusters, int devicesPerCluster)
{
    Scenario s;
    s.topology.clusters.resize(static_cast<std::size_t>(clusters));
    for (int c = 0; c < clusters; ++c) {
        Cluster &cluster = s.topology.clusters[static_cast<std::size_t>(c)];
        cluster.id = QStringLiteral("c%1").arg(c);
        cluster.devices.resize(static_cast<std::size_t>(devicesPerCluster));
        for (int d = 0; d < devicesPerCluster; ++d) {
            cluster.devices[static_cast<std::size_t>(d)].id
                = QStringLiteral("c%1-d%2").arg(c).arg(d);
        }
    }
    return s;
}

/// Waits (the event loop running) until the Gantt has drawn what it was asked for: it builds
/// rounds off the GUI thread (GanttBuilder) and shows the last one built until then.
inline bool ganttBuilt(GanttPlot *gantt, int timeoutMs = 30'000)
{
    return QTest::qWaitFor([gantt] { return !gantt->isBuilding(); }, timeoutMs);
}

/// Round t of gridScenario(): device (c, d) spent 1 + c + d / 100 J; its queue 0.1 t J.
inline RoundRecord gridRound(int t, int clusters, int devicesPerCluster)
{
    RoundRecord r = syntheticRound(t);
    r.devices.clear();
    r.devices.reserve(static_cast<std::size_t>(clusters * devicesPerCluster));
    for (int c = 0; c < clusters; ++c) {
        for (int d = 0; d < devicesPerCluster; ++d) {
            DeviceRound dev;
            dev.cluster = c;
            dev.device = d;
            dev.deviceId = QStringLiteral("c%1-d%2").arg(c).arg(d);
            dev.energyJ = 1.0 + c + d / 100.0;
            dev.energyQueueJ = 0.1 * t;
            dev.memoryPredictedBytes = 1e9;
            dev.memoryCapacityBytes = 4e9;
            r.devices.push_back(dev);
        }
    }
    return r;
}

/// Runs `rounds` cost-only rounds of the document's scenario from the run panel (Fast mode;
/// `policy` by name, or the panel's), waits up to `timeoutMs` for the end and flushes the plots.
/// True when the run completed.
inline bool runToEnd(RunWorkspace *ws, TopologyDocument *document, int rounds, int timeoutMs,
    const QString &policy = QString())
{
    RunPanel *panel = ws->runPanel();
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(rounds);
    panel->trainBox()->setChecked(false);
    const int index = policy.isEmpty() ? -1 : int(policyNames().indexOf(policy));
    if (index >= 0) {
        panel->policyBox()->setCurrentIndex(index);
    }
    // Rounds and training live in the scenario (one source of truth, [1/7] 6), so these are
    // document edits; call them saved, or opening another file would ask to save them.
    document->undoStack()->setClean();
    QSignalSpy finished(ws->controller(), &RunController::runFinished);
    panel->startRun();
    if (!finished.wait(timeoutMs)) {
        return false;
    }
    ws->plots()->hub()->flushNow();
    // The round views got the last round; the Gantt builds it off the GUI thread.
    const bool drawn = QTest::qWaitFor(
        [ws] { return !ws->roundViewThrottle()->hasPending() && !ws->gantt()->isBuilding(); },
        timeoutMs);
    return drawn && ws->controller()->lastStatus() == SessionStatus::Completed;
}

/// The tests' Studio: a main window with the run workspace on `scenarioPath`, shown at
/// 1280 × 800, runs stored in `dbPath`. Null if the window never showed.
inline RunWorkspace *showStudio(
    std::unique_ptr<MainWindow> &window, const QString &scenarioPath, const QString &dbPath)
{
    window = std::make_unique<MainWindow>();
    RunWorkspace *ws = RunWorkspace::install(window.get());
    window->resize(1280, 800);
    window->openInitial(scenarioPath);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) {
        return nullptr;
    }
    ws->runPanel()->setDatabasePath(dbPath);
    return ws;
}

/// The Run panel's status line.
inline QString runStatusText(RunWorkspace *ws)
{
    return ws->runPanel()->findChild<QLabel *>(QStringLiteral("runStatus"))->text();
}

} // namespace collapipe::testing
