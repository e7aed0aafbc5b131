// SPDX-License-Identifier: MIT
#include "ui/lab/lab_workspace.h"

#include "ui/canvas/topology_scene.h"
#include "ui/lab/lab_view.h"
#include "ui/lab/lab_what_if_bar.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QMenu>
#include <QMessageBox>

namespace collapipe {

LabWorkspace *LabWorkspace::install(MainWindow *window)
{
    return new LabWorkspace(window);
}

LabWorkspace::LabWorkspace(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_view(new LabView)
    , m_dock(new QDockWidget(tr("Pipeline Lab"), window))
    , m_open(new QAction(tr("Pipeline &Lab"), this))
{
    m_dock->setObjectName(QStringLiteral("labDock"));
    m_dock->setWidget(m_view);
    window->addDock(m_dock, Qt::TopDockWidgetArea);
    m_dock->hide(); // a first run opens on the editor; the Lab is one menu entry away
    m_open->setObjectName(QStringLiteral("openPipelineLab"));
    m_open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_open->setToolTip(tr("GPipe and 1F1B side by side on a cluster's devices and links, "
                          "stepped op by op"));
    connect(m_open, &QAction::triggered, this, &LabWorkspace::open);
    window->viewMenu()->addSeparator();
    window->viewMenu()->addAction(m_open);
    TopologyDocument *document = window->document();
    TopologyScene *scene = window->scene();
    // The Lab's current op on the canvas while the Lab is open; an edit of the scenario clears
    // it (the Lab replans, and the next step marks again).
    // The Lab reads the document's scenario (no copy per edit or open; issue #16).
    m_view->setScenarioSource([document]() -> const Scenario & { return document->scenario(); });
    const auto feed = [this, scene] {
        scene->clearLabStep();
        m_view->scenarioChanged();
    };
    connect(m_view, &LabView::canvasMarkChanged, this, [this, scene] {
        const std::optional<LabStepMark> mark = m_view->canvasMark();
        if (mark && m_dock->isVisible()) {
            scene->showLabStep(*mark);
        } else {
            scene->clearLabStep();
        }
    });
    connect(m_view, &LabView::applySpeedsRequested, this,
        [this, document](const LabWhatIf &w) { applySpeeds(document, w); });
    connect(document, &TopologyDocument::scenarioReset, this, feed);
    connect(document, &TopologyDocument::changed, this, feed);
    // A dock shown some other way (Panels menu, a restored layout) plans on first sight too.
    connect(m_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) {
            m_view->activate();
        } else {
            m_window->scene()->clearLabStep(); // the Lab closed: nothing is stepped
        }
    });
}

void LabWorkspace::applySpeeds(TopologyDocument *document, const LabWhatIf &whatIf)
{
    const LabPlan &plan = m_view->plan();
    const auto &clusters = document->scenario().topology.clusters;
    if (!plan.ok || plan.cluster >= int(clusters.size())
        || m_view->sourceBox()->currentData().toInt() < 0) {
        QMessageBox::information(m_view, tr("Apply speeds"),
            tr("The Lab shows the teaching preset, not the scenario on the canvas: open it "
               "(File ▸ Open) and pick its cluster to apply speeds."));
        return;
    }
    const Cluster &cluster = clusters[std::size_t(plan.cluster)];
    QStringList refused;
    for (std::size_t j = 0; j < whatIf.stageSpeed.size() && j < plan.stageDevice.size(); ++j) {
        const int d = plan.stageDevice[j];
        if (whatIf.stageSpeed[j] == 1.0 || d < 0 || d >= int(cluster.devices.size())) {
            continue;
        }
        const Device &device = cluster.devices[std::size_t(d)];
        QString error;
        if (!document->setProperty({ItemKind::Device, device.id}, QStringLiteral("compute_flops"),
                device.computeFlops * whatIf.stageSpeed[j], &error)) {
            refused << QStringLiteral("%1: %2").arg(device.id, error);
        }
    }
    if (!refused.isEmpty()) {
        QMessageBox::warning(m_view, tr("Apply speeds"), refused.join(QLatin1Char('\n')));
    }
    m_view->whatIfBar()->reset(); // the scenario now holds them
}

void LabWorkspace::open()
{
    if (!m_dock->isVisible() && !m_placed) {
        // The first time in a session it floats over the main window at nearly its size: docked
        // beside the canvas and the run docks, the side-by-side Gantts got a third of a 1000 px
        // screen and their rows ran into each other. Dock it back (double-click the title) at
        // will; a later open leaves it where the user put it.
        const QRect frame = m_window->geometry();
        m_dock->setFloating(true);
        m_dock->resize(frame.width() * 94 / 100, frame.height() * 90 / 100);
        m_dock->move(frame.center() - QPoint(m_dock->width() / 2, m_dock->height() / 2));
    }
    m_placed = true;
    m_dock->show();
    m_dock->raise();
    m_dock->activateWindow();
    m_view->activate();
}

} // namespace collapipe
